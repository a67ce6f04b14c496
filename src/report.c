/* Turns a recording into a histogram: records in time order, threads and maps replayed, frames symbolized. */
#include "hwprof/report.h"
#include "hwprof/records.h"
#include "hwprof/offcpu.h"
#include "hwprof/tracefs.h"
#include "hwprof/buildid.h"
#include "hwprof/sample.h"
#include "hwprof/util.h"

#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

/* See report.h: everything loading needs that the outputs do not. */
struct report_work {
	struct session session;
	struct ordered ordered;
	uint64_t last_time, max_time;
	uint64_t queued_since_drop;	/* record bytes queued since pages were last given back */
	struct id_value *last_read;	/* group reads: previous value per (id, thread) */
	size_t nlast, last_cap;
	struct index last_index;
	struct unwinder *unwinder;
	struct frame *frames;		/* the current sample's chain, innermost first */
	size_t nframes, frames_cap;	/* frames and frame_texts hold frames_cap */
	uint64_t *pcs;			/* unwinder output */
	size_t locs_cap, stacks_cap, addrs_cap;
	struct index loc_index, stack_index, addr_index;
	struct frame_text cur_frame;	/* the sampled address */
	struct frame_text *frame_texts;	/* the current sample's frames, resolved once */
	struct caller_entry *callers;	/* the current sample's, resolved once */
	size_t ncallers, callers_cap;
	struct strbuf *inl_names;	/* "name (inlined)" texts of callers, reused */
	size_t inl_names_cap;
	uint64_t *ev_samples;		/* the current sample's contribution, per event */
	double *ev_period;
	struct offcpu offcpu;		/* switch state per thread */
	long cs_event;			/* the context-switches event sampled at every switch, or -1 */
	size_t threads_cap;
	struct index thread_index;	/* tid -> r->threads[] */
	struct tp_format *tp_formats;	/* per event, tracepoints' formats */
	uint8_t *tp_state;		/* per event: 0 not looked up, 1 found, 2 none */
	size_t ntp_formats;
	struct strbuf trace_sb;
	bool own_syms;
	bool hist_ready;
	bool frame_texts_valid;		/* frame_texts are the current sample's */
	bool callers_valid;		/* callers are the current sample's */
	bool offcpu_known;		/* find_offcpu_events ran */
};

/* Events of the file that samples count in: with off-CPU weights after
 * them, an attr described later than the first sample is not one. */
static size_t file_events(const struct report *r)
{
	return r->offcpu ? r->offcpu_event : r->reader.nattrs;
}

size_t report_nevents(const struct report *r)
{
	return r->offcpu ? r->offcpu_event + OFFCPU_WEIGHTS : r->reader.nattrs;
}

const struct perf_event_attr *report_event_attr(const struct report *r, size_t i)
{
	return i < file_events(r) && i < r->reader.nattrs ? &r->reader.attrs[i].attr : NULL;
}

static bool is_weight(const struct report *r, size_t ev)
{
	return r->offcpu && ev >= r->offcpu_event;
}

uint64_t report_stack_value(const struct report *r, const struct report_stack *st, size_t ev)
{
	return is_weight(r, ev) ? (uint64_t)(st->period[ev] / 1000 + 0.5) : st->samples[ev];
}

const char *report_value_unit(const struct report *r, size_t ev)
{
	return is_weight(r, ev) ? "us" : "samples";
}

const char *report_event_name(const struct report *r, size_t i)
{
	static const char *const weights[OFFCPU_WEIGHTS] = { "off-cpu:blocked", "off-cpu:runnable", "off-cpu",
							      "wall" };

	if (r->offcpu && i >= r->offcpu_event && i < r->offcpu_event + OFFCPU_WEIGHTS)
		return weights[i - r->offcpu_event];
	return report_event_attr(r, i) ? r->reader.attrs[i].name : "?";
}

size_t report_default_event(const struct report *r)
{
	for (size_t i = 0; i < r->hist.nevents; i++)
		if (r->samples[i])
			return i;
	return 0;
}

long report_find_event(const struct report *r, const char *name)
{
	for (size_t i = 0; i < report_nevents(r); i++)
		if (!strcmp(report_event_name(r, i), name))
			return (long)i;
	return -1;
}

/*
 * Whether the recording's kernel is the running one, so /proc/kallsyms
 * applies: by the kernel's build id where the file has it, else by release
 * and host name. A recording cut short has neither (its features are written
 * last): that is "unknown", and the running kernel's symbols are used with a note.
 */
static enum kernel_match same_kernel(const struct pd_reader *rd)
{
	uint8_t id[BUILD_ID_MAX];
	int len = buildid_of_kernel(id);
	struct utsname u;

	for (size_t i = 0; i < rd->nbuild_ids; i++) {
		const struct pd_build_id *b = &rd->build_ids[i];
		if (strcmp(b->filename, "[kernel.kallsyms]") != 0)
			continue;
		if (len <= 0)
			break; /* this kernel's own id is unknown: fall back to names */
		return (size_t)len == b->size && !memcmp(id, b->id, (size_t)len) ? KERNEL_SAME : KERNEL_OTHER;
	}
	if (!rd->osrelease && !rd->hostname)
		return KERNEL_UNKNOWN;
	return uname(&u) == 0 && rd->osrelease && rd->hostname && !strcmp(u.release, rd->osrelease) &&
			       !strcmp(u.nodename, rd->hostname)
		       ? KERNEL_SAME
		       : KERNEL_OTHER;
}

struct last_key {
	uint64_t id;
	uint32_t tid;
};

static bool last_eq(const void *ctx, uint32_t item, const void *key)
{
	const struct id_value *v = &((const struct report *)ctx)->w->last_read[item];
	const struct last_key *k = key;
	return v->id == k->id && v->tid == k->tid;
}

static uint64_t last_hash(const void *ctx, uint32_t item)
{
	const struct id_value *v = &((const struct report *)ctx)->w->last_read[item];
	return hash_mix(hash_u64(v->id), v->tid);
}

/*
 * The previous group-read value of counter ID in thread TID. Inherited
 * counters carry their parent's id in every thread, each counting its own
 * thread only: deltas taken per id alone would mix threads.
 */
static uint64_t *last_value(struct report *r, uint64_t id, uint32_t tid)
{
	struct last_key k = { id, tid };
	uint64_t h = hash_mix(hash_u64(id), tid);
	long i = index_find(&r->w->last_index, h, last_eq, r, &k);

	if (i >= 0)
		return &r->w->last_read[i].value;
	xgrow((void **)&r->w->last_read, &r->w->last_cap, r->w->nlast + 1, sizeof(*r->w->last_read));
	r->w->last_read[r->w->nlast] = (struct id_value){ id, tid, 0 };
	index_insert(&r->w->last_index, h, (uint32_t)r->w->nlast, last_hash, r);
	return &r->w->last_read[r->w->nlast++].value;
}


