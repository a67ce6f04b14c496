/* hwprof annotate: a function's instructions with the samples that fell on each, and its source lines. */
#include "hwprof/annotate.h"
#include "hwprof/cmd.h"
#include "hwprof/report-output.h"
#include "hwprof/report.h"
#include "hwprof/util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_EVENT = 256, OPT_TOP, OPT_STDIO, OPT_SYMFS };

static const struct opt_spec annotate_options[] = {
	{ 'i', 'i', "input", "FILE", "recording (default hwprof.data, else perf.data)" },
	{ OPT_EVENT, 0, "event", "E", "the event that orders --top and marks the hottest" },
	{ OPT_TOP, 0, "top", "N", "annotate the N hottest functions" },
	{ OPT_STDIO, 0, "stdio", NULL, "text output (the only one)" },
	{ OPT_SYMFS, 0, "symfs", "DIR", "find the recorded binaries under DIR" },
	{ 'h', 'h', "help", NULL, "show this help" },
	{ 0 },
};

struct annotate_opts {
	const char *input;
	const char *event;
	const char *symfs;
	size_t top;
	const char *symbol;
};

/* "did you mean": functions of the profile containing the name, or closest to it. */
static void closest_names(const struct report *r, const char *want, struct strbuf *out)
{
	const char *best[3] = { 0 };
	size_t score[3] = { (size_t)-1, (size_t)-1, (size_t)-1 };

	for (size_t i = 0; i < r->hist.nr; i++) {
		const char *name = r->hist.entries[i]->p.sym;
		size_t d = strstr(name, want) || strstr(want, name) ? 0 : edit_distance(want, name);
		for (int k = 0; k < 3; k++) {
			if (d < score[k] || (d == score[k] && best[k] && strcmp(name, best[k]) < 0)) {
				memmove(&best[k + 1], &best[k], (size_t)(2 - k) * sizeof(*best));
				memmove(&score[k + 1], &score[k], (size_t)(2 - k) * sizeof(*score));
				best[k] = name;
				score[k] = d;
				break;
			}
		}
	}
	for (int k = 0; k < 3 && best[k]; k++)
		sb_printf(out, "%s'%s'", k ? ", " : "", best[k]);
}

static int load(struct report *r, const struct annotate_opts *o, const char *symbol)
{
	struct report_opts ro = { .input = o->input, .keys = { HK_SYM }, .nkeys = 1, .pid = -1,
				  .symfs = o->symfs, .annotate = symbol, .annotate_all = !symbol };
	char err[512];

	if (report_load(r, &ro, err, sizeof(err)) < 0) {
		pr_err("%s", err);
		report_release(r);
		return EXIT_ERROR;
	}
	return 0;
}

/* The event named NAME, or the first with samples. */
static int event_index(const struct report *r, const char *name, size_t *ev)
{
	long k = name ? report_find_event(r, name) : (long)report_default_event(r);

	*ev = k < 0 ? 0 : (size_t)k;
	return k < 0 ? -1 : 0;
}

static void print_annotation(const struct report *r, const struct annotation *a)
{
	size_t nev = a->nevents;
	int w = nev > 1 ? 12 : 8, indent = (int)(nev * (size_t)(w + 1));

	printf("# hwprof annotate: '%s' in %s, 0x%llx..0x%llx\n", a->name, dso_name(a->dso),
	       (unsigned long long)a->start, (unsigned long long)(a->start + a->size));
	for (size_t k = 0; k < nev; k++)
		printf("# event '%s': %llu samples in this function\n", report_event_name(r, k),
		       (unsigned long long)a->totals[k]);
	printf("#\n#");
	for (size_t k = 0; k < nev; k++)
		printf(" %*s", w, nev > 1 ? report_event_name(r, k) : "Percent");
	printf("  Samples  Address  Instruction\n#\n");
	for (size_t i = 0; i < a->ninsns; i++) {
		const struct annotate_insn *in = &a->insns[i];
		uint64_t all = 0;

		if (in->srcline)
			printf("%*s  %s\n", indent + 19, "", in->srcline);
		if (in->label)
			printf("%*s  L%zu:\n", indent + 9, "", in->label);
		fputc(' ', stdout);
		for (size_t k = 0; k < nev; k++) {
			all += in->samples[k];
			printf(" %*.2f", w, a->totals[k] ? 100.0 * (double)in->samples[k] / (double)a->totals[k] : 0.0);
		}
		printf("  %7llu  %7llx:  %s", (unsigned long long)all, (unsigned long long)in->addr, in->text);
		puts(in->hottest ? "    <-- hottest" : "");
	}
}

