/* capstone wrapper: picks the decoder by ELF machine and extracts direct branch targets. */
#include "hwprof/disasm.h"
#include "hwprof/util.h"

#include <capstone/capstone.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct disasm {
	csh handle;
	cs_arch arch;
};

struct disasm *disasm_new(int machine, int elfclass, const char **err)
{
	struct disasm *d;
	cs_arch arch;
	cs_mode mode;

	switch (machine) {
	case EM_X86_64: arch = CS_ARCH_X86; mode = CS_MODE_64; break;
	case EM_386: arch = CS_ARCH_X86; mode = CS_MODE_32; break;
	case EM_AARCH64: arch = CS_ARCH_ARM64; mode = CS_MODE_ARM; break;
	case EM_ARM: arch = CS_ARCH_ARM; mode = CS_MODE_ARM; break;
	default:
		*err = "machine not supported for disassembly (x86_64, i386, aarch64, arm are)";
		return NULL;
	}
	(void)elfclass;
	d = xcalloc(1, sizeof(*d));
	d->arch = arch;
	if (cs_open(arch, mode, &d->handle) != CS_ERR_OK) {
		*err = "capstone cannot decode this machine";
		free(d);
		return NULL;
	}
	cs_option(d->handle, CS_OPT_DETAIL, CS_OPT_ON);
	return d;
}

void disasm_free(struct disasm *d)
{
	if (!d)
		return;
	cs_close(&d->handle);
	free(d);
}

/* The immediate target of a direct branch, if the instruction is one. */
static bool branch_target(const struct disasm *d, const cs_insn *in, uint64_t *target)
{
	const cs_detail *det = in->detail;

	if (!det || !(cs_insn_group(d->handle, in, CS_GRP_JUMP) || cs_insn_group(d->handle, in, CS_GRP_CALL)))
		return false;
	switch (d->arch) {
	case CS_ARCH_X86:
		for (int i = 0; i < det->x86.op_count; i++)
			if (det->x86.operands[i].type == X86_OP_IMM) {
				*target = (uint64_t)det->x86.operands[i].imm;
				return true;
			}
		return false;
	case CS_ARCH_ARM64:
		for (int i = 0; i < det->arm64.op_count; i++)
			if (det->arm64.operands[i].type == ARM64_OP_IMM) {
				*target = (uint64_t)det->arm64.operands[i].imm;
				return true;
			}
		return false;
	case CS_ARCH_ARM:
		for (int i = 0; i < det->arm.op_count; i++)
			if (det->arm.operands[i].type == ARM_OP_IMM) {
				*target = (uint64_t)(uint32_t)det->arm.operands[i].imm;
				return true;
			}
		return false;
	default:
		return false;
	}
}

size_t disasm_all(struct disasm *d, const uint8_t *code, size_t len, uint64_t addr,
		  struct disasm_insn **out)
{
	cs_insn *insn;
	size_t n = cs_disasm(d->handle, code, len, addr, 0, &insn);

	*out = NULL;
	if (n == 0)
		return 0;
	*out = xcalloc(n, sizeof(**out));
	for (size_t i = 0; i < n; i++) {
		struct disasm_insn *o = &(*out)[i];
		o->addr = insn[i].address;
		o->size = insn[i].size;
		snprintf(o->text, sizeof(o->text), "%-7s %s", insn[i].mnemonic, insn[i].op_str);
		o->has_target = branch_target(d, &insn[i], &o->target);
		o->is_call = cs_insn_group(d->handle, &insn[i], CS_GRP_CALL);
	}
	cs_free(insn, n);
	return n;
}