/* Besides the SYMRES_* bits: the functions inlined at the address too. */
#define WANT_INLINE 0x100

/* The frame name of level J of an inline chain of N: "name (inlined)" for
 * the inlined functions, the plain name for the one holding them (the last). */
static void inline_level_name(struct strbuf *sb, const struct syminline *chain, size_t n, size_t j)
{
	sb_puts(sb, chain[j].name);
	if (j + 1 < n)
		sb_puts(sb, " (inlined)");
}

static void resolve_frame_as(struct report *r, const struct thread *t, unsigned cpumode,
			     uint64_t addr, unsigned want, struct frame_text *ft);

static void resolve_frame(struct report *r, const struct thread *t, unsigned cpumode, uint64_t addr,
			  bool want_src, struct frame_text *ft)
{
	unsigned want = (want_src ? SYMRES_SRCLINE : 0) | (r->opts.inline_frames ? WANT_INLINE : 0);

	resolve_frame_as(r, t, cpumode, addr, want, ft);
}

static void resolve_frame_as(struct report *r, const struct thread *t, unsigned cpumode, uint64_t addr,
			     unsigned want, struct frame_text *ft)
{
	const struct map *m = session_find_map(&r->w->session, t, cpumode, addr);
	struct dso *d = m ? m->dso : NULL;
	struct symres sr;
	bool kernel = cpumode == PERF_RECORD_MISC_KERNEL || cpumode == PERF_RECORD_MISC_GUEST_KERNEL;

	sb_reset(&ft->sym);
	sb_reset(&ft->src);
	if (!d && kernel)
		d = symbols_dso(r->syms, "[kernel.kallsyms]");
	ft->kernel = kernel || (d && dso_is_kernel(d));
	r->kernel_frames += ft->kernel;
	ft->d = d;
	ft->vaddr = addr;
	if (!d) {
		ft->dso = "[unknown]";
		sb_puts(&ft->sym, "[unknown]");
		return;
	}
	ft->dso = dso_short_name(d);
	ft->chain = NULL;
	ft->nchain = 0;
	if (symbols_resolve(r->syms, d, m ? m->start : 0, m ? m->pgoff : 0, addr, want, &sr) == 0)
		ft->vaddr = sr.file_vaddr;
	else
		sr.name = NULL;
	if (sr.name && (want & WANT_INLINE))
		ft->nchain = symbols_inline_chain(r->syms, d, ft->vaddr, &ft->chain);
	if (sr.name) {
		/* With --inline, the innermost function inlined at the address. */
		if (ft->nchain)
			inline_level_name(&ft->sym, ft->chain, ft->nchain, 0);
		else
			sb_puts(&ft->sym, sr.name);
	} else {
		sb_printf(&ft->sym, "0x%" PRIx64, m ? addr - m->start + m->pgoff : addr);
	}
	if (want & SYMRES_SRCLINE) {
		if (sr.srcfile && sr.line > 0) {
			const char *base = strrchr(sr.srcfile, '/');
			sb_printf(&ft->src, "%s:%d", base ? base + 1 : sr.srcfile, sr.line);
		} else {
			sb_printf(&ft->src, "%s+0x%" PRIx64, ft->dso, m ? addr - m->start + m->pgoff : addr);
		}
	}
}

static bool thread_passes(const struct report *r, const struct thread *t)
{
	return (!r->opts.comm || fnmatch(r->opts.comm, t->comm, 0) == 0) &&
	       (r->opts.pid < 0 || (pid_t)t->pid == r->opts.pid);
}

static bool passes_filters(const struct report *r, const struct thread *t, const char *dso)
{
	return thread_passes(r, t) && (!r->opts.dso || fnmatch(r->opts.dso, dso, 0) == 0);
}

static void fill_point(const struct thread *t, const struct frame_text *ft, struct hist_point *p)
{
	memset(p, 0, sizeof(*p));
	p->comm = t->comm;
	p->pid = t->pid;
	p->tid = t->tid;
	p->dso = ft->dso;
	p->sym = ft->sym.buf;
	p->kernel = ft->kernel;
	p->srcline = ft->src.len ? ft->src.buf : NULL;
	p->reason = NULL;
	p->trace = NULL;
}

/* Room for N frames in r->w->frames and r->w->frame_texts. */
static void ensure_frames(struct report *r, size_t n)
{
	size_t old = r->w->frames_cap;

	if (n <= old)
		return;
	while (r->w->frames_cap < n)
		r->w->frames_cap = r->w->frames_cap ? 2 * r->w->frames_cap : 256;
	r->w->frames = xrealloc(r->w->frames, r->w->frames_cap * sizeof(*r->w->frames));
	r->w->frame_texts = xrealloc_zeroed(r->w->frame_texts, old, r->w->frames_cap, sizeof(struct frame_text));
}

/* Appends a frame. Only the first frame of each context (the sampled
 * instruction in the kernel, the interrupted one in user space) is not a
 * return address: the others are looked up at ip - 1, in the call. */
static void push_frame(struct report *r, uint64_t ip, unsigned mode)
{
	bool ret = r->w->nframes > 0 && r->w->frames[r->w->nframes - 1].cpumode == mode;

	r->w->frames[r->w->nframes++] = (struct frame){ ip, mode, ret };
}

/* The sample's call chain, innermost first: the kernel's frames as recorded,
 * then user frames from the recorded chain or from DWARF unwinding. */
static void build_frames(struct report *r, const struct thread *t, const struct sample *s,
			 const struct pd_attr *a, unsigned cpumode)
{
	unsigned mode = cpumode;
	bool dwarf = s->regs_abi && s->stack_size;
	bool user_seen = false;
	/* LBR call stacks (record --call-graph lbr): the user part is the
	 * interrupted instruction, then the call sites the hardware kept, most
	 * recent first; the kernel's frame-pointer walk of user space is not used. */
	bool lbr = (a->attr.sample_type & PERF_SAMPLE_BRANCH_STACK) &&
		   (a->attr.branch_sample_type & PERF_SAMPLE_BRANCH_CALL_STACK) && s->branch_nr;

	r->w->nframes = 0;
	ensure_frames(r, s->callchain_nr + 1 + (lbr ? s->branch_nr : 0) +
				 (dwarf && r->w->unwinder ? UNWIND_MAX_FRAMES : 0));
	if (!s->callchain_nr)
		push_frame(r, s->ip, cpumode);
	for (uint64_t i = 0; i < s->callchain_nr; i++) {
		uint64_t ip = sample_callchain(s, i);

		if (ip >= PERF_CONTEXT_MAX) {
			if (ip == PERF_CONTEXT_KERNEL)
				mode = PERF_RECORD_MISC_KERNEL;
			else if (ip == PERF_CONTEXT_USER)
				mode = PERF_RECORD_MISC_USER;
			continue;
		}
		if (mode == PERF_RECORD_MISC_USER) {
			if (dwarf)
				break; /* the unwinder supplies the user part */
			if (lbr && user_seen)
				break;
			user_seen = true;
		}
		push_frame(r, ip, mode);
	}
	if (lbr && (user_seen || cpumode == PERF_RECORD_MISC_USER)) {
		if (!user_seen)
			push_frame(r, s->ip, PERF_RECORD_MISC_USER);
		r->lbr_samples++;
		/* Each entry's "from" is the call instruction itself: an exact
		 * address, looked up as it is. */
		for (uint64_t k = 0; k < s->branch_nr; k++) {
			uint64_t from;
			memcpy(&from, s->branches + k * 24, 8);
			push_frame(r, from, PERF_RECORD_MISC_USER);
			r->w->frames[r->w->nframes - 1].ret = false;
		}
	}
	if (s->callchain_nr && r->w->nframes == 0)
		push_frame(r, s->ip, cpumode);
	if (dwarf && !user_seen && r->w->unwinder) {
		size_t n = unwind_sample(r->w->unwinder, t, s, a->attr.sample_regs_user, r->w->pcs, UNWIND_MAX_FRAMES);
		/* A user-mode sample's own ip is the unwinder's first pc. */
		if (n && cpumode == PERF_RECORD_MISC_USER && r->w->nframes == 1 && r->w->frames[0].ip == r->w->pcs[0])
			r->w->nframes = 0;
		for (size_t k = 0; k < n; k++)
			push_frame(r, r->w->pcs[k], PERF_RECORD_MISC_USER);
	}
}

