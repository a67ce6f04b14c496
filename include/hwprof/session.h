/* Replay of COMM/MMAP/FORK/EXIT: each thread's name and address space at any point of a recording. */
#ifndef HWPROF_SESSION_H
#define HWPROF_SESSION_H

#include "hwprof/symbols.h"

#include <linux/perf_event.h>
#include <stdint.h>

struct map {
	uint64_t start, end;	/* [start, end) */
	uint64_t pgoff;
	struct dso *dso;
};

/* An address space, shared by the threads of a process. */
struct mm {
	struct map *maps;	/* sorted by start, not overlapping */
	size_t nr, cap;
	unsigned refs;
	uint64_t id;		/* unique for the session's life, unlike the pointer */
	unsigned gen;		/* bumped whenever the maps change */
};

struct thread {
	uint32_t pid, tid;
	char *comm;
	struct mm *mm;
};

struct session {
	struct symbols *syms;
	struct thread **threads;	/* open addressing by tid */
	size_t threads_cap, nthreads;
	struct mm *kernel;		/* maps recorded with pid -1 */
};

void session_init(struct session *s, struct symbols *syms);
void session_release(struct session *s);
/* Applies COMM, MMAP, MMAP2 and FORK records; ignores the others. */
void session_process(struct session *s, const struct perf_event_header *rec);
/* The thread (created on first sight, named "<pid>" until a COMM says otherwise). */
struct thread *session_thread(struct session *s, uint32_t pid, uint32_t tid);
/* The mapping holding ADDR for a sample in CPUMODE (PERF_RECORD_MISC_*), or NULL. */
const struct map *session_find_map(struct session *s, const struct thread *t, unsigned cpumode,
				   uint64_t addr);

#endif
