/* hwprof diff: per-function shares of two recordings side by side, sorted by change; a CI regression gate. */
#include "hwprof/cmd.h"
#include "hwprof/diff.h"
#include "hwprof/json.h"
#include "hwprof/metrics.h"
#include "hwprof/report.h"
#include "hwprof/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_TOP = 256, OPT_FAIL_ABOVE, OPT_JSON };

static const struct opt_spec diff_options[] = {
	{ 's', 's', "sort", "KEYS", "comm,pid,tid,dso,sym,srcline,reason (default dso,sym)" },
	{ OPT_TOP, 0, "top", "N", "at most N rows" },
	{ OPT_FAIL_ABOVE, 0, "fail-above", "P", "exit 1 when any row's share grew by more than P points" },
	{ OPT_JSON, 0, "json", NULL, "one JSON document instead of the table" },
	{ 'h', 'h', "help", NULL, "show this help" },
	{ 0 },
};

static long find_hw(const struct report *r, __u64 config)
{
	for (size_t i = 0; i < report_nevents(r); i++) {
		const struct perf_event_attr *a = report_event_attr(r, i);
		if (a && a->type == PERF_TYPE_HARDWARE && a->config == config)
			return (long)i;
	}
	return -1;
}

static const struct hist_entry *label_of(const struct diff_row *d)
{
	return d->next ? d->next : d->base;
}

static void put_key(FILE *f, const struct report *r, const struct hist_entry *e)
{
	struct strbuf sb = { 0 };

	for (size_t k = 0; k < r->hist.nkeys; k++) {
		enum hist_key key = r->hist.keys[k];
		sb_reset(&sb);
		hist_key_format(&sb, key, &e->p);
		fprintf(f, "  %-*s", hist_keys[key].pad ? 16 : 0, sb.buf);
	}
	sb_release(&sb);
}

