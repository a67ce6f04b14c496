/* Uncompressed copies of separate debug files whose DWARF sections are compressed. */
#ifndef HWPROF_DEBUGCACHE_H
#define HWPROF_DEBUGCACHE_H

#include <stddef.h>
#include <stdint.h>

/* A descriptor of the cached uncompressed copy of the debug file with this
 * build id, setting *COPY_PATH (caller frees); -1 when there is none. */
int debugcache_find(const uint8_t *build_id, size_t len, char **copy_path);

/* When debug file FD has compressed sections, saves an uncompressed copy for
 * later reports (this one goes on with FD). FD stays open. */
void debugcache_store(int fd);

#endif
