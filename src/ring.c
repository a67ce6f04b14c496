/* perf ring buffer consumer; the acquire/release pairing below is the kernel's documented contract. */
#include "hwprof/ring.h"
#include "hwprof/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void ring_init_mem(struct ring *r, void *mem, size_t page, size_t data_size)
{
	memset(r, 0, sizeof(*r));
	r->ctl = mem;
	r->data = (uint8_t *)mem + page;
	r->data_size = data_size;
	r->tail = r->ctl->data_tail;
}

int ring_open(struct ring *r, int fd, size_t data_pages)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len;
	void *map;

	memset(r, 0, sizeof(*r));
	if (data_pages == 0 || (data_pages & (data_pages - 1)))
		return -EINVAL;
	len = (data_pages + 1) * page;
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return -errno;
	ring_init_mem(r, map, page, data_pages * page);
	r->map = map;
	r->map_len = len;
	return 0;
}

void ring_close(struct ring *r)
{
	if (r->map)
		munmap(r->map, r->map_len);
	free(r->scratch);
	memset(r, 0, sizeof(*r));
}

uint64_t ring_begin(struct ring *r)
{
	/*
	 * Pairs with the kernel's store of data_head after it wrote the
	 * records: with acquire, every byte before head is visible to the
	 * reads that follow.
	 */
	r->head = __atomic_load_n(&r->ctl->data_head, __ATOMIC_ACQUIRE);
	return r->head - r->tail;
}

const struct perf_event_header *ring_next(struct ring *r)
{
	size_t mask = r->data_size - 1;
	struct perf_event_header h;
	size_t off, first;

	if (r->tail >= r->head || r->head - r->tail < sizeof(h))
		return NULL;
	off = r->tail & mask;
	/* The header itself may wrap: copy it out byte-exact first. */
	first = r->data_size - off;
	if (first >= sizeof(h)) {
		memcpy(&h, r->data + off, sizeof(h));
	} else {
		memcpy(&h, r->data + off, first);
		memcpy((uint8_t *)&h + first, r->data, sizeof(h) - first);
	}
	if (h.size < sizeof(h) || h.size > r->head - r->tail || h.size > r->data_size) {
		/* Cannot happen with a sane kernel; drop the rest rather than loop. */
		r->corrupt++;
		r->tail = r->head;
		return NULL;
	}
	r->tail += h.size;
	if (first >= h.size)
		return (const struct perf_event_header *)(r->data + off);
	xgrow((void **)&r->scratch, &r->scratch_cap, h.size, 1);
	memcpy(r->scratch, r->data + off, first);
	memcpy(r->scratch + first, r->data, h.size - first);
	return (const struct perf_event_header *)r->scratch;
}

void ring_end(struct ring *r)
{
	/*
	 * Release: our reads of the records complete before the kernel can see
	 * the new tail and overwrite them.
	 */
	__atomic_store_n(&r->ctl->data_tail, r->tail, __ATOMIC_RELEASE);
}
