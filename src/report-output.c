/* Top tables and JSON from a report; every derived metric comes from metrics.c. */
#include "hwprof/report-output.h"
#include "hwprof/export.h"
#include "hwprof/json.h"
#include "hwprof/metrics.h"
#include "hwprof/util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Events the derived metrics are made of, located by what they count. */
struct metric_events {
	long cycles, instructions, misses, branches, branch_misses;
};

static void find_metric_events(const struct report *r, struct metric_events *m)
{
	m->cycles = m->instructions = m->misses = m->branches = m->branch_misses = -1;
	for (size_t i = 0; i < report_nevents(r); i++) {
		const struct perf_event_attr *a = report_event_attr(r, i);
		if (!a)
			continue;
		if (a->type == PERF_TYPE_HARDWARE) {
			switch (a->config) {
			case PERF_COUNT_HW_CPU_CYCLES: if (m->cycles < 0) m->cycles = (long)i; break;
			case PERF_COUNT_HW_INSTRUCTIONS: if (m->instructions < 0) m->instructions = (long)i; break;
			case PERF_COUNT_HW_CACHE_MISSES: if (m->misses < 0) m->misses = (long)i; break;
			case PERF_COUNT_HW_BRANCH_INSTRUCTIONS: if (m->branches < 0) m->branches = (long)i; break;
			case PERF_COUNT_HW_BRANCH_MISSES: if (m->branch_misses < 0) m->branch_misses = (long)i; break;
			default: break;
			}
		} else if (a->type == PERF_TYPE_HW_CACHE && ((a->config >> 16) & 0xff) == 1 && m->misses < 0) {
			m->misses = (long)i;
		}
	}
}

static double val(const struct hist_entry *e, long ev)
{
	return ev < 0 ? NAN : e->period[ev];
}

static double pct(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : 0.0;
}

static bool row_visible(const struct report *r, const struct hist_entry *e, const struct report_view *v)
{
	for (size_t i = 0; i < r->hist.nevents; i++) {
		double share = pct(v->children ? e->children[i] : e->period[i], r->hist.total_period[i]);
		if (share >= v->percent_limit && (e->samples[i] || e->period[i] > 0 || v->children))
			return true;
	}
	return false;
}

/* A number from the recording's PD_FEAT_HWPROF lines, or -1. */
static long long recorded_stat(const struct report *r, const char *key)
{
	const char *p = r->reader.hwprof_stats;
	size_t len = strlen(key);

	for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, len) && p[len] == '=')
			return strtoll(p + len + 1, NULL, 10);
	return -1;
}

static double seconds(double ns)
{
	return ns / 1e9;
}

