/* DSO loading through libdwfl (one offline Dwfl per DSO, shared by every process
 * mapping it), kallsyms for the kernel, and a per-DSO address cache. */
#include "hwprof/symbols.h"
#include "hwprof/index.h"
#include "hwprof/elfseg.h"
#include "hwprof/buildid.h"
#include "hwprof/debugcache.h"
#include "hwprof/demangle.h"
#include "hwprof/kallsyms.h"
#include "hwprof/util.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct cache_entry {
	uint64_t key;		/* file vaddr + 1; 0 marks an empty slot */
	const char *name;
	uint64_t offset;
	const char *srcfile;
	int line;
	bool has_src;		/* srcline was looked up */
	const struct syminline *chain;	/* symbols_inline_chain, owned by the dso */
	uint32_t nchain;
	bool has_chain;
};

struct dso {
	char *name;
	char *short_name;
	bool kernel;
	uint8_t rec_bid[BUILD_ID_MAX];
	size_t rec_bid_len;
	int state;		/* 0 not loaded, 1 loaded, -1 unusable */
	char *path;		/* the file read, under --symfs */
	bool missing;		/* the file is not there */
	bool wanted;		/* a sample or frame fell in it: its problems are worth a note */
	struct strbuf names;	/* names with their version suffix cut ("f@@GLIBC_2.34" -> "f") */
	char *problem;
	Dwfl *dwfl;
	Dwfl_Module *mod;
	GElf_Addr bias;		/* dwfl address = file vaddr + bias */
	struct elf_segment *segs;
	size_t nsegs;
	struct cache_entry *cache;
	size_t cache_cap, cache_used;
	struct alias *aliases;	/* best name per symbol address, sorted; built on demand */
	size_t naliases;
	bool aliases_built;
	bool plt_read;
	uint64_t plt_lo, plt_hi;	/* .plt, without its first (resolver) entry */
	uint64_t pltsec_lo, pltsec_hi;	/* .plt.sec (x86_64 with IBT): the stubs proper */
	const char **plt_names;		/* per .rela.plt entry: "name@plt" */
	size_t nplt;
	void **owned;		/* inline chains and their demangled names */
	size_t nowned, owned_cap;
};

/* The name perf shows for an address several symbols share. */
struct alias {
	uint64_t addr;
	const char *name;
	int rank;
	size_t name_off;	/* in dso->names when copied */
	bool copied;
};

struct symbols {
	struct symbols_opts opts;
	bool vdso_tried;
	int vdso_fd;		/* the running kernel's vDSO, copied (running_vdso) */
	char *vdso_path;
	char *debuginfo_path;
	Dwfl_Callbacks callbacks;
	struct dso **dsos;
	size_t ndsos, dsos_cap;
	struct index dso_index;		/* name -> dsos[] */
	struct kallsyms *kallsyms;	/* NULL when the recording's kernel is not this one */
};

static int load_dso(struct symbols *s, struct dso *d);
static const char *preferred_name(struct dso *d, uint64_t addr, const char *name);

/* Loads D's file on first use. Returns 0, or -ENOENT when it is unusable
 * (missing, not a regular file, another build id...; see dso_problem()). */
static int ensure_loaded(struct symbols *s, struct dso *d)
{
	if (d->state == 0)
		load_dso(s, d);
	return d->state < 0 ? -ENOENT : 0;
}

/*
 * An uncompressed copy saved by an earlier report first, then the standard
 * search, whose find is copied for the next report when it is compressed.
 * (The standard search hands libdwfl the file it opened itself, so a copy
 * cannot replace it afterwards.)
 */
static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			  const char *file_name, const char *debuglink_file, GElf_Word debuglink_crc,
			  char **debuginfo_file_name)
{
	const unsigned char *id;
	GElf_Addr id_vaddr;
	int len = dwfl_module_build_id(mod, &id, &id_vaddr);
	int fd = len > 0 ? debugcache_find(id, (size_t)len, debuginfo_file_name) : -1;

	if (fd >= 0)
		return fd;
	fd = dwfl_standard_find_debuginfo(mod, userdata, modname, base, file_name, debuglink_file,
					  debuglink_crc, debuginfo_file_name);
	if (fd >= 0)
		debugcache_store(fd);
	return fd;
}