/* The current sample's frames, symbolized once however many stages use them. */
static const struct frame_text *resolved_frames(struct report *r, const struct thread *t)
{
	struct frame_text *ft;
	bool want_src = hist_has_key(&r->hist, HK_SRCLINE);

	ft = r->w->frame_texts;
	if (!r->w->frame_texts_valid) {
		for (size_t i = 0; i < r->w->nframes; i++) {
			const struct frame *f = &r->w->frames[i];
			/* Return addresses point after the call: look up the call itself. */
			resolve_frame(r, t, f->cpumode, f->ret ? f->ip - 1 : f->ip, want_src, &ft[i]);
		}
		r->w->frame_texts_valid = true;
	}
	return ft;
}

static void add_caller(struct report *r, const struct frame_text *ft, const char *sym)
{
	xgrow((void **)&r->w->callers, &r->w->callers_cap, r->w->ncallers + 1, sizeof(*r->w->callers));
	r->w->callers[r->w->ncallers++] = (struct caller_entry){ ft, sym };
}

/* Level J of FT's inline chain, in text K of those that live until the next sample. */
static const char *level_text(struct report *r, size_t k, const struct frame_text *ft, size_t j)
{
	if (k >= r->w->inl_names_cap) {
		r->w->inl_names = xrealloc_zeroed(r->w->inl_names, r->w->inl_names_cap, 2 * k + 8, sizeof(*r->w->inl_names));
		r->w->inl_names_cap = 2 * k + 8;
	}
	sb_reset(&r->w->inl_names[k]);
	inline_level_name(&r->w->inl_names[k], ft->chain, ft->nchain, j);
	return r->w->inl_names[k].buf;
}

/*
 * The callers of the current sample's row, innermost first: each frame's
 * function, and with --inline every function inlined there as a caller of
 * the one inlined into it (outer_a -> hot_inline, not hot_inline alone). The
 * row's own frame contributes the functions its innermost one is inlined into.
 */
static const struct caller_entry *callers_of(struct report *r, const struct thread *t, size_t *n)
{
	const struct frame_text *ft = resolved_frames(r, t);
	size_t k = 0;

	if (!r->w->callers_valid) {
		r->w->ncallers = 0;
		for (size_t i = 0; i < r->w->nframes; i++) {
			if (!ft[i].nchain) {
				if (i > 0)
					add_caller(r, &ft[i], ft[i].sym.buf);
				continue;
			}
			for (size_t j = i == 0 ? 1 : 0; j < ft[i].nchain; j++)
				add_caller(r, &ft[i], level_text(r, k++, &ft[i], j));
		}
		r->w->callers_valid = true;
	}
	*n = r->w->ncallers;
	return r->w->callers;
}

/* Inclusive credit: every distinct entry on the chain gets the period once. */
static void add_children(struct report *r, const struct thread *t, size_t ev, double period,
			 struct hist_entry *self)
{
	size_t ncallers;
	const struct caller_entry *c = callers_of(r, t, &ncallers);
	struct hist_entry **seen = xmalloc((ncallers + 1) * sizeof(*seen));
	size_t nseen = 0;

	seen[nseen++] = self;
	self->children[ev] += period;
	for (size_t i = 0; i < ncallers; i++) {
		struct hist_point p;
		struct hist_entry *e;
		bool dup = false;

		fill_point(t, c[i].ft, &p);
		p.sym = c[i].sym;
		e = hist_entry_of(&r->hist, &p);
		for (size_t k = 0; k < nseen && !dup; k++)
			dup = seen[k] == e;
		if (dup)
			continue;
		seen[nseen++] = e;
		e->children[ev] += period;
	}
	free(seen);
}

/* The callers of the sample, by name, under its row (for -g). */
static void add_callpath(struct report *r, const struct thread *t, size_t ev, double period,
			 struct hist_entry *e)
{
	size_t ncallers;
	const struct caller_entry *c = callers_of(r, t, &ncallers);
	const char **names = xmalloc((ncallers ? ncallers : 1) * sizeof(*names));

	for (size_t i = 0; i < ncallers; i++)
		names[i] = c[i].sym;
	hist_add_callpath(&r->hist, e, ev, names, ncallers, period);
	free(names);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	return hash_mix(h, v);
}

static uint64_t loc_hash(const struct dso *d, uint64_t vaddr, bool kernel)
{
	return mix(mix((uint64_t)(uintptr_t)d, vaddr), kernel);
}

static bool loc_eq(const void *ctx, uint32_t item, const void *key)
{
	const struct report_loc *l = &((const struct report *)ctx)->locs[item];
	const struct frame_text *ft = key;

	return l->dso == ft->d && l->vaddr == ft->vaddr && l->kernel == ft->kernel;
}

static uint64_t loc_rehash(const void *ctx, uint32_t item)
{
	const struct report_loc *l = &((const struct report *)ctx)->locs[item];

	return loc_hash(l->dso, l->vaddr, l->kernel);
}

/* The source lines of a location, as pprof models inlining: the innermost
 * inlined function at its line, then each one it is inlined into at the
 * call site, the function holding them all last. */
