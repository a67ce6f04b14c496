/* Whether a function has set up its frame, from its CFI; see framefix.h. */
#include "hwprof/framefix.h"
#include "hwprof/elfseg.h"
#include "hwprof/index.h"
#include "hwprof/util.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One file's CFI, opened on its first sample. */
struct ff_file {
	char *path;
	int fd;
	Elf *elf;
	Dwarf_CFI *cfi;			/* NULL: none to be had */
	struct elf_segment *segs;
	size_t nsegs;
};

struct framefix {
	const struct arch_info *arch;
	struct ff_file *files;
	size_t nfiles, files_cap;
	struct index by_path;
};

struct framefix *framefix_new(const struct arch_info *arch)
{
	struct framefix *ff = xcalloc(1, sizeof(*ff));

	ff->arch = arch;
	elf_version(EV_CURRENT);
	return ff;
}

const struct arch_info *framefix_arch(const struct framefix *ff)
{
	return ff->arch;
}

void framefix_free(struct framefix *ff)
{
	if (!ff)
		return;
	for (size_t i = 0; i < ff->nfiles; i++) {
		struct ff_file *f = &ff->files[i];
		if (f->cfi)
			dwarf_cfi_end(f->cfi);
		if (f->elf)
			elf_end(f->elf);
		if (f->fd >= 0)
			close(f->fd);
		free(f->segs);
		free(f->path);
	}
	free(ff->files);
	index_release(&ff->by_path);
	free(ff);
}

static bool path_eq(const void *ctx, uint32_t item, const void *key)
{
	return !strcmp(((const struct framefix *)ctx)->files[item].path, key);
}

static uint64_t path_hash(const void *ctx, uint32_t item)
{
	return hash_string(((const struct framefix *)ctx)->files[item].path);
}

static void open_file(struct ff_file *f)
{
	GElf_Ehdr eh;
	long n;

	/* The recorder runs on the recorded kernel: its vDSO is ours. */
	f->fd = !strcmp(f->path, "[vdso]") ? vdso_copy() : open(f->path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0)
		return;
	f->elf = elf_begin(f->fd, ELF_C_READ_MMAP, NULL);
	if (!f->elf || !gelf_getehdr(f->elf, &eh) || (n = elf_load_segments(f->elf, &f->segs)) < 0)
		return;
	f->nsegs = (size_t)n;
	f->cfi = dwarf_getcfi_elf(f->elf);
}

static struct ff_file *file_of(struct framefix *ff, const char *path)
{
	uint64_t h = hash_string(path);
	long i = index_find(&ff->by_path, h, path_eq, ff, path);
	struct ff_file *f;

	if (i >= 0)
		return &ff->files[i];
	xgrow((void **)&ff->files, &ff->files_cap, ff->nfiles + 1, sizeof(*ff->files));
	f = &ff->files[ff->nfiles];
	*f = (struct ff_file){ .path = xstrdup(path), .fd = -1 };
	index_insert(&ff->by_path, h, (uint32_t)ff->nfiles, path_hash, ff);
	ff->nfiles++;
	open_file(f);
	return f;
}

/* The address the file's CFI numbers the file offset OFF with. */
static bool offset_to_vaddr(const struct ff_file *f, uint64_t off, uint64_t *vaddr)
{
	return elf_offset_to_vaddr(f->segs, f->nsegs, off, vaddr);
}

/* The 8 bytes at ADDR of the stack copy, which starts at the sampled sp. */
static bool stack_u64(const struct sample *s, uint64_t sp, uint64_t addr, uint64_t *v)
{
	uint64_t valid = s->stack_dyn_size < s->stack_size ? s->stack_dyn_size : s->stack_size;

	if (addr < sp || addr - sp > valid || valid - (addr - sp) < 8)
		return false;
	memcpy(v, s->stack + (addr - sp), 8);
	return true;
}

/* A location or value expression of the few forms CFI uses for a return
 * address: CFA + N (memory), or a value. Returns false for anything else. */
