/* The running kernel's function symbols, from /proc/kallsyms or from a per-boot cache of it. */
#ifndef HWPROF_KALLSYMS_H
#define HWPROF_KALLSYMS_H

#include <stdbool.h>
#include <stdint.h>

struct kallsyms;

/* Nothing is read until the first lookup. */
struct kallsyms *kallsyms_new(void);
void kallsyms_free(struct kallsyms *k);

/* The function containing ADDR and ADDR's offset in it; NULL when unknown.
 * The name stays valid until kallsyms_free. */
const char *kallsyms_lookup(struct kallsyms *k, uint64_t addr, uint64_t *offset);

/* True once a lookup found /proc/kallsyms unreadable or all zeros (kptr_restrict). */
bool kallsyms_unreadable(const struct kallsyms *k);

#endif
