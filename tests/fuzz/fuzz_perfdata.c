/* Fuzz target: any bytes as a perf.data (file or pipe mode), through the whole report
 * pipeline: reader, ordering, session, symbols, histogram, call chains and exports. */
#include "hwprof/export.h"
#include "hwprof/report-output.h"
#include "hwprof/report.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	static FILE *devnull;
	static struct symbols *syms;
	struct report_opts opts = {
		.keys = { HK_COMM, HK_DSO, HK_SYM }, .nkeys = 3, .pid = -1,
		.children = true, .callgraph = true, .collect_stacks = true, .no_kallsyms = true,
	};
	struct report_view view = { .percent_limit = 0, .children = true, .callgraph = true };
	struct report r;
	char err[256];

	if (fd < 0) {
		fd = memfd_create("hwprof-fuzz", 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		devnull = fopen("/dev/null", "w");
		/* Fuzzed files name real binaries: no copies of their debug files. */
		setenv("HWPROF_CACHE_DIR", "", 1);
		/* Shared across inputs, as the files they name stay the same. */
		syms = symbols_new(&(struct symbols_opts){ 0 });
	}
	opts.syms = syms;
	if (ftruncate(fd, 0) < 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		return 0;
	opts.input = path;
	if (report_load(&r, &opts, err, sizeof(err)) == 0) {
		report_print_table(devnull, &r, &view);
		report_print_json(devnull, &r, &view);
		export_folded(devnull, &r, 0);
		export_svg(devnull, &r, 0, "fuzz", report_nevents(&r) > 1 ? 1 : -1);
	}
	report_release(&r);
	return 0;
}
