/* Helpers every module leans on: CPU lists, string buffers, JSON strings, errors. */
#include "hwprof/json.h"
#include "hwprof/util.h"

#include "unit.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *text;
	int nr;
	int first, last;
} cpu_lists[] = {
	{ "0", 1, 0, 0 },
	{ "0-3\n", 4, 0, 3 },
	{ "0-1,4,6-7", 5, 0, 7 },
	{ "8", 1, 8, 8 },
};

static const char *const bad_cpu_lists[] = { "", "\n", "a", "3-1", "0-", "0,,1", "-1", "0 1", "1-2x" };

START_TEST(test_cpu_list)
{
	int *cpus;
	int n = parse_cpu_list(cpu_lists[_i].text, &cpus);

	ck_assert_int_eq(n, cpu_lists[_i].nr);
	ck_assert_int_eq(cpus[0], cpu_lists[_i].first);
	ck_assert_int_eq(cpus[n - 1], cpu_lists[_i].last);
	free(cpus);
}
END_TEST

START_TEST(test_cpu_list_bad)
{
	int *cpus = (int *)1;

	ck_assert_int_eq(parse_cpu_list(bad_cpu_lists[_i], &cpus), -HWPROF_E_SYNTAX);
	ck_assert_ptr_null(cpus);
}
END_TEST

START_TEST(test_online_cpus)
{
	int *cpus;
	int n = online_cpus(&cpus);

	ck_assert_int_gt(n, 0);
	free(cpus);
}
END_TEST

START_TEST(test_strbuf)
{
	struct strbuf sb = { 0 };
	char *s;

	sb_puts(&sb, "abc");
	sb_printf(&sb, "-%d-", 42);
	sb_add(&sb, "xyz", 2);
	ck_assert_str_eq(sb.buf, "abc-42-xy");
	ck_assert_uint_eq(sb.len, 9);
	for (int i = 0; i < 1000; i++)
		sb_puts(&sb, "0123456789");
	ck_assert_uint_eq(sb.len, 10009);
	s = sb_detach(&sb);
	ck_assert_ptr_null(sb.buf);
	ck_assert_uint_eq(strlen(s), 10009);
	free(s);
	s = sb_detach(&sb);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_json_string)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f, false);
	json_array(&j);
	json_string(&j, "a\"b\\c\nd\x01");
	json_number(&j, 0.0 / 0.0);
	json_number(&j, 1.5);
	/* Bytes that are not UTF-8 (a file name) become U+FFFD; valid ones stay. */
	json_string(&j, "x\xff\xc3\xa9\xe2\x82");
	json_string(&j, NULL);
	json_object(&j);
	json_key(&j, "k\"");
	json_uint(&j, 18446744073709551615ull);
	json_key(&j, "e");
	json_array(&j);
	json_end(&j);
	json_end(&j);
	json_end(&j);
	fclose(f);
	ck_assert_str_eq(buf, "[\"a\\\"b\\\\c\\nd\\u0001\", null, 1.5, \"x\\ufffd\xc3\xa9\\ufffd\\ufffd\", null, "
			      "{\"k\\\"\": 18446744073709551615, \"e\": []}]\n");
	free(buf);
}
END_TEST

START_TEST(test_json_pretty)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f, true);
	json_object(&j);
	json_key(&j, "a");
	json_array(&j);
	json_object(&j);
	json_key(&j, "b");
	json_bool(&j, true);
	json_key(&j, "c");
	json_null(&j);
	json_end(&j);
	json_end(&j);
	json_end(&j);
	fclose(f);
	ck_assert_str_eq(buf, "{\n  \"a\": [\n    {\"b\": true, \"c\": null}\n  ]\n}\n");
	free(buf);
}
END_TEST

static char *quoted(const char *s)
{
	struct strbuf sb = { 0 };
	sb_shell_quote(&sb, s);
	return sb_detach(&sb);
}

START_TEST(test_shell_quote)
{
	const char *in[] = { "ls", "a b", "it's", "x\ny", "", "a'b\tc", "-o=x,y/z" };
	const char *out[] = { "ls", "'a b'", "'it'\\''s'", "$'x\\ny'", "''", "$'a\\'b\\tc'", "-o=x,y/z" };

	for (size_t i = 0; i < ARRAY_SIZE(in); i++) {
		char *q = quoted(in[i]);
		ck_assert_str_eq(q, out[i]);
		free(q);
	}
}
END_TEST

