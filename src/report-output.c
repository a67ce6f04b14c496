/* Top tables and JSON from a report; every derived metric comes from metrics.c. */
#include "hwprof/report-output.h"
#include "hwprof/metrics.h"
#include "hwprof/util.h"

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
		const struct perf_event_attr *a = &r->reader.attrs[i].attr;
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

static const char *sym_prefix(const struct hist_entry *e)
{
	return e->p.kernel ? "[k] " : "[.] ";
}

static void print_header(FILE *f, struct report *r)
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
	for (size_t i = 0; i < report_nevents(r); i++)
		fprintf(f, "# event '%s': %llu samples, period %.0f\n", report_event_name(r, i),
			(unsigned long long)r->samples[i], r->hist.total_period[i]);
	fprintf(f, "# lost samples: %llu\n", (unsigned long long)(r->lost_samples + r->lost_records));
	if (r->has_dwarf && r->unwinder) {
		const struct unwind_stats *us = unwind_stats(r->unwinder);
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
	if (r->undecodable)
		fprintf(f, "hwprof: note: %llu samples did not fit their event's layout and were skipped\n",
			(unsigned long long)r->undecodable);
	if (r->unattributed)
		fprintf(f, "hwprof: note: %llu samples belong to no event described in the file\n",
			(unsigned long long)r->unattributed);
	if (!r->kernel_matches)
		fprintf(f, "hwprof: note: the recording's kernel is not the running one: kernel addresses "
			   "are shown unresolved\n");
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

	if (!e->callers || !e->callers->nkids)
		return;
	fprintf(f, "            |\n            ---%s\n", e->p.sym);
	sb_puts(&prefix, "               ");
	print_callers(f, e->callers, &prefix, r->hist.total_period[0], v->callgraph_limit);
	fputc('\n', f);
	sb_release(&prefix);
}

void report_print_table(FILE *f, struct report *r, const struct report_view *v)
{
	size_t nev = r->hist.nevents, shown = 0;
	struct metric_events me;
	bool ipc, mpki, brm, multi = nev > 1;
	int wcomm = 7, wdso = 13;

	find_metric_events(r, &me);
	ipc = me.cycles >= 0 && me.instructions >= 0;
	mpki = me.misses >= 0 && me.instructions >= 0;
	brm = me.branches >= 0 && me.branch_misses >= 0;
	hist_sort(&r->hist, 0, v->children);
	print_header(f, r);

	for (size_t i = 0; i < r->hist.nr; i++) {
		const struct hist_entry *e = r->hist.sorted[i];
		int n;
		if (!row_visible(r, e, v))
			continue;
		if (e->p.comm && (n = (int)strlen(e->p.comm)) > wcomm)
			wcomm = n;
		if (e->p.dso && (n = (int)strlen(e->p.dso)) > wdso)
			wdso = n;
	}
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
	for (size_t k = 0; k < r->hist.nkeys; k++) {
		switch (r->hist.keys[k]) {
		case HK_COMM: fprintf(f, "  %-*s", wcomm, "Command"); break;
		case HK_PID: fprintf(f, "  %7s", "Pid"); break;
		case HK_TID: fprintf(f, "  %7s", "Tid"); break;
		case HK_DSO: fprintf(f, "  %-*s", wdso, "Shared Object"); break;
		case HK_SYM: fputs("  Symbol", f); break;
		case HK_SRCLINE: fputs("  Source:Line", f); break;
		case HK_NR: break;
		}
	}
	fputs("\n#\n", f);

	for (size_t i = 0; i < r->hist.nr; i++) {
		const struct hist_entry *e = r->hist.sorted[i];
		uint64_t samples = 0;

		if (!row_visible(r, e, v))
			continue;
		if (v->top && shown >= v->top)
			break;
		shown++;
		fputs(" ", f);
		if (v->children)
			fprintf(f, " %7.2f%% %7.2f%%", pct(e->children[0], r->hist.total_period[0]),
				pct(e->period[0], r->hist.total_period[0]));
		else if (!multi)
			fprintf(f, " %7.2f%%", pct(e->period[0], r->hist.total_period[0]));
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
		for (size_t k = 0; k < r->hist.nkeys; k++) {
			switch (r->hist.keys[k]) {
			case HK_COMM: fprintf(f, "  %-*s", wcomm, e->p.comm); break;
			case HK_PID: fprintf(f, "  %7u", e->p.pid); break;
			case HK_TID: fprintf(f, "  %7u", e->p.tid); break;
			case HK_DSO: fprintf(f, "  %-*s", wdso, e->p.dso); break;
			case HK_SYM: fprintf(f, "  %s%s", sym_prefix(e), e->p.sym); break;
			case HK_SRCLINE: fprintf(f, "  %s", e->p.srcline ? e->p.srcline : "??:0"); break;
			case HK_NR: break;
			}
		}
		fputc('\n', f);
		if (v->callgraph)
			print_callgraph(f, r, e, v);
	}
}

