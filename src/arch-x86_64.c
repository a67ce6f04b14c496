/* x86_64: perf_regs layout for user-register sampling. */
#include "hwprof/arch.h"

#include <asm/perf_regs.h>

/* All general registers; the segment registers DS..GS are not sampled on 64-bit. */
#define X86_64_REGS_MASK                                                                  \
	(((1ull << PERF_REG_X86_64_MAX) - 1) &                                            \
	 ~((1ull << PERF_REG_X86_DS) | (1ull << PERF_REG_X86_ES) | (1ull << PERF_REG_X86_FS) | \
	   (1ull << PERF_REG_X86_GS)))

static const struct arch_info x86_64 = {
	.name = "x86_64",
	.user_regs_mask = X86_64_REGS_MASK,
	.sp_reg = PERF_REG_X86_SP,
	.ip_reg = PERF_REG_X86_IP,
};

const struct arch_info *arch_host(void)
{
	return &x86_64;
}
