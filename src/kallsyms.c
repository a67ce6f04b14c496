/*
 * Kernel function symbols. /proc/kallsyms costs ~50 ms of kernel formatting
 * per read (120k lines), more than the rest of a typical report, so the core
 * kernel's part is cached per boot: it cannot change until the next boot,
 * unlike modules and BPF programs, whose addresses always go to the live file.
 */
#include "hwprof/kallsyms.h"
#include "hwprof/demangle.h"
#include "hwprof/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAGIC "HWPKSYM1"
/* Beyond the last cached symbol, only this far is taken as its code. */
#define CORE_TAIL (64u << 10)
/* Past the last symbol of the live table by more than any function is long: not text. */
#define LIVE_TAIL (1u << 20)

struct ksym {
	uint64_t addr;
	uint32_t name;		/* offset in names */
	bool module;		/* "[module]", "[bpf]"...: may come and go during a boot */
};

struct kallsyms {
	struct ksym *syms;
	size_t n;
	struct strbuf names;
	uint64_t cover_lo, cover_hi;	/* what a cached table answers for */
	bool live;			/* /proc/kallsyms was read: the table answers for all */
	bool tried_cache;
	bool unreadable;
};

struct cache_header {
	char magic[8];
	uint64_t count;
	uint64_t names_len;
	uint64_t cover_lo, cover_hi;
	/* /proc/kallsyms's first line when written: a restricted or other kernel shows another. */
	uint64_t first_addr;
	char first_name[64];
};

struct cache_entry {
	uint64_t addr;
	uint64_t name;
};

struct kallsyms *kallsyms_new(void)
{
	return xcalloc(1, sizeof(struct kallsyms));
}

void kallsyms_free(struct kallsyms *k)
{
	if (!k)
		return;
	free(k->syms);
	sb_release(&k->names);
	free(k);
}

bool kallsyms_unreadable(const struct kallsyms *k)
{
	return k->unreadable;
}

/* "/dir/kallsyms-<boot id>", or NULL without a cache dir or boot id. */
static char *cache_path(char **dir_out)
{
	char id[64] = "";
	char *dir = hwprof_cache_dir();
	FILE *f;

	*dir_out = NULL;
	if (!dir)
		return NULL;
	f = fopen("/proc/sys/kernel/random/boot_id", "re");
	if (!f || !fgets(id, sizeof(id), f)) {
		if (f)
			fclose(f);
		free(dir);
		return NULL;
	}
	fclose(f);
	id[strcspn(id, "\n")] = '\0';
	if (!id[0] || strchr(id, '/')) {
		free(dir);
		return NULL;
	}
	*dir_out = dir;
	return xasprintf("%s/kallsyms-%s", dir, id);
}

/* Splits "ffffffff81000000 T name\t[module]"; false for other lines. */
static bool parse_line(char *line, uint64_t *addr, char *type, char **name, bool *module)
{
	char *end;

	*addr = strtoull(line, &end, 16);
	if (end == line || *end != ' ' || !end[1] || end[2] != ' ')
		return false;
	*type = end[1];
	*name = end + 3;
	end = *name + strcspn(*name, " \t");
	*module = *end == '\t';
	*end = '\0';
	return **name != '\0';
}

typedef bool (*kallsyms_line_fn)(void *arg, uint64_t addr, char type, const char *name, bool module);

/* Calls FN with each line of /proc/kallsyms that has an address, until FN
 * returns false or LIMIT bytes (0: no limit) are read. */
