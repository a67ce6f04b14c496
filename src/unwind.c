/* libdwfl unwinding from captured state: one Dwfl per address space, attached once and
 * fed each sample's registers and stack copy through Dwfl_Thread_Callbacks. */
#include "hwprof/unwind.h"
#include "hwprof/index.h"
#include "hwprof/util.h"

#include <elfutils/libdwfl.h>
#include <dwarf.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

struct reported {
	struct dso *dso;
	uint64_t bias;
};

struct unwind_proc {
	uint64_t mm_id;
	unsigned gen;		/* the mm generation the modules were reported at */
	Dwfl *dwfl;
	struct reported *mods;	/* what this Dwfl holds */
	size_t nmods, mods_cap;
	bool attached;
	bool broken;		/* libdwfl refused it: do not retry every sample */
	bool synced;		/* modules reported at least once */
	uint64_t since_sync;	/* samples unwound since the modules were last brought up to date */
};

struct unwinder {
	struct symbols *syms;
	const struct arch_info *arch;
	Dwfl_Callbacks callbacks;
	struct unwind_proc *procs;
	size_t nprocs, procs_cap;
	struct index proc_index;	/* mm id -> procs[] */
	struct unwind_stats stats;
	/* The sample being unwound, for the callbacks. */
	const struct sample *s;
	uint64_t regs_mask;
	uint64_t sp;
	pid_t tid;
	uint64_t *pcs;
	size_t npcs, max;
	bool beyond_copy;	/* the unwinder wanted stack above what was copied */
};

static bool has_eh_frame(Elf *elf)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (!elf || elf_getshdrstrndx(elf, &shstrndx) != 0)
		return false;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		const char *name;
		if (gelf_getshdr(scn, &shdr) && (name = elf_strptr(elf, shstrndx, shdr.sh_name)) &&
		    !strcmp(name, ".eh_frame") && shdr.sh_type == SHT_PROGBITS && shdr.sh_size > 0)
			return true;
	}
	return false;
}

/*
 * libdwfl falls back to .debug_frame wherever .eh_frame has no answer (at the
 * outermost frame of every thread, for one), and opening a separate debug
 * file decompresses all its DWARF: tens of milliseconds for libc6-dbg, per
 * process. .eh_frame describes every function of a module that has one, so
 * the separate file is looked for only for modules without it.
 */
static int unwind_find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
				 const char *file_name, const char *debuglink_file, GElf_Word debuglink_crc,
				 char **debuginfo_file_name)
{
	Dwarf_Addr bias;

	if (has_eh_frame(dwfl_module_getelf(mod, &bias)))
		return -1;
	return dwfl_standard_find_debuginfo(mod, userdata, modname, base, file_name, debuglink_file,
					    debuglink_crc, debuginfo_file_name);
}

struct unwinder *unwind_new(struct symbols *syms, const struct arch_info *arch)
{
	struct unwinder *u = xcalloc(1, sizeof(*u));

	u->syms = syms;
	u->arch = arch;
	memcpy(&u->callbacks, symbols_dwfl_callbacks(syms), sizeof(u->callbacks));
	u->callbacks.find_debuginfo = unwind_find_debuginfo;
	return u;
}

void unwind_free(struct unwinder *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->nprocs; i++) {
		if (u->procs[i].dwfl)
			dwfl_end(u->procs[i].dwfl);
		free(u->procs[i].mods);
	}
	free(u->procs);
	index_release(&u->proc_index);
	free(u);
}

const struct unwind_stats *unwind_stats(const struct unwinder *u)
{
	return &u->stats;
}

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	struct unwinder *u = arg;

	(void)dwfl;
	if (*thread_argp)
		return 0;
	*thread_argp = u;
	return u->tid;
}

static bool get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	(void)dwfl;
	(void)tid;
	/* Whatever thread libdwfl asks for, the state is the current sample's. */
	*thread_argp = arg;
	return true;
}

