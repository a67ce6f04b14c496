/* What differs between the architectures hwprof runs on; one src/arch-*.c per architecture. */
#ifndef HWPROF_ARCH_H
#define HWPROF_ARCH_H

#include <stdint.h>

struct arch_info {
	const char *name;		/* uname -m spelling, as perf's ARCH feature */
	uint64_t user_regs_mask;	/* registers DWARF unwinding needs (sample_regs_user) */
	int sp_reg;			/* perf_regs index of the stack pointer */
	int ip_reg;			/* perf_regs index of the instruction pointer */
};

/* The architecture hwprof was built for. */
const struct arch_info *arch_host(void);

#endif
