/* The ring consumer over a fake mmap page: order, wraparound, straddling records, tail release. */
#include "unit.h"

#include "hwprof/ring.h"
#include "hwprof/util.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096
#define DATA 256 /* small, so records wrap quickly */

static uint8_t *mem;
static struct ring ring;

static void setup(void)
{
	mem = calloc(1, PAGE + DATA);
	ring_init_mem(&ring, mem, PAGE, DATA);
}

static void teardown(void)
{
	ring_close(&ring);
	free(mem);
}

/* The kernel's side: writes a record of SIZE bytes whose payload bytes are SEED. */
static void produce(uint16_t size, uint8_t seed)
{
	struct perf_event_mmap_page *ctl = (struct perf_event_mmap_page *)mem;
	struct perf_event_header h = { .type = PERF_RECORD_SAMPLE, .misc = seed, .size = size };
	uint8_t rec[512];
	uint64_t head = ctl->data_head;

	memcpy(rec, &h, sizeof(h));
	memset(rec + sizeof(h), seed, size - sizeof(h));
	for (uint16_t i = 0; i < size; i++)
		mem[PAGE + (head + i) % DATA] = rec[i];
	ctl->data_head = head + size;
}

static void expect(const struct perf_event_header *h, uint16_t size, uint8_t seed)
{
	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(h->size, size);
	ck_assert_uint_eq(h->misc, seed);
	for (uint16_t i = sizeof(*h); i < size; i++)
		ck_assert_uint_eq(((const uint8_t *)h)[i], seed);
}

START_TEST(test_in_order)
{
	produce(16, 1);
	produce(40, 2);
	ck_assert_uint_eq(ring_begin(&ring), 56);
	expect(ring_next(&ring), 16, 1);
	expect(ring_next(&ring), 40, 2);
	ck_assert_ptr_null(ring_next(&ring));
	ring_end(&ring);
	ck_assert_uint_eq(((struct perf_event_mmap_page *)mem)->data_tail, 56);
}
END_TEST

START_TEST(test_wraparound_straddle)
{
	/* Fill to 8 bytes before the end, so the next record straddles it. */
	produce(200, 3);
	produce(48, 4);
	ring_begin(&ring);
	expect(ring_next(&ring), 200, 3);
	expect(ring_next(&ring), 48, 4);
	ring_end(&ring);
	produce(64, 5); /* bytes 248..311: wraps after 8 bytes */
	produce(24, 6);
	ck_assert_uint_eq(ring_begin(&ring), 88);
	expect(ring_next(&ring), 64, 5);
	expect(ring_next(&ring), 24, 6);
	ck_assert_ptr_null(ring_next(&ring));
	ring_end(&ring);
}
END_TEST

START_TEST(test_header_straddles)
{
	/* A header split 4/4 across the end of the buffer. */
	produce(252, 7);
	ring_begin(&ring);
	expect(ring_next(&ring), 252, 7);
	ring_end(&ring);
	produce(32, 8);
	ring_begin(&ring);
	expect(ring_next(&ring), 32, 8);
	ring_end(&ring);
}
END_TEST

START_TEST(test_many_laps)
{
	for (int lap = 0; lap < 100; lap++) {
		uint16_t size = (uint16_t)(8 + (lap * 24) % 120);
		produce(size, (uint8_t)lap);
		ring_begin(&ring);
		expect(ring_next(&ring), size, (uint8_t)lap);
		ck_assert_ptr_null(ring_next(&ring));
		ring_end(&ring);
	}
}
END_TEST

START_TEST(test_partial_snapshot)
{
	/* Records written after ring_begin() wait for the next pass. */
	produce(16, 1);
	ring_begin(&ring);
	produce(16, 2);
	expect(ring_next(&ring), 16, 1);
	ck_assert_ptr_null(ring_next(&ring));
	ring_end(&ring);
	ring_begin(&ring);
	expect(ring_next(&ring), 16, 2);
	ring_end(&ring);
}
END_TEST

START_TEST(test_corrupt_sizes)
{
	struct perf_event_mmap_page *ctl = (struct perf_event_mmap_page *)mem;
	struct perf_event_header bad = { .type = 9, .size = 4 }; /* smaller than a header */

	memcpy(mem + PAGE, &bad, sizeof(bad));
	ctl->data_head = 64;
	ring_begin(&ring);
	ck_assert_ptr_null(ring_next(&ring));
	ck_assert_uint_eq(ring.corrupt, 1);
	ring_end(&ring);
	ck_assert_uint_eq(ctl->data_tail, 64); /* skipped, not looped on */

	bad.size = 1000; /* larger than what is available */
	memcpy(mem + PAGE + 64, &bad, sizeof(bad));
	ctl->data_head = 128;
	ring_begin(&ring);
	ck_assert_ptr_null(ring_next(&ring));
	ck_assert_uint_eq(ring.corrupt, 2);
	ring_end(&ring);
}
END_TEST

static Suite *ring_suite(void)
{
	Suite *s = suite_create("ring");
	TCase *core = tcase_create("Core");
	TCase *limits = tcase_create("Limits");
	TCase *corrupt = tcase_create("Corrupt");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_checked_fixture(limits, setup, teardown);
	tcase_add_checked_fixture(corrupt, setup, teardown);
	tcase_add_test(core, test_in_order);
	tcase_add_test(core, test_wraparound_straddle);
	tcase_add_test(limits, test_header_straddles);
	tcase_add_test(limits, test_many_laps);
	tcase_add_test(limits, test_partial_snapshot);
	tcase_add_test(corrupt, test_corrupt_sizes);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, corrupt);
	return s;
}

int main(void)
{
	return unit_run(ring_suite());
}