static void resolve_lines(struct report *r, struct report_loc *l)
{
	const struct syminline *chain = NULL;
	struct symres sr = { 0 };
	size_t nchain = 0;

	if (l->dso && symbols_resolve_vaddr(r->syms, l->dso, l->vaddr, SYMRES_SRCLINE, &sr) == 0)
		nchain = symbols_inline_chain(r->syms, l->dso, l->vaddr, &chain);
	l->nlines = nchain ? nchain : 1;
	l->lines = xcalloc(l->nlines, sizeof(*l->lines));
	for (size_t k = 0; k < nchain; k++) {
		l->lines[k].func = xstrdup(chain[k].name);
		l->lines[k].file = xstrdup(chain[k].file ? chain[k].file : "");
		l->lines[k].line = chain[k].line > 0 ? chain[k].line : 0;
	}
	if (!nchain) {
		l->lines[0].func = xstrdup(sr.name ? sr.name : l->name);
		l->lines[0].file = xstrdup(sr.srcfile ? sr.srcfile : "");
		l->lines[0].line = sr.line > 0 ? sr.line : 0;
	}
}

static uint32_t intern_loc(struct report *r, const struct frame_text *ft)
{
	uint64_t h = loc_hash(ft->d, ft->vaddr, ft->kernel);
	long found = index_find(&r->w->loc_index, h, loc_eq, r, ft);
	struct report_loc *l;

	if (found >= 0)
		return (uint32_t)found;
	xgrow((void **)&r->locs, &r->w->locs_cap, r->nlocs + 1, sizeof(*r->locs));
	l = &r->locs[r->nlocs];
	*l = (struct report_loc){ ft->d, ft->vaddr, ft->kernel, xstrdup(ft->sym.buf), NULL, 0, NULL, 0 };
	l->nframes = ft->nchain ? ft->nchain : 1;
	l->frames = xcalloc(l->nframes, sizeof(*l->frames));
	for (size_t j = 0; j < l->nframes; j++) {
		struct strbuf sb = { 0 };
		if (ft->nchain)
			inline_level_name(&sb, ft->chain, ft->nchain, j);
		else
			sb_puts(&sb, l->name);
		l->frames[j] = sb_detach(&sb);
	}
	if (r->opts.loc_lines)
		resolve_lines(r, l);
	index_insert(&r->w->loc_index, h, (uint32_t)r->nlocs, loc_rehash, r);
	return (uint32_t)r->nlocs++;
}

struct stack_key {
	const uint32_t *locs;
	size_t n;
	const struct thread *t;
	uint64_t hash;
};

static bool stack_eq(const void *ctx, uint32_t item, const void *key)
{
	const struct report_stack *st = &((const struct report *)ctx)->stacks[item];
	const struct stack_key *k = key;

	return st->hash == k->hash && st->n == k->n && st->pid == k->t->pid && !strcmp(st->comm, k->t->comm) &&
	       !memcmp(st->locs, k->locs, k->n * sizeof(*k->locs));
}

static uint64_t stack_rehash(const void *ctx, uint32_t item)
{
	return ((const struct report *)ctx)->stacks[item].hash;
}

/* Adds one sample's per-event contribution to the stack of r->w->frames. */
static void add_stack(struct report *r, const struct thread *t, const uint64_t *samples,
		      const double *period)
{
	uint32_t *locs = xmalloc((r->w->nframes ? r->w->nframes : 1) * sizeof(*locs));
	uint64_t h = mix(0, t->pid);
	struct report_stack *st;
	struct stack_key key;
	long found;

	const struct frame_text *ft = resolved_frames(r, t);

	for (size_t i = 0; i < r->w->nframes; i++) {
		locs[i] = intern_loc(r, &ft[i]);
		h = mix(h, locs[i]);
	}
	for (const char *c = t->comm; *c; c++)
		h = mix(h, (unsigned char)*c);
	key = (struct stack_key){ locs, r->w->nframes, t, h };
	found = index_find(&r->w->stack_index, h, stack_eq, r, &key);
	if (found >= 0) {
		st = &r->stacks[found];
		free(locs);
	} else {
		xgrow((void **)&r->stacks, &r->w->stacks_cap, r->nstacks + 1, sizeof(*r->stacks));
		st = &r->stacks[r->nstacks];
		memset(st, 0, sizeof(*st));
		st->locs = locs;
		st->n = r->w->nframes;
		st->comm = xstrdup(t->comm);
		st->pid = t->pid;
		st->hash = h;
		st->samples = xcalloc(r->hist.ev_cap, sizeof(*st->samples));
		st->period = xcalloc(r->hist.ev_cap, sizeof(*st->period));
		index_insert(&r->w->stack_index, h, (uint32_t)r->nstacks, stack_rehash, r);
		r->nstacks++;
	}
	for (size_t k = 0; k < r->hist.nevents; k++) {
		st->samples[k] += samples[k];
		st->period[k] += period[k];
	}
}

static uint64_t addr_hash(const struct dso *d, uint64_t vaddr)
{
	return mix((uint64_t)(uintptr_t)d, vaddr);
}

static bool addr_eq(const void *ctx, uint32_t item, const void *key)
{
	const struct report_addr *a = &((const struct report *)ctx)->addrs[item];
	const struct frame_text *ft = key;

	return a->dso == ft->d && a->vaddr == ft->vaddr;
}

static uint64_t addr_rehash(const void *ctx, uint32_t item)
{
	const struct report_addr *a = &((const struct report *)ctx)->addrs[item];

	return addr_hash(a->dso, a->vaddr);
}

/* Per-address sample counts inside the function being annotated (every
 * user function with annotate_all). */
static void add_annotate(struct report *r, const struct frame_text *ft, const uint64_t *samples)
{
	struct report_addr *a;
	uint64_t h;
	long i;

	if (!ft->d || (r->opts.annotate_all && ft->kernel))
		return;
	if (!r->opts.annotate_all) {
		size_t len = strlen(r->opts.annotate);
		const char *sym = ft->sym.buf;
		if (strncmp(sym, r->opts.annotate, len) != 0 ||
		    (sym[len] && strcmp(sym + len, " (inlined)") != 0))
			return;
		if (r->annotate_dso && r->annotate_dso != ft->d)
			return; /* the same name in another file is another function */
		r->annotate_dso = ft->d;
	}
	h = addr_hash(ft->d, ft->vaddr);
	i = index_find(&r->w->addr_index, h, addr_eq, r, ft);
	if (i < 0) {
		xgrow((void **)&r->addrs, &r->w->addrs_cap, r->naddrs + 1, sizeof(*r->addrs));
		i = (long)r->naddrs;
		r->addrs[i].dso = ft->d;
		r->addrs[i].vaddr = ft->vaddr;
		r->addrs[i].samples = xcalloc(r->hist.ev_cap, sizeof(*r->addrs[i].samples));
		index_insert(&r->w->addr_index, h, (uint32_t)i, addr_rehash, r);
		r->naddrs++;
	}
	a = &r->addrs[i];
	for (size_t k = 0; k < r->hist.nevents; k++)
		a->samples[k] += samples[k];
}

/*
 * Per-event arrays follow the reader's events: a pipe stream may describe an
 * event after samples of others were counted. They grow by doubling, so
 * that a stream of interleaved attrs and samples costs linear time.
 */
