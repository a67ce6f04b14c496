/* DWARF unwinding of a real sample: registers and a stack copy taken inside
 * fn_c <- fn_b <- fn_a of this program (built without frame pointers, the
 * frame pointer register zeroed), replayed through the unwinder; only the
 * CFI can give the callers. */
#include "unit.h"

#include "hwprof/arch.h"
#include "hwprof/session.h"
#include "hwprof/symbols.h"
#include "hwprof/unwind.h"

#include "../common/selfmap.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define PID 4242

static struct {
	uint64_t sp, ip;
	uint8_t stack[8192];
	size_t len;
} cap;

/* Where the main thread's stack ends: a copy must not read past it. */
static uint64_t stack_end(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	unsigned long long lo, hi, end = 0;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[stack]") && sscanf(line, "%llx-%llx", &lo, &hi) == 2)
			end = hi;
	if (f)
		fclose(f);
	return end;
}

static volatile int sink;

/* The kernel copies the stack as raw bytes, redzones and all: so do we,
 * out of the address sanitizer's sight. */
__attribute__((no_sanitize_address, noinline)) static void raw_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		((volatile uint8_t *)dst)[i] = src[i];
}

__attribute__((noipa)) static int fn_c(int x)
{
	uint64_t sp = 0, ip = 0, end;

#if defined(__x86_64__)
	__asm__ volatile("mov %%rsp, %0\n\tlea 0(%%rip), %1" : "=r"(sp), "=r"(ip));
#elif defined(__aarch64__)
	__asm__ volatile("mov %0, sp\n\tadr %1, ." : "=r"(sp), "=r"(ip));
#endif
	end = stack_end();
	cap.sp = sp;
	cap.ip = ip;
	cap.len = end > sp ? (end - sp < sizeof(cap.stack) ? end - sp : sizeof(cap.stack)) : 0;
	raw_copy(cap.stack, (const uint8_t *)(uintptr_t)sp, cap.len);
	sink = x;
	return x + 1;
}

__attribute__((noipa)) static int fn_b(int x)
{
	int r = fn_c(x * 3);	/* work after the call: no tail call */
	sink = r;
	return r + sink;
}

__attribute__((noipa)) static int fn_a(int x)
{
	int r = fn_b(x + 1);
	sink = r;
	return r * 2 + sink;
}

START_TEST(test_unwinds_callers_from_cfi)
{
	const struct arch_info *a = arch_host();
	struct symbols_opts so = { 0 };
	struct symbols *syms;
	struct session sess;
	struct unwinder *u;
	struct thread *t;
	struct selfmap m;
	struct sample s;
	uint64_t regs[64] = { 0 }, pcs[64];
	const char *want[] = { "fn_c", "fn_b", "fn_a" };
	size_t n, k = 0;

#if !defined(__x86_64__) && !defined(__aarch64__)
	return;
#endif
	ck_assert_int_eq(selfmap_read(&m), 0);
	fn_a(1);
	ck_assert_uint_gt(cap.len, 256);
	syms = symbols_new(&so);
	session_init(&sess, syms);
	t = session_thread(&sess, PID, PID);
	selfmap_session(&m, &sess, PID);
	u = unwind_new(syms, a);

	/* sp and ip only: the frame pointer (and link register) read as 0 */
	regs[__builtin_popcountll(a->user_regs_mask & ((1ull << a->ip_reg) - 1))] = cap.ip;
	regs[__builtin_popcountll(a->user_regs_mask & ((1ull << a->sp_reg) - 1))] = cap.sp;
	memset(&s, 0, sizeof(s));
	s.ip = cap.ip;
	s.pid = s.tid = PID;
	s.regs_abi = PERF_SAMPLE_REGS_ABI_64;
	s.regs_nr = (uint64_t)__builtin_popcountll(a->user_regs_mask);
	s.regs = (const uint8_t *)regs;
	s.stack = cap.stack;
	s.stack_size = s.stack_dyn_size = cap.len;
	n = unwind_sample(u, t, &s, a->user_regs_mask, pcs, 64);
	ck_assert_uint_ge(n, 4);
	for (size_t i = 0; i < n && k < 3; i++) {
		const struct map *mp = session_find_map(&sess, t, PERF_RECORD_MISC_USER, pcs[i]);
		struct symres r;
		ck_assert_ptr_nonnull(mp);
		ck_assert_int_eq(symbols_resolve(syms, mp->dso, mp->start, mp->pgoff, i ? pcs[i] - 1 : pcs[i], 0, &r), 0);
		ck_assert_ptr_nonnull(r.name);
		ck_assert_msg(!strcmp(r.name, want[i]), "frame %zu is %s, want %s", i, r.name, want[i]);
		k++;
	}
	ck_assert_uint_eq(k, 3);
	ck_assert_uint_eq(unwind_stats(u)->samples, 1);

	/* a stack copy cut short: the sampled frame still, never a made-up caller */
	s.stack_size = s.stack_dyn_size = 8;
	n = unwind_sample(u, t, &s, a->user_regs_mask, pcs, 64);
	ck_assert_uint_le(n, 2);
	ck_assert_uint_eq(pcs[0], cap.ip);
	unwind_free(u);
	session_release(&sess);
	symbols_free(syms);
}
END_TEST

static Suite *unwind_suite(void)
{
	Suite *s = suite_create("unwind");
	TCase *core = tcase_create("Core");

	tcase_add_test(core, test_unwinds_callers_from_cfi);
	suite_add_tcase(s, core);
	return s;
}

int main(void)
{
	return unit_run(unwind_suite());
}