static bool eval(const Dwarf_Op *ops, size_t nops, uint64_t cfa, uint64_t *result, bool *is_value)
{
	uint64_t stack[4];
	size_t sp = 0;

	*is_value = false;
	for (size_t i = 0; i < nops; i++) {
		switch (ops[i].atom) {
		case DW_OP_call_frame_cfa:
			if (sp == 4)
				return false;
			stack[sp++] = cfa;
			break;
		case DW_OP_plus_uconst:
			if (!sp)
				return false;
			stack[sp - 1] += ops[i].number;
			break;
		case DW_OP_consts:
		case DW_OP_constu:
			if (sp == 4)
				return false;
			stack[sp++] = ops[i].number;
			break;
		case DW_OP_plus:
		case DW_OP_minus:
			if (sp < 2)
				return false;
			sp--;
			stack[sp - 1] = ops[i].atom == DW_OP_plus ? stack[sp - 1] + stack[sp] : stack[sp - 1] - stack[sp];
			break;
		case DW_OP_stack_value:
			*is_value = true;
			break;
		default:
			return false;
		}
	}
	if (sp != 1)
		return false;
	*result = stack[0];
	return true;
}

enum framefix_result framefix_caller(struct framefix *ff, const char *file, uint64_t start, uint64_t pgoff,
				     const struct framefix_frame *fr, const struct sample *s, uint64_t *ra,
				     uint64_t *caller_sp)
{
	struct ff_file *f = file_of(ff, file);
	Dwarf_Frame *frame = NULL;
	Dwarf_Op *ops, ops_mem[3];
	size_t nops;
	uint64_t vaddr, cfa, where;
	uint64_t ip = fr->ret ? fr->ip - 1 : fr->ip;
	bool is_value;
	int ra_reg, cfa_reg;
	enum framefix_result res = FRAMEFIX_NO_DATA;

	if (!f->cfi || !offset_to_vaddr(f, ip - start + pgoff, &vaddr))
		return FRAMEFIX_NO_CFI;
	if (dwarf_cfi_addrframe(f->cfi, vaddr, &frame) != 0)
		return FRAMEFIX_NO_CFI;
	ra_reg = dwarf_frame_info(frame, NULL, NULL, NULL);
	if (dwarf_frame_cfa(frame, &ops, &nops) != 0 || nops != 1)
		goto out;
	if (ops[0].atom >= DW_OP_breg0 && ops[0].atom <= DW_OP_breg31)
		cfa_reg = ops[0].atom - DW_OP_breg0;
	else if (ops[0].atom == DW_OP_bregx)
		cfa_reg = (int)ops[0].number;
	else
		goto out;
	if (cfa_reg != ff->arch->dwarf_sp) {
		/* Based on the frame pointer: the frame is set up. */
		res = FRAMEFIX_SET_UP;
		goto out;
	}
	cfa = fr->sp + (uint64_t)(ops[0].atom == DW_OP_bregx ? ops[0].number2 : ops[0].number);
	if (dwarf_frame_register(frame, ra_reg, ops_mem, &ops, &nops) != 0)
		goto out;
	if (nops == 0) {
		/* "same value": the return address is still in its register (arm64's lr). */
		if (ops == NULL && ra_reg == ff->arch->dwarf_lr && fr->have_lr) {
			*ra = fr->lr;
			*caller_sp = cfa;
			res = FRAMEFIX_CALLER;
		}
		goto out;
	}
	if (!eval(ops, nops, cfa, &where, &is_value))
		goto out;
	if (is_value)
		*ra = where;
	else if (!stack_u64(s, fr->copy_sp, where, ra)) /* the copy starts at the sampled sp */
		goto out;
	/* After the return, the caller's sp is the CFA (x86_64 and arm64 alike). */
	*caller_sp = cfa;
	res = FRAMEFIX_CALLER;
out:
	free(frame);
	return res;
}
