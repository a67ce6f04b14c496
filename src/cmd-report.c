/* hwprof report: top tables of a perf.data recording, per function, with per-event shares and metrics. */
#include "hwprof/cmd.h"
#include "hwprof/export.h"
#include "hwprof/report-output.h"
#include "hwprof/report.h"
#include "hwprof/util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	OPT_TRACE_FIELD,
};

static const struct opt_spec report_options[] = {
	{ 'i', 'i', "input", "FILE", "recording to read (default hwprof.data, else perf.data;\n"
				     "- reads a pipe-mode stream from standard input)" },
	{ OPT_TOP, 0, "top", "N", "at most N rows" },
	{ 's', 's', "sort", "KEYS", "comm,pid,tid,dso,sym,srcline,reason in any order\n"
							"(default comm,dso,sym; reason: what an off-CPU wait waited on)" },
	{ OPT_CHILDREN, 0, "children", NULL, "add inclusive shares from call chains, sort by them" },
	{ OPT_NO_CHILDREN, 0, "no-children", NULL, "self shares only (the default)" },
	{ 'g', 'g', "call-graph", NULL, "print each row's callers as a tree (from recorded call chains)" },
	{ OPT_NO_CALL_GRAPH, 0, "no-call-graph", NULL, "no tree (the default)" },
	{ OPT_PERCENT_LIMIT, 0, "percent-limit", "P", "hide rows under P% of every event (default 0.5)" },
	{ OPT_COMM, 0, "comm", "C", "only commands matching the glob C" },
	{ OPT_PID, 0, "pid", "P", "only process P" },
	{ OPT_DSO, 0, "dso", "D", "only shared objects matching the glob D" },
	{ OPT_STDIO, 0, "stdio", NULL, "the table (the default)" },
	{ OPT_JSON, 0, "json", NULL, "one JSON document instead (= --format json)" },
	{ OPT_FORMAT, 0, "format", "FMT", "table, json, folded (stacks for flamegraph.pl, speedscope),\n"
					  "svg (an interactive flame graph) or pprof (gzip, needs -o)" },
	{ 'o', 'o', "output", "FILE", "write there instead of standard output" },
	{ OPT_EVENT, 0, "event", "E", "the event that ranks rows and that folded, svg and pprof\n"
				      "count by default (default: the first event with samples)" },
	{ OPT_COLOR, 0, "color", "dso|E", "svg colours: by shared object (default), or by event E's\n"
					  "count per unit of the drawn event (cache misses per cycle)" },
	{ OPT_SRCLINE, 0, "srcline", NULL, "add source file:line to the sort keys" },
	{ OPT_INLINE, 0, "inline", NULL, "attribute samples in inlined code to the inlined function" },
	{ OPT_TRACE_FIELD, 0, "trace-field", "F", "add the sort key trace showing tracepoint field F\n"
						   "(sched:sched_switch's prev_state, say); --sort trace: all fields" },
	{ OPT_SYMFS, 0, "symfs", "DIR", "find the recorded binaries under DIR" },
	{ OPT_DEBUG_DIR, 0, "debug-dir", "DIR", "also look for separate debug files in DIR" },
	{ 'h', 'h', "help", NULL, "show this help" },
	{ 0 },
};

struct report_cmd_opts {
	struct report_opts ro;
	struct report_view view;
	const struct report_format *format;
	const char *output;
	const char *event;
	const char *color;	/* NULL or "dso": by shared object; else an event name */
	bool srcline;
};

/* Adds sort key K unless --sort has it. */
static void add_key(struct report_opts *ro, enum hist_key k)
{
	for (size_t i = 0; i < ro->nkeys; i++)
		if (ro->keys[i] == k)
			return;
	if (ro->nkeys < HK_NR)
		ro->keys[ro->nkeys++] = k;
}

