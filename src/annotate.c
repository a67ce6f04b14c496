/* Annotation of one function from a loaded report (see annotate.h). */
#include "hwprof/annotate.h"
#include "hwprof/disasm.h"
#include "hwprof/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Jump targets inside [start, start+size), in address order, no duplicates. */
static size_t jump_labels(const struct disasm_insn *ins, size_t n, uint64_t start, uint64_t size, uint64_t **out)
{
	uint64_t *labels = xmalloc((n ? n : 1) * sizeof(*labels));
	size_t k = 0, m = 0;

	for (size_t i = 0; i < n; i++)
		if (ins[i].has_target && !ins[i].is_call && ins[i].target >= start && ins[i].target - start < size)
			labels[k++] = ins[i].target;
	qsort(labels, k, sizeof(*labels), cmp_u64);
	for (size_t i = 0; i < k; i++)
		if (!m || labels[m - 1] != labels[i])
			labels[m++] = labels[i];
	*out = labels;
	return m;
}

static size_t label_of(const uint64_t *labels, size_t n, uint64_t addr)
{
	uint64_t *at = bsearch(&addr, labels, n, sizeof(*labels), cmp_u64);

	return at ? (size_t)(at - labels) + 1 : 0;
}

static int cmp_addr(const void *x, const void *y)
{
	const struct report_addr *a = *(const struct report_addr *const *)x, *b = *(const struct report_addr *const *)y;

	return a->vaddr < b->vaddr ? -1 : a->vaddr > b->vaddr;
}

int annotation_build(struct annotation *a, const struct report *r, struct dso *d, uint64_t vaddr, size_t event,
		     char *err, size_t errlen)
{
	size_t nev = r->hist.nevents, nins, nlabels;
	struct disasm_insn *ins = NULL;
	struct disasm *dis = NULL;
	uint64_t *labels = NULL, best = 0;
	const struct report_addr **here;
	size_t nhere = 0, next = 0;
	const char *derr = NULL, *fname;
	uint8_t *code = NULL;
	int machine, elfclass, rc;
	char last_src[512] = "";

	memset(a, 0, sizeof(*a));
	a->dso = d;
	a->nevents = nev;
	rc = symbols_function(r->syms, d, vaddr, &a->start, &a->size, &fname);
	if (rc < 0) {
		const char *why = dso_problem(d);
		snprintf(err, errlen, "cannot find the function at 0x%llx in '%s': %s", (unsigned long long)vaddr,
			 dso_name(d), why ? why : hwprof_strerror(rc));
		return -1;
	}
	a->name = fname;
	rc = symbols_read_code(r->syms, d, a->start, a->size, &code, &machine, &elfclass);
	if (rc < 0) {
		snprintf(err, errlen, "cannot read the code of '%s' from '%s': %s", fname, dso_name(d),
			 hwprof_strerror(rc));
		return -1;
	}
	dis = disasm_new(machine, elfclass, &derr);
	if (!dis) {
		snprintf(err, errlen, "cannot disassemble '%s': %s", dso_name(d), derr);
		free(code);
		return -1;
	}
	nins = disasm_all(dis, code, (size_t)a->size, a->start, &ins);
	disasm_free(dis);
	free(code);
	if (!nins) {
		snprintf(err, errlen, "capstone decodes no instruction of '%s'", fname);
		free(ins);
		return -1;
	}
	nlabels = jump_labels(ins, nins, a->start, a->size, &labels);
	here = xmalloc((r->naddrs ? r->naddrs : 1) * sizeof(*here));
	for (size_t j = 0; j < r->naddrs; j++)
		if (r->addrs[j].dso == d && r->addrs[j].vaddr - a->start < a->size)
			here[nhere++] = &r->addrs[j];
	qsort(here, nhere, sizeof(*here), cmp_addr);
	a->totals = xcalloc(nev ? nev : 1, sizeof(*a->totals));
	a->insns = xcalloc(nins, sizeof(*a->insns));
	a->ninsns = nins;
	for (size_t i = 0; i < nins; i++) {
		struct annotate_insn *out = &a->insns[i];
		struct symres sr;

		out->addr = ins[i].addr;
		out->samples = xcalloc(nev ? nev : 1, sizeof(*out->samples));
		/* A sample address is the start of an instruction, but a skid or
		 * a return address - 1 can land inside one. */
		while (next < nhere && here[next]->vaddr < ins[i].addr)
			next++;
		for (; next < nhere && here[next]->vaddr - ins[i].addr < ins[i].size; next++)
			for (size_t k = 0; k < nev; k++)
				out->samples[k] += here[next]->samples[k];
		for (size_t k = 0; k < nev; k++)
			a->totals[k] += out->samples[k];
		if (event < nev && out->samples[event] > best)
			best = out->samples[event];
		out->label = label_of(labels, nlabels, ins[i].addr);
		if (ins[i].has_target && !ins[i].is_call && label_of(labels, nlabels, ins[i].target))
			snprintf(out->text, sizeof(out->text), "%.7s L%zu", ins[i].text,
				 label_of(labels, nlabels, ins[i].target));
		else
			snprintf(out->text, sizeof(out->text), "%s", ins[i].text);
		if (symbols_resolve_vaddr(r->syms, d, ins[i].addr, SYMRES_SRCLINE, &sr) == 0 && sr.srcfile &&
		    sr.line > 0) {
			const char *base = strrchr(sr.srcfile, '/');
			char src[512];
			snprintf(src, sizeof(src), "%s:%d", base ? base + 1 : sr.srcfile, sr.line);
			if (strcmp(src, last_src) != 0) {
				out->srcline = xstrdup(src);
				snprintf(last_src, sizeof(last_src), "%s", src);
			}
		}
	}
	for (size_t i = 0; i < nins && best; i++)
		a->insns[i].hottest = a->insns[i].samples[event] == best;
	free(here);
	free(labels);
	free(ins);
	return 0;
}

