/* Open addressing with linear probing over item numbers; see index.h. */
#include "hwprof/index.h"
#include "hwprof/util.h"

#include <stdlib.h>

uint64_t hash_u64(uint64_t v)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdull;
	v ^= v >> 33;
	v *= 0xc4ceb9fe1a85ec53ull;
	v ^= v >> 33;
	return v;
}

uint64_t hash_mix(uint64_t h, uint64_t v)
{
	return hash_u64(h ^ (v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2)));
}

static void place(struct index *ix, uint64_t h, uint32_t item)
{
	size_t mask = ix->cap - 1, s = h & mask;

	while (ix->slots[s])
		s = (s + 1) & mask;
	ix->slots[s] = item + 1;
}

void index_insert(struct index *ix, uint64_t h, uint32_t item, index_hash_fn hash, const void *ctx)
{
	if ((ix->n + 1) * 2 > ix->cap) {
		uint32_t *old = ix->slots;
		size_t ocap = ix->cap;

		ix->cap = ocap ? ocap * 2 : 64;
		ix->slots = xcalloc(ix->cap, sizeof(*ix->slots));
		for (size_t i = 0; i < ocap; i++)
			if (old[i])
				place(ix, hash(ctx, old[i] - 1), old[i] - 1);
		free(old);
	}
	place(ix, h, item);
	ix->n++;
}

void index_release(struct index *ix)
{
	free(ix->slots);
	ix->slots = NULL;
	ix->cap = ix->n = 0;
}