static void scan_kallsyms(size_t limit, kallsyms_line_fn fn, void *arg)
{
	size_t have = 0, bufcap = 1 << 18, total = 0;
	char *buf = xmalloc(bufcap + 1);
	int fd = open("/proc/kallsyms", O_RDONLY | O_CLOEXEC);
	bool go = fd >= 0;

	while (go && (!limit || total < limit)) {
		size_t want = bufcap - have;
		ssize_t got;
		char *line = buf, *nl;

		if (limit && want > limit - total)
			want = limit - total;
		got = read(fd, buf + have, want);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		have += (size_t)got;
		total += (size_t)got;
		buf[have] = '\0';
		/* Whole lines only; a partial one waits for the next read. */
		while (go && (nl = memchr(line, '\n', have - (size_t)(line - buf)))) {
			uint64_t addr;
			char type, *name;
			bool module;

			*nl = '\0';
			if (parse_line(line, &addr, &type, &name, &module) && addr)
				go = fn(arg, addr, type, name, module);
			line = nl + 1;
		}
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
		if (have == bufcap) /* a line longer than the buffer: not kallsyms */
			break;
	}
	if (fd >= 0)
		close(fd);
	free(buf);
}

struct first_symbol {
	uint64_t addr;
	char *name;
};

static bool take_first(void *arg, uint64_t addr, char type, const char *name, bool module)
{
	struct first_symbol *f = arg;

	(void)type;
	(void)module;
	f->addr = addr;
	free(f->name);
	f->name = xstrdup(name);
	return false;
}

/*
 * The first symbol with an address in /proc/kallsyms: what the cache was made
 * from shows the same one, a restricted view (kptr_restrict) shows none. Per-CPU
 * symbols at offset 0 come first on some kernels, so a few pages are scanned.
 */
static bool first_symbol(struct first_symbol *f)
{
	f->addr = 0;
	f->name = NULL;
	scan_kallsyms(65536, take_first, f);
	return f->addr != 0;
}

static int cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void add_symbol(struct kallsyms *k, size_t *cap, uint64_t addr, const char *name, bool module)
{
	/* Rust for Linux puts mangled names in kallsyms. */
	char *readable = name[0] == '_' && (name[1] == 'R' || name[1] == 'Z') ? demangle(name) : NULL;

	xgrow((void **)&k->syms, cap, k->n + 1, sizeof(*k->syms));
	k->syms[k->n].addr = addr;
	k->syms[k->n].name = (uint32_t)k->names.len;
	k->syms[k->n].module = module;
	sb_puts(&k->names, readable ? readable : name);
	sb_add(&k->names, "", 1);
	free(readable);
	k->n++;
}

static void reset_table(struct kallsyms *k)
{
	free(k->syms);
	k->syms = NULL;
	k->n = 0;
	sb_reset(&k->names);
	k->cover_lo = k->cover_hi = 0;
}

static bool load_cache(struct kallsyms *k)
{
	char *dir, *path = cache_path(&dir);
	struct cache_header h;
	struct stat st;
	uint8_t *data = NULL;
	const struct cache_entry *e;
	const char *names;
	struct first_symbol first = { 0, NULL };
	bool ok = false;
	FILE *f;

	free(dir);
	if (!path)
		return false;
	f = fopen(path, "rbe");
	free(path);
	if (!f)
		return false;
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size < sizeof(h) ||
	    (uint64_t)st.st_size > (1ull << 30))
		goto out;
	data = xmalloc((size_t)st.st_size);
	if (fread(data, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
		goto out;
	memcpy(&h, data, sizeof(h));
	/* Every size is checked: a cache file is input like any other. */
	if (memcmp(h.magic, CACHE_MAGIC, 8) != 0 || h.count == 0 ||
	    h.count > ((uint64_t)st.st_size - sizeof(h)) / sizeof(*e) ||
	    h.names_len != (uint64_t)st.st_size - sizeof(h) - h.count * sizeof(*e) || h.names_len == 0 ||
	    h.names_len > UINT32_MAX || h.first_name[sizeof(h.first_name) - 1] != '\0' || h.cover_lo > h.cover_hi)
		goto out;
	e = (const struct cache_entry *)(data + sizeof(h));
	names = (const char *)(e + h.count);
	if (names[h.names_len - 1] != '\0')
		goto out;
	if (!first_symbol(&first) || first.addr != h.first_addr || strcmp(first.name, h.first_name) != 0)
		goto out;
	k->syms = xmalloc(h.count * sizeof(*k->syms));
	for (uint64_t i = 0; i < h.count; i++) {
		if (e[i].name >= h.names_len || (i && e[i].addr < e[i - 1].addr)) {
			reset_table(k);
			goto out;
		}
		k->syms[i] = (struct ksym){ e[i].addr, (uint32_t)e[i].name, false };
	}
	k->n = h.count;
	sb_add(&k->names, names, h.names_len);
	k->cover_lo = h.cover_lo;
	k->cover_hi = h.cover_hi;
	ok = true;
out:
	free(first.name);
	free(data);
	fclose(f);
	return ok;
}

/* Only this boot's file is of any use: older ones go. */
static void remove_other_boots(const char *dir, const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "kallsyms-", 9) && strcmp(de->d_name, keep) != 0)
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
}

