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
