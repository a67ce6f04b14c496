/* Option tables and the strict value parsers (see options.h). */
#include "hwprof/options.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void opt_parser_init(struct opt_parser *p, const struct opt_spec *specs, bool in_order)
{
	size_t n = 0, k = 0;

	memset(p, 0, sizeof(*p));
	p->specs = specs;
	if (in_order)
		p->optstring[k++] = '+';
	/* ':' first: a missing value returns ':', not '?', so the two errors differ. */
	p->optstring[k++] = ':';
	for (const struct opt_spec *s = specs; s->id; s++) {
		if (s->short_name) {
			p->optstring[k++] = s->short_name;
			if (s->arg)
				p->optstring[k++] = ':';
		}
		if (s->long_name && n < OPT_MAX) {
			p->longopts[n].name = s->long_name;
			p->longopts[n].has_arg = s->arg ? required_argument : no_argument;
			p->longopts[n].val = s->id;
			n++;
		}
	}
	p->optstring[k] = 0;
	/* 0, not 1: glibc then re-reads the optstring's '+', which a parse
	 * before (the command fuzzer runs many) may have set differently. */
	optind = 0;
	opterr = 0;
}

int opt_next(struct opt_parser *p, int argc, char **argv, const char **value, char *err, size_t errlen)
{
	int c = getopt_long(argc, argv, p->optstring, p->longopts, NULL);
	const char *arg;

	*value = NULL;
	if (c == -1)
		return OPT_END;
	if (c != '?' && c != ':') {
		*value = optarg;
		return c;
	}
	/* optind has moved past the offending word, or stays on a word of
	 * bundled short options ("-qz") until its last letter. */
	arg = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
	if (!strncmp(arg, "--", 2)) {
		size_t len = strcspn(arg, "=");
		bool known = false;
		for (const struct opt_spec *s = p->specs; s->id; s++)
			known |= s->long_name && strlen(s->long_name) == len - 2 && !strncmp(s->long_name, arg + 2, len - 2);
		if (c == ':')
			snprintf(err, errlen, "option '%.*s' needs a value", (int)len, arg);
		else if (known && arg[len] == '=')
			snprintf(err, errlen, "option '%.*s' takes no value", (int)len, arg);
		else
			snprintf(err, errlen, "unknown option '%.*s'", (int)len, arg);
		return OPT_ERROR;
	}
	if (c == ':')
		snprintf(err, errlen, "option '-%c' needs a value", optopt);
	else
		snprintf(err, errlen, "unknown option '-%c'", optopt > 0 && optopt < 256 ? optopt : '?');
	return OPT_ERROR;
}

enum { HELP_COLUMN = 27 };

void opt_format_help(struct strbuf *sb, const struct opt_spec *specs)
{
	for (const struct opt_spec *s = specs; s->id; s++) {
		size_t start = sb->len, width;
		const char *h = s->help ? s->help : "";

		if (s->short_name)
			sb_printf(sb, "    -%c%s", s->short_name, s->long_name ? ", " : "");
		else
			sb_puts(sb, "        ");
		if (s->long_name)
			sb_printf(sb, "--%s", s->long_name);
		if (s->arg)
			sb_printf(sb, " %s", s->arg);
		width = sb->len - start;
		if (width + 1 > HELP_COLUMN) {
			sb_puts(sb, "\n");
			width = 0;
		}
		for (;;) {
			const char *nl = strchr(h, '\n');
			size_t n = nl ? (size_t)(nl - h) : strlen(h);

			sb_printf(sb, "%*s", (int)(HELP_COLUMN - width), "");
			sb_add(sb, h, n);
			sb_puts(sb, "\n");
			if (!nl)
				break;
			h = nl + 1;
			width = 0;
		}
	}
}

int parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_real(const char *s, double min, double max, double *out)
{
	double v;
	char *end;

	/* Digits or a point first: no blanks, signs, "inf" or "nan". */
	if (!s || !((*s >= '0' && *s <= '9') || *s == '.'))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || end == s || !isfinite(v) || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* The plain decimal (digits, at most one point) at the start of S, and
 * where it ends; strtod alone would also take "1e3", "0x10" or "inf". */
static int leading_number(const char *s, double *v, const char **rest)
{
	char num[40];
	size_t n = 0, digits = 0, points = 0;

	for (; (s[n] >= '0' && s[n] <= '9') || s[n] == '.'; n++) {
		digits += s[n] != '.';
		points += s[n] == '.';
	}
	if (!digits || points > 1 || n >= sizeof(num))
		return -1;
	memcpy(num, s, n);
	num[n] = 0;
	*v = strtod(num, NULL);
	*rest = s + n;
	return 0;
}

int parse_duration(const char *s, uint64_t *ns)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "", 1e9 }, { "m", 60e9 }, { "h", 3600e9 },
	};
	const char *rest;
	double v;

	if (leading_number(s, &v, &rest) < 0)
		return -1;
	for (size_t k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
		double t;
		if (strcmp(rest, units[k].unit) != 0)
			continue;
		t = v * units[k].ns;
		/* Under a nanosecond, or past ~292 years, is a typo. */
		if (t < 1 || t >= 9.2e18)
			return -1;
		*ns = (uint64_t)t;
		return 0;
	}
	return -1;
}

int parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *bytes)
{
	static const char *const suffixes[] = { "K", "M", "G", "T" };
	uint64_t v, mult = 1;
	const char *p = s;
	char num[32];
	size_t n;

	while (*p >= '0' && *p <= '9')
		p++;
	n = (size_t)(p - s);
	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, s, n);
	num[n] = 0;
	if (*p) {
		size_t k;
		for (k = 0; k < 4; k++)
			if (*p == suffixes[k][0] || *p == (char)(suffixes[k][0] + 32))
				break;
		if (k == 4)
			return -1;
		mult = 1ull << (10 * (k + 1));
		p++;
		if (!strcmp(p, "iB") || !strcmp(p, "B") || !strcmp(p, "b"))
			p += strlen(p);
		if (*p)
			return -1;
	}
	if (parse_uint(num, 0, UINT64_MAX, &v) < 0 || (v && mult > UINT64_MAX / v))
		return -1;
	v *= mult;
	if (v < min || v > max)
		return -1;
	*bytes = v;
	return 0;
}