struct symbols *symbols_new(const struct symbols_opts *opts)
{
	struct symbols *s = xcalloc(1, sizeof(*s));

	s->opts = *opts;
	s->vdso_fd = -1;
	/* libdwfl's search path: the default, then --debug-dir. */
	s->debuginfo_path = opts->debug_dir ? xasprintf("-.debug:/usr/lib/debug:%s", opts->debug_dir)
					    : xstrdup("-.debug:/usr/lib/debug");
	s->callbacks.find_elf = dwfl_build_id_find_elf;
	s->callbacks.find_debuginfo = find_debuginfo;
	s->callbacks.section_address = dwfl_offline_section_address;
	s->callbacks.debuginfo_path = &s->debuginfo_path;
	if (opts->use_kallsyms)
		s->kallsyms = kallsyms_new();
	return s;
}

static void dso_free(struct dso *d)
{
	if (d->dwfl)
		dwfl_end(d->dwfl);
	free(d->name);
	free(d->short_name);
	free(d->problem);
	free(d->path);
	free(d->segs);
	free(d->cache);
	free(d->aliases);
	sb_release(&d->names);
	free(d->plt_names);
	for (size_t i = 0; i < d->nowned; i++)
		free(d->owned[i]);
	free(d->owned);
	free(d);
}

void symbols_free(struct symbols *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ndsos; i++)
		dso_free(s->dsos[i]);
	free(s->dsos);
	index_release(&s->dso_index);
	kallsyms_free(s->kallsyms);
	if (s->vdso_fd >= 0)
		close(s->vdso_fd);
	free(s->vdso_path);
	free(s->debuginfo_path);
	free(s);
}

static bool dso_eq(const void *ctx, uint32_t item, const void *key)
{
	return !strcmp(((const struct symbols *)ctx)->dsos[item]->name, key);
}

static uint64_t dso_hash(const void *ctx, uint32_t item)
{
	return hash_string(((const struct symbols *)ctx)->dsos[item]->name);
}

struct dso *symbols_dso(struct symbols *s, const char *path)
{
	/* A file can name any number of distinct paths: no linear search. */
	uint64_t h = hash_string(path);
	long i = index_find(&s->dso_index, h, dso_eq, s, path);
	const char *slash;
	struct dso *d;

	if (i >= 0)
		return s->dsos[i];
	d = xcalloc(1, sizeof(*d));
	d->name = xstrdup(path);
	slash = strrchr(path, '/');
	d->short_name = xstrdup(slash ? slash + 1 : path);
	d->kernel = !strncmp(path, "[kernel.kallsyms]", 17) || (path[0] == '[' && strstr(path, ".ko]"));
	xgrow((void **)&s->dsos, &s->dsos_cap, s->ndsos + 1, sizeof(*s->dsos));
	s->dsos[s->ndsos] = d;
	index_insert(&s->dso_index, h, (uint32_t)s->ndsos, dso_hash, s);
	s->ndsos++;
	return d;
}

size_t symbols_ndsos(const struct symbols *s)
{
	return s->ndsos;
}

const struct dso *symbols_dso_at(const struct symbols *s, size_t i)
{
	return s->dsos[i];
}

void dso_set_recorded_build_id(struct dso *d, const uint8_t *id, size_t len)
{
	if (len > BUILD_ID_MAX)
		len = BUILD_ID_MAX;
	memcpy(d->rec_bid, id, len);
	d->rec_bid_len = len;
}

const char *dso_name(const struct dso *d)
{
	return d->name;
}

const char *dso_short_name(const struct dso *d)
{
	return d->kernel ? "[kernel.kallsyms]" : d->short_name;
}

bool dso_is_kernel(const struct dso *d)
{
	return d->kernel;
}

const char *dso_problem(const struct dso *d)
{
	return d->wanted ? d->problem : NULL;
}

