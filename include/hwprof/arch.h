/* What differs between the architectures hwprof records and reports; one src/arch-*.c each. */
#ifndef HWPROF_ARCH_H
#define HWPROF_ARCH_H

#include <stddef.h>
#include <stdint.h>

#define ARCH_MAX_DWARF_REGS 33

struct arch_info {
	const char *name;		/* uname -m spelling, as perf's ARCH feature */
	uint64_t user_regs_mask;	/* sample_regs_user: what DWARF unwinding needs */
	int sp_reg;			/* perf_regs index of the stack pointer */
	int ip_reg;			/* perf_regs index of the instruction pointer */
	/* DWARF register n (0..dwarf_nregs-1) is perf_regs index dwarf_to_perf[n]. */
	const int *dwarf_to_perf;
	size_t dwarf_nregs;
	/* For repairing frame-pointer chains (framefix.c): */
	uint64_t fp_regs_mask;		/* sample_regs_user: sp, ip, frame pointer, link register */
	int lr_reg;			/* perf_regs index of the link register, -1 for none */
	int dwarf_sp, dwarf_fp;		/* DWARF numbers of the stack and frame pointers */
	int dwarf_lr;			/* DWARF number of the link register, -1 for none */
};

extern const struct arch_info arch_x86_64;
extern const struct arch_info arch_aarch64;

/* The architecture hwprof was built for. */
const struct arch_info *arch_host(void);
/* By uname -m name ("x86_64", "aarch64", "arm64"), or NULL. */
const struct arch_info *arch_by_name(const char *name);
/* The value of perf_regs index REG in sampled registers REGS taken with MASK;
 * returns 0 and *VALUE, or -1 when it was not sampled. */
int arch_reg_value(const uint64_t *regs, uint64_t mask, int reg, uint64_t *value);

#endif
