/* Folded stacks, the input format of flamegraph.pl and speedscope. */
#include "hwprof/export.h"
#include "hwprof/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct folded_line {
	char *text;
	uint64_t count;
};

static int cmp_line(const void *a, const void *b)
{
	return strcmp(((const struct folded_line *)a)->text, ((const struct folded_line *)b)->text);
}

/* Frame names must not contain the separators of the format. */
static void put_name(struct strbuf *sb, const char *name)
{
	for (const char *c = name; *c; c++)
		sb_add(sb, *c == ';' ? ":" : *c == '\n' ? " " : c, 1);
}

int export_folded(FILE *f, const struct report *r, size_t event)
{
	struct folded_line *lines = xcalloc(r->nstacks + 1, sizeof(*lines));
	size_t n = 0;

	for (size_t i = 0; i < r->nstacks; i++) {
		const struct report_stack *st = &r->stacks[i];
		struct strbuf sb = { 0 };

		if (!report_stack_value(r, st, event))
			continue;
		put_name(&sb, st->comm);
		for (size_t k = st->n; k-- > 0;) {
			const struct report_loc *l = &r->locs[st->locs[k]];
			for (size_t j = l->nframes; j-- > 0;) {
				sb_puts(&sb, ";");
				put_name(&sb, l->frames[j]);
			}
		}
		lines[n].text = sb_detach(&sb);
		lines[n].count = report_stack_value(r, st, event);
		n++;
	}
	qsort(lines, n, sizeof(*lines), cmp_line);
	for (size_t i = 0; i < n; i++) {
		uint64_t count = lines[i].count;
		/* Stacks differing only in addresses fold into one line. */
		while (i + 1 < n && !strcmp(lines[i].text, lines[i + 1].text))
			count += lines[++i].count;
		fprintf(f, "%s %llu\n", lines[i].text, (unsigned long long)count);
	}
	for (size_t i = 0; i < n; i++)
		free(lines[i].text);
	free(lines);
	return ferror(f) ? -EIO : 0;
}
