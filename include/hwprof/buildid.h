/* GNU build ids of ELF files and of the running kernel. */
#ifndef HWPROF_BUILDID_H
#define HWPROF_BUILDID_H

#include <stddef.h>
#include <stdint.h>

#define BUILD_ID_MAX 20

/* Finds NT_GNU_BUILD_ID in a buffer of ELF notes (native endian, 4-byte
 * aligned). Returns its length (1..20) and copies it to ID, or a negative error. */
int buildid_from_notes(const void *notes, size_t len, uint8_t id[BUILD_ID_MAX]);
/* Build id of the ELF file at PATH. Returns its length or -errno / -HWPROF_E_FORMAT. */
int buildid_of_file(const char *path, uint8_t id[BUILD_ID_MAX]);
/* Build id of the running kernel, from /sys/kernel/notes. */
int buildid_of_kernel(uint8_t id[BUILD_ID_MAX]);
/* Lowercase hex of ID into OUT (2*len+1 bytes). */
void buildid_hex(const uint8_t *id, size_t len, char *out);

#endif