/* Switch records in the recording: off-CPU weights follow its events, and
 * the context-switches event sampled at every switch gives their stacks. */
static void find_offcpu_events(struct report *r)
{
	/* Once, from the attrs known when symbols are set up or the first
	 * sample counts, whichever comes first. */
	if (r->w->offcpu_known)
		return;
	r->w->offcpu_known = true;
	r->oncpu_event = -1;
	r->w->cs_event = -1;
	for (size_t i = 0; i < r->reader.nattrs; i++) {
		const struct perf_event_attr *a = &r->reader.attrs[i].attr;
		r->offcpu |= a->context_switch;
		if (a->type == PERF_TYPE_SOFTWARE && a->config == PERF_COUNT_SW_CONTEXT_SWITCHES && !a->freq &&
		    a->sample_period == 1 && r->w->cs_event < 0)
			r->w->cs_event = (long)i;
		if (a->type == PERF_TYPE_SOFTWARE && r->oncpu_event < 0 &&
		    (a->config == PERF_COUNT_SW_CPU_CLOCK || a->config == PERF_COUNT_SW_TASK_CLOCK))
			r->oncpu_event = (long)i;
	}
	r->offcpu_event = r->reader.nattrs;
	/* Under perf_event_paranoid 2 the context-switches event never fires. */
	r->offcpu_exact = r->w->cs_event >= 0 && !r->reader.attrs[r->w->cs_event].attr.exclude_kernel;
}

static void ensure_hist(struct report *r)
{
	size_t old;

	if (!r->w->hist_ready) {
		find_offcpu_events(r);
		hist_init(&r->hist, report_nevents(r), r->opts.keys, r->opts.nkeys);
		r->samples = xcalloc(r->hist.ev_cap, sizeof(*r->samples));
		r->w->ev_samples = xcalloc(r->hist.ev_cap, sizeof(*r->w->ev_samples));
		r->w->ev_period = xcalloc(r->hist.ev_cap, sizeof(*r->w->ev_period));
		r->w->hist_ready = true;
		return;
	}
	if (report_nevents(r) <= r->hist.nevents)
		return;
	old = r->hist.ev_cap;
	hist_set_nevents(&r->hist, report_nevents(r));
	if (r->hist.ev_cap == old)
		return;
	r->samples = xrealloc_zeroed(r->samples, old, r->hist.ev_cap, sizeof(*r->samples));
	r->w->ev_samples = xrealloc_zeroed(r->w->ev_samples, old, r->hist.ev_cap, sizeof(*r->w->ev_samples));
	r->w->ev_period = xrealloc_zeroed(r->w->ev_period, old, r->hist.ev_cap, sizeof(*r->w->ev_period));
	for (size_t i = 0; i < r->nstacks; i++) {
		struct report_stack *st = &r->stacks[i];
		st->samples = xrealloc_zeroed(st->samples, old, r->hist.ev_cap, sizeof(*st->samples));
		st->period = xrealloc_zeroed(st->period, old, r->hist.ev_cap, sizeof(*st->period));
	}
	for (size_t i = 0; i < r->naddrs; i++)
		r->addrs[i].samples = xrealloc_zeroed(r->addrs[i].samples, old, r->hist.ev_cap,
						      sizeof(*r->addrs[i].samples));
}

/* A tracepoint sample's fields as the trace key shows them, decoded by the
 * format the recording saved (HEADER_TRACING_DATA); NULL without one. */
static const char *trace_text(struct report *r, size_t ev, const struct sample *s)
{
	struct tp_format *f;

	if (ev >= r->w->ntp_formats) {
		r->w->tp_formats = xrealloc_zeroed(r->w->tp_formats, r->w->ntp_formats, ev + 1, sizeof(*r->w->tp_formats));
		r->w->tp_state = xrealloc_zeroed(r->w->tp_state, r->w->ntp_formats, ev + 1, sizeof(*r->w->tp_state));
		r->w->ntp_formats = ev + 1;
	}
	f = &r->w->tp_formats[ev];
	if (!r->w->tp_state[ev])
		r->w->tp_state[ev] = tp_format_from_tracing_data(r->reader.tracing_data, r->reader.tracing_len,
								 r->reader.attrs[ev].attr.config, f) == 0 ? 1 : 2;
	if (r->w->tp_state[ev] != 1 || !s->raw)
		return NULL;
	sb_reset(&r->w->trace_sb);
	for (size_t i = 0; i < f->n; i++) {
		if (r->opts.trace_field && strcmp(f->fields[i].name, r->opts.trace_field) != 0)
			continue;
		if (!r->opts.trace_field)
			sb_printf(&r->w->trace_sb, "%s%s=", r->w->trace_sb.len ? " " : "", f->fields[i].name);
		tp_field_format(&r->w->trace_sb, &f->fields[i], s->raw, s->raw_size);
	}
	return r->w->trace_sb.len ? r->w->trace_sb.buf : NULL;
}

/* What a sample's chain (r->w->frames) adds: inclusive weights, the
 * callers tree of event EV, the distinct stacks. */
static void aggregate_chain(struct report *r, const struct thread *t, struct hist_entry *e, size_t ev)
{
	if (r->opts.children)
		for (size_t k = 0; k < r->hist.nevents; k++)
			if (r->w->ev_period[k] != 0)
				add_children(r, t, k, r->w->ev_period[k], e);
	if (r->opts.callgraph && r->w->ev_period[ev] != 0 && r->w->nframes > 1)
		add_callpath(r, t, ev, r->w->ev_period[ev], e);
	if (r->opts.collect_stacks)
		add_stack(r, t, r->w->ev_samples, r->w->ev_period);
}

static bool thread_time_eq(const void *ctx, uint32_t item, const void *key)
{
	return ((const struct report *)ctx)->threads[item].tid == *(const uint32_t *)key;
}

static uint64_t thread_time_hash(const void *ctx, uint32_t item)
{
	return hash_u64(((const struct report *)ctx)->threads[item].tid);
}

static struct report_thread_time *thread_time(struct report *r, uint32_t pid, uint32_t tid)
{
	long i = index_find(&r->w->thread_index, hash_u64(tid), thread_time_eq, r, &tid);

	if (i < 0) {
		xgrow((void **)&r->threads, &r->w->threads_cap, r->nthreads + 1, sizeof(*r->threads));
		memset(&r->threads[r->nthreads], 0, sizeof(*r->threads));
		r->threads[r->nthreads].tid = tid;
		index_insert(&r->w->thread_index, hash_u64(tid), (uint32_t)r->nthreads, thread_time_hash, r);
		i = (long)r->nthreads++;
	}
	r->threads[i].pid = pid;
	return &r->threads[i];
}

/*
 * The weight stage: what sample S of event EV adds to each event, into
 * ev_samples and ev_period. Itself and its period; or with leader sampling
 * each member's count since the previous sample of the same thread. A new
 * kind of weight (time off the CPU, say) belongs here.
 */
