/* PT_LOAD segments and file offsets (see elfseg.h). */
#include "hwprof/elfseg.h"
#include "hwprof/util.h"

long elf_load_segments(Elf *elf, struct elf_segment **out)
{
	struct elf_segment *segs;
	size_t n, k = 0;

	*out = NULL;
	if (!elf || elf_getphdrnum(elf, &n) != 0)
		return -1;
	segs = xcalloc(n ? n : 1, sizeof(*segs));
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD)
			segs[k++] = (struct elf_segment){ ph.p_vaddr, ph.p_offset, ph.p_filesz, ph.p_memsz };
	}
	*out = segs;
	return (long)k;
}

bool elf_offset_to_vaddr(const struct elf_segment *segs, size_t n, uint64_t off, uint64_t *vaddr)
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
