/* x86_64: perf_regs indexes (kernel ABI, arch/x86/include/uapi/asm/perf_regs.h) and their DWARF numbers. */
#include "hwprof/arch.h"

enum {
	X86_AX, X86_BX, X86_CX, X86_DX, X86_SI, X86_DI, X86_BP, X86_SP, X86_IP, X86_FLAGS,
	X86_CS, X86_SS, X86_DS, X86_ES, X86_FS, X86_GS,
	X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
	X86_64_MAX,
};

/* The DWARF numbering of the x86_64 psABI: rax rdx rcx rbx rsi rdi rbp rsp r8-r15, then rip. */
static const int x86_64_dwarf[] = {
	X86_AX, X86_DX, X86_CX, X86_BX, X86_SI, X86_DI, X86_BP, X86_SP,
	X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
	X86_IP,
};

const struct arch_info arch_x86_64 = {
	.name = "x86_64",
	/* Every general register; the segment registers DS..GS are not sampled on 64-bit. */
	.user_regs_mask = ((1ull << X86_64_MAX) - 1) &
			  ~((1ull << X86_DS) | (1ull << X86_ES) | (1ull << X86_FS) | (1ull << X86_GS)),
	.sp_reg = X86_SP,
	.ip_reg = X86_IP,
	.dwarf_to_perf = x86_64_dwarf,
	.dwarf_nregs = sizeof(x86_64_dwarf) / sizeof(x86_64_dwarf[0]),
	.fp_regs_mask = (1ull << X86_BP) | (1ull << X86_SP) | (1ull << X86_IP),
	.lr_reg = -1,
	.dwarf_sp = 7,
	.dwarf_fp = 6,
	.dwarf_lr = -1,
};
