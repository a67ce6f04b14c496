/* Tracepoint formats: parsing a format file, formatting fields of RAW data,
 * and HEADER_TRACING_DATA written from a tracefs tree and read back. */
#include "unit.h"

#include "hwprof/tracefs.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char sched_switch[] =
	"name: sched_switch\nID: 372\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
	"\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;\n"
	"\tfield:__data_loc char[] reason;\toffset:40;\tsize:4;\tsigned:0;\n"
	"\nprint fmt: \"prev_comm=%s\", REC->prev_comm\n";

START_TEST(test_parse_and_format)
{
	struct tp_format f;
	uint8_t raw[64] = { 0 };
	struct strbuf sb = { 0 };
	int32_t pid = -5;
	int64_t state = 2;
	uint32_t loc = (5u << 16) | 48;

	ck_assert_int_eq(tp_format_parse(sched_switch, &f), 0);
	ck_assert_uint_eq(f.n, 4);	/* common_* left out */
	ck_assert_str_eq(f.fields[0].name, "prev_comm");
	ck_assert(f.fields[0].is_string);
	ck_assert_uint_eq(f.fields[1].offset, 24);
	ck_assert(f.fields[1].is_signed);
	ck_assert(f.fields[3].is_dynamic);
	ck_assert_str_eq(f.fields[3].name, "reason");
	memcpy(raw + 8, "worker", 7);
	memcpy(raw + 24, &pid, 4);
	memcpy(raw + 32, &state, 8);
	memcpy(raw + 40, &loc, 4);
	memcpy(raw + 48, "futex", 5);
	for (size_t i = 0; i < f.n; i++) {
		sb_printf(&sb, "%s=", f.fields[i].name);
		tp_field_format(&sb, &f.fields[i], raw, sizeof(raw));
		sb_puts(&sb, " ");
	}
	ck_assert_str_eq(sb.buf, "prev_comm=worker prev_pid=-5 prev_state=2 reason=futex ");
	sb_reset(&sb);
	/* data shorter than the field: no read past it */
	tp_field_format(&sb, &f.fields[2], raw, 36);
	ck_assert_str_eq(sb.buf, "?");
	ck_assert_ptr_nonnull(tp_format_field(&f, "prev_pid"));
	ck_assert_ptr_null(tp_format_field(&f, "next_pid"));
	sb_release(&sb);
	tp_format_release(&f);
	ck_assert_int_eq(tp_format_parse("name: x\nformat:\n", &f), -1);
}
END_TEST

static void put(const char *dir, const char *rel, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

START_TEST(test_tracing_data_round_trip)
{
	char dir[] = "/tmp/hwprof-check-tracefs-XXXXXX", path[512], **names;
	const char *events[] = { "sched:sched_switch", "irq:irq_handler_entry" };
	struct strbuf blob = { 0 };
	struct tp_format f;
	uint64_t id;
	char err[256];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/events", dir);
	mkdir(path, 0755);
	put(dir, "events/header_page", "field: u64 timestamp;\n");
	put(dir, "events/header_event", "# compressed entry header\n");
	for (int i = 0; i < 2; i++) {
		const char *sys = i ? "irq" : "sched", *name = i ? "irq_handler_entry" : "sched_switch";
		snprintf(path, sizeof(path), "%s/events/%s", dir, sys);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/events/%s/%s", dir, sys, name);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "events/%s/%s/id", sys, name);
		put(dir, path, i ? "99\n" : "372\n");
		snprintf(path, sizeof(path), "events/%s/%s/format", sys, name);
		put(dir, path, i ? "name: irq_handler_entry\nID: 99\nformat:\n\tfield:int irq;\toffset:8;\tsize:4;\tsigned:1;\n"
				 : sched_switch);
	}
	ck_assert_str_eq(tracefs_dir(dir, err, sizeof(err)), dir);
	ck_assert_int_eq(tracefs_event_id(dir, "sched", "sched_switch", &id, err, sizeof(err)), 0);
	ck_assert_uint_eq(id, 372);
	ck_assert_int_eq(tracefs_event_id(dir, "sched", "nope", &id, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no tracepoint 'sched:nope'"));
	ck_assert_uint_eq(tracefs_events(dir, "*", "*", &names), 2);
	ck_assert_str_eq(names[0], "irq:irq_handler_entry");
	free(names[0]);
	free(names[1]);
	free(names);
	ck_assert_uint_eq(tracefs_events(dir, "sched", "sched_*", &names), 1);
	free(names[0]);
	free(names);

	ck_assert_int_eq(tracefs_tracing_data(dir, events, 2, &blob), 0);
	ck_assert(!memcmp(blob.buf, "\x17\x08\x44tracing", 10));
	ck_assert_int_eq(tp_format_from_tracing_data((const uint8_t *)blob.buf, blob.len, 99, &f), 0);
	ck_assert_str_eq(f.fields[0].name, "irq");
	tp_format_release(&f);
	ck_assert_int_eq(tp_format_from_tracing_data((const uint8_t *)blob.buf, blob.len, 372, &f), 0);
	ck_assert_uint_eq(f.n, 4);
	tp_format_release(&f);
	ck_assert_int_eq(tp_format_from_tracing_data((const uint8_t *)blob.buf, blob.len, 5, &f), -1);
	/* cut before the format is whole: not found, and never read past the
	 * end (ASan watches); cut after it: found */
	{
		const char *end = memmem(blob.buf, blob.len, "prev_comm\n", 10);
		size_t whole = (size_t)(end - blob.buf) + 10;
		for (size_t cut = 0; cut < blob.len; cut++) {
			int rc = tp_format_from_tracing_data((const uint8_t *)blob.buf, cut, 372, &f);
			ck_assert_int_eq(rc, cut < whole ? -1 : 0);
			tp_format_release(&f);
		}
	}
	sb_release(&blob);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(path), 0);
}
END_TEST

static Suite *tracefs_suite(void)
{
	Suite *s = suite_create("tracefs");
	TCase *core = tcase_create("Core");

	tcase_add_test(core, test_parse_and_format);
	tcase_add_test(core, test_tracing_data_round_trip);
	suite_add_tcase(s, core);
	return s;
}

int main(void)
{
	return unit_run(tracefs_suite());
}