/* The output is replaced only on commit; links and other users' files are refused. */
START_TEST(test_outfile)
{
	char dir[] = "/tmp/hwprof-outfile.XXXXXX", path[256], link_path[256], err[256], *text = NULL;
	struct outfile o;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.txt", dir);
	snprintf(link_path, sizeof(link_path), "%s/link.txt", dir);
	f = fopen(path, "w");
	fputs("old", f);
	fclose(f);
	ck_assert_int_eq(outfile_open(&o, path, err, sizeof(err)), 0);
	fputs("new", o.f);
	ck_assert_int_eq(read_small_file(path, &text), 0);
	ck_assert_str_eq(text, "old");
	free(text);
	outfile_abort(&o);
	ck_assert_int_eq(read_small_file(path, &text), 0);
	ck_assert_str_eq(text, "old");
	free(text);
	ck_assert_int_eq(outfile_open(&o, path, err, sizeof(err)), 0);
	fputs("new", o.f);
	ck_assert_int_eq(outfile_commit(&o, err, sizeof(err)), 0);
	ck_assert_int_eq(read_small_file(path, &text), 0);
	ck_assert_str_eq(text, "new");
	free(text);
	ck_assert_int_eq(symlink(path, link_path), 0);
	ck_assert_int_eq(outfile_open(&o, link_path, err, sizeof(err)), -ELOOP);
	ck_assert_ptr_nonnull(strstr(err, "symbolic link"));
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(path, 65534, 65534), 0);
		ck_assert_int_eq(outfile_open(&o, path, err, sizeof(err)), -EPERM);
		ck_assert_ptr_nonnull(strstr(err, "another user"));
	}
	ck_assert_int_eq(outfile_open(&o, "/dev/null", err, sizeof(err)), 0);
	ck_assert_int_eq(outfile_commit(&o, err, sizeof(err)), 0);
	/* A link to a device is the device: /dev/stdout works as users expect. */
	unlink(link_path);
	ck_assert_int_eq(symlink("/dev/null", link_path), 0);
	ck_assert_int_eq(outfile_open(&o, link_path, err, sizeof(err)), 0);
	fputs("x", o.f);
	ck_assert_int_eq(outfile_commit(&o, err, sizeof(err)), 0);
	unlink(link_path);
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_strerror)
{
	ck_assert_str_eq(hwprof_strerror(-ENOENT), strerror(ENOENT));
	ck_assert_str_eq(hwprof_strerror(-HWPROF_E_NOPMU), "no hardware PMU in this kernel");
	ck_assert_str_eq(hwprof_strerror(-HWPROF_E_SYNTAX), "syntax error");
}
END_TEST

START_TEST(test_edit_distance)
{
	ck_assert_uint_eq(edit_distance("cycles", "cycles"), 0);
	ck_assert_uint_eq(edit_distance("cycels", "cycles"), 2);
	ck_assert_uint_eq(edit_distance("sixy", "sixty"), 1);
	ck_assert_uint_eq(edit_distance("", "abc"), 3);
	ck_assert_uint_eq(edit_distance("kitten", "sitting"), 3);
}
END_TEST

START_TEST(test_read_small_file_missing)
{
	char *text = (char *)1;

	ck_assert_int_eq(read_small_file("/nonexistent/hwprof", &text), -ENOENT);
	ck_assert_ptr_null(text);
}
END_TEST

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *core = tcase_create("Core");
	TCase *limits = tcase_create("Limits");
	TCase *corrupt = tcase_create("Corrupt");

	tcase_add_loop_test(core, test_cpu_list, 0, ARRAY_SIZE(cpu_lists));
	tcase_add_test(core, test_online_cpus);
	tcase_add_test(core, test_strbuf);
	tcase_add_test(core, test_json_string);
	tcase_add_test(core, test_json_pretty);
	tcase_add_test(core, test_shell_quote);
	tcase_add_test(core, test_outfile);
	tcase_add_test(core, test_strerror);
	tcase_add_test(core, test_edit_distance);
	tcase_add_test(limits, test_read_small_file_missing);
	tcase_add_loop_test(corrupt, test_cpu_list_bad, 0, ARRAY_SIZE(bad_cpu_lists));
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, corrupt);
	return s;
}

int main(void)
{
	return unit_run(util_suite());
}
