/* hwprof list: every event name hwprof accepts, marked by whether this machine can count it. */
#include "hwprof/cmd.h"
#include "hwprof/counters.h"
#include "hwprof/events.h"
#include "hwprof/tracefs.h"
#include "hwprof/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct opt_spec list_options[] = {
	{ 'h', 'h', "help", NULL, "show this help" },
	{ 0 },
};

static const char *support_of(__u32 type, __u64 config, char *buf, size_t len)
{
	int rc = counters_try_open(type, config);

	if (rc == 0)
		return "supported";
	snprintf(buf, len, "not supported (%s)", strerror(-rc));
	return buf;
}

static void list_table(const char *title, const char *kind, const struct event_name *t, size_t nr,
		       bool no_pmu)
{
	char buf[128];

	printf("%s:\n", title);
	for (size_t i = 0; i < nr; i++) {
		char name[96];
		const char *support;

		if (t[i].alias)
			snprintf(name, sizeof(name), "%s OR %s", t[i].name, t[i].alias);
		else
			snprintf(name, sizeof(name), "%s", t[i].name);
		if (no_pmu && t[i].type != PERF_TYPE_SOFTWARE)
			support = "not supported (no PMU)";
		else
			support = support_of(t[i].type, t[i].config, buf, sizeof(buf));
		printf("  %-45s %-16s %s\n", name, kind, support);
	}
	putchar('\n');
}

static void list_pmus(void)
{
	const char *root = "/sys/bus/event_source/devices";
	DIR *d = opendir(root);
	struct dirent *de;

	printf("PMU events (from %s):\n", root);
	if (!d) {
		printf("  (cannot read: %s)\n\n", strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		char *path;
		DIR *ed;
		struct dirent *ee;

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s/events", root, de->d_name);
		ed = opendir(path);
		free(path);
		if (!ed)
			continue;
		while ((ee = readdir(ed))) {
			if (ee->d_name[0] == '.' || strchr(ee->d_name, '.'))
				continue; /* .scale and .unit files describe an event */
			printf("  %s/%s/\n", de->d_name, ee->d_name);
		}
		closedir(ed);
	}
	closedir(d);
	putchar('\n');
}

static void list_tracepoints(void)
{
	char why[256], **names;
	const char *dir = tracefs_dir(NULL, why, sizeof(why));
	size_t n;

	printf("Tracepoint events (SUBSYS:NAME, globs allowed: sched:*):\n");
	if (!dir) {
		printf("  (none: %s)\n\n", why);
		return;
	}
	n = tracefs_events(dir, "*", "*", &names);
	for (size_t i = 0; i < n; i++) {
		printf("  %-45s %s\n", names[i], "[Tracepoint event]");
		free(names[i]);
	}
	free(names);
	putchar('\n');
}

static int cmd_list_exec(int argc, char **argv)
{
	const struct event_name *t;
	const char *what;
	bool all, no_pmu = hwpmu_probe() == -HWPROF_E_NOPMU;
	size_t nr;

	struct opt_parser p;
	const char *arg;
	int c;

	cmd_options_begin(&cmd_list, &p, false);
	while ((c = cmd_next_option(&cmd_list, &p, argc, argv, &arg)) != OPT_END) {
		if (c == OPT_ERROR)
			return EXIT_USAGE;
		if (c == 'h')
			return cmd_print_usage(&cmd_list);
	}
	argc -= optind - 1;
	argv += optind - 1;
	what = argc > 1 ? argv[1] : "all";
	all = !strcmp(what, "all");
	if (argc > 2)
		return cmd_usage_error(&cmd_list, "one event class at a time ('%s' is extra)", argv[2]);
	if ((!all && strcmp(what, "hw") != 0 && strcmp(what, "sw") != 0 &&
			 strcmp(what, "cache") != 0 && strcmp(what, "pmu") != 0 && strcmp(what, "tracepoint") != 0))
		return cmd_usage_error(&cmd_list, "unknown event class '%s'", what);
	if (no_pmu)
		printf("note: this kernel has no hardware PMU (usual in virtual machines); "
		       "only software events can be counted\n\n");
	if (all || !strcmp(what, "hw")) {
		t = events_hardware(&nr);
		list_table("Hardware events", "[Hardware]", t, nr, no_pmu);
	}
	if (all || !strcmp(what, "sw")) {
		t = events_software(&nr);
		list_table("Software events", "[Software]", t, nr, no_pmu);
	}
	if (all || !strcmp(what, "cache")) {
		t = events_cache(&nr);
		list_table("Hardware cache events", "[Cache]", t, nr, no_pmu);
	}
	if (all || !strcmp(what, "pmu"))
		list_pmus();
	if (all || !strcmp(what, "tracepoint"))
		list_tracepoints();
	return EXIT_OK;
}

const struct hwprof_cmd cmd_list = {
	.name = "list",
	.summary = "list event names and whether this machine supports them",
	.synopsis = "usage: hwprof list [hw | sw | cache | pmu | tracepoint]\n",
	.description = "Lists the event names hwprof accepts in -e, with perf's spellings, and\n"
		       "whether this machine can count each one (it tries to open it).\n"
		       "\n"
		       "    hw       hardware events (cycles, instructions, cache-misses...)\n"
		       "    sw       software events (task-clock, page-faults...)\n"
		       "    cache    generic cache events (L1-dcache-load-misses, LLC-loads...)\n"
		       "    pmu      events published by kernel PMUs in sysfs (pmu/event/)\n"
		       "    tracepoint  kernel tracepoints in tracefs (sched:sched_switch, sched:*)\n",
	.options = list_options,
	.epilogue = "Raw events are written rNNNN (hex config) or pmu/config=0x..,umask=0x../.\n"
		    "Modifiers :u :k :h :p :S :D and groups {a,b} follow perf.\n"
		    "\n"
		    "EXAMPLES\n"
		    "    hwprof list\n"
		    "    hwprof list cache\n",
	.exec = cmd_list_exec,
};
