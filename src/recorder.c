/* Per-record work of a recording, between the rings and the perf.data writer. */
#include "hwprof/recorder.h"
#include "hwprof/records.h"
#include "hwprof/buildid.h"
#include "hwprof/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static int cmp_id(const void *a, const void *b)
{
	const struct recorder_id *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

void recorder_init(struct recorder *r, struct pd_writer *w, const struct pd_event *events,
		   size_t nevents, bool trim_stacks)
{
	memset(r, 0, sizeof(*r));
	r->w = w;
	r->nevents = nevents;
	r->trim_stacks = trim_stacks;
	r->fmt = xcalloc(nevents, sizeof(*r->fmt));
	r->samples = xcalloc(nevents, sizeof(*r->samples));
	for (size_t i = 0; i < nevents; i++) {
		r->fmt[i].sample_type = events[i].attr.sample_type;
		r->fmt[i].read_format = events[i].attr.read_format;
		r->fmt[i].regs_user_mask = events[i].attr.sample_regs_user;
		r->max_stack = events[i].attr.sample_max_stack;
		r->nids += events[i].nids;
	}
	r->ids = xcalloc(r->nids, sizeof(*r->ids));
	for (size_t i = 0, k = 0; i < nevents; i++)
		for (size_t j = 0; j < events[i].nids; j++, k++)
			r->ids[k] = (struct recorder_id){ events[i].ids[j], i };
	qsort(r->ids, r->nids, sizeof(*r->ids), cmp_id);
}

void recorder_release(struct recorder *r)
{
	for (size_t i = 0; i < r->ndsos; i++)
		free(r->dsos[i].filename);
	free(r->dsos);
	free(r->ranges);
	free(r->fmt);
	free(r->ids);
	free(r->samples);
	free(r->scratch);
	free(r->repair);
	framefix_free(r->ff);
	memset(r, 0, sizeof(*r));
}

void recorder_repair_chains(struct recorder *r, const struct perf_event_attr *kernel_attrs,
			    const struct arch_info *arch)
{
	r->repair = xcalloc(r->nevents, sizeof(*r->repair));
	for (size_t i = 0; i < r->nevents; i++) {
		const struct perf_event_attr *a = &kernel_attrs[i];
		uint64_t need = PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
		if ((a->sample_type & need) != need || (r->fmt[i].sample_type & PERF_SAMPLE_REGS_USER))
			continue;
		r->repair[i] = true;
		r->regs_mask = a->sample_regs_user;
		/* Samples are parsed as the kernel lays them out. */
		r->fmt[i].sample_type = a->sample_type;
		r->fmt[i].regs_user_mask = a->sample_regs_user;
	}
	r->ff = framefix_new(arch);
}

static long event_of(const struct recorder *r, uint64_t id)
{
	struct recorder_id key = { id, 0 };
	const struct recorder_id *f = bsearch(&key, r->ids, r->nids, sizeof(*r->ids), cmp_id);
	return f ? (long)f->event : -1;
}

static size_t dso_index(struct recorder *r, const char *filename)
{
	for (size_t i = 0; i < r->ndsos; i++)
		if (!strcmp(r->dsos[i].filename, filename))
			return i;
	xgrow((void **)&r->dsos, &r->dsos_cap, r->ndsos + 1, sizeof(*r->dsos));
	r->dsos[r->ndsos] = (struct recorder_dso){ .filename = xstrdup(filename) };
	return r->ndsos++;
}

/* Executable file mappings, kept sorted by start address across processes:
 * a hit in any process's copy of a DSO marks the DSO. */
static void add_range(struct recorder *r, uint32_t pid, uint64_t start, uint64_t len, uint64_t pgoff,
		      const char *filename)
{
	size_t at = r->nranges;

	if ((filename[0] != '/' && strcmp(filename, "[vdso]") != 0) || len == 0)
		return; /* anonymous memory, [stack]: no file, no CFI, no build id */
	xgrow((void **)&r->ranges, &r->ranges_cap, r->nranges + 1, sizeof(*r->ranges));
	while (at > 0 && r->ranges[at - 1].start > start)
		at--;
	memmove(&r->ranges[at + 1], &r->ranges[at], (r->nranges - at) * sizeof(*r->ranges));
	r->ranges[at] = (struct recorder_range){ start, start + len, pgoff, r->nseq++, pid, dso_index(r, filename) };
	r->nranges++;
}

/* The first range starting above IP; the ranges holding IP are before it. */
static size_t ranges_above(const struct recorder *r, uint64_t ip)
{
	size_t lo = 0, hi = r->nranges;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->ranges[mid].start <= ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void mark_hit(struct recorder *r, uint64_t ip, uint16_t cpumode)
{
	if (cpumode == PERF_RECORD_MISC_KERNEL) {
		r->kernel_hit = true;
		return;
	}
	/* Mappings of different processes may overlap: look back a little. */
	for (size_t i = ranges_above(r, ip), n = 0; i > 0 && n < 16; i--, n++) {
		if (ip < r->ranges[i - 1].end) {
			r->dsos[r->ranges[i - 1].dso].hit = true;
			return;
		}
	}
}

static void note_mmap(struct recorder *r, const struct perf_event_header *h)
{
	struct rec_mmap m;

	if (rec_mmap_parse(h, &m) == 0 && (m.prot & PROT_EXEC) && !(h->misc & PERF_RECORD_MISC_MMAP_DATA))
		add_range(r, m.pid, m.start, m.len, m.pgoff, m.filename);
}

void recorder_observe(void *ctx, const struct perf_event_header *h)
{
	if (h->type == PERF_RECORD_MMAP || h->type == PERF_RECORD_MMAP2)
		note_mmap(ctx, h);
}

/*
 * The mapping of IP in process PID: that process's own, else the latest of
 * any process (a child after fork has its parent's mappings and no records
 * of its own). Mappings of different processes overlap: look back a little.
 */
static const struct recorder_range *range_of(const struct recorder *r, uint32_t pid, uint64_t ip)
{
	const struct recorder_range *best = NULL;

	for (size_t i = ranges_above(r, ip), n = 0; i > 0 && n < 64; i--, n++) {
		const struct recorder_range *g = &r->ranges[i - 1];
		if (ip >= g->end)
			continue;
		/* Better: the first, one of PID's over another's, a later one of the same kind. */
		bool better = !best || (g->pid == pid && best->pid != pid) ||
			      ((g->pid == pid) == (best->pid == pid) && g->seq > best->seq);
		if (better)
			best = g;
	}
	return best;
}

/*
 * The callers the kernel's chain skips above its first user frame (at
 * USER + 1): while the function has not set up its frame, its return
 * address from the CFI, then the same for the caller found (libc's
 * nanosleep calls clock_nanosleep, both frameless), until a function whose
 * frame is set up, where the kernel's chain is right again. Returns how
 * many, into INS.
 */
static size_t find_callers(struct recorder *r, const struct sample *s, uint64_t user, uint64_t *ins)
{
	const struct arch_info *arch = framefix_arch(r->ff);
	struct framefix_frame f = { .ip = sample_callchain(s, user + 1) };
	uint64_t regs[64], next = user + 2 < s->callchain_nr ? sample_callchain(s, user + 2) : 0;
	size_t n = 0;

	if (s->regs_nr > 64)
		return 0;
	for (uint64_t i = 0; i < s->regs_nr; i++)
		regs[i] = sample_reg(s, i);
	if (arch_reg_value(regs, r->regs_mask, arch->sp_reg, &f.sp) < 0) {
		r->fp_unchecked++;
		return 0;
	}
	f.copy_sp = f.sp;
	f.have_lr = arch->lr_reg >= 0 && arch_reg_value(regs, r->regs_mask, arch->lr_reg, &f.lr) == 0;
	while (n < FRAMEFIX_MAX_LEVELS) {
		const struct recorder_range *g = range_of(r, s->pid, f.ip);
		uint64_t ra, sp;
		enum framefix_result fr = g ? framefix_caller(r->ff, r->dsos[g->dso].filename, g->start, g->pgoff,
							     &f, s, &ra, &sp)
					    : FRAMEFIX_NO_CFI;
		if (n == 0) {
			if (fr == FRAMEFIX_SET_UP || fr == FRAMEFIX_CALLER)
				r->fp_checked++;
			else
				r->fp_unchecked++;
		}
		/* The kernel's chain goes on from here (its next entry may be
		 * this very caller, when the frame pointer was right after all). */
		if (fr != FRAMEFIX_CALLER || ra == next)
			break;
		ins[n++] = ra;
		f = (struct framefix_frame){ .ip = ra, .ret = true, .sp = sp, .copy_sp = f.copy_sp };
	}
	if (n)
		r->fp_repaired++;
	return n;
}

/*
 * Writes sample S of the kernel's layout as the file's: the skipped caller
 * (when found) after the first user frame, without the registers and stack
 * copy that found it. Returns the new size.
 */
static size_t repair_chain(struct recorder *r, const struct perf_event_header *h, const struct sample *s)
{
	const uint8_t *base = (const uint8_t *)h;
	size_t chain_at = (size_t)(s->callchain - base) - 8;	/* the nr field */
	size_t chain_end = chain_at + 8 + s->callchain_nr * 8;
	size_t regs_at = s->stack_offset - 8 - (s->regs_abi ? s->regs_nr * 8 : 0);
	size_t after = s->stack_offset + 8 + (s->stack_size ? s->stack_size + 8 : 0);
	uint64_t user = UINT64_MAX, ins[FRAMEFIX_MAX_LEVELS], nr;
	size_t out = 0, nins = 0;

	for (uint64_t i = 0; i < s->callchain_nr; i++)
		if (sample_callchain(s, i) == PERF_CONTEXT_USER) {
			user = i;
			break;
		}
	if (user != UINT64_MAX && user + 1 < s->callchain_nr && sample_callchain(s, user + 1) < PERF_CONTEXT_MAX &&
	    s->regs_abi)
		nins = find_callers(r, s, user, ins);
	xgrow((void **)&r->scratch, &r->scratch_cap, h->size + nins * 8, 1);
	memcpy(r->scratch, base, chain_at);
	out = chain_at;
	nr = s->callchain_nr + nins;
	memcpy(r->scratch + out, &nr, 8);
	out += 8;
	for (uint64_t i = 0; i < s->callchain_nr; i++) {
		uint64_t e = sample_callchain(s, i);
		memcpy(r->scratch + out, &e, 8);
		out += 8;
		if (i == user + 1 && nins) {
			memcpy(r->scratch + out, ins, nins * 8);
			out += nins * 8;
		}
	}
	memcpy(r->scratch + out, base + chain_end, regs_at - chain_end);
	out += regs_at - chain_end;
	memcpy(r->scratch + out, base + after, h->size - after);
	out += h->size - after;
	((struct perf_event_header *)r->scratch)->size = (uint16_t)out;
	return out;
}

/* Rewrites a sample keeping only the dyn_size valid bytes of its stack copy
 * (rounded up to 8). perf reads the size field of each record, so a shorter
 * copy is as valid as the full one. Returns the new size, or 0 to keep it. */
static size_t trim_stack(struct recorder *r, const struct perf_event_header *h,
			 const struct sample *s)
{
	uint64_t keep = (s->stack_dyn_size + 7) & ~7ull;
	size_t head = s->stack_offset + 8;	   /* up to and including the size field */
	size_t tail_at = head + s->stack_size;	   /* the dyn_size field and what follows */
	size_t tail = h->size - tail_at;
	size_t out;

	if (s->stack_size == 0 || keep >= s->stack_size)
		return 0;
	out = head + keep + tail;
	if (keep == 0)
		out = s->stack_offset + 8 + (tail - 8); /* size 0 carries no dyn_size */
	xgrow((void **)&r->scratch, &r->scratch_cap, h->size, 1);
	memcpy(r->scratch, h, head);
	memcpy(r->scratch + s->stack_offset, &keep, 8);
	if (keep) {
		memcpy(r->scratch + head, (const uint8_t *)h + head, keep);
		memcpy(r->scratch + head + keep, (const uint8_t *)h + tail_at, tail);
	} else {
		memcpy(r->scratch + head, (const uint8_t *)h + tail_at + 8, tail - 8);
	}
	((struct perf_event_header *)r->scratch)->size = (uint16_t)out;
	r->stack_bytes_dropped += h->size - out;
	return out;
}

int recorder_record(void *ctx, const struct perf_event_header *h)
{
	struct recorder *r = ctx;
	const void *rec = h;
	size_t len = h->size;

	switch (h->type) {
	case PERF_RECORD_SAMPLE: {
		uint64_t id;
		long ev;
		struct sample s;

		if (rec_sample_identifier(h, &id) < 0) /* the recorder sets PERF_SAMPLE_IDENTIFIER */
			break;
		ev = event_of(r, id);
		if (ev < 0) {
			r->unknown_ids++;
			break;
		}
		r->samples[ev]++;
		if (sample_parse(h, h->size, &r->fmt[ev], &s) < 0)
			break;
		mark_hit(r, s.ip, h->misc & PERF_RECORD_MISC_CPUMODE_MASK);
		if (r->max_stack && sample_chain_frames(&s) >= r->max_stack)
			r->chains_cut++;
		if (r->repair && r->repair[ev]) {
			len = repair_chain(r, h, &s);
			rec = r->scratch;
		} else if (r->trim_stacks && (r->fmt[ev].sample_type & PERF_SAMPLE_STACK_USER)) {
			size_t n = trim_stack(r, h, &s);
			if (n) {
				rec = r->scratch;
				len = n;
			}
		}
		break;
	}
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
		if (!r->repair) /* else recorder_observe saw it, before every sample of the drain */
			note_mmap(r, h);
		break;
	case PERF_RECORD_LOST:
		{
			uint64_t lost;
			if (rec_lost_parse(h, &lost) == 0) {
				r->lost_samples += lost;
				r->lost_records++;
			}
		}
		break;
	case PERF_RECORD_THROTTLE:
		r->throttles++;
		break;
	default:
		break;
	}
	r->since_round = true;
	return pdw_write(r->w, rec, len);
}

int recorder_round(struct recorder *r)
{
	struct perf_event_header h = { .type = PD_RECORD_FINISHED_ROUND, .size = sizeof(h) };

	if (!r->since_round)
		return 0;
	r->since_round = false;
	return pdw_write(r->w, &h, sizeof(h));
}

size_t recorder_build_ids(struct recorder *r, struct pd_build_id **out)
{
	struct pd_build_id *ids = xcalloc(r->ndsos + 1, sizeof(*ids));
	size_t n = 0;
	int len;

	if (r->kernel_hit && (len = buildid_of_kernel(ids[n].id)) > 0) {
		ids[n].pid = -1;
		ids[n].misc = PERF_RECORD_MISC_KERNEL;
		ids[n].size = (uint8_t)len;
		ids[n].filename = "[kernel.kallsyms]";
		n++;
	}
	for (size_t i = 0; i < r->ndsos; i++) {
		if (!r->dsos[i].hit)
			continue;
		len = buildid_of_file(r->dsos[i].filename, ids[n].id);
		if (len <= 0)
			continue; /* deleted since, or built without an id */
		ids[n].pid = -1;
		ids[n].misc = PERF_RECORD_MISC_USER;
		ids[n].size = (uint8_t)len;
		ids[n].filename = r->dsos[i].filename;
		n++;
	}
	*out = ids;
	return n;
}