/* Only the stack copy is memory we know; everything else is politely refused. */
static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct unwinder *u = arg;
	uint64_t valid = u->s->stack_dyn_size < u->s->stack_size ? u->s->stack_dyn_size : u->s->stack_size;

	(void)dwfl;
	if (addr < u->sp || addr - u->sp > valid || valid - (addr - u->sp) < sizeof(*result)) {
		/* Just above the copy is the rest of this stack: the copy was too short. */
		if (addr >= u->sp && addr - u->sp < (1u << 20))
			u->beyond_copy = true;
		return false;
	}
	memcpy(result, u->s->stack + (addr - u->sp), sizeof(*result));
	return true;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
	struct unwinder *u = arg;
	Dwarf_Word regs[ARCH_MAX_DWARF_REGS];
	uint64_t pc;
	const uint64_t *sampled = (const uint64_t *)(const void *)u->s->regs;
	uint64_t copy[64];

	/* The record's registers may be unaligned: copy them out first. */
	if (u->s->regs_nr > 64)
		return false;
	memcpy(copy, sampled, u->s->regs_nr * 8);
	for (size_t n = 0; n < u->arch->dwarf_nregs; n++) {
		uint64_t v = 0;
		arch_reg_value(copy, u->regs_mask, u->arch->dwarf_to_perf[n], &v);
		regs[n] = v;
	}
	if (arch_reg_value(copy, u->regs_mask, u->arch->ip_reg, &pc) < 0)
		return false;
	if (!dwfl_thread_state_registers(thread, 0, (unsigned)u->arch->dwarf_nregs, regs))
		return false;
	dwfl_thread_state_register_pc(thread, pc);
	return true;
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = next_thread,
	.get_thread = get_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

/* The file mappings of MM as (DSO, load bias) pairs, one per DSO. Caller frees. */
struct needed {
	struct unwinder *u;
	struct reported *mods;
	size_t n, cap;
	const struct dso **seen;	/* each DSO looked at once */
	size_t nseen, seen_cap;
	struct index seen_index;
};

static bool seen_eq(const void *ctx, uint32_t item, const void *key)
{
	return ((const struct needed *)ctx)->seen[item] == key;
}

static uint64_t seen_hash(const void *ctx, uint32_t item)
{
	return hash_u64((uintptr_t)((const struct needed *)ctx)->seen[item]);
}

static bool first_sight(struct needed *nd, const struct dso *d)
{
	uint64_t h = hash_u64((uintptr_t)d);

	if (index_find(&nd->seen_index, h, seen_eq, nd, d) >= 0)
		return false;
	xgrow((void **)&nd->seen, &nd->seen_cap, nd->nseen + 1, sizeof(*nd->seen));
	nd->seen[nd->nseen] = d;
	index_insert(&nd->seen_index, h, (uint32_t)nd->nseen, seen_hash, nd);
	nd->nseen++;
	return true;
}

static void need_module(const struct map *m, void *arg)
{
	struct needed *nd = arg;
	const char *path;
	uint64_t bias;

	if (dso_is_kernel(m->dso) || dso_name(m->dso)[0] != '/' || !first_sight(nd, m->dso))
		return;
	if (symbols_dso_file(nd->u->syms, m->dso, m->start, m->pgoff, &path, &bias) < 0)
		return;
	xgrow((void **)&nd->mods, &nd->cap, nd->n + 1, sizeof(*nd->mods));
	nd->mods[nd->n++] = (struct reported){ m->dso, bias };
}

static size_t needed_modules(struct unwinder *u, const struct mm *mm, struct reported **out)
{
	struct needed nd = { .u = u };

	mm_for_each(mm, need_module, &nd);
	free(nd.seen);
	index_release(&nd.seen_index);
	*out = nd.mods;
	return nd.n;
}

static bool holds(const struct unwind_proc *p, const struct reported *r)
{
	for (size_t i = 0; i < p->nmods; i++)
		if (p->mods[i].dso == r->dso && p->mods[i].bias == r->bias)
			return true;
	return false;
}

static void report_one(struct unwinder *u, struct unwind_proc *p, const struct reported *r)
{
	const char *path;
	uint64_t bias;

	/* The path is the one symbols_dso_file() settled on. */
	if (symbols_dso_file(u->syms, r->dso, r->bias, 0, &path, &bias) < 0)
		path = dso_name(r->dso);
	if (!dwfl_report_elf(p->dwfl, dso_short_name(r->dso), path, -1, r->bias, false))
		return; /* overlapping or unreadable: unwinding through it stops there */
	xgrow((void **)&p->mods, &p->mods_cap, p->nmods + 1, sizeof(*p->mods));
	p->mods[p->nmods++] = *r;
}

/*
 * Brings P's modules up to date with MM. libdwfl refuses to report a module
 * again over itself, so new mappings are added to the Dwfl as it is; only
 * when a mapping went away or moved is the Dwfl rebuilt from scratch.
 */