int symbols_function(struct symbols *s, struct dso *d, uint64_t vaddr, uint64_t *start, uint64_t *size,
		     const char **name)
{
	GElf_Sym sym;
	GElf_Off off = 0;
	const char *n;

	if (d->kernel)
		return -EOPNOTSUPP;
	if (ensure_loaded(s, d) < 0)
		return -ENOENT;
	n = dwfl_module_addrinfo(d->mod, vaddr + d->bias, &off, &sym, NULL, NULL, NULL);
	if (!n)
		return -ENOENT;
	*start = vaddr - off;
	*size = sym.st_size ? sym.st_size : off + 1;
	*name = preferred_name(d, vaddr + d->bias - off, n);
	return 0;
}

int symbols_read_code(struct symbols *s, struct dso *d, uint64_t vaddr, uint64_t size, uint8_t **out,
		      int *machine, int *elfclass)
{
	GElf_Addr bias;
	Elf *elf;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;

	*out = NULL;
	if (d->kernel)
		return -EOPNOTSUPP;
	if (ensure_loaded(s, d) < 0)
		return -ENOENT;
	elf = dwfl_module_getelf(d->mod, &bias);
	if (!elf || !gelf_getehdr(elf, &eh))
		return -HWPROF_E_FORMAT;
	*machine = eh.e_machine;
	*elfclass = eh.e_ident[EI_CLASS];
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) || sh.sh_type != SHT_PROGBITS)
			continue;
		if (vaddr < sh.sh_addr || vaddr - sh.sh_addr >= sh.sh_size)
			continue;
		if (size > sh.sh_size - (vaddr - sh.sh_addr))
			size = sh.sh_size - (vaddr - sh.sh_addr);
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf || data->d_size < (vaddr - sh.sh_addr) + size)
			return -HWPROF_E_FORMAT;
		*out = xmalloc(size ? size : 1);
		memcpy(*out, (const uint8_t *)data->d_buf + (vaddr - sh.sh_addr), size);
		return (int)size > 0 ? 0 : -ENOENT;
	}
	return -ENOENT;
}

size_t dso_recorded_build_id(const struct dso *d, const uint8_t **id)
{
	*id = d->rec_bid;
	return d->rec_bid_len;
}

bool dso_missing(const struct dso *d)
{
	return d->missing;
}

static int unusable(struct dso *d, char *problem)
{
	d->state = -1;
	free(d->problem);
	d->problem = problem;
	return -ENOENT;
}

/* Under --symfs, a file is found by its build id (DIR/.build-id/xx/rest, the
 * layout of perf's build-id cache) before its recorded path (DIR/path). */
/* The running kernel's vDSO (the recording's, when made on this kernel) as a file, made once. */
static const char *running_vdso(struct symbols *s)
{
	if (!s->vdso_tried) {
		s->vdso_tried = true;
		s->vdso_fd = vdso_copy();
		if (s->vdso_fd >= 0)
			s->vdso_path = xasprintf("/proc/self/fd/%d", s->vdso_fd);
	}
	return s->vdso_path;
}

/* Whether D names a file to read: a path, or the vDSO of a recording made
 * on the running kernel. */
static bool has_file(struct symbols *s, const struct dso *d)
{
	if (d->name[0] == '/')
		return true;
	return !strcmp(d->name, "[vdso]") && s->opts.running_kernel && running_vdso(s);
}

static char *find_file(struct symbols *s, const struct dso *d)
{
	if (!strcmp(d->name, "[vdso]"))
		return xstrdup(running_vdso(s));
	if (s->opts.symfs && d->rec_bid_len) {
		char hex[2 * BUILD_ID_MAX + 1];
		char *by_id;

		buildid_hex(d->rec_bid, d->rec_bid_len, hex);
		by_id = xasprintf("%s/.build-id/%.2s/%s", s->opts.symfs, hex, hex + 2);
		if (access(by_id, R_OK) == 0)
			return by_id;
		free(by_id);
	}
	return s->opts.symfs ? xasprintf("%s%s", s->opts.symfs, d->name) : xstrdup(d->name);
}

