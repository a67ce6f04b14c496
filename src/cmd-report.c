/* hwprof report: top tables of a perf.data recording, per function, with per-event shares and metrics. */
#include "hwprof/cmd.h"
#include "hwprof/export.h"
#include "hwprof/report-output.h"
#include "hwprof/report.h"
#include "hwprof/util.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char report_usage[] =
	"usage: hwprof report [-i FILE] [--top N] [--sort KEYS] [--children | --no-children]\n"
	"                     [-g | --no-call-graph]\n"
	"                     [--percent-limit P] [--comm C] [--pid P] [--dso D]\n"
	"                     [--stdio | --json | --format FMT] [-o FILE] [--event E]\n"
	"                     [--srcline] [--inline] [--symfs DIR] [--debug-dir DIR]\n"
	"\n"
	"Shows where the samples of a recording (hwprof record or perf record) fell:\n"
	"one row per command, shared object and function, with each event's share\n"
	"side by side and, for event groups, per-function IPC, MPKI and branch-miss rate.\n"
	"\n"
	"    -i, --input FILE       recording to read (default hwprof.data, else perf.data;\n"
	"                           - reads a pipe-mode stream from standard input)\n"
	"        --top N            at most N rows\n"
	"    -s, --sort KEYS        comm,pid,tid,dso,sym,srcline in any order (default comm,dso,sym)\n"
	"        --children         add inclusive shares from call chains, sort by them\n"
	"        --no-children      self shares only (the default)\n"
	"    -g, --call-graph       print each row's callers as a tree (from recorded call chains)\n"
	"        --no-call-graph    no tree (the default)\n"
	"        --percent-limit P  hide rows under P% of every event (default 0.5)\n"
	"        --comm C           only commands matching the glob C\n"
	"        --pid P            only process P\n"
	"        --dso D            only shared objects matching the glob D\n"
	"        --stdio            the table (the default)\n"
	"        --json             one JSON document instead (= --format json)\n"
	"        --format FMT       table, json, folded (stacks for flamegraph.pl, speedscope),\n"
	"                           svg (an interactive flame graph) or pprof (gzip, needs -o)\n"
	"    -o, --output FILE      write there instead of standard output\n"
	"        --event E          the event that ranks rows and that folded, svg and pprof\n"
	"                           count by default (default: the first event with samples)\n"
	"        --color dso|E      svg colours: by shared object (default), or by event E's\n"
	"                           count per unit of the drawn event (cache misses per cycle)\n"
	"        --srcline          add source file:line to the sort keys\n"
	"        --inline           attribute samples in inlined code to the inlined function\n"
	"        --symfs DIR        find the recorded binaries under DIR\n"
	"        --debug-dir DIR    also look for separate debug files in DIR\n"
	"    -h, --help             show this help\n"
	"\n"
	"EXAMPLES\n"
	"    hwprof report --top 20\n"
	"    hwprof report -g --top 5\n"
	"    hwprof report -i perf.data --sort dso,sym --children\n"
	"    hwprof report --sort sym,srcline --srcline --top 10\n"
	"    hwprof report --json > profile.json\n"
	"    hwprof report --format pprof -o profile.pb.gz && go tool pprof -top profile.pb.gz\n"
	"    hwprof report --format svg -o flame.svg\n"
	"    hwprof report --format folded | flamegraph.pl > flame.svg\n";

enum {
	OPT_TOP = 256,
	OPT_CHILDREN,
	OPT_NO_CHILDREN,
	OPT_PERCENT_LIMIT,
	OPT_COMM,
	OPT_PID,
	OPT_DSO,
	OPT_STDIO,
	OPT_JSON,
	OPT_SRCLINE,
	OPT_INLINE,
	OPT_NO_CALL_GRAPH,
	OPT_FORMAT,
	OPT_EVENT,
	OPT_COLOR,
	OPT_SYMFS,
	OPT_DEBUG_DIR,
};

enum report_format { FMT_TABLE, FMT_JSON, FMT_FOLDED, FMT_SVG, FMT_PPROF };