static void sample_weights(struct report *r, const struct sample *s, const struct pd_attr *a, size_t ev)
{
	memset(r->w->ev_samples, 0, r->hist.nevents * sizeof(*r->w->ev_samples));
	memset(r->w->ev_period, 0, r->hist.nevents * sizeof(*r->w->ev_period));
	r->w->ev_samples[ev] = 1;
	if ((a->attr.sample_type & PERF_SAMPLE_READ) && (a->attr.read_format & PERF_FORMAT_GROUP) &&
	    (a->attr.read_format & PERF_FORMAT_ID)) {
		r->has_group_read = true;
		for (uint64_t i = 0; i < s->read_nr; i++) {
			uint64_t value, id, *last;
			long mev;
			sample_read_value(s, i, &value, &id);
			mev = pdr_attr_index_of_id(&r->reader, id);
			if (mev < 0 || (size_t)mev >= r->hist.nevents)
				continue;
			last = last_value(r, id, s->tid);
			r->w->ev_period[mev] += (double)(value - *last);
			*last = value;
		}
	} else {
		r->w->ev_period[ev] = (a->attr.sample_type & PERF_SAMPLE_PERIOD) ? (double)s->period : 1.0;
	}
}

static void handle_sample(struct report *r, const struct perf_event_header *h, const struct pd_attr *a)
{
	size_t ev = (size_t)(a - r->reader.attrs);
	struct sample_format fmt;
	struct sample s;
	struct thread *t;
	struct frame_text *ft = &r->w->cur_frame;
	struct hist_point p;
	struct hist_entry *e;
	unsigned cpumode = h->misc & PERF_RECORD_MISC_CPUMODE_MASK;

	ensure_hist(r);
	if (ev >= file_events(r)) {
		r->unattributed++;
		return;
	}
	pdr_sample_format(a, &fmt);
	if (sample_parse(h, h->size, &fmt, &s) < 0) {
		r->undecodable++;
		return;
	}
	r->samples[ev]++;
	t = session_thread(&r->w->session, s.pid, s.tid);
	/* Each thread's times are its whole account, whatever the filters show. */
	if (r->offcpu && (long)ev == r->oncpu_event)
		thread_time(r, s.pid, s.tid)->oncpu += (a->attr.sample_type & PERF_SAMPLE_PERIOD) ? (double)s.period : 1.0;
	resolve_frame(r, t, cpumode, s.ip, hist_has_key(&r->hist, HK_SRCLINE), ft);
	if (!passes_filters(r, t, ft->dso)) {
		r->filtered++;
		/* The stack where a wait began is the wait's, which the filters judge
		 * by its own leaf (the switch-out sample's is the scheduler). */
		if (r->offcpu && (long)ev == r->w->cs_event) {
			r->w->frame_texts_valid = false;
			r->w->callers_valid = false;
			build_frames(r, t, &s, a, cpumode);
			offcpu_switch_stack(&r->w->offcpu, s.tid, s.time, r->w->frames, r->w->nframes);
		}
		return;
	}
	fill_point(t, ft, &p);
	if (a->attr.type == PERF_TYPE_TRACEPOINT && hist_has_key(&r->hist, HK_TRACE))
		p.trace = trace_text(r, ev, &s);
	e = hist_entry_of_run(&r->hist, &p);
	sample_weights(r, &s, a, ev);
	if (r->offcpu && (long)ev == r->oncpu_event) {
		/* On-CPU time is wall time too. */
		r->w->ev_samples[r->offcpu_event + 3] = 1;
		r->w->ev_period[r->offcpu_event + 3] = r->w->ev_period[ev];
	}
	for (size_t k = 0; k < r->hist.nevents; k++)
		if (r->w->ev_samples[k] || r->w->ev_period[k] != 0)
			hist_add(&r->hist, e, k, r->w->ev_samples[k], r->w->ev_period[k]);
	if (r->opts.annotate || r->opts.annotate_all)
		add_annotate(r, ft, r->w->ev_samples);
	if (a->attr.sample_type & PERF_SAMPLE_CALLCHAIN)
		r->has_callchains = true;
	if (a->attr.sample_type & PERF_SAMPLE_STACK_USER)
		r->has_dwarf = true;
	r->w->frame_texts_valid = false;
	r->w->callers_valid = false;
	if (a->attr.sample_type & (PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_STACK_USER)) {
		uint16_t limit = a->attr.sample_max_stack ? a->attr.sample_max_stack : 127;
		build_frames(r, t, &s, a, cpumode);
		if (r->w->nframes > r->max_depth)
			r->max_depth = r->w->nframes;
		/* The kernel stops a chain at its limit without a mark: a chain of
		 * exactly that many frames was most likely cut. */
		if ((a->attr.sample_type & PERF_SAMPLE_CALLCHAIN) && sample_chain_frames(&s) == limit) {
			r->chains_cut++;
			r->chain_limit = limit;
		}
	} else {
		ensure_frames(r, 1);
		r->w->nframes = 0;
		push_frame(r, s.ip, cpumode);
	}
	if (r->offcpu && (long)ev == r->w->cs_event)
		offcpu_switch_stack(&r->w->offcpu, s.tid, s.time, r->w->frames, r->w->nframes);
	else if (r->offcpu && !r->offcpu_exact)
		offcpu_last_stack(&r->w->offcpu, s.tid, r->w->frames, r->w->nframes);
	aggregate_chain(r, t, e, ev);
}

/* What a wait waited on, from the kernel functions of the stack where it
 * began, innermost first (those of the scheduler match nothing). */
static const struct {
	const char *fn;		/* a part of the function's name */
	const char *reason;
} wait_reasons[] = {
	{ "futex", "futex" },
	{ "nanosleep", "sleep" },
	{ "pipe_read", "pipe" },
	{ "pipe_write", "pipe" },
	{ "ep_poll", "poll" },
	{ "do_sys_poll", "poll" },
	{ "do_select", "poll" },
	{ "sk_wait_data", "socket" },
	{ "unix_stream_", "socket" },
	{ "unix_dgram_", "socket" },
	{ "tcp_recvmsg", "socket" },
	{ "inet_csk_accept", "socket" },
	{ "io_schedule", "disk I/O" },
	{ "folio_wait", "disk I/O" },
	{ "wait_on_page", "disk I/O" },
	{ "bit_wait_io", "disk I/O" },
	{ "jbd2_", "disk I/O" },
	{ "mutex_lock", "kernel lock" },
	{ "rwsem_down", "kernel lock" },
	{ "handle_mm_fault", "page fault" },
	{ "do_wait", "child" },
	{ "n_tty_read", "terminal" },
	{ "wait_for_completion", "completion" },
};

