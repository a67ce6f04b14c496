/* hwprof annotate: a function's instructions with the samples that fell on each, and its source lines. */
#include "hwprof/cmd.h"
#include "hwprof/disasm.h"
#include "hwprof/report-output.h"
#include "hwprof/report.h"
#include "hwprof/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char annotate_usage[] =
	"usage: hwprof annotate [-i FILE] [--event E] [--stdio] [--symfs DIR] SYMBOL\n"
	"       hwprof annotate [-i FILE] [--event E] --top N\n"
	"\n"
	"Disassembles a function of a recording's program or libraries and shows,\n"
	"per instruction, its share of the function's samples for each event, with\n"
	"the source line above each run of instructions; the hottest one is marked.\n"
	"\n"
	"    -i, --input FILE       recording (default hwprof.data, else perf.data)\n"
	"        --event E          the event that orders --top and marks the hottest\n"
	"        --top N            annotate the N hottest functions\n"
	"        --stdio            text output (the only one)\n"
	"        --symfs DIR        find the recorded binaries under DIR\n"
	"    -h, --help             show this help\n"
	"\n"
	"EXAMPLES\n"
	"    hwprof annotate pointer_chase\n"
	"    hwprof annotate --top 3\n";

enum { OPT_EVENT = 256, OPT_TOP, OPT_STDIO, OPT_SYMFS };

struct annotate_opts {
	const char *input;
	const char *event;
	const char *symfs;
	size_t top;
	const char *symbol;
};

