/* aarch64: perf_regs indexes (kernel ABI, arch/arm64/include/uapi/asm/perf_regs.h) and their DWARF numbers. */
#include "hwprof/arch.h"

enum {
	ARM64_X0 = 0,
	ARM64_LR = 30,
	ARM64_SP = 31,
	ARM64_PC = 32,
	ARM64_MAX = 33,
};

/* DWARF 0-30 are x0-x30 (x30 = lr), 31 is sp: the same numbers as perf_regs. */
static const int aarch64_dwarf[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, ARM64_LR, ARM64_SP,
};

const struct arch_info arch_aarch64 = {
	.name = "aarch64",
	.user_regs_mask = (1ull << ARM64_MAX) - 1,
	.sp_reg = ARM64_SP,
	.ip_reg = ARM64_PC,
	.dwarf_to_perf = aarch64_dwarf,
	.dwarf_nregs = sizeof(aarch64_dwarf) / sizeof(aarch64_dwarf[0]),
	.fp_regs_mask = (1ull << 29) | (1ull << ARM64_LR) | (1ull << ARM64_SP) | (1ull << ARM64_PC),
	.lr_reg = ARM64_LR,
	.dwarf_sp = 31,
	.dwarf_fp = 29,
	.dwarf_lr = 30,
};