static int load_dso(struct symbols *s, struct dso *d)
{
	char *path = find_file(s, d);
	uint8_t bid[BUILD_ID_MAX];
	int bid_len;
	Elf *elf;
	long nseg;

	if (access(path, R_OK) < 0) {
		int e = errno;
		free(path);
		d->missing = e == ENOENT;
		return unusable(d, xasprintf("%s (deleted since recording, or recorded elsewhere)",
					     strerror(e)));
	}
	/* A recording may name any path: reading /dev/zero or a fifo as ELF would never end. */
	{
		struct stat st;
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(path);
			return unusable(d, xstrdup("not a regular file"));
		}
	}
	bid_len = buildid_of_file(path, bid);
	if (d->rec_bid_len && bid_len > 0 &&
	    ((size_t)bid_len != d->rec_bid_len || memcmp(bid, d->rec_bid, (size_t)bid_len) != 0)) {
		free(path);
		return unusable(d, xstrdup("its build id differs from the recorded one: the file "
					   "changed since recording, so its symbols would be wrong"));
	}
	d->dwfl = dwfl_begin(&s->callbacks);
	if (!d->dwfl) {
		free(path);
		return unusable(d, xasprintf("dwfl_begin: %s", dwfl_errmsg(-1)));
	}
	d->mod = dwfl_report_offline(d->dwfl, d->short_name, path, -1);
	d->path = path;
	if (!d->mod || dwfl_report_end(d->dwfl, NULL, NULL) != 0)
		return unusable(d, xasprintf("dwfl_report_offline: %s", dwfl_errmsg(-1)));
	elf = dwfl_module_getelf(d->mod, &d->bias);
	if (!elf || (nseg = elf_load_segments(elf, &d->segs)) < 0)
		return unusable(d, xasprintf("dwfl_module_getelf: %s", dwfl_errmsg(-1)));
	d->nsegs = (size_t)nseg;
	d->state = 1;
	return 0;
}

/*
 * A mapping places file offset MAP_PGOFF at MAP_START. The ELF numbers code by
 * p_vaddr, which equals the file offset only for some linkers' layouts: go
 * through the PT_LOAD segment holding the offset.
 */
static bool file_vaddr(const struct dso *d, uint64_t map_start, uint64_t map_pgoff, uint64_t addr,
		       uint64_t *vaddr)
{
	return elf_offset_to_vaddr(d->segs, d->nsegs, addr - map_start + map_pgoff, vaddr);
}

/* The per-frame hot path keeps its entries in the table itself (one cache
 * line per lookup), not behind the index helper's item numbers. */
static struct cache_entry *cache_slot(struct dso *d, uint64_t vaddr)
{
	uint64_t key = vaddr + 1, h;

	if (d->cache_used * 2 >= d->cache_cap) {
		struct cache_entry *old = d->cache;
		size_t ocap = d->cache_cap;
		d->cache_cap = ocap ? ocap * 2 : 1024;
		d->cache = xcalloc(d->cache_cap, sizeof(*d->cache));
		d->cache_used = 0;
		for (size_t i = 0; i < ocap; i++) {
			if (!old[i].key)
				continue;
			h = hash_u64(old[i].key) & (d->cache_cap - 1);
			while (d->cache[h].key)
				h = (h + 1) & (d->cache_cap - 1);
			d->cache[h] = old[i];
			d->cache_used++;
		}
		free(old);
	}
	h = hash_u64(key) & (d->cache_cap - 1);
	while (d->cache[h].key && d->cache[h].key != key)
		h = (h + 1) & (d->cache_cap - 1);
	return &d->cache[h];
}

/* NAME as a reader wants it: without a symbol version ("@@GLIBC_2.34"),
 * which perf does not show either, and demangled. Returns NAME itself, or
 * NULL with *ARENA_OFF set to a copy kept in D's arena. */
static const char *display_name(struct dso *d, const char *name, size_t *arena_off, bool *copied)
{
	const char *at = strchr(name, '@');
	size_t len = at && at != name ? (size_t)(at - name) : strlen(name);
	char *bare = NULL, *readable;

	*copied = false;
	if (len != strlen(name))
		name = bare = xasprintf("%.*s", (int)len, name);
	readable = demangle(name);
	if (!readable && !bare)
		return name;
	*arena_off = d->names.len;
	sb_puts(&d->names, readable ? readable : bare);
	sb_add(&d->names, "", 1);
	free(readable);
	free(bare);
	*copied = true;
	return NULL;
}