static int cmd_diff_exec(int argc, char **argv)
{
	struct report_opts ro = { .keys = { HK_DSO, HK_SYM }, .nkeys = 2, .pid = -1 };
	struct report base, next;
	struct diff_row *rows = NULL;
	size_t nrows = 0, top = 0, shown = 0;
	double fail_above = NAN;
	bool json = false, next_loaded = false;
	long common = -1, common_next, bc, bi, nc, ni;
	char err[512];
	struct json j;
	struct opt_parser p;
	const char *arg;
	int c, ret = EXIT_OK;

	cmd_options_begin(&cmd_diff, &p, false);
	while ((c = cmd_next_option(&cmd_diff, &p, argc, argv, &arg)) != OPT_END) {
		const char *bad;
		size_t badlen;
		uint64_t v;
		int n;

		switch (c) {
		case OPT_ERROR:
			return EXIT_USAGE;
		case 's':
			n = hist_parse_keys(arg, ro.keys, &bad, &badlen);
			if (n < 0)
				return cmd_usage_error(&cmd_diff, "unknown sort key '%.*s' (known: %s)", (int)badlen, bad,
						       hist_key_names());
			ro.nkeys = (size_t)n;
			break;
		case OPT_TOP:
			if (parse_uint(arg, 1, SIZE_MAX, &v) < 0)
				return cmd_usage_error(&cmd_diff, "invalid --top '%s'", arg);
			top = (size_t)v;
			break;
		case OPT_FAIL_ABOVE:
			if (parse_real(arg, 0, 100, &fail_above) < 0)
				return cmd_usage_error(&cmd_diff, "invalid --fail-above '%s' (want 0..100 points)", arg);
			break;
		case OPT_JSON: json = true; break;
		case 'h': return cmd_print_usage(&cmd_diff);
		}
	}
	if (argc - optind != 2)
		return cmd_usage_error(&cmd_diff, "give two recordings: BASE NEW");

	ro.input = argv[optind];
	if (report_load(&base, &ro, err, sizeof(err)) < 0) {
		pr_err("%s", err);
		ret = EXIT_ERROR;
		goto out;
	}
	ro.input = argv[optind + 1];
	next_loaded = true;
	if (report_load(&next, &ro, err, sizeof(err)) < 0) {
		pr_err("%s", err);
		ret = EXIT_ERROR;
		goto out;
	}
	for (size_t i = 0; i < report_nevents(&base) && common < 0; i++)
		if (report_find_event(&next, report_event_name(&base, i)) >= 0)
			common = (long)i;
	if (common < 0) {
		pr_err("'%s' and '%s' share no event (%s vs %s)", argv[optind], argv[optind + 1],
		       report_event_name(&base, 0), report_event_name(&next, 0));
		ret = EXIT_ERROR;
		goto out;
	}
	common_next = report_find_event(&next, report_event_name(&base, common));
	nrows = diff_rows(&base, common, &next, common_next, &rows);
	bc = find_hw(&base, PERF_COUNT_HW_CPU_CYCLES), bi = find_hw(&base, PERF_COUNT_HW_INSTRUCTIONS);
	nc = find_hw(&next, PERF_COUNT_HW_CPU_CYCLES), ni = find_hw(&next, PERF_COUNT_HW_INSTRUCTIONS);

	if (json) {
		json_init(&j, stdout, true);
		json_object(&j);
		json_key(&j, "base");
		json_string(&j, argv[optind]);
		json_key(&j, "new");
		json_string(&j, argv[optind + 1]);
		json_key(&j, "event");
		json_string(&j, report_event_name(&base, common));
		json_key(&j, "rows");
		json_array(&j);
	} else {
		printf("# hwprof diff: '%s' -> '%s', rows ordered by the change of '%s'\n#\n", argv[optind],
		       argv[optind + 1], report_event_name(&base, common));
		printf("#");
		for (size_t k = 0; k < report_nevents(&base); k++)
			if (report_find_event(&next, report_event_name(&base, k)) >= 0)
				printf("  %-26.26s", report_event_name(&base, k));
		printf("%s", bc >= 0 && bi >= 0 && nc >= 0 && ni >= 0 ? "       IPC" : "");
		printf("\n#");
		for (size_t k = 0; k < report_nevents(&base); k++)
			if (report_find_event(&next, report_event_name(&base, k)) >= 0)
				printf("  %8s %8s %8s", "Base", "New", "Delta");
		puts(bc >= 0 && bi >= 0 && nc >= 0 && ni >= 0 ? "  base   new  Row\n#" : "  Row\n#");
	}
	for (size_t i = 0; i < nrows; i++) {
		const struct diff_row *d = &rows[i];
		double b = diff_share(&base, d->base, common), n = diff_share(&next, d->next, common_next);

		if (b < 0.005 && n < 0.005)
			continue;
		if (top && shown >= top)
			break;
		if (json) {
			const struct hist_entry *e = label_of(d);
			json_object(&j);
			json_key(&j, "symbol");
			json_string(&j, e->p.sym);
			json_key(&j, "dso");
			json_string(&j, e->p.dso);
			json_key(&j, "base_percent");
			json_number(&j, b);
			json_key(&j, "new_percent");
			json_number(&j, n);
			json_key(&j, "delta");
			json_number(&j, n - b);
			json_end(&j);
		} else {
			/* Every event both recordings have, side by side. */
			for (size_t k = 0; k < report_nevents(&base); k++) {
				long nk = report_find_event(&next, report_event_name(&base, k));
				double bk, nv;
				if (nk < 0)
					continue;
				bk = diff_share(&base, d->base, (long)k);
				nv = diff_share(&next, d->next, nk);
				printf("  %7.2f%% %7.2f%% %+8.2f", bk, nv, nv - bk);
			}
			if (bc >= 0 && bi >= 0 && nc >= 0 && ni >= 0) {
				double ib = d->base ? metric_ipc(d->base->period[bi], d->base->period[bc]) : NAN;
				double in = d->next ? metric_ipc(d->next->period[ni], d->next->period[nc]) : NAN;
				printf("  %5.2f %5.2f", ib, in);
			}
			put_key(stdout, d->next ? &next : &base, label_of(d));
			putchar('\n');
		}
		shown++;
	}
	if (json) {
		json_end(&j);
		json_end(&j);
	}
	if (!isnan(fail_above)) {
		for (size_t i = 0; i < nrows; i++) {
			if (rows[i].delta > fail_above) {
				pr_err("'%s' grew by %.2f points, more than the %.2f allowed",
				       label_of(&rows[i])->p.sym, rows[i].delta, fail_above);
				ret = EXIT_ERROR;
				break;
			}
		}
	}
out:
	free(rows);
	report_release(&base);
	if (next_loaded)
		report_release(&next);
	return ret;
}

const struct hwprof_cmd cmd_diff = {
	.name = "diff",
	.summary = "compare two recordings per function, a regression gate for CI",
	.synopsis = "usage: hwprof diff [--sort KEYS] [--top N] [--fail-above P] [--json] BASE NEW\n",
	.description = "Compares two recordings: for every function (or other --sort key) its share\n"
		       "of each event in BASE and in NEW and the change in percentage points, largest\n"
		       "change first; with cycles and instructions in both, the change of IPC.\n",
	.options = diff_options,
	.epilogue = "EXAMPLES\n"
		    "    hwprof diff before.data after.data\n"
		    "    hwprof diff --fail-above 5 baseline.data candidate.data   # in CI\n",
	.exec = cmd_diff_exec,
};