static void print_header(FILE *f, const struct report *r, const struct report_view *v)
{
	const struct pd_reader *rd = &r->reader;

	fprintf(f, "# hwprof report of '%s' (%s)\n", rd->path, rd->pipe ? "pipe mode" : "file mode");
	if (rd->cmdline)
		fprintf(f, "# recorded with: %s\n", rd->cmdline);
	if (rd->hostname || rd->osrelease || rd->arch)
		fprintf(f, "# on: %s, Linux %s, %s%s%.0u%s\n", rd->hostname ? rd->hostname : "?",
			rd->osrelease ? rd->osrelease : "?", rd->arch ? rd->arch : "?",
			rd->nr_cpus_online ? ", " : "", rd->nr_cpus_online,
			rd->nr_cpus_online ? " CPUs online" : "");
	/* With --comm/--pid/--dso, what the rows' shares are of: the samples shown. */
	for (size_t i = 0; i < report_nevents(r); i++) {
		if (!report_event_attr(r, i))
			fprintf(f, "# weight '%s': %llu %s%s, %.6f s\n", report_event_name(r, i),
				(unsigned long long)r->hist.total_samples[i],
				i == r->offcpu_event + 3 ? "samples and waits" : "waits", r->filtered ? " shown" : "",
				seconds(r->hist.total_period[i]));
		else if (r->filtered)
			fprintf(f, "# event '%s': %llu samples shown of %llu recorded, period %.0f\n",
				report_event_name(r, i), (unsigned long long)r->hist.total_samples[i],
				(unsigned long long)r->samples[i], r->hist.total_period[i]);
		else
			fprintf(f, "# event '%s': %llu samples, period %.0f\n", report_event_name(r, i),
				(unsigned long long)r->samples[i], r->hist.total_period[i]);
	}
	if (r->offcpu && !v->event_named)
		fputs("# rows ranked by wall-clock time: on-CPU, blocked and runnable\n", f);
	else if (report_nevents(r) > 1)
		fprintf(f, "# rows ranked by '%s'%s\n", report_event_name(r, v->event),
			v->event_named ? "" : v->event ? " (the first event with samples)" : "");
	fprintf(f, "# lost samples: %llu\n", (unsigned long long)(r->lost_samples + r->lost_records));
	if (r->has_dwarf && r->dwarf_unwound) {
		const struct unwind_stats *us = &r->dwarf;
		fprintf(f, "# DWARF unwinding: %llu of %llu samples reached the thread's entry, %llu stopped "
			   "early%s\n", (unsigned long long)us->complete, (unsigned long long)us->samples,
			(unsigned long long)us->truncated,
			us->samples && us->truncated * 10 > us->samples
				? " (a truncated stack copy is the usual cause: record with "
				  "--call-graph dwarf,16384)"
				: "");
	} else if (r->has_dwarf) {
		fputs("# DWARF call chains: recorded, not unwound (-g, --children and the exports use them)\n", f);
	}
	if (r->lbr_samples)
		fprintf(f, "# call chains: %llu user parts from LBR call stacks\n",
			(unsigned long long)r->lbr_samples);
	if (recorded_stat(r, "fp_checked") >= 0)
		fprintf(f, "# -g chains: %lld got the caller a frameless function hid, from its CFI, when "
			   "recorded; %lld could not be checked (no CFI)\n",
			recorded_stat(r, "fp_repaired"), recorded_stat(r, "fp_unchecked"));
	if (r->filtered)
		fprintf(f, "# filtered out: %llu samples\n", (unsigned long long)r->filtered);
	fputs("#\n", f);
}

/* Missing files are summed up in one line (a foreign recording misses them
 * all); files that changed since recording are named one by one. */
static void report_print_dso_notes(FILE *f, struct report *r)
{
	const struct dso *first_missing = NULL;
	size_t missing = 0;

	for (size_t i = 0; i < symbols_ndsos(r->syms); i++) {
		const struct dso *d = symbols_dso_at(r->syms, i);
		if (!dso_problem(d))
			continue;
		if (dso_missing(d)) {
			if (!missing++)
				first_missing = d;
			continue;
		}
		fprintf(f, "hwprof: note: no symbols for '%s': %s\n", dso_name(d), dso_problem(d));
	}
	if (missing == 1)
		fprintf(f, "hwprof: note: no symbols for '%s': %s\n", dso_name(first_missing),
			dso_problem(first_missing));
	else if (missing > 1)
		fprintf(f, "hwprof: note: no symbols for %zu files that are not on this machine, "
			   "such as '%s' (deleted since recording, or recorded elsewhere: "
			   "--symfs DIR finds copies under DIR)\n", missing, dso_name(first_missing));
}

