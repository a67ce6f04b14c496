/* Replay of COMM/MMAP/FORK: each thread's name and address space at any point of a recording
 * (EXIT is not replayed: a tid used again later arrives with a FORK and a COMM of its own). */
#ifndef HWPROF_SESSION_H
#define HWPROF_SESSION_H

#include "hwprof/index.h"
#include "hwprof/symbols.h"

#include <linux/perf_event.h>
#include <stdint.h>

struct map {
	uint64_t start, end;	/* [start, end) */
	uint64_t pgoff;
	struct dso *dso;
};

/*
 * An address space, shared by the threads of a process. Its maps sit in
 * blocks of at most MM_BLOCK, in address order; a fork shares the blocks and
 * a block is copied only when one side changes it. So neither many maps
 * (mmap-heavy or data-mmap recordings) nor many forks cost quadratic time.
 */
#define MM_BLOCK 256

struct mm_block {
	unsigned refs;
	unsigned nr;
	struct map maps[MM_BLOCK];
};

struct mm {
	struct mm_block **blocks;	/* none empty */
	size_t nblocks, blocks_cap;
	size_t nr;			/* maps in all blocks */
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
	struct thread **threads;	/* in order of first sight */
	size_t threads_cap, nthreads;
	struct index tid_index;		/* tid -> threads[] */
	struct thread *last;		/* the thread found last */
	struct mm *kernel;		/* maps recorded with pid -1 */
};

void session_init(struct session *s, struct symbols *syms);
void session_release(struct session *s);
/* Applies COMM, MMAP, MMAP2 and FORK records; ignores the others. */
void session_process(struct session *s, const struct perf_event_header *rec);
/* The thread (created on first sight, named "<pid>" until a COMM says otherwise). */
struct thread *session_thread(struct session *s, uint32_t pid, uint32_t tid);
/* Calls FN with each map of MM, in address order. */
void mm_for_each(const struct mm *mm, void (*fn)(const struct map *m, void *arg), void *arg);
/* The mapping holding ADDR for a sample in CPUMODE (PERF_RECORD_MISC_*), or NULL. */
const struct map *session_find_map(struct session *s, const struct thread *t, unsigned cpumode,
				   uint64_t addr);

#endif
