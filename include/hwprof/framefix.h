/*
 * The caller a frame-pointer chain skips. The kernel walks user frame
 * pointers from the interrupted function's frame pointer register; a
 * function that has not set up its frame (a leaf gcc builds frameless even
 * with -fno-omit-frame-pointer, a libc wrapper, a prologue or epilogue) still
 * has its caller's frame there, so the chain goes from the function straight
 * to its caller's caller. Its CFI (.eh_frame) says whether the frame is set
 * up at that address and where the return address is (on the stack above
 * the stack pointer, or in the link register).
 */
#ifndef HWPROF_FRAMEFIX_H
#define HWPROF_FRAMEFIX_H

#include "hwprof/arch.h"
#include "hwprof/sample.h"

#include <stdint.h>

struct framefix;

enum framefix_result {
	FRAMEFIX_SET_UP,	/* the frame is set up: the kernel's chain is right */
	FRAMEFIX_CALLER,	/* *RA is the caller the chain skips */
	FRAMEFIX_NO_CFI,	/* no file, or no CFI for the address (JIT code, stripped) */
	FRAMEFIX_NO_DATA,	/* the registers or the stack copy lack what the CFI needs */
};

/* Callers added above one sample's first user frame at most. */
#define FRAMEFIX_MAX_LEVELS 8

struct framefix *framefix_new(const struct arch_info *arch);
const struct arch_info *framefix_arch(const struct framefix *ff);
void framefix_free(struct framefix *ff);

/* Where a frame stands: its function's address, its stack pointer, and
 * its link register where known (the sampled frame's, on arm64). */
struct framefix_frame {
	uint64_t ip;
	bool ret;		/* IP is a return address: the call is at ip - 1 */
	uint64_t sp;
	bool have_lr;
	uint64_t lr;
	uint64_t copy_sp;	/* the sampled sp, where the stack copy starts */
};

/*
 * For frame F, in FILE mapped at START from file offset PGOFF, with the
 * stack copy of sample S (which starts at the sampled stack pointer):
 * whether its function has set up its frame, and if not, the return address
 * into its caller (*RA) and the caller's stack pointer (*CALLER_SP).
 */
enum framefix_result framefix_caller(struct framefix *ff, const char *file, uint64_t start, uint64_t pgoff,
				     const struct framefix_frame *f, const struct sample *s, uint64_t *ra,
				     uint64_t *caller_sp);

#endif
