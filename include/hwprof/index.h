/* A hash index over items that live in the caller's growable array: the
 * table holds item numbers (index + 1), the caller keeps hashes and keys. */
#ifndef HWPROF_INDEX_H
#define HWPROF_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct index {
	uint32_t *slots;	/* item + 1, 0 empty; a power of two long */
	size_t cap, n;
};

/* Whether ITEM has KEY. */
typedef bool (*index_eq_fn)(const void *ctx, uint32_t item, const void *key);
/* The hash ITEM was inserted with (for growing the table). */
typedef uint64_t (*index_hash_fn)(const void *ctx, uint32_t item);

/* The item equal to KEY with hash H, or -1. Inline: the lookup is on
 * report's per-sample path, and the compiler then inlines EQ too. */
static inline long index_find(const struct index *ix, uint64_t h, index_eq_fn eq, const void *ctx,
			      const void *key)
{
	size_t mask = ix->cap - 1, s;

	if (!ix->cap)
		return -1;
	for (s = h & mask; ix->slots[s]; s = (s + 1) & mask)
		if (eq(ctx, ix->slots[s] - 1, key))
			return (long)ix->slots[s] - 1;
	return -1;
}
/* Adds ITEM (absent: the caller looked it up first) under hash H. */
void index_insert(struct index *ix, uint64_t h, uint32_t item, index_hash_fn hash, const void *ctx);
void index_release(struct index *ix);

/* A finalizer that spreads integer keys over the table (murmur3's fmix64). */
uint64_t hash_u64(uint64_t v);
/* Folds V into the running hash H. */
uint64_t hash_mix(uint64_t h, uint64_t v);

#endif