static int annotate_one(const struct annotate_opts *o, const char *symbol)
{
	struct annotation an;
	struct report r;
	size_t ev, hottest = 0;
	uint64_t best = 0;
	char err[512];
	int ret = EXIT_ERROR;

	if (load(&r, o, symbol))
		return EXIT_ERROR;
	if (event_index(&r, o->event, &ev) < 0) {
		pr_err("no event '%s' in '%s'", o->event, o->input);
		goto out;
	}
	if (r.naddrs == 0 || !r.annotate_dso) {
		struct strbuf hint = { 0 };
		/* Why names may be missing (a rebuilt binary, say) comes first. */
		report_print_notes(stderr, &r);
		closest_names(&r, symbol, &hint);
		pr_err("no samples in '%s'%s%s%s", symbol, hint.len ? " (closest in the profile: " : "",
		       hint.len ? hint.buf : "", hint.len ? ")" : "");
		sb_release(&hint);
		goto out;
	}
	if (dso_is_kernel(r.annotate_dso)) {
		pr_err("'%s' is kernel code, which annotate cannot read (no kernel image)", symbol);
		goto out;
	}
	for (size_t i = 0; i < r.naddrs; i++)
		if (r.addrs[i].samples[ev] >= best) {
			best = r.addrs[i].samples[ev];
			hottest = i;
		}
	if (annotation_build(&an, &r, r.annotate_dso, r.addrs[hottest].vaddr, ev, err, sizeof(err)) < 0) {
		pr_err("%s", err);
		goto out;
	}
	print_annotation(&r, &an);
	annotation_release(&an);
	ret = EXIT_OK;
out:
	report_release(&r);
	return ret;
}

/* One read of the recording for all N functions. */
static int annotate_top(const struct annotate_opts *o)
{
	struct annotate_fn *fns;
	struct report r;
	size_t ev, n;
	int ret = EXIT_OK;

	if (load(&r, o, NULL))
		return EXIT_ERROR;
	if (event_index(&r, o->event, &ev) < 0) {
		pr_err("no event '%s' in '%s'", o->event, o->input);
		report_release(&r);
		return EXIT_ERROR;
	}
	n = annotation_rank(&r, ev, o->top, &fns);
	if (!n) {
		report_print_notes(stderr, &r);
		pr_err("no samples in functions of known files in '%s'", o->input);
		ret = EXIT_ERROR;
	}
	for (size_t i = 0; i < n; i++) {
		struct annotation an;
		char err[512];

		if (i)
			putchar('\n');
		if (annotation_build(&an, &r, fns[i].dso, fns[i].start, ev, err, sizeof(err)) < 0) {
			pr_err("%s", err);
			ret = EXIT_ERROR;
			continue;
		}
		print_annotation(&r, &an);
		annotation_release(&an);
	}
	free(fns);
	report_release(&r);
	return ret;
}

static int cmd_annotate_exec(int argc, char **argv)
{
	struct annotate_opts o = { 0 };
	struct opt_parser p;
	const char *arg;
	int c;

	cmd_options_begin(&cmd_annotate, &p, false);
	while ((c = cmd_next_option(&cmd_annotate, &p, argc, argv, &arg)) != OPT_END) {
		uint64_t v;

		switch (c) {
		case OPT_ERROR: return EXIT_USAGE;
		case 'i': o.input = arg; break;
		case OPT_EVENT: o.event = arg; break;
		case OPT_STDIO: break;
		case OPT_SYMFS: o.symfs = arg; break;
		case OPT_TOP:
			if (parse_uint(arg, 1, 1000, &v) < 0)
				return cmd_usage_error(&cmd_annotate, "invalid --top '%s' (want 1..1000)", arg);
			o.top = (size_t)v;
			break;
		case 'h':
			return cmd_print_usage(&cmd_annotate);
		}
	}
	if (optind < argc)
		o.symbol = argv[optind++];
	if (optind < argc)
		return cmd_usage_error(&cmd_annotate, "one symbol at a time ('%s' is extra)", argv[optind]);
	if (!o.symbol && !o.top)
		return cmd_usage_error(&cmd_annotate, "which function? give SYMBOL or --top N");
	if (o.symbol && o.top)
		return cmd_usage_error(&cmd_annotate, "SYMBOL and --top cannot be combined");
	if (!o.input)
		o.input = cmd_default_input();
	return o.top ? annotate_top(&o) : annotate_one(&o, o.symbol);
}

const struct hwprof_cmd cmd_annotate = {
	.name = "annotate",
	.summary = "show a function's instructions with their samples and source lines",
	.synopsis = "usage: hwprof annotate [-i FILE] [--event E] [--stdio] [--symfs DIR] SYMBOL\n"
		    "       hwprof annotate [-i FILE] [--event E] --top N\n",
	.description = "Disassembles a function of a recording's program or libraries and shows,\n"
		       "per instruction, its share of the function's samples for each event, with\n"
		       "the source line above each run of instructions; the hottest one is marked.\n",
	.options = annotate_options,
	.epilogue = "EXAMPLES\n"
		    "    hwprof annotate pointer_chase\n"
		    "    hwprof annotate --top 3\n",
	.exec = cmd_annotate_exec,
};