void report_print_notes(FILE *f, struct report *r)
{
	if (hwprof_quiet())
		return;
	if (r->undecodable)
		fprintf(f, "hwprof: note: %llu samples did not fit their event's layout and were skipped\n",
			(unsigned long long)r->undecodable);
	if (r->unattributed)
		fprintf(f, "hwprof: note: %llu samples belong to no event described in the file\n",
			(unsigned long long)r->unattributed);
	if (r->reader.aux_records)
		fprintf(f, "hwprof: note: the recording holds hardware trace data (%llu AUX records: Intel PT, "
			   "CoreSight, ...), which hwprof does not decode; only its samples are shown\n",
			(unsigned long long)r->reader.aux_records);
	if (r->opts.callgraph && !r->has_callchains && !r->has_dwarf && r->hist.nr)
		fprintf(f, "hwprof: note: -g shows callers, but '%s' was recorded without call chains "
			   "(record with -g or --call-graph dwarf)\n", r->reader.path);
	if (recorded_stat(r, "fp_unchecked") > 0)
		fprintf(f, "hwprof: note: %lld call chains start in code without CFI (JIT code, or a file "
			   "without .eh_frame): they are as the kernel walked them, and may skip the caller of "
			   "their first function\n", recorded_stat(r, "fp_unchecked"));
	if (r->chains_cut)
		fprintf(f, "hwprof: note: %llu call chains have %u frames, the kernel's limit when recorded: they "
			   "were cut there (sysctl kernel.perf_event_max_stack=N raises it for the next recording)\n",
			(unsigned long long)r->chains_cut, r->chain_limit);
	if (r->kernel_match == KERNEL_OTHER && !r->opts.no_kallsyms)
		fprintf(f, "hwprof: note: the recording's kernel is not the running one: kernel addresses "
			   "are shown unresolved\n");
	else if (r->kernel_match == KERNEL_UNKNOWN && r->kernel_frames)
		fprintf(f, "hwprof: note: the recording does not say which kernel it was made on (cut "
			   "short?): kernel symbols are the running kernel's\n");
	else if (symbols_kallsyms_unreadable(r->syms))
		fprintf(f, "hwprof: note: /proc/kallsyms is not readable (kernel.kptr_restrict?): "
			   "kernel addresses are shown unresolved\n");
	report_print_dso_notes(f, r);
}

