/* Row matching for diff (see diff.h). */
#include "hwprof/diff.h"
#include "hwprof/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double diff_share(const struct report *r, const struct hist_entry *e, long ev)
{
	if (!e || ev < 0 || (size_t)ev >= r->hist.nevents || r->hist.total_period[ev] <= 0)
		return 0;
	return 100.0 * e->period[ev] / r->hist.total_period[ev];
}

static const struct hist_entry *label_of(const struct diff_row *d)
{
	return d->next ? d->next : d->base;
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_row(const void *a, const void *b)
{
	const struct diff_row *x = a, *y = b;
	double dx = fabs(x->delta), dy = fabs(y->delta);
	const struct hist_entry *ex = label_of(x), *ey = label_of(y);
	int c;

	if (dx != dy)
		return dx > dy ? -1 : 1;
	if ((c = cmp_str(ex->p.sym, ey->p.sym)) || (c = cmp_str(ex->p.dso, ey->p.dso)) ||
	    (c = cmp_str(ex->p.comm, ey->p.comm)) || (c = cmp_str(ex->p.srcline, ey->p.srcline)))
		return c;
	if (ex->p.pid != ey->p.pid)
		return ex->p.pid < ey->p.pid ? -1 : 1;
	if (ex->p.tid != ey->p.tid)
		return ex->p.tid < ey->p.tid ? -1 : 1;
	return (int)ex->p.kernel - (int)ey->p.kernel;
}

size_t diff_rows(const struct report *base, long eb, const struct report *next, long en, struct diff_row **out)
{
	struct diff_row *rows = xcalloc(base->hist.nr + next->hist.nr + 1, sizeof(*rows));
	size_t n = 0;

	for (size_t i = 0; i < next->hist.nr; i++) {
		const struct hist_entry *e = next->hist.entries[i];
		rows[n].next = e;
		rows[n].base = hist_find(&base->hist, &e->p);
		n++;
	}
	for (size_t i = 0; i < base->hist.nr; i++) {
		const struct hist_entry *e = base->hist.entries[i];
		if (!hist_find(&next->hist, &e->p))
			rows[n++].base = e;
	}
	for (size_t i = 0; i < n; i++)
		rows[i].delta = diff_share(next, rows[i].next, en) - diff_share(base, rows[i].base, eb);
	qsort(rows, n, sizeof(*rows), cmp_row);
	*out = rows;
	return n;
}