void annotation_release(struct annotation *a)
{
	for (size_t i = 0; i < a->ninsns; i++) {
		free(a->insns[i].samples);
		free(a->insns[i].srcline);
	}
	free(a->insns);
	free(a->totals);
	memset(a, 0, sizeof(*a));
}

static int cmp_fn(const void *x, const void *y)
{
	const struct annotate_fn *a = x, *b = y;
	int c;

	if (a->samples != b->samples)
		return a->samples > b->samples ? -1 : 1;
	c = strcmp(a->name, b->name);
	if (c != 0)
		return c;
	return a->start < b->start ? -1 : a->start > b->start;
}

static int cmp_place(const void *x, const void *y)
{
	const struct annotate_fn *a = x, *b = y;

	if (a->dso != b->dso)
		return (uintptr_t)a->dso < (uintptr_t)b->dso ? -1 : 1;
	return a->start < b->start ? -1 : a->start > b->start;
}

size_t annotation_rank(const struct report *r, size_t event, size_t n, struct annotate_fn **out)
{
	struct annotate_fn *fns = xmalloc((r->naddrs ? r->naddrs : 1) * sizeof(*fns));
	size_t nfns = 0, m = 0;

	/* Each sampled address to its function, then one row per function. */
	for (size_t i = 0; i < r->naddrs; i++) {
		const struct report_addr *ad = &r->addrs[i];
		uint64_t start, size;
		const char *name;

		if (event >= r->hist.nevents || !ad->samples[event] ||
		    symbols_function(r->syms, ad->dso, ad->vaddr, &start, &size, &name) < 0)
			continue;
		fns[nfns++] = (struct annotate_fn){ ad->dso, start, name, ad->samples[event] };
	}
	qsort(fns, nfns, sizeof(*fns), cmp_place);
	for (size_t i = 0; i < nfns; i++) {
		if (m && !cmp_place(&fns[m - 1], &fns[i]))
			fns[m - 1].samples += fns[i].samples;
		else
			fns[m++] = fns[i];
	}
	qsort(fns, m, sizeof(*fns), cmp_fn);
	*out = fns;
	return m < n ? m : n;
}
