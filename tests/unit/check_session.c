/* Address spaces replayed from MMAP and FORK records, checked page by page against
 * a plain model: overlapping maps cut older ones, forks copy, later changes stay
 * on their side of a fork, thousands of maps split the blocks many times. */
#include "unit.h"

#include "hwprof/session.h"
#include "hwprof/symbols.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGES 8192
#define PAGE 4096ull
#define BASE 0x400000ull

/* What a page of the model holds: the map's name number and the file offset there. */
struct page {
	int name;		/* -1: unmapped */
	uint64_t offset;
};

static struct symbols *syms;
static struct session sess;
static uint32_t rng = 12345;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void dso_name_of(int name, char *buf, size_t len)
{
	snprintf(buf, len, "/maps/lib%d.so", name);
}

static void mmap_record(uint32_t pid, uint64_t first_page, uint64_t npages, uint64_t pgoff, int name)
{
	uint64_t rec[64];
	struct perf_event_header *h = (struct perf_event_header *)rec;
	uint8_t *p = (uint8_t *)(h + 1);
	uint64_t start = BASE + first_page * PAGE, len = npages * PAGE;
	char file[64];

	memset(rec, 0, sizeof(rec));
	dso_name_of(name, file, sizeof(file));
	memcpy(p, &pid, 4);
	memcpy(p + 4, &pid, 4);
	memcpy(p + 8, &start, 8);
	memcpy(p + 16, &len, 8);
	memcpy(p + 24, &pgoff, 8);
	strcpy((char *)p + 32, file);
	h->type = PERF_RECORD_MMAP;
	h->misc = PERF_RECORD_MISC_USER;
	h->size = (uint16_t)(sizeof(*h) + 32 + ((strlen(file) + 8) & ~7ul));
	session_process(&sess, h);
}

static void fork_record(uint32_t child, uint32_t parent)
{
	struct {
		struct perf_event_header h;
		uint32_t pid, ppid, tid, ptid;
		uint64_t time;
	} rec = { { PERF_RECORD_FORK, 0, sizeof(rec) }, child, parent, child, parent, 0 };

	session_process(&sess, &rec.h);
}

static void model_mmap(struct page *m, uint64_t first, uint64_t n, uint64_t pgoff, int name)
{
	for (uint64_t i = 0; i < n && first + i < PAGES; i++)
		m[first + i] = (struct page){ name, pgoff + i * PAGE };
}

/* Every page of PID's address space against the model. */
static void check_all(uint32_t pid, const struct page *m)
{
	struct thread *t = session_thread(&sess, pid, pid);

	for (uint64_t pg = 0; pg < PAGES; pg++) {
		uint64_t addr = BASE + pg * PAGE + (next() % PAGE);
		const struct map *got = session_find_map(&sess, t, PERF_RECORD_MISC_USER, addr);
		char file[64];

		if (m[pg].name < 0) {
			ck_assert_msg(got == NULL, "pid %u page %llu: mapped, want unmapped", pid,
				      (unsigned long long)pg);
			continue;
		}
		ck_assert_msg(got != NULL, "pid %u page %llu: unmapped, want lib%d", pid, (unsigned long long)pg,
			      m[pg].name);
		dso_name_of(m[pg].name, file, sizeof(file));
		ck_assert_str_eq(dso_name(got->dso), file);
		ck_assert_uint_eq(got->pgoff + (addr - got->start) - (addr % PAGE), m[pg].offset);
	}
}

static void setup(void)
{
	syms = symbols_new(&(struct symbols_opts){ 0 });
	session_init(&sess, syms);
}

static void teardown(void)
{
	session_release(&sess);
	symbols_free(syms);
}

START_TEST(test_random_maps_and_forks)
{
	static struct page a[PAGES], b[PAGES];
	int name = 0;

	for (size_t i = 0; i < PAGES; i++)
		a[i].name = b[i].name = -1;
	/* Process 1 maps many small and some large regions over one another. */
	for (int op = 0; op < 6000; op++) {
		uint64_t first = next() % PAGES, n = next() % 8 == 0 ? 1 + next() % 512 : 1 + next() % 4;
		uint64_t pgoff = (uint64_t)(next() % 1000) * PAGE;
		if (first + n > PAGES)
			n = PAGES - first;
		mmap_record(1, first, n, pgoff, name);
		model_mmap(a, first, n, pgoff, name++);
	}
	check_all(1, a);
	/* Process 2 forks from it; then both change, each on its own side. */
	fork_record(2, 1);
	memcpy(b, a, sizeof(a));
	check_all(2, b);
	for (int op = 0; op < 4000; op++) {
		uint32_t pid = 1 + next() % 2;
		uint64_t first = next() % PAGES, n = 1 + next() % 16;
		if (first + n > PAGES)
			n = PAGES - first;
		mmap_record(pid, first, n, 0, name);
		model_mmap(pid == 1 ? a : b, first, n, 0, name++);
	}
	check_all(1, a);
	check_all(2, b);
}
END_TEST

START_TEST(test_descending_and_ascending)
{
	static struct page m[PAGES];

	for (size_t i = 0; i < PAGES; i++)
		m[i].name = -1;
	/* Each new map below the others (the way mmap_base grows), then above. */
	for (int i = 0; i < 2000; i++) {
		mmap_record(1, (uint64_t)(PAGES - 2 - 2 * i), 1, 0, i);
		model_mmap(m, (uint64_t)(PAGES - 2 - 2 * i), 1, 0, i);
	}
	for (int i = 0; i < 2000; i++) {
		mmap_record(1, (uint64_t)(2 * i + 1), 1, PAGE, 5000 + i);
		model_mmap(m, (uint64_t)(2 * i + 1), 1, PAGE, 5000 + i);
	}
	check_all(1, m);
	/* One map over all of them leaves it alone. */
	mmap_record(1, 0, PAGES, 0, 99999);
	model_mmap(m, 0, PAGES, 0, 99999);
	check_all(1, m);
}
END_TEST

static Suite *session_suite(void)
{
	Suite *s = suite_create("session");
	TCase *maps = tcase_create("Maps");

	tcase_add_checked_fixture(maps, setup, teardown);
	tcase_set_timeout(maps, 60);
	tcase_add_test(maps, test_random_maps_and_forks);
	tcase_add_test(maps, test_descending_and_ascending);
	suite_add_tcase(s, maps);
	return s;
}

int main(void)
{
	return unit_run(session_suite());
}