static int cmp_callnode(const void *a, const void *b)
{
	const struct hist_callnode *x = *(struct hist_callnode *const *)a;
	const struct hist_callnode *y = *(struct hist_callnode *const *)b;

	if (x->period != y->period)
		return x->period > y->period ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* perf's callee-first graph: a lone caller continues the column; several
 * callers branch with their share of the event total. */
static void print_callers(FILE *f, struct hist_callnode *n, struct strbuf *prefix, double total,
			  double limit)
{
	size_t base = prefix->len, shown = 0;

	if (n->nkids > 1)
		qsort(n->kids, n->nkids, sizeof(*n->kids), cmp_callnode);
	for (size_t i = 0; i < n->nkids; i++)
		shown += pct(n->kids[i]->period, total) >= limit;
	if (shown == 1 && n->nkids == 1) {
		fprintf(f, "%s%s\n", prefix->buf, n->kids[0]->name);
		print_callers(f, n->kids[0], prefix, total, limit);
		return;
	}
	for (size_t i = 0, k = 0; i < n->nkids; i++) {
		struct hist_callnode *c = n->kids[i];
		char head[32];
		bool last;

		if (pct(c->period, total) < limit)
			continue;
		last = ++k == shown;
		snprintf(head, sizeof(head), "--%.2f%%--", pct(c->period, total));
		fprintf(f, "%s|\n%s%s%s%s\n", prefix->buf, prefix->buf, last ? " " : "|", head, c->name);
		sb_puts(prefix, last ? " " : "|");
		for (size_t s = 0; s < strlen(head); s++)
			sb_puts(prefix, " ");
		print_callers(f, c, prefix, total, limit);
		prefix->len = base;
		prefix->buf[base] = '\0';
	}
}

static void print_callgraph(FILE *f, const struct report *r, const struct hist_entry *e,
			    const struct report_view *v)
{
	struct strbuf prefix = { 0 };

	struct hist_callnode *root = e->callers ? e->callers[v->event] : NULL;

	if (!root || !root->nkids)
		return;
	fprintf(f, "            |\n            ---%s\n", e->p.sym);
	sb_puts(&prefix, "               ");
	print_callers(f, root, &prefix, r->hist.total_period[v->event], v->callgraph_limit);
	fputc('\n', f);
	sb_release(&prefix);
}

/* Widens WIDTH (per key) to E's padded key columns. */
static void widen_keys(const struct report *r, const struct hist_entry *e, int *width, struct strbuf *cell)
{
	for (size_t k = 0; k < r->hist.nkeys; k++) {
		enum hist_key key = r->hist.keys[k];
		if (!hist_keys[key].pad)
			continue;
		sb_reset(cell);
		hist_key_format(cell, key, &e->p);
		if ((int)cell->len > width[key])
			width[key] = (int)cell->len;
	}
}

/* The key columns' titles, and the end of the header. */
static void print_key_titles(FILE *f, const struct report *r, const int *width)
{
	for (size_t k = 0; k < r->hist.nkeys; k++) {
		const struct hist_key_desc *d = &hist_keys[r->hist.keys[k]];
		fprintf(f, d->is_text ? "  %-*s" : "  %*s", d->pad || !d->is_text ? width[r->hist.keys[k]] : 0, d->title);
	}
	fputs("\n#\n", f);
}

/* A row's key columns, padded to WIDTH, and the end of the line. */
static void print_key_cells(FILE *f, const struct report *r, const struct hist_entry *e, const int *width,
			    struct strbuf *cell)
{
	for (size_t k = 0; k < r->hist.nkeys; k++) {
		enum hist_key key = r->hist.keys[k];
		sb_reset(cell);
		hist_key_format(cell, key, &e->p);
		fprintf(f, "  %-*s", hist_keys[key].pad ? width[key] : 0, cell->buf);
	}
	fputc('\n', f);
}

/* The events wall-clock time is made of: on-CPU (a time event), blocked, runnable. */
static size_t wall_events(const struct report *r, uint64_t ev[3])
{
	size_t n = 0;

	if (r->oncpu_event >= 0)
		ev[n++] = (uint64_t)r->oncpu_event;
	ev[n++] = r->offcpu_event;
	ev[n++] = r->offcpu_event + 1;
	return n;
}

/* Per thread: where its elapsed time went. */
static void print_thread_times(FILE *f, const struct report *r)
{
	uint64_t waits = 0, no_stack = 0;

	for (size_t i = 0; i < r->nthreads; i++)
		if (r->threads[i].shown) {
			waits += r->threads[i].intervals;
			no_stack += r->threads[i].no_stack;
		}
	fprintf(f, "# off-CPU: %llu waits, %s; %llu without a stack\n", (unsigned long long)waits,
		r->offcpu_exact ? "each charged to the stack where it began (a sample at every switch-out)"
				: "each charged to the thread's last on-CPU sample (the recording has no sample "
				  "at switch-outs: made as a user, or without --off-cpu), which may not be where it blocked",
		(unsigned long long)no_stack);
	if (r->oncpu_event < 0)
		fputs("# on-CPU time: none (no cpu-clock or task-clock samples in the recording)\n", f);
	fprintf(f, "#\n# %10s %10s %10s %10s %8s  %s\n", "Wall s", "On-CPU s", "Blocked s", "Runnable s", "Waits",
		"Thread");
	for (size_t i = 0; i < r->nthreads; i++) {
		const struct report_thread_time *t = &r->threads[i];
		if (!t->shown)
			continue;
		fprintf(f, "# %10.3f %10.3f %10.3f %10.3f %8llu  %s/%u\n", seconds(t->oncpu + t->blocked + t->runnable),
			seconds(t->oncpu), seconds(t->blocked), seconds(t->runnable), (unsigned long long)t->intervals,
			t->comm ? t->comm : "?", t->tid);
	}
}

/* A recording with switch records: time per row, on and off the CPU. */
static int print_time_table(FILE *f, const struct report *r, const struct report_view *v)
{
	uint64_t ev[3];
	size_t nev = wall_events(r, ev), shown = 0;
	const struct hist_entry **sorted = hist_sorted_sum(&r->hist, ev, nev, v->children);
	long on = r->oncpu_event;
	size_t b = r->offcpu_event, q = r->offcpu_event + 1;
	double total = 0;
	int width[HK_NR];
	struct strbuf cell = { 0 };

	print_header(f, r, v);
	print_thread_times(f, r);
	for (size_t k = 0; k < nev; k++)
		total += r->hist.total_period[ev[k]];
	for (size_t k = 0; k < HK_NR; k++)
		width[k] = hist_keys[k].width;
	for (size_t i = 0; i < r->hist.nr; i++)
		widen_keys(r, sorted[i], width, &cell);
	fprintf(f, "#\n# %s%7s %9s %9s %9s %9s %9s", v->children ? "inclusive " : "", "Wall", "Wall s", "On-CPU s",
		"Off-CPU s", "Blocked s", "Runnable s");
	print_key_titles(f, r, width);
	for (size_t i = 0; i < r->hist.nr; i++) {
		const struct hist_entry *e = sorted[i];
		const double *val = v->children ? e->children : e->period;
		double oncpu = on >= 0 ? val[on] : 0, wall = oncpu + val[b] + val[q];
		double share = total > 0 ? 100.0 * wall / total : 0;

		if (wall <= 0 || share < v->percent_limit)
			continue;
		if (v->top && shown >= v->top)
			break;
		shown++;
		fprintf(f, "  %s%6.2f%% %9.3f %9.3f %9.3f %9.3f %9.3f", v->children ? "          " : "", share,
			seconds(wall), seconds(oncpu), seconds(val[b] + val[q]), seconds(val[b]), seconds(val[q]));
		print_key_cells(f, r, e, width, &cell);
		if (v->callgraph)
			print_callgraph(f, r, e, v);
	}
	free(sorted);
	sb_release(&cell);
	return ferror(f) ? -EIO : 0;
}

int report_print_table(FILE *f, const struct report *r, const struct report_view *v)
{
	size_t nev = r->hist.nevents, shown = 0;
	struct metric_events me;
	bool ipc, mpki, brm, multi = nev > 1;
	int width[HK_NR];
	const struct hist_entry **sorted;
	struct strbuf cell = { 0 };

	find_metric_events(r, &me);
	ipc = me.cycles >= 0 && me.instructions >= 0;
	mpki = me.misses >= 0 && me.instructions >= 0;
	brm = me.branches >= 0 && me.branch_misses >= 0;
	size_t ev = v->event;

	if (r->offcpu && !v->event_named)
		return print_time_table(f, r, v);
	sorted = hist_sorted(&r->hist, ev, v->children);
	print_header(f, r, v);

	for (size_t k = 0; k < HK_NR; k++)
		width[k] = hist_keys[k].width;
	for (size_t i = 0; i < r->hist.nr; i++)
		if (row_visible(r, sorted[i], v))
			widen_keys(r, sorted[i], width, &cell);
	fputs("#", f);
	if (v->children)
		fputs(" Children     Self", f);
	else if (!multi)
		fputs(" Overhead", f);
	if (multi)
		for (size_t k = 0; k < nev; k++)
			fprintf(f, " %*s", (int)(strlen(report_event_name(r, k)) > 8 ? strlen(report_event_name(r, k)) : 8),
				report_event_name(r, k));
	if (ipc)
		fputs("    IPC", f);
	if (mpki)
		fputs("    MPKI", f);
	if (brm)
		fputs("  BrMiss", f);
	fputs("  Samples", f);
	print_key_titles(f, r, width);

	for (size_t i = 0; i < r->hist.nr; i++) {
		const struct hist_entry *e = sorted[i];
		uint64_t samples = 0;

		if (!row_visible(r, e, v))
			continue;
		if (v->top && shown >= v->top)
			break;
		shown++;
		fputs(" ", f);
		if (v->children)
			fprintf(f, " %7.2f%% %7.2f%%", pct(e->children[ev], r->hist.total_period[ev]),
				pct(e->period[ev], r->hist.total_period[ev]));
		else if (!multi)
			fprintf(f, " %7.2f%%", pct(e->period[ev], r->hist.total_period[ev]));
		if (multi)
			for (size_t k = 0; k < nev; k++) {
				int w = (int)(strlen(report_event_name(r, k)) > 8 ? strlen(report_event_name(r, k)) : 8);
				fprintf(f, " %*.2f%%", w - 1, pct(e->period[k], r->hist.total_period[k]));
			}
		if (ipc) {
			double x = metric_ipc(val(e, me.instructions), val(e, me.cycles));
			isnan(x) ? fprintf(f, "  %5s", "-") : fprintf(f, "  %5.2f", x);
		}
		if (mpki) {
			double x = metric_mpki(val(e, me.misses), val(e, me.instructions));
			isnan(x) ? fprintf(f, "  %6s", "-") : fprintf(f, "  %6.2f", x);
		}
		if (brm) {
			double x = metric_pct(val(e, me.branch_misses), val(e, me.branches));
			isnan(x) ? fprintf(f, "  %5s%%", "-") : fprintf(f, "  %5.1f%%", x);
		}
		for (size_t k = 0; k < nev; k++)
			samples += e->samples[k];
		fprintf(f, "  %7llu", (unsigned long long)samples);
		print_key_cells(f, r, e, width, &cell);
		if (v->callgraph)
			print_callgraph(f, r, e, v);
	}
	free(sorted);
	sb_release(&cell);
	return ferror(f) ? -EIO : 0;
}

static void json_metric(struct json *j, const char *name, double x)
{
	if (isnan(x))
		return;
	json_key(j, name);
	json_number(j, x);
}

/* A row's time in seconds: on-CPU, blocked, runnable, and their sum. */
static void json_times(struct json *j, const struct report *r, const double *val)
{
	double on = r->oncpu_event >= 0 ? val[r->oncpu_event] : 0;
	double b = val[r->offcpu_event], q = val[r->offcpu_event + 1];

	json_key(j, "time_s");
	json_object(j);
	json_key(j, "wall");
	json_number(j, seconds(on + b + q));
	json_key(j, "on_cpu");
	if (r->oncpu_event >= 0)
		json_number(j, seconds(on));
	else
		json_null(j);
	json_key(j, "off_cpu");
	json_number(j, seconds(b + q));
	json_key(j, "blocked");
	json_number(j, seconds(b));
	json_key(j, "runnable");
	json_number(j, seconds(q));
	json_end(j);
}

static void json_offcpu(struct json *j, const struct report *r)
{
	json_key(j, "off_cpu");
	json_object(j);
	json_key(j, "stacks");
	json_string(j, r->offcpu_exact ? "switch-out" : "last-on-cpu-sample");
	json_key(j, "threads");
	json_array(j);
	for (size_t i = 0; i < r->nthreads; i++) {
		const struct report_thread_time *t = &r->threads[i];
		if (!t->shown)
			continue;
		json_object(j);
		json_key(j, "comm");
		json_string(j, t->comm);
		json_key(j, "pid");
		json_uint(j, t->pid);
		json_key(j, "tid");
		json_uint(j, t->tid);
		json_key(j, "wall_s");
		json_number(j, seconds(t->oncpu + t->blocked + t->runnable));
		json_key(j, "on_cpu_s");
		json_number(j, seconds(t->oncpu));
		json_key(j, "blocked_s");
		json_number(j, seconds(t->blocked));
		json_key(j, "runnable_s");
		json_number(j, seconds(t->runnable));
		json_key(j, "waits");
		json_uint(j, t->intervals);
		json_key(j, "waits_without_stack");
		json_uint(j, t->no_stack);
		json_end(j);
	}
	json_end(j);
	json_end(j);
}

int report_print_json(FILE *f, const struct report *r, const struct report_view *v)
{
	struct metric_events me;
	size_t shown = 0;
	struct json j;
	const struct hist_entry **sorted;

	find_metric_events(r, &me);
	if (r->offcpu && !v->event_named) {
		uint64_t ev[3];
		size_t n = wall_events(r, ev);
		sorted = hist_sorted_sum(&r->hist, ev, n, v->children);
	} else {
		sorted = hist_sorted(&r->hist, v->event, v->children);
	}
	json_init(&j, f, true);
	json_object(&j);
	json_key(&j, "file");
	json_string(&j, r->reader.path);
	json_key(&j, "pipe_mode");
	json_bool(&j, r->reader.pipe);
	json_key(&j, "cmdline");
	json_string(&j, r->reader.cmdline);
	json_key(&j, "events");
	json_array(&j);
	for (size_t i = 0; i < report_nevents(r); i++) {
		json_object(&j);
		json_key(&j, "name");
		json_string(&j, report_event_name(r, i));
		json_key(&j, "samples");
		json_uint(&j, r->hist.total_samples[i]);
		json_key(&j, "samples_recorded");
		json_uint(&j, r->samples[i]);
		/* The off-CPU weights are computed from switch records, not recorded. */
		json_key(&j, "recorded");
		json_bool(&j, report_event_attr(r, i) != NULL);
		json_key(&j, "period_total");
		json_number(&j, r->hist.total_period[i]);
		json_key(&j, "lost");
		json_uint(&j, i == 0 ? r->lost_samples + r->lost_records : 0);
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "ranked_by");
	json_string(&j, report_event_name(r, v->event));
	json_key(&j, "lost_samples");
	json_uint(&j, r->lost_samples + r->lost_records);
	json_key(&j, "callchains");
	json_object(&j);
	json_key(&j, "recorded");
	json_bool(&j, r->has_callchains || r->has_dwarf);
	/* A DWARF recording's depth is known only once unwound. */
	json_key(&j, "max_depth");
	if (r->has_dwarf && !r->dwarf_unwound)
		json_null(&j);
	else
		json_uint(&j, r->max_depth);
	if (r->has_dwarf && r->dwarf_unwound) {
		const struct unwind_stats *us = &r->dwarf;
		json_key(&j, "dwarf_samples");
		json_uint(&j, us->samples);
		json_key(&j, "dwarf_complete");
		json_uint(&j, us->complete);
		json_key(&j, "dwarf_truncated");
		json_uint(&j, us->truncated);
	}
	if (r->has_dwarf) {
		json_key(&j, "dwarf_unwound");
		json_bool(&j, r->dwarf_unwound);
	}
	json_end(&j);
	if (r->offcpu)
		json_offcpu(&j, r);
	json_key(&j, "sort");
	json_array(&j);
	for (size_t k = 0; k < r->hist.nkeys; k++)
		json_string(&j, hist_keys[r->hist.keys[k]].json);
	json_end(&j);
	json_key(&j, "rows");
	json_array(&j);
	for (size_t i = 0; i < r->hist.nr; i++) {
		const struct hist_entry *e = sorted[i];

		if (!row_visible(r, e, v))
			continue;
		if (v->top && shown >= v->top)
			break;
		shown++;
		json_object(&j);
		for (size_t k = 0; k < r->hist.nkeys; k++) {
			const struct hist_key_desc *d = &hist_keys[r->hist.keys[k]];
			json_key(&j, d->json);
			if (d->is_text)
				json_string(&j, hist_key_text(d, &e->p));
			else
				json_uint(&j, hist_key_number(d, &e->p));
		}
		json_key(&j, "kernel");
		json_bool(&j, e->p.kernel);
		json_key(&j, "events");
		json_object(&j);
		for (size_t k = 0; k < r->hist.nevents; k++) {
			json_key(&j, report_event_name(r, k));
			json_object(&j);
			json_key(&j, "samples");
			json_uint(&j, e->samples[k]);
			json_key(&j, "period");
			json_number(&j, e->period[k]);
			json_key(&j, "percent");
			json_number(&j, pct(e->period[k], r->hist.total_period[k]));
			if (v->children) {
				json_key(&j, "children_percent");
				json_number(&j, pct(e->children[k], r->hist.total_period[k]));
			}
			json_end(&j);
		}
		json_end(&j);
		json_key(&j, "metrics");
		json_object(&j);
		json_metric(&j, "ipc", metric_ipc(val(e, me.instructions), val(e, me.cycles)));
		json_metric(&j, "mpki", metric_mpki(val(e, me.misses), val(e, me.instructions)));
		json_metric(&j, "branch_miss_pct", metric_pct(val(e, me.branch_misses), val(e, me.branches)));
		json_end(&j);
		if (r->offcpu)
			json_times(&j, r, v->children ? e->children : e->period);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	free(sorted);
	return ferror(f) ? -EIO : 0;
}

static int write_folded(FILE *f, const struct report *r, const struct report_view *v)
{
	return export_folded(f, r, v->event);
}

static int write_svg(FILE *f, const struct report *r, const struct report_view *v)
{
	return export_svg(f, r, v->event, report_event_name(r, v->event), v->heat_event);
}

static int write_pprof(FILE *f, const struct report *r, const struct report_view *v)
{
	return export_pprof(f, r, v->event);
}

/* A new format is one row here (and its man page entry). */
static const struct report_format formats[] = {
	{ "table", false, false, false, report_print_table },
	{ "json", false, false, false, report_print_json },
	{ "folded", true, false, false, write_folded },
	{ "svg", true, false, false, write_svg },
	{ "pprof", true, true, true, write_pprof },
};

const struct report_format *report_format_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++)
		if (!strcmp(formats[i].name, name))
			return &formats[i];
	return NULL;
}

const char *report_format_names(void)
{
	static char names[128];

	if (!names[0])
		for (size_t i = 0; i < ARRAY_SIZE(formats); i++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? ", " : "",
				 formats[i].name);
	return names;
}

