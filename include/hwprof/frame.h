/* One entry of a sample's call chain, as the report stage carries it. */
#ifndef HWPROF_FRAME_H
#define HWPROF_FRAME_H

#include <stdbool.h>
#include <stdint.h>

struct frame {
	uint64_t ip;
	unsigned cpumode;		/* PERF_RECORD_MISC_USER or _KERNEL */
	bool ret;			/* a return address: look up ip - 1 */
};

#endif