/* perf's preference among symbols at one address: non-weak, then global,
 * then fewer leading underscores, then the longer name. Higher is better. */
static int alias_rank(const GElf_Sym *sym, const char *name)
{
	int bind = GELF_ST_BIND(sym->st_info), under = 0;

	while (name[under] == '_')
		under++;
	return (bind != STB_WEAK) * 4000000 + (bind == STB_GLOBAL) * 2000000 +
	       (100 - (under > 99 ? 99 : under)) * 10000 + (int)(strlen(name) > 9999 ? 9999 : strlen(name));
}

static int cmp_alias(const void *a, const void *b)
{
	const struct alias *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return y->rank - x->rank; /* best first */
}

static void build_aliases(struct dso *d)
{
	int n = dwfl_module_getsymtab(d->mod);
	size_t cap = 0, out = 0;

	d->aliases_built = true;
	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		const char *name = dwfl_module_getsym_info(d->mod, i, &sym, &addr, NULL, NULL, NULL);
		int type = GELF_ST_TYPE(sym.st_info);

		if (!name || !*name || sym.st_shndx == SHN_UNDEF ||
		    (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_NOTYPE))
			continue;
		xgrow((void **)&d->aliases, &cap, d->naliases + 1, sizeof(*d->aliases));
		d->aliases[d->naliases] = (struct alias){ addr, name, alias_rank(&sym, name), 0, false };
		d->aliases[d->naliases].name = display_name(d, name, &d->aliases[d->naliases].name_off,
							     &d->aliases[d->naliases].copied);
		d->naliases++;
	}
	/* The arena may have moved while growing: point at the copies now. */
	for (size_t i = 0; i < d->naliases; i++)
		if (d->aliases[i].copied)
			d->aliases[i].name = d->names.buf + d->aliases[i].name_off;
	if (d->naliases > 1)
		qsort(d->aliases, d->naliases, sizeof(*d->aliases), cmp_alias);
	for (size_t i = 0; i < d->naliases; i++)
		if (out == 0 || d->aliases[out - 1].addr != d->aliases[i].addr)
			d->aliases[out++] = d->aliases[i];
	d->naliases = out;
}

