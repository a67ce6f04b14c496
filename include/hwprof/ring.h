/* One perf mmap ring: snapshot the head, walk records (copying those that wrap), release the tail. */
#ifndef HWPROF_RING_H
#define HWPROF_RING_H

#include <linux/perf_event.h>
#include <stddef.h>
#include <stdint.h>

struct ring {
	struct perf_event_mmap_page *ctl;
	uint8_t *data;
	size_t data_size;	/* a power of two */
	uint64_t head;		/* snapshot taken by ring_begin() */
	uint64_t tail;		/* next byte to read */
	uint8_t *scratch;	/* holds a record that wraps around the end */
	size_t scratch_cap;
	void *map;		/* NULL when the memory is the caller's (tests) */
	size_t map_len;
	uint64_t corrupt;	/* records dropped because their size made no sense */
};

/* Maps the ring of perf event FD: one control page plus DATA_PAGES (a power
 * of two) pages of data. Returns 0 or -errno. */
int ring_open(struct ring *r, int fd, size_t data_pages);
/* Uses caller memory laid out as the kernel's mapping: a control page of
 * PAGE bytes, then DATA_SIZE bytes of data. For tests. */
void ring_init_mem(struct ring *r, void *mem, size_t page, size_t data_size);
void ring_close(struct ring *r);

/* Snapshots the kernel's head; returns the number of bytes available. */
uint64_t ring_begin(struct ring *r);
/* The next record, or NULL when the snapshot is consumed. The pointer is
 * valid until the next ring_next() or ring_end(). */
const struct perf_event_header *ring_next(struct ring *r);
/* Hands the consumed bytes back to the kernel. */
void ring_end(struct ring *r);

#endif
