/* Fuzz target: any bytes as a recording, through the commands as a user runs
 * them (option parsing aside): report in every format and view, annotate --top,
 * and diff of the input against itself. The library-level target
 * (fuzz_perfdata.c) is faster; this one reaches the command code, the output
 * writer and the exporters' own checks, where two crashes once hid. */
#include "hwprof/cmd.h"
#include "hwprof/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run(const struct hwprof_cmd *cmd, const char *const *args)
{
	char *argv[16];
	int argc = 0;

	argv[argc++] = (char *)cmd->name;
	for (; *args && argc < 15; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	return cmd->exec(argc, argv);
}

static char dir[] = "/tmp/hwprof-fuzz-cmd.XXXXXX", out[4096];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void cleanup(void)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64], cache[4200];
	static const char *const formats[] = { "table", "json", "folded", "svg", "pprof" };

	if (fd < 0) {
		fd = memfd_create("hwprof-fuzz", 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (!mkdtemp(dir))
			abort();
		snprintf(out, sizeof(out), "%s/out", dir);
		atexit(cleanup);
		/* Commands write tables to stdout: not wanted in the fuzzer's log. */
		if (!freopen("/dev/null", "w", stdout))
			abort();
		/* A private cache: kallsyms is read once, not once per command. */
		snprintf(cache, sizeof(cache), "%s/cache", dir);
		setenv("HWPROF_CACHE_DIR", cache, 1);
		hwprof_set_prog("hwprof fuzz");
		hwprof_set_quiet(true);
	}
	if (ftruncate(fd, 0) < 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		return 0;
	for (size_t i = 0; i < sizeof(formats) / sizeof(*formats); i++) {
		const char *const args[] = { "-i", path, "--format", formats[i], "-o", out, "--children",
					     "--percent-limit", "0", NULL };
		run(&cmd_report, args);
	}
	{
		const char *const views[][10] = {
			{ "-i", path, "-g", "--sort", "dso,sym,srcline", "--inline", NULL },
			{ "-i", path, "--sort", "pid,tid,comm", "--top", "3", "--json", NULL },
		};
		for (size_t i = 0; i < sizeof(views) / sizeof(*views); i++)
			run(&cmd_report, views[i]);
	}
	{
		const char *const args[] = { "-i", path, "--top", "2", NULL };
		const char *const diff_args[] = { path, path, NULL };
		const char *const diff_json[] = { "--json", "--fail-above", "1", path, path, NULL };
		run(&cmd_annotate, args);
		run(&cmd_diff, diff_args);
		run(&cmd_diff, diff_json);
	}
	return 0;
}
