/* Fuzz target: DWARF unwinding of arbitrary sampled registers and stack bytes, in an
 * address space that maps this very program, so libdwfl meets real CFI. Input:
 * 8 bytes of instruction offset into our code, then the stack copy. */
#include "hwprof/arch.h"
#include "hwprof/session.h"
#include "hwprof/symbols.h"
#include "hwprof/unwind.h"
#include "hwprof/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define STACK_BASE 0x7ffc00000000ull

static struct symbols *syms;
static struct session sess;
static struct unwinder *unw;
static struct thread *thr;
static uint64_t text_start, text_len;

/* The address space: this program's own mappings, as MMAP2 records. */
static void setup(void)
{
	struct symbols_opts so = { 0 };
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512], self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	self[n > 0 ? n : 0] = '\0';
	syms = symbols_new(&so);
	session_init(&sess, syms);
	thr = session_thread(&sess, 4242, 4242);
	unw = unwind_new(syms, arch_host());
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi, off;
		char perms[8], path[4096] = "";
		struct strbuf sb = { 0 };
		struct perf_event_header h = { .type = PERF_RECORD_MMAP2 };
		uint32_t pid = 4242, z = 0, prot = 5, flags = 2;
		uint64_t len, zero = 0, pg;

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %4095s", &lo, &hi, perms, &off, path) < 5 ||
		    strcmp(path, self) != 0)
			continue;
		if (perms[2] == 'x' && !text_start) {
			text_start = lo;
			text_len = hi - lo;
		}
		len = hi - lo;
		pg = off;
		sb_add(&sb, (const char *)&h, sizeof(h));
		sb_add(&sb, (const char *)&pid, 4);
		sb_add(&sb, (const char *)&pid, 4);
		sb_add(&sb, (const char *)&lo, 8);
		sb_add(&sb, (const char *)&len, 8);
		sb_add(&sb, (const char *)&pg, 8);
		sb_add(&sb, (const char *)&z, 4);
		sb_add(&sb, (const char *)&z, 4);
		sb_add(&sb, (const char *)&zero, 8);
		sb_add(&sb, (const char *)&zero, 8);
		sb_add(&sb, (const char *)&prot, 4);
		sb_add(&sb, (const char *)&flags, 4);
		sb_add(&sb, path, strlen(path) + 1);
		((struct perf_event_header *)sb.buf)->size = (uint16_t)sb.len;
		session_process(&sess, (const struct perf_event_header *)sb.buf);
		sb_release(&sb);
	}
	if (f)
		fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct arch_info *a = arch_host();
	uint64_t regs[64] = { 0 }, pcs[256], off = 0, nregs;
	struct sample s;

	if (!unw)
		setup();
	if (!text_len || size < 8)
		return 0;
	memcpy(&off, data, 8);
	nregs = (uint64_t)__builtin_popcountll(a->user_regs_mask);
	/* Every register points into the stack copy, the pc into our code. */
	for (uint64_t i = 0; i < nregs && i < 64; i++)
		regs[i] = STACK_BASE + (i * 8) % (size - 7);
	regs[__builtin_popcountll(a->user_regs_mask & ((1ull << a->ip_reg) - 1))] = text_start + off % text_len;
	regs[__builtin_popcountll(a->user_regs_mask & ((1ull << a->sp_reg) - 1))] = STACK_BASE;
	memset(&s, 0, sizeof(s));
	s.regs_abi = 2;
	s.regs_nr = nregs;
	s.regs = (const uint8_t *)regs;
	s.stack = data + 8;
	s.stack_size = size - 8;
	s.stack_dyn_size = size - 8;
	unwind_sample(unw, thr, &s, a->user_regs_mask, pcs, sizeof(pcs) / sizeof(pcs[0]));
	return 0;
}
