/* All rings of a recording: sampling attrs, per-CPU events, poll and drain. */
#ifndef HWPROF_SAMPLER_H
#define HWPROF_SAMPLER_H

#include "hwprof/events.h"
#include "hwprof/ring.h"

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum callgraph_mode {
	CALLGRAPH_NONE,
	CALLGRAPH_FP,		/* kernel-walked frame pointers (PERF_SAMPLE_CALLCHAIN) */
	CALLGRAPH_DWARF,	/* user registers + stack copy, unwound at report time */
	CALLGRAPH_LBR,		/* the kernel's chain, user part from the LBR call stack (Intel) */
};

struct sampler_config {
	bool use_freq;
	uint64_t freq;		/* samples per second when use_freq */
	uint64_t period;	/* events per sample otherwise */
	enum callgraph_mode callgraph;
	uint32_t stack_size;	/* bytes of user stack per sample with DWARF */
	bool inherit;		/* follow threads and children created later */
	bool enable_on_exec;	/* start when the held-back workload execs */
	bool offcpu;		/* switch records; the context-switches event samples every switch */
};

/* The sample_type every hwprof recording uses (before callgraph and READ bits). */
#define SAMPLER_BASE_SAMPLE_TYPE                                                            \
	(PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |      \
	 PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD)

/* Bytes of user stack copied with -g samples, for framefix: enough for the
 * return address of a function that pushed a few registers or made room
 * for small locals before setting up (or instead of) its frame. */
#define SAMPLER_FP_STACK 512

/* kernel.perf_event_max_stack: frames a call chain holds at most (127 unless raised). */
uint16_t kernel_max_stack(void);

/* Fills OUT with the sampling attr of EL's event I under CFG. The first
 * event (TRACKING) also asks for mmap, comm, fork and exit records. */
void sampler_attr(const struct evlist *el, size_t i, const struct sampler_config *cfg, bool tracking,
		  struct perf_event_attr *out);

struct sampler_event {
	struct perf_event_attr attr;	/* as opened, after any fallback */
	uint64_t *ids;			/* kernel ids of every fd, for the file */
	size_t nids;
	bool user_only;			/* kernel sampling was refused and dropped */
	bool no_inherit;		/* inherit was refused (old kernel + PERF_SAMPLE_READ) */
};

struct sampler {
	const struct evlist *el;
	struct sampler_event *ev;
	size_t nev;
	int *fds;		/* nev rows of nslots */
	size_t nslots;		/* ntids x ncpus */
	int *cpus;
	size_t ncpus;
	struct ring *rings;	/* one per CPU, every event of the CPU writes into it */
	struct pollfd *pfds;	/* rings' fds, plus room for one extra (see sampler_poll) */
	size_t nrings;
	uint64_t bytes_read;
};

/* TIDS == NULL means every task (system-wide). On failure returns a negative
 * errno, with *FAILED_EVENT set to the event that could not be opened. */
int sampler_open(struct sampler *s, const struct evlist *el, const struct sampler_config *cfg,
		 const pid_t *tids, size_t ntids, size_t mmap_pages, size_t *failed_event);
int sampler_enable(struct sampler *s);
int sampler_disable(struct sampler *s);
/* Waits up to TIMEOUT_MS for data, a signal not in SIGMASK, or EXTRA_FD
 * (-1 for none) to become readable. Returns >0 when EXTRA_FD fired, 0 otherwise. */
int sampler_poll(struct sampler *s, int timeout_ms, int extra_fd, const sigset_t *sigmask);

typedef int (*sampler_record_fn)(void *ctx, const struct perf_event_header *rec);
typedef void (*sampler_peek_fn)(void *ctx, const struct perf_event_header *rec);
/* Hands every available record of every ring to FN, after showing all of
 * them to PEEK (NULL: none) first. Returns the number of records, or FN's
 * first negative return. */
long sampler_drain(struct sampler *s, sampler_peek_fn peek, sampler_record_fn fn, void *ctx);
void sampler_close(struct sampler *s);

#endif
