/* Synthesized records for what existed before recording began: the kernel map, running processes. */
#ifndef HWPROF_SYNTH_H
#define HWPROF_SYNTH_H

#include "hwprof/perfdata.h"

#include <sys/types.h>

/* The sample_id trailer every synthesized record carries (sample_id_all). */
struct synth_ctx {
	uint64_t sample_type;
	uint64_t id;		/* an id of the tracking event, so readers find its attr */
	/* Shown every record before it is written, when set (the recorder's
	 * view of the address spaces). */
	void (*seen)(void *arg, const struct perf_event_header *h);
	void *seen_arg;
};

/* An MMAP of [kernel.kallsyms]_text at the kernel's _text address, as perf
 * writes it. Returns 0, or -ENOENT when the address is hidden (kptr_restrict). */
int synth_kernel_mmap(struct pd_writer *w, const struct synth_ctx *c);
/* COMM for every thread of PID and MMAP2 for each of its executable mappings.
 * Returns 0, or -ESRCH when the process is gone. */
int synth_process(struct pd_writer *w, const struct synth_ctx *c, pid_t pid);
/* synth_process() for every process in /proc. Returns 0 or -errno. */
int synth_all_processes(struct pd_writer *w, const struct synth_ctx *c);

/* Appends the sample_id trailer for (PID, TID) to SB. */
struct strbuf;
void synth_sample_id(struct strbuf *sb, const struct synth_ctx *c, uint32_t pid, uint32_t tid);

#endif