static const char *wait_reason(struct report *r, const struct thread *t, const struct offcpu_interval *iv)
{
	struct frame_text ft = { 0 };
	const char *reason = NULL;
	bool kernel = false;

	if (iv->runnable)
		return "run queue";
	for (size_t i = 0; i < iv->nframes && !reason; i++) {
		const struct frame *f = &iv->frames[i];
		if (f->cpumode != PERF_RECORD_MISC_KERNEL)
			break;
		kernel = true;
		resolve_frame_as(r, t, f->cpumode, f->ret ? f->ip - 1 : f->ip, 0, &ft);
		for (size_t k = 0; k < ARRAY_SIZE(wait_reasons) && !reason; k++)
			if (strstr(ft.sym.buf, wait_reasons[k].fn))
				reason = wait_reasons[k].reason;
	}
	sb_release(&ft.sym);
	sb_release(&ft.src);
	/* Without kernel frames (a user's recording) it cannot be told. */
	return reason ? reason : kernel ? "other" : NULL;
}

/* The weight stage's off-CPU part: an interval from switch-out to switch-in,
 * charged to the stack where it began. The kernel frames there are the
 * scheduler's, so the row is the innermost user function (the wait's
 * callers follow it as for any sample). */
static void add_offcpu(struct report *r, const struct offcpu_interval *iv)
{
	size_t ev = r->offcpu_event + (iv->runnable ? 1 : 0), first = 0, n = iv->nframes;
	double ns = (double)(iv->end - iv->start);
	struct frame_text *ft = &r->w->cur_frame;
	struct report_thread_time *tt;
	struct hist_point p;
	struct hist_entry *e;
	struct thread *t;

	const char *reason;

	ensure_hist(r);
	t = session_thread(&r->w->session, iv->pid, iv->tid);
	tt = thread_time(r, iv->pid, iv->tid);
	reason = hist_has_key(&r->hist, HK_REASON) ? wait_reason(r, t, iv) : NULL;
	*(iv->runnable ? &tt->runnable : &tt->blocked) += ns;
	tt->intervals++;
	tt->no_stack += iv->stack == OFFCPU_NO_STACK;
	while (first < n && iv->frames[first].cpumode != PERF_RECORD_MISC_USER)
		first++;
	if (first == n)
		first = 0;
	ensure_frames(r, n - first + 1);
	r->w->nframes = 0;
	for (size_t i = first; i < n; i++)
		r->w->frames[r->w->nframes++] = iv->frames[i];
	if (!r->w->nframes)
		r->w->frames[r->w->nframes++] = (struct frame){ 0, PERF_RECORD_MISC_USER, false };
	r->w->frames[0].ret = false;
	resolve_frame(r, t, r->w->frames[0].cpumode, r->w->frames[0].ip, hist_has_key(&r->hist, HK_SRCLINE), ft);
	if (!passes_filters(r, t, ft->dso)) {
		r->filtered++;
		return;
	}
	fill_point(t, ft, &p);
	p.reason = reason;
	e = hist_entry_of(&r->hist, &p);
	memset(r->w->ev_samples, 0, r->hist.nevents * sizeof(*r->w->ev_samples));
	memset(r->w->ev_period, 0, r->hist.nevents * sizeof(*r->w->ev_period));
	/* The wait counts in its kind, in all off-CPU time and in wall time. */
	for (size_t k = 0; k < 3; k++) {
		size_t w = k == 0 ? ev : r->offcpu_event + k + 1;
		r->w->ev_samples[w] = 1;
		r->w->ev_period[w] = ns;
		hist_add(&r->hist, e, w, 1, ns);
	}
	r->w->frame_texts_valid = false;
	r->w->callers_valid = false;
	aggregate_chain(r, t, e, ev);
}

static void setup_symbols(struct report *r);

/* A switch record: the thread (from its sample_id trailer) going out, or
 * coming back, which ends its wait. */
static void handle_switch(struct report *r, const struct perf_event_header *h, size_t idx)
{
	struct offcpu_interval iv;
	struct sample id;

	ensure_hist(r);
	if (!r->offcpu || idx >= r->reader.nattrs || !r->reader.attrs[idx].attr.sample_id_all ||
	    sample_id_parse(h, h->size, r->reader.attrs[idx].attr.sample_type, &id) < 0)
		return;
	if (offcpu_switch(&r->w->offcpu, id.pid, id.tid, id.time, h->misc & PERF_RECORD_MISC_SWITCH_OUT,
			  h->misc & PERF_RECORD_MISC_SWITCH_OUT_PREEMPT, &iv))
		add_offcpu(r, &iv);
}

static void handle_exit(struct report *r, const struct perf_event_header *h)
{
	struct rec_fork f;

	if (r->offcpu && rec_fork_parse(h, &f) == 0)
		offcpu_exit(&r->w->offcpu, f.tid);
}

static int deliver(void *arg, const struct perf_event_header *h, const void *ctx)
{
	struct report *r = arg;

	if (!r->syms)
		setup_symbols(r);

	/* An index, not a pointer: pipe-mode attrs may move while records wait. */
	size_t idx = (size_t)(uintptr_t)ctx;

	if (h->type == PERF_RECORD_SAMPLE && idx < r->reader.nattrs)
		handle_sample(r, h, &r->reader.attrs[idx]);
	else if (h->type == PERF_RECORD_SWITCH || h->type == PERF_RECORD_SWITCH_CPU_WIDE)
		handle_switch(r, h, idx);
	else if (h->type == PERF_RECORD_EXIT)
		handle_exit(r, h);
	else
		session_process(&r->w->session, h);
	return 0;
}

static void apply_build_ids(struct report *r)
{
	for (size_t i = 0; i < r->reader.nbuild_ids; i++) {
		const struct pd_build_id *b = &r->reader.build_ids[i];
		if (b->filename[0] == '/')
			dso_set_recorded_build_id(symbols_dso(r->syms, b->filename), b->id, b->size);
	}
}

/* Symbol tables, address spaces and the unwinder. A pipe stream says which
 * host and kernel it comes from in records: this waits for the first delivery. */
static void setup_symbols(struct report *r)
{
	struct symbols_opts so = {
		.symfs = r->opts.symfs,
		.debug_dir = r->opts.debug_dir,
	};

	r->kernel_match = r->opts.no_kallsyms ? KERNEL_OTHER : same_kernel(&r->reader);
	r->w->pcs = xmalloc(UNWIND_MAX_FRAMES * sizeof(*r->w->pcs));
	so.use_kallsyms = r->kernel_match != KERNEL_OTHER;
	so.running_kernel = r->kernel_match == KERNEL_SAME;
	r->w->own_syms = !r->opts.syms;
	r->syms = r->opts.syms ? r->opts.syms : symbols_new(&so);
	session_init(&r->w->session, r->syms);
	/* Unwinding is most of the cost of a DWARF report: done only when
	 * something shows the call chains, as perf report -g none skips it too. */
	find_offcpu_events(r);
	if (r->opts.children || r->opts.callgraph || r->opts.collect_stacks || r->offcpu)
		r->w->unwinder = unwind_new(r->syms, r->reader.arch ? arch_by_name(r->reader.arch) : arch_host());
	apply_build_ids(r);
}

