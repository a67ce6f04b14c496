/* Fuzz target: DWARF unwinding of arbitrary sampled registers and stack bytes, in an
 * address space that maps this very program, so libdwfl meets real CFI. Input:
 * 8 bytes of instruction offset into our code, then the stack copy. */
#include "hwprof/arch.h"
#include "hwprof/session.h"
#include "hwprof/symbols.h"
#include "hwprof/unwind.h"
#include "hwprof/util.h"

#include "../common/selfmap.h"

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
	struct selfmap m;

	syms = symbols_new(&so);
	session_init(&sess, syms);
	thr = session_thread(&sess, 4242, 4242);
	unw = unwind_new(syms, arch_host());
	if (selfmap_read(&m) < 0)
		return;
	selfmap_session(&m, &sess, 4242);
	text_start = m.text_start;
	text_len = m.text_len;
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