/* The preferred name of the symbol starting at ADDR (a dwfl address). */
static const char *preferred_name(struct dso *d, uint64_t addr, const char *name)
{
	size_t lo = 0, hi;

	if (!d->aliases_built)
		build_aliases(d);
	hi = d->naliases;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (d->aliases[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < d->naliases && d->aliases[lo].addr == addr)
		return d->aliases[lo].name;
	return name;
}

int symbols_dso_file(struct symbols *s, struct dso *d, uint64_t map_start, uint64_t map_pgoff,
		     const char **path, uint64_t *bias)
{
	uint64_t vaddr;

	if (d->kernel)
		return -ENOENT;
	if (ensure_loaded(s, d) < 0)
		return -ENOENT;
	/* The bias maps the ELF's vaddrs onto this process's addresses. */
	if (!file_vaddr(d, map_start, map_pgoff, map_start, &vaddr))
		return -ENOENT;
	*path = d->path;
	*bias = map_start - vaddr;
	return 0;
}

const void *symbols_dwfl_callbacks(const struct symbols *s)
{
	return &s->callbacks;
}

bool symbols_kallsyms_unreadable(const struct symbols *s)
{
	return s->kallsyms && kallsyms_unreadable(s->kallsyms);
}

static int resolve_kernel(struct symbols *s, uint64_t addr, struct symres *out)
{
	if (s->kallsyms)
		out->name = kallsyms_lookup(s->kallsyms, addr, &out->offset);
	return 0;
}

static void *own(struct dso *d, void *p)
{
	xgrow((void **)&d->owned, &d->owned_cap, d->nowned + 1, sizeof(*d->owned));
	d->owned[d->nowned++] = p;
	return p;
}

/* The name of a scope that qualifies a function's: a namespace, a class, or
 * the function a local class (a lambda's) is defined in. */
static void scope_name(Dwarf_Die *scope, struct strbuf *sb)
{
	const char *name = dwarf_diename(scope);
	int tag = dwarf_tag(scope);

	if (name) {
		sb_puts(sb, name);
	} else if (tag == DW_TAG_namespace) {
		sb_puts(sb, "(anonymous namespace)");
	} else {
		/* A lambda's closure type has no name: where it is written tells them apart. */
		const char *file = dwarf_decl_file(scope);
		int line = 0;
		const char *base = file ? strrchr(file, '/') : NULL;
		dwarf_decl_line(scope, &line);
		sb_printf(sb, "{lambda@%s:%d}", base ? base + 1 : file ? file : "?", line);
	}
}

/*
 * A function's name as a reader wants it, from the DIE of an inlined
 * instance or of the function itself: the demangled linkage name where there
 * is one (class, namespace and parameters included, as addr2line -C shows it),
 * else the name qualified by the scopes its declaration sits in (a lambda's
 * operator(), which has no linkage name, becomes main::{lambda@f.cc:38}::operator()).
 */
static const char *function_name(struct dso *d, Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Die origin, decl, *fn = die, *scopes = NULL;
	struct strbuf sb = { 0 };
	const char *linkage, *name;
	char *readable;
	int n;

	if (dwarf_attr_integrate(die, DW_AT_abstract_origin, &attr) && dwarf_formref_die(&attr, &origin))
		fn = &origin;
	linkage = dwarf_formstring(dwarf_attr_integrate(fn, DW_AT_linkage_name, &attr));
	if (!linkage)
		linkage = dwarf_formstring(dwarf_attr_integrate(fn, DW_AT_MIPS_linkage_name, &attr));
	if (linkage && (readable = demangle(linkage)))
		return own(d, readable);
	name = dwarf_diename(fn);
	if (!name)
		return linkage;
	if (dwarf_attr(fn, DW_AT_specification, &attr) && dwarf_formref_die(&attr, &decl))
		fn = &decl;
	n = dwarf_getscopes_die(fn, &scopes);
	for (int i = n - 1; i >= 1; i--) {
		int tag = dwarf_tag(&scopes[i]);
		if (tag != DW_TAG_namespace && tag != DW_TAG_class_type && tag != DW_TAG_structure_type &&
		    tag != DW_TAG_union_type && tag != DW_TAG_subprogram)
			continue;
		scope_name(&scopes[i], &sb);
		sb_puts(&sb, "::");
	}
	free(scopes);
	if (!sb.len)
		return name;
	sb_puts(&sb, name);
	return own(d, sb_detach(&sb));
}

/* Where inlined instance DIE was called from, in its CU's file table. */
static void call_site(Dwarf_Die *cu, Dwarf_Die *die, const char **file, int *line)
{
	Dwarf_Attribute attr;
	Dwarf_Files *files;
	Dwarf_Word idx = 0, ln = 0;
	size_t nfiles;

	*file = NULL;
	*line = 0;
	if (dwarf_formudata(dwarf_attr(die, DW_AT_call_line, &attr), &ln) == 0)
		*line = (int)ln;
	if (dwarf_formudata(dwarf_attr(die, DW_AT_call_file, &attr), &idx) == 0 &&
	    dwarf_getsrcfiles(cu, &files, &nfiles) == 0 && idx < nfiles)
		*file = dwarf_filesrc(files, idx, NULL, NULL);
}

/* The innermost inlined instance or function around DIE (itself excluded):
 * its concrete parents, not those of its abstract definition. */
static int enclosing(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Die *scopes = NULL;
	int n = dwarf_getscopes_die(die, &scopes), tag = -1;

	for (int i = 1; i < n; i++) {
		tag = dwarf_tag(&scopes[i]);
		if (tag == DW_TAG_inlined_subroutine || tag == DW_TAG_subprogram) {
			*out = scopes[i];
			break;
		}
		tag = -1;
	}
	free(scopes);
	return tag;
}

static uint32_t compute_chain(struct dso *d, uint64_t vaddr, const char *container,
			      const struct syminline **out)
{
	Dwarf_Addr bias = 0;
	Dwarf_Die *cu = dwfl_module_addrdie(d->mod, vaddr + d->bias, &bias);
	Dwarf_Die *scopes = NULL, cur;
	struct syminline level, *chain = NULL;
	size_t n = 0, cap = 0;
	Dwfl_Line *l;
	int nscopes, tag = -1;

	*out = NULL;
	if (!cu)
		return 0;
	/* The innermost inlined instance at the address (lexical blocks aside). */
	nscopes = dwarf_getscopes(cu, vaddr + d->bias - bias, &scopes);
	for (int i = 0; i < nscopes && tag < 0; i++)
		if (dwarf_tag(&scopes[i]) == DW_TAG_inlined_subroutine) {
			cur = scopes[i];
			tag = DW_TAG_inlined_subroutine;
		}
	free(scopes);
	if (tag < 0)
		return 0;
	l = dwfl_module_getsrc(d->mod, vaddr + d->bias);
	level = (struct syminline){ NULL, NULL, 0 };
	if (l)
		level.file = dwfl_lineinfo(l, NULL, &level.line, NULL, NULL, NULL);
	/* Outwards through the instances each is inlined into, to the function. */
	for (size_t guard = 0; tag == DW_TAG_inlined_subroutine && guard < 256; guard++) {
		Dwarf_Die next;
		level.name = function_name(d, &cur);
		xgrow((void **)&chain, &cap, n + 1, sizeof(*chain));
		chain[n++] = level;
		call_site(cu, &cur, &level.file, &level.line);
		tag = enclosing(&cur, &next);
		cur = next;
	}
	/* The symbol table's name for the function, as every other row shows it. */
	level.name = container ? container : tag == DW_TAG_subprogram ? function_name(d, &cur) : NULL;
	xgrow((void **)&chain, &cap, n + 1, sizeof(*chain));
	chain[n++] = level;
	for (size_t i = 0; i < n; i++)
		if (!chain[i].name)
			chain[i].name = "??";
	*out = own(d, chain);
	return (uint32_t)n;
}

/*
 * PLT stubs have no symbols; perf names them after the relocation each one
 * resolves ("malloc@plt"): stub i of .plt.sec, or of .plt after its first
 * entry (the resolver's), jumps through .rela.plt's entry i.
 */
static void read_plt(struct dso *d)
{
	GElf_Addr bias;
	Elf *elf = dwfl_module_getelf(d->mod, &bias);
	Elf_Scn *scn = NULL, *rela = NULL;
	size_t shstrndx, header = 16;
	GElf_Ehdr eh;

	d->plt_read = true;
	if (!elf || !gelf_getehdr(elf, &eh) || elf_getshdrstrndx(elf, &shstrndx) != 0)
		return;
	if (eh.e_machine == EM_AARCH64)
		header = 32;
	else if (eh.e_machine != EM_X86_64)
		return;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;
		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(elf, shstrndx, sh.sh_name)))
			continue;
		if (!strcmp(name, ".plt") && sh.sh_size > header) {
			d->plt_lo = sh.sh_addr + header;
			d->plt_hi = sh.sh_addr + sh.sh_size;
		} else if (!strcmp(name, ".plt.sec")) {
			d->pltsec_lo = sh.sh_addr;
			d->pltsec_hi = sh.sh_addr + sh.sh_size;
		} else if (!strcmp(name, ".rela.plt") && sh.sh_type == SHT_RELA) {
			rela = scn;
		}
	}
	if (rela) {
		GElf_Shdr sh, symsh;
		Elf_Data *data = elf_getdata(rela, NULL), *syms;
		Elf_Scn *symscn;

		if (!data || !gelf_getshdr(rela, &sh) || !(symscn = elf_getscn(elf, sh.sh_link)) ||
		    !gelf_getshdr(symscn, &symsh) || !(syms = elf_getdata(symscn, NULL)) || !sh.sh_entsize)
			return;
		d->nplt = sh.sh_size / sh.sh_entsize;
		d->plt_names = xcalloc(d->nplt ? d->nplt : 1, sizeof(*d->plt_names));
		for (size_t i = 0; i < d->nplt; i++) {
			GElf_Rela rel;
			GElf_Sym sym;
			const char *name;
			if (!gelf_getrela(data, (int)i, &rel) ||
			    !gelf_getsym(syms, (int)GELF_R_SYM(rel.r_info), &sym) ||
			    !(name = elf_strptr(elf, symsh.sh_link, sym.st_name)) || !*name)
				continue;
			d->plt_names[i] = own(d, xasprintf("%s@plt", name));
		}
	}
}