static void json_metric(FILE *f, const char *name, double x, bool *first)
{
	if (isnan(x))
		return;
	fprintf(f, "%s\"%s\": ", *first ? "" : ", ", name);
	json_put_number(f, x);
	*first = false;
}

void report_print_json(FILE *f, struct report *r, const struct report_view *v)
{
	struct metric_events me;
	size_t shown = 0;
	static const char *const key_json[HK_NR] = { "comm", "pid", "tid", "dso", "symbol", "srcline" };

	find_metric_events(r, &me);
	hist_sort(&r->hist, 0, v->children);
	fputs("{\n  \"file\": ", f);
	json_put_string(f, r->reader.path);
	fprintf(f, ",\n  \"pipe_mode\": %s,\n  \"cmdline\": ", r->reader.pipe ? "true" : "false");
	r->reader.cmdline ? json_put_string(f, r->reader.cmdline) : (void)fputs("null", f);
	fputs(",\n  \"events\": [", f);
	for (size_t i = 0; i < report_nevents(r); i++) {
		fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
		json_put_string(f, report_event_name(r, i));
		fprintf(f, ", \"samples\": %llu, \"period_total\": ", (unsigned long long)r->samples[i]);
		json_put_number(f, r->hist.total_period[i]);
		fprintf(f, ", \"lost\": %llu}", (unsigned long long)(i == 0 ? r->lost_samples + r->lost_records : 0));
	}
	fprintf(f, "\n  ],\n  \"lost_samples\": %llu,\n", (unsigned long long)(r->lost_samples + r->lost_records));
	fprintf(f, "  \"callchains\": {\"recorded\": %s, \"max_depth\": %zu",
		r->has_callchains || r->has_dwarf ? "true" : "false", r->max_depth);
	if (r->has_dwarf && r->unwinder) {
		const struct unwind_stats *us = unwind_stats(r->unwinder);
		fprintf(f, ", \"dwarf_samples\": %llu, \"dwarf_complete\": %llu, \"dwarf_truncated\": %llu",
			(unsigned long long)us->samples, (unsigned long long)us->complete,
			(unsigned long long)us->truncated);
	}
	if (r->has_dwarf)
		fprintf(f, ", \"dwarf_unwound\": %s", r->unwinder ? "true" : "false");
	fputs("},\n  \"sort\": [", f);
	for (size_t k = 0; k < r->hist.nkeys; k++)
		fprintf(f, "%s\"%s\"", k ? ", " : "", key_json[r->hist.keys[k]]);
	fputs("],\n  \"rows\": [", f);
	for (size_t i = 0; i < r->hist.nr; i++) {
		const struct hist_entry *e = r->hist.sorted[i];
		bool first = true;

		if (!row_visible(r, e, v))
			continue;
		if (v->top && shown >= v->top)
			break;
		fputs(shown++ ? ",\n    {" : "\n    {", f);
		for (size_t k = 0; k < r->hist.nkeys; k++) {
			fprintf(f, "%s\"%s\": ", k ? ", " : "", key_json[r->hist.keys[k]]);
			switch (r->hist.keys[k]) {
			case HK_COMM: json_put_string(f, e->p.comm); break;
			case HK_PID: fprintf(f, "%u", e->p.pid); break;
			case HK_TID: fprintf(f, "%u", e->p.tid); break;
			case HK_DSO: json_put_string(f, e->p.dso); break;
			case HK_SYM: json_put_string(f, e->p.sym); break;
			case HK_SRCLINE: e->p.srcline ? json_put_string(f, e->p.srcline) : (void)fputs("null", f); break;
			case HK_NR: break;
			}
		}
		fprintf(f, ", \"kernel\": %s, \"events\": {", e->p.kernel ? "true" : "false");
		for (size_t k = 0; k < r->hist.nevents; k++) {
			fputs(k ? ", " : "", f);
			json_put_string(f, report_event_name(r, k));
			fprintf(f, ": {\"samples\": %llu, \"period\": ", (unsigned long long)e->samples[k]);
			json_put_number(f, e->period[k]);
			fputs(", \"percent\": ", f);
			json_put_number(f, pct(e->period[k], r->hist.total_period[k]));
			if (v->children) {
				fputs(", \"children_percent\": ", f);
				json_put_number(f, pct(e->children[k], r->hist.total_period[k]));
			}
			fputc('}', f);
		}
		fputs("}, \"metrics\": {", f);
		json_metric(f, "ipc", metric_ipc(val(e, me.instructions), val(e, me.cycles)), &first);
		json_metric(f, "mpki", metric_mpki(val(e, me.misses), val(e, me.instructions)), &first);
		json_metric(f, "branch_miss_pct", metric_pct(val(e, me.branch_misses), val(e, me.branches)),
			    &first);
		fputs("}}", f);
	}
	fputs("\n  ]\n}\n", f);
}