/* "did you mean": functions of the profile containing the name, or closest to it. */
static void closest_names(struct report *r, const char *want, struct strbuf *out)
{
	const char *best[3] = { 0 };
	size_t score[3] = { (size_t)-1, (size_t)-1, (size_t)-1 };

	for (size_t i = 0; i < r->hist.nr; i++) {
		const char *name = r->hist.sorted[i]->p.sym;
		size_t d = strstr(name, want) || strstr(want, name) ? 0 : edit_distance(want, name);
		for (int k = 0; k < 3; k++) {
			if (d < score[k]) {
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
				  .symfs = o->symfs, .annotate = symbol };
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

/* Samples per event on the instruction at [addr, addr+size). */
static void insn_samples(const struct report *r, uint64_t addr, size_t size, uint64_t *out)
{
	for (size_t k = 0; k < r->hist.nevents; k++)
		out[k] = 0;
	for (size_t i = 0; i < r->naddrs; i++)
		if (r->addrs[i].vaddr >= addr && r->addrs[i].vaddr - addr < size)
			for (size_t k = 0; k < r->hist.nevents; k++)
				out[k] += r->addrs[i].samples[k];
}

static int annotate_one(const struct annotate_opts *o, const char *symbol)
{
	struct report r;
	size_t ev, nins = 0, nev, hottest = 0;
	uint64_t start, size, *totals = NULL, *counts = NULL, best = 0;
	uint64_t *labels = NULL;
	size_t nlabels = 0, labels_cap = 0;
	const char *fname, *derr = NULL;
	struct disasm_insn *ins = NULL;
	struct disasm *dis = NULL;
	uint8_t *code = NULL;
	int machine, elfclass, rc, ret = EXIT_ERROR;
	struct strbuf last_line = { 0 }, src = { 0 };

	if (load(&r, o, symbol))
		return EXIT_ERROR;
	nev = r.hist.nevents;
	if (event_index(&r, o->event, &ev) < 0) {
		pr_err("no event '%s' in '%s'", o->event, o->input);
		goto out;
	}
	if (r.naddrs == 0 || !r.annotate_dso) {
		struct strbuf hint = { 0 };
		/* Why names may be missing (a rebuilt binary, say) comes first. */
		report_print_notes(stderr, &r);
		hist_sort(&r.hist, ev, false);
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
	rc = symbols_function(r.syms, r.annotate_dso, r.addrs[hottest].vaddr, &start, &size, &fname);
	if (rc < 0) {
		const char *why = dso_problem(r.annotate_dso);
		pr_err("cannot read '%s' in '%s': %s", symbol, dso_name(r.annotate_dso),
		       why ? why : hwprof_strerror(rc));
		goto out;
	}
	rc = symbols_read_code(r.syms, r.annotate_dso, start, size, &code, &machine, &elfclass);
	if (rc < 0) {
		pr_err("cannot read the code of '%s' from '%s': %s", fname, dso_name(r.annotate_dso),
		       hwprof_strerror(rc));
		goto out;
	}
	dis = disasm_new(machine, elfclass, &derr);
	if (!dis) {
		pr_err("cannot disassemble '%s': %s", dso_name(r.annotate_dso), derr);
		goto out;
	}
	nins = disasm_all(dis, code, (size_t)size, start, &ins);
	if (!nins) {
		pr_err("capstone decodes no instruction of '%s'", fname);
		goto out;
	}

	totals = xcalloc(nev, sizeof(*totals));
	counts = xcalloc(nev, sizeof(*counts));
	for (size_t i = 0; i < nins; i++) {
		insn_samples(&r, ins[i].addr, ins[i].size, counts);
		for (size_t k = 0; k < nev; k++)
			totals[k] += counts[k];
		if (ins[i].has_target && !ins[i].is_call && ins[i].target >= start &&
		    ins[i].target - start < size) {
			bool dup = false;
			for (size_t l = 0; l < nlabels && !dup; l++)
				dup = labels[l] == ins[i].target;
			if (!dup) {
				xgrow((void **)&labels, &labels_cap, nlabels + 1, sizeof(*labels));
				labels[nlabels++] = ins[i].target;
			}
		}
	}
	/* Labels numbered in address order. */
	for (size_t a = 0; a < nlabels; a++)
		for (size_t b = a + 1; b < nlabels; b++)
			if (labels[b] < labels[a]) {
				uint64_t t = labels[a];
				labels[a] = labels[b];
				labels[b] = t;
			}

	printf("# hwprof annotate: '%s' in %s, 0x%llx..0x%llx\n", fname, dso_name(r.annotate_dso),
	       (unsigned long long)start, (unsigned long long)(start + size));
	for (size_t k = 0; k < nev; k++)
		printf("# event '%s': %llu samples in this function\n", report_event_name(&r, k),
		       (unsigned long long)totals[k]);
	printf("#\n#");
	for (size_t k = 0; k < nev; k++)
		printf(" %*s", nev > 1 ? 12 : 8, nev > 1 ? report_event_name(&r, k) : "Percent");
	printf("  Samples  Address  Instruction\n#\n");
	for (size_t i = 0; i < nins; i++) {
		struct symres sr;
		uint64_t all = 0;
		bool hot;

		sb_reset(&src);
		insn_samples(&r, ins[i].addr, ins[i].size, counts);
		if (symbols_resolve_vaddr(r.syms, r.annotate_dso, ins[i].addr, SYMRES_SRCLINE, &sr) == 0 &&
		    sr.srcfile && sr.line > 0) {
			const char *base = strrchr(sr.srcfile, '/');
			sb_printf(&src, "%s:%d", base ? base + 1 : sr.srcfile, sr.line);
		}
		if (src.len && (!last_line.buf || strcmp(src.buf, last_line.buf) != 0)) {
			printf("%*s  %s\n", (int)(nev * (nev > 1 ? 13 : 9) + 19), "", src.buf);
			sb_reset(&last_line);
			sb_puts(&last_line, src.buf);
		}
		for (size_t l = 0; l < nlabels; l++)
			if (labels[l] == ins[i].addr)
				printf("%*s  L%zu:\n", (int)(nev * (nev > 1 ? 13 : 9) + 9), "", l + 1);
		fputc(' ', stdout);
		for (size_t k = 0; k < nev; k++) {
			all += counts[k];
			printf(" %*.2f", nev > 1 ? 12 : 8, totals[k] ? 100.0 * (double)counts[k] / (double)totals[k] : 0.0);
		}
		hot = counts[ev] && counts[ev] == best;
		printf("  %7llu  %7llx:  ", (unsigned long long)all, (unsigned long long)ins[i].addr);
		if (ins[i].has_target && !ins[i].is_call && ins[i].target >= start && ins[i].target - start < size) {
			size_t l = 0;
			while (labels[l] != ins[i].target)
				l++;
			printf("%.7s L%zu", ins[i].text, l + 1);
		} else {
			fputs(ins[i].text, stdout);
		}
		puts(hot ? "    <-- hottest" : "");
	}
	ret = EXIT_OK;
out:
	sb_release(&src);
	sb_release(&last_line);
	free(labels);
	free(totals);
	free(counts);
	free(ins);
	free(code);
	disasm_free(dis);
	report_release(&r);
	return ret;
}

static int annotate_top(const struct annotate_opts *o)
{
	struct report r;
	char **names;
	size_t n = 0;
	int ret = EXIT_OK;

	size_t ev;

	if (load(&r, o, NULL))
		return EXIT_ERROR;
	if (event_index(&r, o->event, &ev) < 0) {
		pr_err("no event '%s' in '%s'", o->event, o->input);
		report_release(&r);
		return EXIT_ERROR;
	}
	hist_sort(&r.hist, ev, false);
	names = xcalloc(o->top, sizeof(*names));
	for (size_t i = 0; i < r.hist.nr && n < o->top; i++)
		if (r.hist.sorted[i]->samples[ev] && !r.hist.sorted[i]->p.kernel &&
		    strncmp(r.hist.sorted[i]->p.sym, "0x", 2) != 0)
			names[n++] = xstrdup(r.hist.sorted[i]->p.sym);
	report_release(&r);
	for (size_t i = 0; i < n; i++) {
		if (i)
			putchar('\n');
		if (annotate_one(o, names[i]) != EXIT_OK)
			ret = EXIT_ERROR;
		free(names[i]);
	}
	free(names);
	return ret;
}

static int cmd_annotate_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "event", required_argument, NULL, OPT_EVENT },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "stdio", no_argument, NULL, OPT_STDIO },
		{ "symfs", required_argument, NULL, OPT_SYMFS },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct annotate_opts o = { 0 };
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:h", longopts, NULL)) != -1) {
		char *end;
		long v;

		switch (c) {
		case 'i': o.input = optarg; break;
		case OPT_EVENT: o.event = optarg; break;
		case OPT_STDIO: break;
		case OPT_SYMFS: o.symfs = optarg; break;
		case OPT_TOP:
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || v < 1 || v > 1000)
				return cmd_usage_error(&cmd_annotate, "invalid --top '%s' (want 1..1000)", optarg);
			o.top = (size_t)v;
			break;
		case 'h':
			return cmd_print_usage(&cmd_annotate);
		default:
			return cmd_option_error(&cmd_annotate, "i:h", argv);
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
	.usage = annotate_usage,
	.exec = cmd_annotate_exec,
};