/* Best effort: a report never fails for want of a cache. */
static void write_cache(const struct kallsyms *k, const struct first_symbol *first)
{
	char *dir, *path = cache_path(&dir), *tmp;
	struct cache_header h;
	struct strbuf out = { 0 };
	uint64_t lo = UINT64_MAX, hi = 0;
	bool ok;
	FILE *f = NULL;

	if (!path)
		return;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, CACHE_MAGIC, 8);
	h.first_addr = first->addr;
	snprintf(h.first_name, sizeof(h.first_name), "%s", first->name);
	h.names_len = k->names.len;
	sb_add(&out, (const char *)&h, sizeof(h));
	for (size_t i = 0; i < k->n; i++) {
		struct cache_entry e = { k->syms[i].addr, k->syms[i].name };
		if (k->syms[i].module)
			continue;
		if (e.addr < lo)
			lo = e.addr;
		if (e.addr > hi)
			hi = e.addr;
		sb_add(&out, (const char *)&e, sizeof(e));
		h.count++;
	}
	sb_add(&out, k->names.buf, k->names.len);
	h.cover_lo = lo;
	h.cover_hi = hi + CORE_TAIL;
	memcpy(out.buf, &h, sizeof(h));
	tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	/* Kernel addresses are for this user's eyes only, as /proc/kallsyms is. */
	ok = h.count > 0 && mkdir_private(dir) == 0 && (f = fopen(tmp, "wbex")) && fchmod(fileno(f), 0600) == 0;
	if (f) {
		ok = ok && fwrite(out.buf, 1, out.len, f) == out.len;
		ok = fclose(f) == 0 && ok;
		if (ok && rename(tmp, path) == 0)
			remove_other_boots(dir, strrchr(path, '/') + 1);
		else
			unlink(tmp);
	}
	free(tmp);
	free(path);
	free(dir);
	sb_release(&out);
}

struct live_load {
	struct kallsyms *k;
	size_t cap;
	struct first_symbol first;
};

static bool add_line(void *arg, uint64_t addr, char type, const char *name, bool module)
{
	struct live_load *l = arg;

	if (!l->first.addr)
		take_first(&l->first, addr, type, name, module);
	if (type == 't' || type == 'T' || type == 'w' || type == 'W')
		add_symbol(l->k, &l->cap, addr, name, module);
	return true;
}

static void load_live(struct kallsyms *k)
{
	struct live_load l = { k, 0, { 0, NULL } };

	reset_table(k);
	k->live = true;
	scan_kallsyms(0, add_line, &l);
	if (k->n == 0) {
		k->unreadable = true;
		free(l.first.name);
		return;
	}
	qsort(k->syms, k->n, sizeof(*k->syms), cmp_ksym);
	if (l.first.name)
		write_cache(k, &l.first);
	free(l.first.name);
}

const char *kallsyms_lookup(struct kallsyms *k, uint64_t addr, uint64_t *offset)
{
	size_t lo = 0, hi;

	if (!k->live) {
		if (!k->tried_cache) {
			k->tried_cache = true;
			load_cache(k);
		}
		if (!k->n || addr < k->cover_lo || addr > k->cover_hi)
			load_live(k);
	}
	hi = k->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (k->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	if (lo == k->n && addr - k->syms[lo - 1].addr > LIVE_TAIL)
		return NULL;
	*offset = addr - k->syms[lo - 1].addr;
	return k->names.buf + k->syms[lo - 1].name;
}
