/* JSON output; see json.h. */
#include "hwprof/json.h"
#include "hwprof/util.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at P (1..4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *p)
{
	size_t n;
	uint32_t c;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF are not UTF-8. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return n;
}

static void json_put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n;
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default:
			if (*p < 0x20) {
				fprintf(f, "\\u%04x", *p);
				break;
			}
			/* File and function names are bytes: what is not UTF-8 becomes U+FFFD. */
			n = utf8_len(p);
			if (!n) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		p++;
	}
	fputc('"', f);
}

static void json_put_number(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.17g", v);
	else
		fputs("null", f);
}

void json_init(struct json *j, FILE *f, bool pretty)
{
	*j = (struct json){ .f = f, .pretty = pretty };
}

/* Pretty output puts each top-level member, and each object or array in a
 * top-level member, on its own line; everything smaller stays on one. */
static bool broken(const struct json *j, bool container)
{
	return j->pretty && (j->depth == 1 || (j->depth == 2 && container));
}

static void newline(struct json *j)
{
	fputc('\n', j->f);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* The separator and layout before a value or a key. */
static void before_item(struct json *j, bool container)
{
	bool *has, brk = broken(j, container);

	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth == 0)
		return;
	has = &j->has_items[j->depth - 1];
	if (*has)
		fputs(brk ? "," : ", ", j->f);
	*has = true;
	if (brk) {
		j->broke[j->depth - 1] = true;
		newline(j);
	}
}

static void open_container(struct json *j, char open, char close)
{
	if (j->depth >= JSON_MAX_DEPTH)
		die("JSON nested deeper than %d", JSON_MAX_DEPTH);
	before_item(j, true);
	fputc(open, j->f);
	j->has_items[j->depth] = false;
	j->broke[j->depth] = false;
	j->closer[j->depth] = close;
	j->depth++;
}

void json_object(struct json *j)
{
	open_container(j, '{', '}');
}

void json_array(struct json *j)
{
	open_container(j, '[', ']');
}

void json_end(struct json *j)
{
	bool broke;

	if (j->depth == 0)
		return;
	broke = j->broke[j->depth - 1];
	j->depth--;
	if (broke)
		newline(j);
	fputc(j->closer[j->depth], j->f);
	if (j->depth == 0)
		fputc('\n', j->f);
}

void json_key(struct json *j, const char *key)
{
	before_item(j, false);
	json_put_string(j->f, key);
	fputs(": ", j->f);
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	before_item(j, false);
	if (s)
		json_put_string(j->f, s);
	else
		fputs("null", j->f);
}

void json_number(struct json *j, double v)
{
	before_item(j, false);
	json_put_number(j->f, v);
}

void json_uint(struct json *j, uint64_t v)
{
	before_item(j, false);
	fprintf(j->f, "%" PRIu64, v);
}

void json_bool(struct json *j, bool v)
{
	before_item(j, false);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j)
{
	before_item(j, false);
	fputs("null", j->f);
}
