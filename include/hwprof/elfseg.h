/* An ELF file's loadable segments: how a mapping's file offsets become the
 * addresses the file's symbols and CFI use. Shared by symbols and framefix. */
#ifndef HWPROF_ELFSEG_H
#define HWPROF_ELFSEG_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elf_segment {
	uint64_t vaddr, offset, filesz, memsz;
};

/* The PT_LOAD segments of ELF into *OUT (caller frees; NULL when none).
 * Returns their number, or -1 when the program headers cannot be read. */
long elf_load_segments(Elf *elf, struct elf_segment **out);
/* The address file offset OFF has in the file's numbering (p_vaddr), through
 * the segment that holds it. False when no segment does. Inline: every
 * frame of every sample goes through it. */
static inline bool elf_offset_to_vaddr(const struct elf_segment *segs, size_t n, uint64_t off, uint64_t *vaddr)
{
	for (size_t i = 0; i < n; i++) {
		/* A mapping may reach past the file's bytes into the zero-filled rest. */
		uint64_t span = segs[i].memsz > segs[i].filesz ? segs[i].memsz : segs[i].filesz;
		if (off >= segs[i].offset && off - segs[i].offset < span) {
			*vaddr = off - segs[i].offset + segs[i].vaddr;
			return true;
		}
	}
	return false;
}

#endif
