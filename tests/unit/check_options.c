/* Option tables: getopt's arguments and the help both come from one table;
 * the strict value parsers; and every command's table is well formed. */
#include "unit.h"

#include "hwprof/cmd.h"
#include "hwprof/options.h"

#include <check.h>
#include <string.h>

enum { O_TOP = 256, O_JSON };

static const struct opt_spec specs[] = {
	{ 'i', 'i', "input", "FILE", "read FILE" },
	{ 'q', 'q', "quiet", NULL, "say less" },
	{ 'g', 'g', NULL, NULL, "short only" },
	{ O_TOP, 0, "top", "N", "at most N rows\nsecond line" },
	{ O_JSON, 0, "a-very-long-option-name", "VALUE", "wraps" },
	{ 0 },
};

struct parsed {
	int ids[16];
	const char *vals[16];
	int n;
	char err[128];
	int rc;		/* OPT_END or OPT_ERROR */
	int first_operand;
};

static void parse(struct parsed *out, bool in_order, int argc, char **argv)
{
	struct opt_parser p;
	const char *v;
	int c;

	memset(out, 0, sizeof(*out));
	opt_parser_init(&p, specs, in_order);
	while ((c = opt_next(&p, argc, argv, &v, out->err, sizeof(out->err))) >= 0 && out->n < 16) {
		out->ids[out->n] = c;
		out->vals[out->n++] = v;
	}
	out->rc = c;
	out->first_operand = optind;
}

START_TEST(test_short_long_and_values)
{
	char *argv[] = { "cmd", "-qi", "a.data", "--top", "5", "--top=7", "-g", "--input=b", "-ifile", NULL };
	struct parsed r;

	parse(&r, false, 9, argv);
	ck_assert_int_eq(r.rc, OPT_END);
	ck_assert_int_eq(r.n, 7);
	ck_assert_int_eq(r.ids[0], 'q');
	ck_assert_ptr_null(r.vals[0]);
	ck_assert_int_eq(r.ids[1], 'i');
	ck_assert_str_eq(r.vals[1], "a.data");
	ck_assert_int_eq(r.ids[2], O_TOP);
	ck_assert_str_eq(r.vals[2], "5");
	ck_assert_str_eq(r.vals[3], "7");
	ck_assert_int_eq(r.ids[4], 'g');
	ck_assert_int_eq(r.ids[5], 'i');
	ck_assert_str_eq(r.vals[5], "b");
	ck_assert_str_eq(r.vals[6], "file");
}
END_TEST

START_TEST(test_errors_name_the_option)
{
	char *a1[] = { "cmd", "--top", NULL };
	char *a2[] = { "cmd", "-i", NULL };
	char *a3[] = { "cmd", "-z", NULL };
	char *a4[] = { "cmd", "--nope", NULL };
	char *a5[] = { "cmd", "--quiet=yes", NULL };
	struct parsed r;

	parse(&r, false, 2, a1);
	ck_assert_int_eq(r.rc, OPT_ERROR);
	ck_assert_str_eq(r.err, "option '--top' needs a value");
	parse(&r, false, 2, a2);
	ck_assert_str_eq(r.err, "option '-i' needs a value");
	parse(&r, false, 2, a3);
	ck_assert_str_eq(r.err, "unknown option '-z'");
	parse(&r, false, 2, a4);
	ck_assert_str_eq(r.err, "unknown option '--nope'");
	parse(&r, false, 2, a5);
	ck_assert_int_eq(r.rc, OPT_ERROR);
	ck_assert_str_eq(r.err, "option '--quiet' takes no value");
	{
		char *a6[] = { "cmd", "--input", NULL };
		parse(&r, false, 2, a6);
		ck_assert_str_eq(r.err, "option '--input' needs a value");
	}
}
END_TEST

/* stat and record: options end at the command, whose own options stay its own. */
START_TEST(test_in_order_stops_at_the_command)
{
	char *argv[] = { "cmd", "-q", "ls", "-i", "x", NULL };
	char *dashes[] = { "cmd", "-q", "--", "-i", NULL };
	struct parsed r;

	parse(&r, true, 5, argv);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.first_operand, 2);
	parse(&r, true, 4, dashes);
	ck_assert_int_eq(r.n, 1);
	ck_assert_str_eq(dashes[r.first_operand], "-i");
	/* report and diff take options after operands, as GNU tools do */
	parse(&r, false, 5, argv);
	ck_assert_int_eq(r.n, 2);
}
END_TEST

START_TEST(test_help_layout)
{
	struct strbuf sb = { 0 };

	opt_format_help(&sb, specs);
	ck_assert_str_eq(sb.buf, "    -i, --input FILE       read FILE\n"
				 "    -q, --quiet            say less\n"
				 "    -g                     short only\n"
				 "        --top N            at most N rows\n"
				 "                           second line\n"
				 "        --a-very-long-option-name VALUE\n"
				 "                           wraps\n");
	sb_release(&sb);
}
END_TEST

