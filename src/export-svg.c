/* A self-contained flame graph: frames as SVG rectangles, with a little script for zoom and search. */
#include "hwprof/export.h"
#include "hwprof/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SVG_WIDTH 1200
#define FRAME_H 16
#define MARGIN 10
#define TOP 40

struct fnode {
	const char *name;
	const char *dso;
	bool kernel;
	uint64_t count;
	double heat_num, heat_den;	/* --color EVENT: that event's period over the drawn one's */
	struct fnode **kids;
	size_t nkids, cap;
};

/* The child of N for frame NAME of location L (NULL: a command). */
static struct fnode *kid(struct fnode *n, const struct report_loc *l, const char *name)
{
	const char *dso = !l ? "" : l->dso ? dso_short_name(l->dso) : l->vaddr || l->kernel ? "[unknown]" : "";
	struct fnode *k;

	for (size_t i = 0; i < n->nkids; i++)
		if (!strcmp(n->kids[i]->name, name) && !strcmp(n->kids[i]->dso, dso))
			return n->kids[i];
	k = xcalloc(1, sizeof(*k));
	k->name = name;
	k->dso = dso;
	k->kernel = l && l->kernel;
	xgrow((void **)&n->kids, &n->cap, n->nkids + 1, sizeof(*n->kids));
	n->kids[n->nkids++] = k;
	return k;
}

static void free_tree(struct fnode *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		free_tree(n->kids[i]);
	free(n->kids);
	free(n);
}

static int cmp_kid(const void *a, const void *b)
{
	return strcmp((*(struct fnode *const *)a)->name, (*(struct fnode *const *)b)->name);
}

static size_t depth_of(const struct fnode *n)
{
	size_t d = 0;
	for (size_t i = 0; i < n->nkids; i++) {
		size_t k = depth_of(n->kids[i]);
		if (k > d)
			d = k;
	}
	return d + 1;
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			if ((unsigned char)*s >= 0x20)
				fputc(*s, f);
		}
	}
}

/* The highest heat ratio of any frame, to scale colours by. */
static double max_heat(const struct fnode *n)
{
	double m = n->heat_den > 0 ? n->heat_num / n->heat_den : 0;
	for (size_t i = 0; i < n->nkids; i++) {
		double k = max_heat(n->kids[i]);
		if (k > m)
			m = k;
	}
	return m;
}

/* Warm colours for user code, hue by shared object; blue-ish for the kernel.
 * With --color EVENT (HEAT_SCALE > 0, the highest ratio): white (none of that
 * event) to deep red (the most per unit). */