static const char *plt_name(struct dso *d, uint64_t vaddr, uint64_t *offset)
{
	uint64_t at;

	if (!d->plt_read)
		read_plt(d);
	if (vaddr >= d->pltsec_lo && vaddr < d->pltsec_hi)
		at = vaddr - d->pltsec_lo;
	else if (vaddr >= d->plt_lo && vaddr < d->plt_hi && !d->pltsec_hi)
		at = vaddr - d->plt_lo;
	else
		return NULL;
	*offset = at % 16;
	return at / 16 < d->nplt ? d->plt_names[at / 16] : NULL;
}

size_t symbols_inline_chain(struct symbols *s, struct dso *d, uint64_t vaddr, const struct syminline **out)
{
	struct symres sr;
	struct cache_entry *e;

	*out = NULL;
	if (d->kernel || symbols_resolve_vaddr(s, d, vaddr, 0, &sr) < 0)
		return 0;
	e = cache_slot(d, vaddr);
	if (!e->has_chain) {
		e->nchain = compute_chain(d, vaddr, e->name, &e->chain);
		e->has_chain = true;
	}
	*out = e->chain;
	return e->nchain;
}

int symbols_resolve(struct symbols *s, struct dso *d, uint64_t map_start, uint64_t map_pgoff,
		    uint64_t addr, unsigned want, struct symres *out)
{
	uint64_t vaddr;

	memset(out, 0, sizeof(*out));
	out->line = 0;
	if (d->kernel) {
		out->file_vaddr = addr;
		return resolve_kernel(s, addr, out);
	}
	if (!has_file(s, d))
		return -ENOENT; /* //anon, [stack], another kernel's [vdso]: no file to read, nothing to note */
	d->wanted = true;
	if (ensure_loaded(s, d) < 0)
		return -ENOENT;
	if (!file_vaddr(d, map_start, map_pgoff, addr, &vaddr)) {
		out->file_vaddr = addr - map_start + map_pgoff;
		return 0;
	}
	return symbols_resolve_vaddr(s, d, vaddr, want, out);
}