START_TEST(test_parse_uint)
{
	uint64_t v = 99;

	ck_assert_int_eq(parse_uint("42", 1, 100, &v), 0);
	ck_assert_uint_eq(v, 42);
	ck_assert_int_eq(parse_uint("18446744073709551615", 0, UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	v = 7;
	for (const char *const *bad = (const char *const[]){ "", "-1", "+1", " 1", "1 ", "1x", "0x10", "101", "0",
							     "18446744073709551616", "1.0", NULL };
	     *bad; bad++)
		ck_assert_msg(parse_uint(*bad, 1, 100, &v) < 0, "'%s' accepted", *bad);
	ck_assert_uint_eq(v, 7);
}
END_TEST

START_TEST(test_parse_real)
{
	double v;

	ck_assert_int_eq(parse_real("0.5", 0, 100, &v), 0);
	ck_assert(v == 0.5);
	ck_assert_int_eq(parse_real(".25", 0, 100, &v), 0);
	ck_assert(v == 0.25);
	ck_assert_int_eq(parse_real("100", 0, 100, &v), 0);
	for (const char *const *bad = (const char *const[]){ "", "-0.5", "nan", "inf", "1e999", "100.1", "5%",
							     " 5", NULL };
	     *bad; bad++)
		ck_assert_msg(parse_real(*bad, 0, 100, &v) < 0, "'%s' accepted", *bad);
}
END_TEST

START_TEST(test_parse_duration)
{
	static const struct {
		const char *text;
		uint64_t ns;
	} good[] = {
		{ "10s", 10000000000ull }, { "250ms", 250000000ull }, { "0.5", 500000000ull },
		{ "2m", 120000000000ull }, { "1h", 3600000000000ull }, { "500us", 500000ull },
		{ "100ns", 100 }, { "3", 3000000000ull },
	};
	uint64_t ns;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ck_assert_msg(parse_duration(good[i].text, &ns) == 0, "'%s' refused", good[i].text);
		ck_assert_uint_eq(ns, good[i].ns);
	}
	for (const char *const *bad = (const char *const[]){ "", "s", "10x", "1e3", "0", "-1s", "1.2.3s", "0.1ns",
							     "10 s", "99999999999h", NULL };
	     *bad; bad++)
		ck_assert_msg(parse_duration(*bad, &ns) < 0, "'%s' accepted", *bad);
}
END_TEST

START_TEST(test_parse_size)
{
	uint64_t v;

	ck_assert_int_eq(parse_size("4096", 0, UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(parse_size("64K", 0, UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 65536);
	ck_assert_int_eq(parse_size("8M", 0, UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 8 << 20);
	ck_assert_int_eq(parse_size("1g", 0, UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 1 << 30);
	ck_assert_int_eq(parse_size("64KiB", 0, UINT64_MAX, &v), 0);
	ck_assert_int_eq(parse_size("64KB", 0, UINT64_MAX, &v), 0);
	for (const char *const *bad = (const char *const[]){ "", "K", "1.5M", "1Q", "-1K", "99999999999T",
							     "64 K", "64KX", NULL };
	     *bad; bad++)
		ck_assert_msg(parse_size(*bad, 0, UINT64_MAX, &v) < 0, "'%s' accepted", *bad);
	ck_assert_int_eq(parse_size("4K", 8, 1024, &v), -1);
}
END_TEST

/* Every command's table: no id, letter or name twice, help for each, and
 * the help text the usage shows is made from it. */
START_TEST(test_command_tables)
{
	const struct hwprof_cmd *cmds[] = { &cmd_stat, &cmd_record, &cmd_report, &cmd_annotate, &cmd_diff, &cmd_list };

	for (size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
		const struct opt_spec *o = cmds[c]->options;
		struct strbuf help = { 0 };
		size_t n = 0;

		ck_assert_ptr_nonnull(o);
		for (; o[n].id; n++) {
			ck_assert_msg(o[n].help && *o[n].help, "%s: option %zu has no help", cmds[c]->name, n);
			ck_assert_msg(o[n].short_name || o[n].long_name, "%s: option %zu has no name", cmds[c]->name, n);
			ck_assert_msg(!o[n].short_name || o[n].id == o[n].short_name,
				      "%s: -%c returns another id", cmds[c]->name, o[n].short_name);
			ck_assert_msg(o[n].short_name || o[n].id >= 256, "%s: --%s's id collides with letters",
				      cmds[c]->name, o[n].long_name);
			for (size_t k = 0; k < n; k++) {
				ck_assert_msg(o[k].id != o[n].id, "%s: id %d twice", cmds[c]->name, o[n].id);
				ck_assert_msg(!o[n].long_name || !o[k].long_name || strcmp(o[k].long_name, o[n].long_name),
					      "%s: --%s twice", cmds[c]->name, o[n].long_name);
			}
		}
		ck_assert_uint_lt(n, OPT_MAX);
		opt_format_help(&help, cmds[c]->options);
		for (size_t k = 0; k < n; k++)
			if (o[k].long_name) {
				char want[64];
				snprintf(want, sizeof(want), "--%s", o[k].long_name);
				ck_assert_ptr_nonnull(strstr(help.buf, want));
			}
		ck_assert_ptr_nonnull(strstr(help.buf, "-h, --help"));
		sb_release(&help);
	}
}
END_TEST

static Suite *options_suite(void)
{
	Suite *s = suite_create("options");
	TCase *core = tcase_create("Core");

	tcase_add_test(core, test_short_long_and_values);
	tcase_add_test(core, test_errors_name_the_option);
	tcase_add_test(core, test_in_order_stops_at_the_command);
	tcase_add_test(core, test_help_layout);
	tcase_add_test(core, test_parse_uint);
	tcase_add_test(core, test_parse_real);
	tcase_add_test(core, test_parse_duration);
	tcase_add_test(core, test_parse_size);
	tcase_add_test(core, test_command_tables);
	suite_add_tcase(s, core);
	return s;
}

int main(void)
{
	return unit_run(options_suite());
}