static void colour(const struct fnode *n, double heat_scale, char *out, size_t len)
{
	unsigned h = 2166136261u;

	if (heat_scale > 0) {
		double x = n->heat_den > 0 ? n->heat_num / n->heat_den / heat_scale : 0;
		unsigned fade = (unsigned)(230 * (1 - (x > 1 ? 1 : x)));
		snprintf(out, len, "rgb(%u,%u,%u)", 255 - (unsigned)(55 * (x > 1 ? 1 : x)), fade, fade);
		return;
	}

	for (const char *c = n->dso; *c; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	if (n->kernel)
		snprintf(out, len, "rgb(%u,%u,230)", 80 + h % 60, 130 + (h >> 8) % 60);
	else
		snprintf(out, len, "rgb(%u,%u,%u)", 205 + h % 50, 80 + (h >> 8) % 120, (h >> 16) % 55);
}

/* Frames are laid out with x and width as fractions of the root, so the
 * script can zoom by rescaling them. */
static void emit(FILE *f, const struct fnode *n, double x, size_t level, size_t depth, uint64_t total,
		 double heat_scale, const char *unit)
{
	double w = (double)n->count / (double)total;
	double y = TOP + (double)(depth - level - 1) * FRAME_H;
	char fill[32];

	if (level > 0) {
		colour(n, heat_scale, fill, sizeof(fill));
		fprintf(f, "<g class=\"f\" data-x=\"%.9f\" data-w=\"%.9f\"><title>", x, w);
		xml_text(f, n->name);
		fprintf(f, " (%s, %llu %s, %.2f%%)</title>", n->dso, (unsigned long long)n->count, unit,
			100.0 * w);
		/* The unzoomed layout is written out, so viewers without scripts show it too. */
		double px = MARGIN + x * (SVG_WIDTH - 2 * MARGIN), pw = w * (SVG_WIDTH - 2 * MARGIN);
		size_t room = pw > 6 ? (size_t)((pw - 6) / 7) : 0;
		fprintf(f, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" rx=\"2\" fill=\"%s\"/>"
			   "<text x=\"%.2f\" y=\"%.1f\">", px, y, pw > 0.5 ? pw - 0.5 : 0, FRAME_H - 1, fill,
			px + 3, y + FRAME_H - 4);
		if (room >= 3) {
			size_t len = strlen(n->name);
			char *shown = xasprintf("%.*s%s", (int)(len > room ? room - 2 : len), n->name,
						len > room ? ".." : "");
			xml_text(f, shown);
			free(shown);
		}
		fputs("</text></g>\n", f);
	}
	for (size_t i = 0; i < n->nkids; i++) {
		emit(f, n->kids[i], x, level + 1, depth, total, heat_scale, unit);
		x += (double)n->kids[i]->count / (double)total;
	}
}

static void sort_tree(struct fnode *n)
{
	if (n->nkids > 1)
		qsort(n->kids, n->nkids, sizeof(*n->kids), cmp_kid);
	for (size_t i = 0; i < n->nkids; i++)
		sort_tree(n->kids[i]);
}

static const char script[] =
	"<script type=\"text/ecmascript\"><![CDATA[\n"
	"var W = %d, M = %d, frames = document.querySelectorAll('g.f');\n"
	"function layout(x0, w0) {\n"
	"  frames.forEach(function (g) {\n"
	"    var x = (+g.dataset.x - x0) / w0, w = +g.dataset.w / w0;\n"
	"    var r = g.querySelector('rect'), t = g.querySelector('text');\n"
	"    var vis = x + w > 0 && x < 1 && w * (W - 2 * M) >= 0.5;\n"
	"    g.style.display = vis ? '' : 'none';\n"
	"    r.setAttribute('x', M + x * (W - 2 * M)); r.setAttribute('width', Math.max(0, w * (W - 2 * M) - 0.5));\n"
	"    t.setAttribute('x', M + x * (W - 2 * M) + 3);\n"
	"    var name = g.querySelector('title').textContent.replace(/ \\(.*$/, ''), room = Math.floor((w * (W - 2 * M) - 6) / 7);\n"
	"    t.textContent = room < 3 ? '' : (name.length > room ? name.slice(0, room - 2) + '..' : name);\n"
	"  });\n"
	"}\n"
	"frames.forEach(function (g) { g.addEventListener('click', function () { layout(+g.dataset.x, +g.dataset.w); }); });\n"
	"document.getElementById('reset').addEventListener('click', function () { layout(0, 1); });\n"
	"document.getElementById('search').addEventListener('click', function () {\n"
	"  var q = prompt('Search (regular expression)'); if (q === null) return; var re = new RegExp(q), hit = 0;\n"
	"  frames.forEach(function (g) { var m = re.test(g.querySelector('title').textContent);\n"
	"    g.querySelector('rect').style.stroke = m ? '#e0f' : ''; g.querySelector('rect').style.strokeWidth = m ? 2 : 0; });\n"
	"});\n"
	"layout(0, 1);\n"
	"]]></script>\n";

int export_svg(FILE *f, const struct report *r, size_t event, const char *title, long heat_event)
{
	struct fnode *root = xcalloc(1, sizeof(*root));
	const char *unit = report_value_unit(r, event);
	size_t depth, height;

	root->name = "all";
	root->dso = "";
	for (size_t i = 0; i < r->nstacks; i++) {
		const struct report_stack *st = &r->stacks[i];
		struct fnode *n = root;

		uint64_t value = report_stack_value(r, st, event);

		if (!value)
			continue;
		root->count += value;
		/* The command is the first level, as in folded stacks. */
		n = kid(n, NULL, st->comm);
		n->count += value;
		if (heat_event >= 0) {
			n->heat_num += st->period[heat_event];
			n->heat_den += st->period[event];
		}
		for (size_t k = st->n; k-- > 0;) {
			const struct report_loc *l = &r->locs[st->locs[k]];
			for (size_t j = l->nframes; j-- > 0;) {
				n = kid(n, l, l->frames[j]);
				n->count += value;
				if (heat_event >= 0) {
					n->heat_num += st->period[heat_event];
					n->heat_den += st->period[event];
				}
			}
		}
	}
	sort_tree(root);
	double heat_scale = heat_event >= 0 ? max_heat(root) : 0;
	depth = depth_of(root);
	height = TOP + depth * FRAME_H + 2 * MARGIN;
	fprintf(f, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		   "<svg version=\"1.1\" width=\"%d\" height=\"%zu\" viewBox=\"0 0 %d %zu\" "
		   "xmlns=\"http://www.w3.org/2000/svg\">\n",
		SVG_WIDTH, height, SVG_WIDTH, height);
	fputs("<style>text { font: 12px monospace; fill: #000; pointer-events: none; } "
	      "g.f:hover rect { stroke: #000; stroke-width: 0.5; cursor: pointer; } "
	      ".btn { font: 12px sans-serif; fill: #335; cursor: pointer; }</style>\n", f);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#f8f8f8\"/>\n<text x=\"%d\" y=\"20\" "
		   "style=\"font: 16px sans-serif\">", SVG_WIDTH / 2 - 200);
	xml_text(f, title);
	fprintf(f, " (%llu %s)</text>\n", (unsigned long long)root->count, unit);
	fprintf(f, "<text id=\"reset\" class=\"btn\" x=\"%d\" y=\"20\">Reset zoom</text>\n", MARGIN);
	fprintf(f, "<text id=\"search\" class=\"btn\" x=\"%d\" y=\"20\">Search</text>\n", SVG_WIDTH - 60);
	if (root->count)
		emit(f, root, 0.0, 0, depth, root->count, heat_scale, unit);
	fprintf(f, script, SVG_WIDTH, MARGIN);
	fputs("</svg>\n", f);
	free_tree(root);
	return ferror(f) ? -EIO : 0;
}