int report_load(struct report *r, const struct report_opts *opts, char *err, size_t errlen)
{
	const struct perf_event_header *h;
	int rc;

	memset(r, 0, sizeof(*r));
	r->w = xcalloc(1, sizeof(*r->w));
	r->w->cs_event = -1;
	r->oncpu_event = -1;
	offcpu_init(&r->w->offcpu);
	r->opts = *opts;
	ordered_init(&r->w->ordered);
	rc = pdr_open(&r->reader, opts->input, err, errlen);
	if (rc < 0)
		return rc;
	if (!r->reader.pipe)
		setup_symbols(r);
	while ((rc = pdr_next(&r->reader, &h, err, errlen)) > 0) {
		const struct pd_attr *a;
		uint64_t time;

		switch (h->type) {
		case PD_RECORD_FINISHED_ROUND:
			ordered_round(&r->w->ordered, deliver, r);
			pdr_done_before(&r->reader, ordered_lowest_kept(&r->w->ordered));
			continue;
		case PERF_RECORD_LOST_SAMPLES:
			{
				uint64_t n;
				if (rec_lost_samples_parse(h, &n) == 0)
					r->lost_samples += n;
			}
			continue;
		case PERF_RECORD_LOST:
			{
				uint64_t n;
				if (rec_lost_parse(h, &n) == 0)
					r->lost_records += n;
			}
			continue;
		case PERF_RECORD_SAMPLE:
		case PERF_RECORD_MMAP:
		case PERF_RECORD_MMAP2:
		case PERF_RECORD_COMM:
		case PERF_RECORD_FORK:
		case PERF_RECORD_EXIT:
		case PERF_RECORD_SWITCH:
		case PERF_RECORD_SWITCH_CPU_WIDE:
			break;
		default:
			continue;
		}
		a = pdr_attr_of(&r->reader, h);
		if (!a && h->type == PERF_RECORD_SAMPLE) {
			r->unattributed++;
			continue;
		}
		if (!a && r->reader.nattrs)
			a = &r->reader.attrs[0];
		if (!a || record_time(h, h->size, h->type, a->attr.sample_type, a->attr.sample_id_all,
				      &time) < 0)
			time = r->w->last_time;
		r->w->last_time = time;
		if (time > r->w->max_time)
			r->w->max_time = time;
		ordered_push(&r->w->ordered, time, h, pdr_record_stays(&r->reader, h),
			     (const void *)(uintptr_t)(size_t)(a - r->reader.attrs), deliver, r);
		/* Files without rounds are flushed by size only: give pages back as that goes. */
		r->w->queued_since_drop += h->size;
		if (r->w->queued_since_drop > (64u << 20)) {
			pdr_done_before(&r->reader, ordered_lowest_kept(&r->w->ordered));
			r->w->queued_since_drop = 0;
		}
	}
	if (rc < 0)
		return rc;
	ordered_flush(&r->w->ordered, deliver, r);
	if (!r->syms)
		setup_symbols(r);
	else if (r->reader.pipe)
		apply_build_ids(r); /* a stream's build ids come at its end */
	if (!r->reader.nattrs) {
		snprintf(err, errlen, "'%s' describes no events: a pipe-mode stream cut off before its "
			 "first attr record?", opts->input);
		return -HWPROF_E_FORMAT;
	}
	ensure_hist(r);
	if (r->offcpu) {
		struct offcpu_interval iv;
		/* Waits still open when the recording stopped end there. */
		while (offcpu_flush(&r->w->offcpu, r->w->max_time, &iv))
			add_offcpu(r, &iv);
		r->offcpu_intervals = r->w->offcpu.intervals;
		r->offcpu_no_stack = r->w->offcpu.no_stack;
		for (size_t i = 0; i < r->nthreads; i++) {
			const struct thread *t = session_thread(&r->w->session, r->threads[i].pid, r->threads[i].tid);
			r->threads[i].comm = xstrdup(t->comm);
			r->threads[i].shown = thread_passes(r, t);
		}
	}
	r->dwarf_unwound = r->w->unwinder != NULL;
	if (r->w->unwinder)
		r->dwarf = *unwind_stats(r->w->unwinder);
	return 0;
}

void report_release(struct report *r)
{
	if (!r->w)
		return;
	if (r->w->hist_ready)
		hist_release(&r->hist);
	ordered_release(&r->w->ordered);
	unwind_free(r->w->unwinder);
	for (size_t i = 0; i < r->nlocs; i++) {
		free(r->locs[i].name);
		for (size_t j = 0; j < r->locs[i].nframes; j++)
			free(r->locs[i].frames[j]);
		free(r->locs[i].frames);
		for (size_t j = 0; j < r->locs[i].nlines; j++) {
			free(r->locs[i].lines[j].func);
			free(r->locs[i].lines[j].file);
		}
		free(r->locs[i].lines);
	}
	free(r->locs);
	index_release(&r->w->loc_index);
	for (size_t i = 0; i < r->nstacks; i++) {
		free(r->stacks[i].locs);
		free(r->stacks[i].comm);
		free(r->stacks[i].samples);
		free(r->stacks[i].period);
	}
	free(r->stacks);
	index_release(&r->w->stack_index);
	for (size_t i = 0; i < r->naddrs; i++)
		free(r->addrs[i].samples);
	free(r->addrs);
	index_release(&r->w->addr_index);
	free(r->w->ev_samples);
	free(r->w->ev_period);
	if (r->w->frame_texts) {
		struct frame_text *ft = r->w->frame_texts;
		for (size_t i = 0; i < r->w->frames_cap; i++) {
			sb_release(&ft[i].sym);
			sb_release(&ft[i].src);
		}
	}
	free(r->w->frame_texts);
	free(r->w->callers);
	for (size_t i = 0; i < r->w->inl_names_cap; i++)
		sb_release(&r->w->inl_names[i]);
	free(r->w->inl_names);
	sb_release(&r->w->cur_frame.sym);
	sb_release(&r->w->cur_frame.src);
	free(r->w->frames);
	free(r->w->pcs);
	session_release(&r->w->session);
	if (r->w->own_syms)
		symbols_free(r->syms);
	pdr_close(&r->reader);
	free(r->samples);
	free(r->w->last_read);
	index_release(&r->w->last_index);
	offcpu_release(&r->w->offcpu);
	for (size_t i = 0; i < r->w->ntp_formats; i++)
		tp_format_release(&r->w->tp_formats[i]);
	free(r->w->tp_formats);
	free(r->w->tp_state);
	sb_release(&r->w->trace_sb);
	index_release(&r->w->thread_index);
	for (size_t i = 0; i < r->nthreads; i++)
		free(r->threads[i].comm);
	free(r->threads);
	free(r->w);
	memset(r, 0, sizeof(*r));
}