int symbols_resolve_vaddr(struct symbols *s, struct dso *d, uint64_t vaddr, unsigned want,
			  struct symres *out)
{
	struct cache_entry *e;

	memset(out, 0, sizeof(*out));
	out->file_vaddr = vaddr;
	if (d->kernel)
		return resolve_kernel(s, vaddr, out);
	if (!has_file(s, d))
		return -ENOENT; /* //anon, [stack], another kernel's [vdso]: no file to read, nothing to note */
	d->wanted = true;
	if (ensure_loaded(s, d) < 0)
		return -ENOENT;
	e = cache_slot(d, vaddr);
	if (!e->key) {
		GElf_Sym sym;
		GElf_Off off = 0;
		const char *name = dwfl_module_addrinfo(d->mod, vaddr + d->bias, &off, &sym, NULL, NULL,
							NULL);
		e->key = vaddr + 1;
		e->name = name ? preferred_name(d, vaddr + d->bias - off, name) : NULL;
		e->offset = off;
		if (!e->name)
			e->name = plt_name(d, vaddr, &e->offset);
		d->cache_used++;
	}
	if ((want & SYMRES_SRCLINE) && !e->has_src) {
		Dwfl_Line *l = dwfl_module_getsrc(d->mod, vaddr + d->bias);
		int line = 0;
		const char *file = l ? dwfl_lineinfo(l, NULL, &line, NULL, NULL, NULL) : NULL;
		e->srcfile = file;
		e->line = line;
		e->has_src = true;
	}
	out->name = e->name;
	out->offset = e->offset;
	out->srcfile = e->srcfile;
	out->line = e->line;
	return 0;
}