struct report_cmd_opts {
	struct report_opts ro;
	struct report_view view;
	enum report_format format;
	const char *output;
	const char *event;
	const char *color;	/* NULL or "dso": by shared object; else an event name */
	bool srcline;
};

static int parse_opts(int argc, char **argv, struct report_cmd_opts *o)
{
	static const struct option longopts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "sort", required_argument, NULL, 's' },
		{ "children", no_argument, NULL, OPT_CHILDREN },
		{ "no-children", no_argument, NULL, OPT_NO_CHILDREN },
		{ "percent-limit", required_argument, NULL, OPT_PERCENT_LIMIT },
		{ "comm", required_argument, NULL, OPT_COMM },
		{ "pid", required_argument, NULL, OPT_PID },
		{ "dso", required_argument, NULL, OPT_DSO },
		{ "stdio", no_argument, NULL, OPT_STDIO },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "srcline", no_argument, NULL, OPT_SRCLINE },
		{ "inline", no_argument, NULL, OPT_INLINE },
		{ "call-graph", no_argument, NULL, 'g' },
		{ "no-call-graph", no_argument, NULL, OPT_NO_CALL_GRAPH },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, 'o' },
		{ "event", required_argument, NULL, OPT_EVENT },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "symfs", required_argument, NULL, OPT_SYMFS },
		{ "debug-dir", required_argument, NULL, OPT_DEBUG_DIR },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:s:go:h", longopts, NULL)) != -1) {
		char *end;
		const char *bad;
		size_t badlen;
		int n;

		switch (c) {
		case 'i':
			o->ro.input = optarg;
			break;
		case OPT_TOP: {
			long v;
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || v < 1)
				return cmd_usage_error(&cmd_report, "invalid --top '%s' (want 1 or more)", optarg);
			o->view.top = (size_t)v;
			break;
		}
		case 's':
			n = hist_parse_keys(optarg, o->ro.keys, &bad, &badlen);
			if (n < 0)
				return cmd_usage_error(&cmd_report,
						       "unknown sort key '%.*s' (known: comm,pid,tid,dso,sym,srcline)",
						       (int)badlen, bad);
			o->ro.nkeys = (size_t)n;
			break;
		case OPT_CHILDREN:
			o->view.children = o->ro.children = true;
			break;
		case OPT_NO_CHILDREN:
			o->view.children = o->ro.children = false;
			break;
		case OPT_PERCENT_LIMIT:
			errno = 0;
			o->view.percent_limit = strtod(optarg, &end);
			if (errno || *end || o->view.percent_limit < 0 || o->view.percent_limit > 100)
				return cmd_usage_error(&cmd_report, "invalid --percent-limit '%s' (want 0..100)",
						       optarg);
			break;
		case OPT_COMM:
			o->ro.comm = optarg;
			break;
		case OPT_PID: {
			long v;
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || v < 0 || v > INT_MAX)
				return cmd_usage_error(&cmd_report, "invalid --pid '%s'", optarg);
			o->ro.pid = (pid_t)v;
			break;
		}
		case OPT_DSO:
			o->ro.dso = optarg;
			break;
		case OPT_STDIO:
			o->format = FMT_TABLE;
			break;
		case OPT_JSON:
			o->format = FMT_JSON;
			break;
		case OPT_FORMAT: {
			static const char *const names[] = { "table", "json", "folded", "svg", "pprof" };
			int f = -1;
			for (int k = 0; k < 5; k++)
				if (!strcmp(optarg, names[k]))
					f = k;
			if (f < 0)
				return cmd_usage_error(&cmd_report,
						       "unknown format '%s' (table, json, folded, svg, pprof)", optarg);
			o->format = (enum report_format)f;
			break;
		}
		case 'o':
			o->output = optarg;
			break;
		case OPT_EVENT:
			o->event = optarg;
			break;
		case OPT_COLOR:
			o->color = optarg;
			break;
		case OPT_SRCLINE:
			o->srcline = true;
			break;
		case 'g':
			o->view.callgraph = o->ro.callgraph = true;
			break;
		case OPT_NO_CALL_GRAPH:
			o->view.callgraph = o->ro.callgraph = false;
			break;
		case OPT_INLINE:
			o->ro.inline_frames = true;
			break;
		case OPT_SYMFS:
			o->ro.symfs = optarg;
			break;
		case OPT_DEBUG_DIR:
			o->ro.debug_dir = optarg;
			break;
		case 'h':
			cmd_print_usage(&cmd_report);
			return -1;
		default:
			return cmd_option_error(&cmd_report, "i:s:go:h", argv);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_report, "unexpected argument '%s' (the file goes after -i)",
				       argv[optind]);
	if (o->srcline) {
		bool have = false;
		for (size_t k = 0; k < o->ro.nkeys; k++)
			have |= o->ro.keys[k] == HK_SRCLINE;
		if (!have && o->ro.nkeys < HK_NR)
			o->ro.keys[o->ro.nkeys++] = HK_SRCLINE;
	}
	if (o->format == FMT_PPROF && !o->output)
		return cmd_usage_error(&cmd_report, "--format pprof needs -o FILE (it is gzip-compressed)");
	o->ro.collect_stacks = o->format == FMT_FOLDED || o->format == FMT_SVG || o->format == FMT_PPROF;
	if (!o->ro.input)
		o->ro.input = cmd_default_input();
	return 0;
}

