/* Non-sample record layouts (include/uapi/linux/perf_event.h), see records.h. */
#include "hwprof/records.h"

#include <string.h>
#include <sys/mman.h>

/* The body after the header, and its length; the header promises h->size. */
static const uint8_t *body_of(const struct perf_event_header *h, size_t *len)
{
	*len = h->size > sizeof(*h) ? h->size - sizeof(*h) : 0;
	return (const uint8_t *)(h + 1);
}

static uint32_t u32_at(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t u64_at(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* A NUL-terminated string at P with at most N bytes, or NULL. */
static const char *string_at(const uint8_t *p, size_t n)
{
	return n && memchr(p, '\0', n) ? (const char *)p : NULL;
}

int rec_mmap_parse(const struct perf_event_header *h, struct rec_mmap *out)
{
	/* pid, tid, addr, len, pgoff; MMAP2 adds maj, min, ino, ino_generation
	 * (or a build id), prot and flags before the name. */
	size_t n, fixed;
	const uint8_t *p = body_of(h, &n);

	if (h->type != PERF_RECORD_MMAP && h->type != PERF_RECORD_MMAP2)
		return -1;
	fixed = h->type == PERF_RECORD_MMAP2 ? 64 : 32;
	if (n < fixed + 1 || !(out->filename = string_at(p + fixed, n - fixed)))
		return -1;
	out->pid = u32_at(p);
	out->tid = u32_at(p + 4);
	out->start = u64_at(p + 8);
	out->len = u64_at(p + 16);
	out->pgoff = u64_at(p + 24);
	out->prot = h->type == PERF_RECORD_MMAP2 ? u32_at(p + 56) : PROT_EXEC;
	return 0;
}

int rec_comm_parse(const struct perf_event_header *h, struct rec_comm *out)
{
	size_t n;
	const uint8_t *p = body_of(h, &n);

	if (h->type != PERF_RECORD_COMM || n < 9 || !(out->comm = string_at(p + 8, n - 8)))
		return -1;
	out->pid = u32_at(p);
	out->tid = u32_at(p + 4);
	out->exec = h->misc & PERF_RECORD_MISC_COMM_EXEC;
	return 0;
}

int rec_fork_parse(const struct perf_event_header *h, struct rec_fork *out)
{
	size_t n;
	const uint8_t *p = body_of(h, &n);

	if ((h->type != PERF_RECORD_FORK && h->type != PERF_RECORD_EXIT) || n < 16)
		return -1;
	out->pid = u32_at(p);
	out->ppid = u32_at(p + 4);
	out->tid = u32_at(p + 8);
	out->ptid = u32_at(p + 12);
	out->time = n >= 24 ? u64_at(p + 16) : 0;	/* the kernel always writes it; hand-made files may not */
	return 0;
}

int rec_lost_parse(const struct perf_event_header *h, uint64_t *lost)
{
	size_t n;
	const uint8_t *p = body_of(h, &n);

	if (h->type != PERF_RECORD_LOST || n < 16)
		return -1;
	*lost = u64_at(p + 8);	/* after the id */
	return 0;
}

int rec_lost_samples_parse(const struct perf_event_header *h, uint64_t *lost)
{
	size_t n;
	const uint8_t *p = body_of(h, &n);

	if (h->type != PERF_RECORD_LOST_SAMPLES || n < 8)
		return -1;
	*lost = u64_at(p);
	return 0;
}

int rec_sample_identifier(const struct perf_event_header *h, uint64_t *id)
{
	size_t n;
	const uint8_t *p = body_of(h, &n);

	if (n < 8)
		return -1;
	*id = u64_at(p);
	return 0;
}
