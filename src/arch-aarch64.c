/* aarch64: perf_regs layout for user-register sampling. */
#include "hwprof/arch.h"

#include <asm/perf_regs.h>

static const struct arch_info aarch64 = {
	.name = "aarch64",
	.user_regs_mask = (1ull << PERF_REG_ARM64_MAX) - 1,
	.sp_reg = PERF_REG_ARM64_SP,
	.ip_reg = PERF_REG_ARM64_PC,
};

const struct arch_info *arch_host(void)
{
	return &aarch64;
}