static int write_output(struct report_cmd_opts *o, struct report *r)
{
	struct outfile out;
	long heat_event = -1;
	char err[512];
	int rc = 0;

	if (o->color && strcmp(o->color, "dso") != 0) {
		heat_event = report_find_event(r, o->color);
		if (heat_event < 0) {
			pr_err("--color: no event '%s' in '%s' (use dso, or an event of the file)", o->color,
			       o->ro.input);
			return EXIT_ERROR;
		}
	}
	if (o->event) {
		long ev = report_find_event(r, o->event);
		if (ev < 0) {
			pr_err("no event '%s' in '%s' (it has '%s'%s)", o->event, o->ro.input,
			       report_event_name(r, 0), report_nevents(r) > 1 ? " and others" : "");
			return EXIT_ERROR;
		}
		o->view.event = (size_t)ev;
		o->view.event_named = true;
	} else {
		o->view.event = report_default_event(r);
	}
	if (!o->event && o->view.event && o->format != FMT_TABLE && o->format != FMT_JSON)
		note("'%s' has no samples: showing '%s', the first event that has", report_event_name(r, 0),
		     report_event_name(r, o->view.event));
	if (outfile_open(&out, o->output, err, sizeof(err)) < 0) {
		pr_err("%s", err);
		return EXIT_ERROR;
	}
	switch (o->format) {
	case FMT_TABLE: report_print_table(out.f, r, &o->view); break;
	case FMT_JSON: report_print_json(out.f, r, &o->view); break;
	case FMT_FOLDED: rc = export_folded(out.f, r, o->view.event); break;
	case FMT_SVG:
		rc = export_svg(out.f, r, o->view.event, report_event_name(r, o->view.event), heat_event);
		break;
	case FMT_PPROF: rc = export_pprof(out.f, r, o->view.event); break;
	}
	if (rc < 0) {
		pr_err("cannot write %s: %s", o->output ? o->output : "the report", hwprof_strerror(rc));
		outfile_abort(&out);
		return EXIT_ERROR;
	}
	if (outfile_commit(&out, err, sizeof(err)) < 0) {
		pr_err("%s", err);
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

static int cmd_report_exec(int argc, char **argv)
{
	struct report_cmd_opts o = {
		.ro = { .keys = { HK_COMM, HK_DSO, HK_SYM }, .nkeys = 3, .pid = -1 },
		.view = { .percent_limit = 0.5, .callgraph_limit = 0.5 },
	};
	struct report r;
	char err[512];
	int rc;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	rc = report_load(&r, &o.ro, err, sizeof(err));
	if (rc < 0) {
		pr_err("%s", err);
		report_release(&r);
		return EXIT_ERROR;
	}
	report_print_notes(stderr, &r);
	rc = write_output(&o, &r);
	report_release(&r);
	return rc;
}

const struct hwprof_cmd cmd_report = {
	.name = "report",
	.summary = "show where the samples of a recording fell, per function",
	.usage = report_usage,
	.exec = cmd_report_exec,
};
