/* Instruction decoding for annotate, through capstone, for the ELF machines hwprof reads. */
#ifndef HWPROF_DISASM_H
#define HWPROF_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct disasm_insn {
	uint64_t addr;
	size_t size;
	char text[256];		/* "mnemonic operands" (capstone bounds both at 32 + 160) */
	bool has_target;	/* a direct jump or call */
	uint64_t target;
	bool is_call;
};

struct disasm;

/* For ELF e_machine MACHINE of class ELFCLASS. Returns NULL with *ERR set
 * when the machine is not one hwprof decodes. */
struct disasm *disasm_new(int machine, int elfclass, const char **err);
void disasm_free(struct disasm *d);
/* Decodes all of CODE (placed at ADDR). Returns the number of instructions
 * in *OUT (caller frees), 0 when nothing decodes. */
size_t disasm_all(struct disasm *d, const uint8_t *code, size_t len, uint64_t addr,
		  struct disasm_insn **out);

#endif