static int sync_modules(struct unwinder *u, struct unwind_proc *p, const struct mm *mm)
{
	struct reported *need;
	size_t n = needed_modules(u, mm, &need);
	bool rebuild = false;

	for (size_t i = 0; i < p->nmods && !rebuild; i++) {
		bool still = false;
		for (size_t k = 0; k < n && !still; k++)
			still = need[k].dso == p->mods[i].dso && need[k].bias == p->mods[i].bias;
		rebuild = !still;
	}
	if (rebuild) {
		dwfl_end(p->dwfl);
		p->dwfl = dwfl_begin(&u->callbacks);
		p->nmods = 0;
		p->attached = false;
		if (!p->dwfl) {
			free(need);
			return -1;
		}
	}
	dwfl_report_begin_add(p->dwfl);
	for (size_t k = 0; k < n; k++)
		if (!holds(p, &need[k]))
			report_one(u, p, &need[k]);
	free(need);
	if (dwfl_report_end(p->dwfl, NULL, NULL) != 0)
		return -1;
	p->gen = mm->gen;
	return 0;
}

static bool proc_eq(const void *ctx, uint32_t item, const void *key)
{
	return ((const struct unwinder *)ctx)->procs[item].mm_id == *(const uint64_t *)key;
}

static uint64_t proc_hash(const void *ctx, uint32_t item)
{
	return hash_u64(((const struct unwinder *)ctx)->procs[item].mm_id);
}

static struct unwind_proc *proc_for(struct unwinder *u, const struct thread *t)
{
	struct unwind_proc *p = NULL;
	uint64_t id = t->mm->id;
	long i = index_find(&u->proc_index, hash_u64(id), proc_eq, u, &id);

	if (i >= 0)
		p = &u->procs[i];
	if (!p) {
		xgrow((void **)&u->procs, &u->procs_cap, u->nprocs + 1, sizeof(*u->procs));
		p = &u->procs[u->nprocs];
		p->mm_id = id;
		index_insert(&u->proc_index, hash_u64(id), (uint32_t)u->nprocs, proc_hash, u);
		u->nprocs++;
		memset(p, 0, sizeof(*p));
		p->mm_id = id;
		p->dwfl = dwfl_begin(&u->callbacks);
		if (!p->dwfl) {
			p->broken = true;
			return p;
		}
		p->gen = t->mm->gen - 1;
	}
	if (p->broken)
		return p;
	/*
	 * Bringing the modules up to date walks every map, so after the first
	 * time it waits until as many samples as 1/64 of the maps have come:
	 * an address space that changes between every two samples costs
	 * linear time, not quadratic. Real processes change rarely; a new
	 * library is at most that many samples late (their unwinding stops
	 * early in it, and is counted so).
	 */
	p->since_sync++;
	if (p->gen != t->mm->gen && (!p->synced || p->since_sync > t->mm->nr / 64)) {
		if (sync_modules(u, p, t->mm) < 0) {
			p->broken = true;
			return p;
		}
		p->synced = true;
		p->since_sync = 0;
	}
	if (!p->attached) {
		/* Attaching needs a module to tell the machine; retried until one exists. */
		if (dwfl_attach_state(p->dwfl, NULL, (pid_t)t->pid, &thread_callbacks, u))
			p->attached = true;
	}
	return p;
}

static int frame_cb(Dwfl_Frame *state, void *arg)
{
	struct unwinder *u = arg;
	Dwarf_Addr pc;
	bool activation;

	if (!dwfl_frame_pc(state, &pc, &activation) || pc == 0)
		return DWARF_CB_ABORT;
	u->pcs[u->npcs++] = pc;
	return u->npcs < u->max ? DWARF_CB_OK : DWARF_CB_ABORT;
}

size_t unwind_sample(struct unwinder *u, const struct thread *t, const struct sample *s,
		     uint64_t regs_mask, uint64_t *pcs, size_t max)
{
	struct unwind_proc *p;
	uint64_t copy[64];
	int rc;

	if (!u->arch || !s->regs_abi || !s->regs || s->stack_size == 0 || max == 0 || s->regs_nr > 64)
		return 0;
	u->stats.samples++;
	memcpy(copy, s->regs, s->regs_nr * 8);
	if (arch_reg_value(copy, regs_mask, u->arch->sp_reg, &u->sp) < 0) {
		u->stats.truncated++;
		return 0;
	}
	p = proc_for(u, t);
	if (p->broken || !p->attached) {
		u->stats.truncated++;
		return 0;
	}
	u->s = s;
	u->regs_mask = regs_mask;
	u->tid = (pid_t)t->tid;
	u->pcs = pcs;
	u->npcs = 0;
	u->max = max;
	u->beyond_copy = false;
	rc = dwfl_getthread_frames(p->dwfl, (pid_t)t->tid, frame_cb, u);
	if ((rc == 0 && !u->beyond_copy) || u->npcs == max)
		u->stats.complete++;
	else
		u->stats.truncated++;
	u->s = NULL;
	return u->npcs;
}