static int parse_opts(int argc, char **argv, struct report_cmd_opts *o)
{
	struct opt_parser p;
	const char *arg;
	int c;

	cmd_options_begin(&cmd_report, &p, false);
	while ((c = cmd_next_option(&cmd_report, &p, argc, argv, &arg)) != OPT_END) {
		const char *bad;
		size_t badlen;
		uint64_t v;
		int n;

		switch (c) {
		case OPT_ERROR:
			return EXIT_USAGE;
		case 'i':
			o->ro.input = arg;
			break;
		case OPT_TOP:
			if (parse_uint(arg, 1, SIZE_MAX, &v) < 0)
				return cmd_usage_error(&cmd_report, "invalid --top '%s' (want 1 or more)", arg);
			o->view.top = (size_t)v;
			break;
		case 's':
			n = hist_parse_keys(arg, o->ro.keys, &bad, &badlen);
			if (n < 0)
				return cmd_usage_error(&cmd_report, "unknown sort key '%.*s' (known: %s)", (int)badlen,
						       bad, hist_key_names());
			o->ro.nkeys = (size_t)n;
			break;
		case OPT_CHILDREN:
			o->view.children = o->ro.children = true;
			break;
		case OPT_NO_CHILDREN:
			o->view.children = o->ro.children = false;
			break;
		case OPT_PERCENT_LIMIT:
			if (parse_real(arg, 0, 100, &o->view.percent_limit) < 0)
				return cmd_usage_error(&cmd_report, "invalid --percent-limit '%s' (want 0..100)", arg);
			break;
		case OPT_COMM:
			o->ro.comm = arg;
			break;
		case OPT_PID:
			if (parse_uint(arg, 0, INT_MAX, &v) < 0)
				return cmd_usage_error(&cmd_report, "invalid --pid '%s'", arg);
			o->ro.pid = (pid_t)v;
			break;
		case OPT_DSO:
			o->ro.dso = arg;
			break;
		case OPT_STDIO:
			o->format = report_format_find("table");
			break;
		case OPT_JSON:
			o->format = report_format_find("json");
			break;
		case OPT_FORMAT:
			o->format = report_format_find(arg);
			if (!o->format)
				return cmd_usage_error(&cmd_report, "unknown format '%s' (%s)", arg,
						       report_format_names());
			break;
		case 'o':
			o->output = arg;
			break;
		case OPT_EVENT:
			o->event = arg;
			break;
		case OPT_COLOR:
			o->color = arg;
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
		case OPT_TRACE_FIELD:
			o->ro.trace_field = arg;
			break;
		case OPT_SYMFS:
			o->ro.symfs = arg;
			break;
		case OPT_DEBUG_DIR:
			o->ro.debug_dir = arg;
			break;
		case 'h':
			cmd_print_usage(&cmd_report);
			return -1;
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_report, "unexpected argument '%s' (the file goes after -i)",
				       argv[optind]);
	if (o->srcline)
		add_key(&o->ro, HK_SRCLINE);
	if (o->ro.trace_field)
		add_key(&o->ro, HK_TRACE);
	if (o->format->binary && !o->output)
		return cmd_usage_error(&cmd_report, "--format %s needs -o FILE (it is not text)", o->format->name);
	o->ro.collect_stacks = o->format->stacks;
	o->ro.loc_lines = o->format->lines;
	if (!o->ro.input)
		o->ro.input = cmd_default_input();
	return 0;
}

static int write_output(struct report_cmd_opts *o, struct report *r)
{
	struct outfile out;
	char err[512];
	int rc = 0;

	if (o->color && strcmp(o->color, "dso") != 0) {
		o->view.heat_event = report_find_event(r, o->color);
		if (o->view.heat_event < 0) {
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
	if (!o->event && o->view.event && o->format->stacks)
		note("'%s' has no samples: showing '%s', the first event that has", report_event_name(r, 0),
		     report_event_name(r, o->view.event));
	if (outfile_open(&out, o->output, err, sizeof(err)) < 0) {
		pr_err("%s", err);
		return EXIT_ERROR;
	}
	rc = o->format->write(out.f, r, &o->view);
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
		.view = { .percent_limit = 0.5, .callgraph_limit = 0.5, .heat_event = -1 },
	};
	struct report r;
	char err[512];
	int rc;

	o.format = report_format_find("table");
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
	.synopsis = "usage: hwprof report [-i FILE] [--top N] [--sort KEYS] [--children | --no-children]\n"
		    "                     [-g | --no-call-graph]\n"
		    "                     [--percent-limit P] [--comm C] [--pid P] [--dso D]\n"
		    "                     [--stdio | --json | --format FMT] [-o FILE] [--event E]\n"
		    "                     [--srcline] [--inline] [--symfs DIR] [--debug-dir DIR]\n",
	.description = "Shows where the samples of a recording (hwprof record or perf record) fell:\n"
		       "one row per command, shared object and function, with each event's share\n"
		       "side by side and, for event groups, per-function IPC, MPKI and branch-miss rate.\n",
	.options = report_options,
	.epilogue = "EXAMPLES\n"
		    "    hwprof report --top 20\n"
		    "    hwprof report -g --top 5\n"
		    "    hwprof report -i perf.data --sort dso,sym --children\n"
		    "    hwprof report --sort sym,srcline --srcline --top 10\n"
		    "    hwprof report --json > profile.json\n"
		    "    hwprof report --format pprof -o profile.pb.gz && go tool pprof -top profile.pb.gz\n"
		    "    hwprof report --format svg -o flame.svg\n"
		    "    hwprof report --format folded | flamegraph.pl > flame.svg\n",
	.exec = cmd_report_exec,
};
