/* DWARF unwinding of samples that carry user registers and a stack copy, through libdwfl. */
#ifndef HWPROF_UNWIND_H
#define HWPROF_UNWIND_H

#include "hwprof/arch.h"
#include "hwprof/sample.h"
#include "hwprof/session.h"
#include "hwprof/symbols.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct unwinder;

struct unwind_stats {
	uint64_t samples;	/* samples with registers and a stack copy */
	uint64_t complete;	/* unwound to the thread's outermost frame */
	uint64_t truncated;	/* stopped early: stack copy too short, no CFI, ... */
};

/* The deepest DWARF-unwound chain: bounds a corrupt stack's loops. */
#define UNWIND_MAX_FRAMES 4096

/* ARCH is the recording's architecture; NULL means unwinding is impossible. */
struct unwinder *unwind_new(struct symbols *syms, const struct arch_info *arch);
void unwind_free(struct unwinder *u);

/* Unwinds the user stack of sample S in thread T. Writes up to MAX program
 * counters to PCS, the sampled one first; callers' entries are return
 * addresses. Returns the number written (0 when the sample cannot be
 * unwound at all). */
size_t unwind_sample(struct unwinder *u, const struct thread *t, const struct sample *s,
		     uint64_t regs_mask, uint64_t *pcs, size_t max);
const struct unwind_stats *unwind_stats(const struct unwinder *u);

#endif
