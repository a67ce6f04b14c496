/* Non-sample record decoders: fields at the kernel's offsets, and records
 * too short or with an unterminated string refused. */
#include "unit.h"

#include "hwprof/records.h"

#include <check.h>
#include <string.h>
#include <sys/mman.h>

static union {
	struct perf_event_header h;
	uint8_t b[256];
} rec;

static uint8_t *body(uint32_t type, uint16_t misc, size_t len)
{
	memset(&rec, 0xee, sizeof(rec));
	rec.h.type = type;
	rec.h.misc = misc;
	rec.h.size = (uint16_t)(sizeof(rec.h) + len);
	return rec.b + sizeof(rec.h);
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

START_TEST(test_mmap_and_mmap2)
{
	struct rec_mmap m;
	uint8_t *p = body(PERF_RECORD_MMAP, 0, 32 + 8);

	put32(p, 10), put32(p + 4, 11), put64(p + 8, 0x400000), put64(p + 16, 0x1000), put64(p + 24, 0x2000);
	memcpy(p + 32, "/bin/x\0", 8);
	ck_assert_int_eq(rec_mmap_parse(&rec.h, &m), 0);
	ck_assert_uint_eq(m.pid, 10);
	ck_assert_uint_eq(m.tid, 11);
	ck_assert_uint_eq(m.start, 0x400000);
	ck_assert_uint_eq(m.len, 0x1000);
	ck_assert_uint_eq(m.pgoff, 0x2000);
	ck_assert_uint_eq(m.prot, PROT_EXEC);
	ck_assert_str_eq(m.filename, "/bin/x");

	p = body(PERF_RECORD_MMAP2, 0, 64 + 8);
	put32(p, 20), put64(p + 8, 0x7f0000), put64(p + 16, 0x3000), put64(p + 24, 0);
	put32(p + 56, PROT_READ), put32(p + 60, MAP_PRIVATE);
	memcpy(p + 64, "libc.so", 8);
	ck_assert_int_eq(rec_mmap_parse(&rec.h, &m), 0);
	ck_assert_uint_eq(m.pid, 20);
	ck_assert_uint_eq(m.start, 0x7f0000);
	ck_assert_uint_eq(m.prot, PROT_READ);
	ck_assert_str_eq(m.filename, "libc.so");

	/* the name's NUL must be inside the record */
	p[64 + 7] = 'x';
	ck_assert_int_eq(rec_mmap_parse(&rec.h, &m), -1);
	body(PERF_RECORD_MMAP2, 0, 40);
	ck_assert_int_eq(rec_mmap_parse(&rec.h, &m), -1);
	body(PERF_RECORD_COMM, 0, 80);
	ck_assert_int_eq(rec_mmap_parse(&rec.h, &m), -1);
}
END_TEST

START_TEST(test_comm)
{
	struct rec_comm c;
	uint8_t *p = body(PERF_RECORD_COMM, PERF_RECORD_MISC_COMM_EXEC, 8 + 8);

	put32(p, 5), put32(p + 4, 6);
	memcpy(p + 8, "worker\0", 8);
	ck_assert_int_eq(rec_comm_parse(&rec.h, &c), 0);
	ck_assert_uint_eq(c.pid, 5);
	ck_assert_uint_eq(c.tid, 6);
	ck_assert_str_eq(c.comm, "worker");
	ck_assert(c.exec);
	p[14] = p[15] = 'x';
	ck_assert_int_eq(rec_comm_parse(&rec.h, &c), -1);
	body(PERF_RECORD_COMM, 0, 8);
	ck_assert_int_eq(rec_comm_parse(&rec.h, &c), -1);
}
END_TEST

START_TEST(test_fork_exit_lost)
{
	struct rec_fork f;
	uint64_t n;
	uint8_t *p = body(PERF_RECORD_FORK, 0, 24);

	put32(p, 1), put32(p + 4, 2), put32(p + 8, 3), put32(p + 12, 4), put64(p + 16, 99);
	ck_assert_int_eq(rec_fork_parse(&rec.h, &f), 0);
	ck_assert_uint_eq(f.pid, 1);
	ck_assert_uint_eq(f.ppid, 2);
	ck_assert_uint_eq(f.tid, 3);
	ck_assert_uint_eq(f.ptid, 4);
	ck_assert_uint_eq(f.time, 99);
	rec.h.type = PERF_RECORD_EXIT;
	ck_assert_int_eq(rec_fork_parse(&rec.h, &f), 0);
	body(PERF_RECORD_FORK, 0, 12);
	ck_assert_int_eq(rec_fork_parse(&rec.h, &f), -1);

	p = body(PERF_RECORD_LOST, 0, 16);
	put64(p, 7), put64(p + 8, 1234);
	ck_assert_int_eq(rec_lost_parse(&rec.h, &n), 0);
	ck_assert_uint_eq(n, 1234);
	body(PERF_RECORD_LOST, 0, 8);
	ck_assert_int_eq(rec_lost_parse(&rec.h, &n), -1);
	p = body(PERF_RECORD_LOST_SAMPLES, 0, 8);
	put64(p, 55);
	ck_assert_int_eq(rec_lost_samples_parse(&rec.h, &n), 0);
	ck_assert_uint_eq(n, 55);
	ck_assert_int_eq(rec_lost_parse(&rec.h, &n), -1);
}
END_TEST

static Suite *records_suite(void)
{
	Suite *s = suite_create("records");
	TCase *core = tcase_create("Core");

	tcase_add_test(core, test_mmap_and_mmap2);
	tcase_add_test(core, test_comm);
	tcase_add_test(core, test_fork_exit_lost);
	suite_add_tcase(s, core);
	return s;
}

int main(void)
{
	return unit_run(records_suite());
}
