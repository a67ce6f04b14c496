/* tracefs lookups and tracepoint format files (see tracefs.h). */
#include "hwprof/tracefs.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *tracefs_dir(const char *root, char *why, size_t whylen)
{
	static const char *const places[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	static char found[4096];
	bool denied = false;

	for (size_t i = 0; i < (root ? 1 : 2); i++) {
		const char *dir = root ? root : places[i];
		char path[4200];
		snprintf(path, sizeof(path), "%s/events", dir);
		if (access(path, R_OK | X_OK) == 0) {
			snprintf(found, sizeof(found), "%s", dir);
			return found;
		}
		denied |= errno == EACCES;
	}
	if (denied)
		snprintf(why, whylen, "tracefs is not readable by this user (tracepoints need root, "
			 "or an administrator's chmod of /sys/kernel/tracing)");
	else
		snprintf(why, whylen, "tracefs is not mounted (an administrator mounts it: "
			 "mount -t tracefs nodev /sys/kernel/tracing)");
	return NULL;
}

int tracefs_event_id(const char *dir, const char *subsys, const char *name, uint64_t *id, char *err, size_t errlen)
{
	char path[4200];
	char *text = NULL, *end;
	unsigned long long v;
	int rc;

	snprintf(path, sizeof(path), "%s/events/%s/%s/id", dir, subsys, name);
	rc = read_small_file(path, &text);
	if (rc == -EACCES || rc == -EPERM) {
		snprintf(err, errlen, "tracepoint '%s:%s' is not readable by this user (tracefs is root's unless "
			 "an administrator opens it)", subsys, name);
		return -1;
	}
	if (rc < 0) {
		struct stat st;
		snprintf(path, sizeof(path), "%s/events/%s", dir, subsys);
		snprintf(err, errlen, stat(path, &st) == 0 ? "no tracepoint '%s:%s' ('hwprof list tracepoint' shows them)"
							    : "no tracepoint subsystem '%s'%.0s ('hwprof list tracepoint' shows them)",
			 subsys, name);
		return -1;
	}
	v = strtoull(text, &end, 10);
	if (end == text) {
		snprintf(err, errlen, "unreadable id of tracepoint '%s:%s'", subsys, name);
		free(text);
		return -1;
	}
	free(text);
	*id = v;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t tracefs_events(const char *dir, const char *subsys_glob, const char *name_glob, char ***out)
{
	char path[4200];
	DIR *top, *sub;
	struct dirent *s, *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/events", dir);
	if (!(top = opendir(path)))
		return 0;
	while ((s = readdir(top))) {
		if (s->d_name[0] == '.' || fnmatch(subsys_glob, s->d_name, 0) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/events/%s", dir, s->d_name);
		if (!(sub = opendir(path)))
			continue;
		while ((e = readdir(sub))) {
			char idpath[8400];
			if (e->d_name[0] == '.' || fnmatch(name_glob, e->d_name, 0) != 0)
				continue;
			snprintf(idpath, sizeof(idpath), "%s/%s/id", path, e->d_name);
			if (access(idpath, F_OK) != 0)
				continue;
			xgrow((void **)&names, &cap, n + 1, sizeof(*names));
			names[n++] = xasprintf("%s:%s", s->d_name, e->d_name);
		}
		closedir(sub);
	}
	closedir(top);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	*out = names;
	return n;
}

/* One "field:TYPE NAME;\toffset:N;\tsize:N;\tsigned:N;" line. */
static bool parse_field(const char *line, struct tp_field *f)
{
	const char *decl = strstr(line, "field:"), *semi, *name_end, *name_start, *p;
	char decl_text[256];
	size_t len;

	if (!decl)
		return false;
	decl += 6;
	if (!(semi = strchr(decl, ';')) || (len = (size_t)(semi - decl)) >= sizeof(decl_text))
		return false;
	memcpy(decl_text, decl, len);
	decl_text[len] = 0;
	name_end = decl_text + len;
	if (!strncmp(decl_text, "__data_loc", 10)) {
		/* "__data_loc char[] name": the name is the last word */
	} else if (strchr(decl_text, '[')) {
		f->is_string = !strncmp(decl_text, "char ", 5) || strstr(decl_text, " char ") != NULL;
		name_end = strchr(decl_text, '[');
	}
	name_start = name_end;
	while (name_start > decl_text && name_start[-1] != ' ' && name_start[-1] != '*')
		name_start--;
	if (name_start == name_end)
		return false;
	f->is_dynamic = !strncmp(decl_text, "__data_loc", 10);
	f->name = xasprintf("%.*s", (int)(name_end - name_start), name_start);
	if (!(p = strstr(semi, "offset:")) || sscanf(p, "offset:%u", &f->offset) != 1 ||
	    !(p = strstr(semi, "size:")) || sscanf(p, "size:%u", &f->size) != 1) {
		free(f->name);
		return false;
	}
	if ((p = strstr(semi, "signed:")))
		f->is_signed = p[7] == '1';
	return true;
}

int tp_format_parse(const char *text, struct tp_format *out)
{
	size_t cap = 0;
	const char *line = text;

	memset(out, 0, sizeof(*out));
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[512];
		struct tp_field f = { 0 };

		if (len < sizeof(buf)) {
			memcpy(buf, line, len);
			buf[len] = 0;
			if (parse_field(buf, &f)) {
				if (!strncmp(f.name, "common_", 7)) {
					free(f.name);
				} else {
					xgrow((void **)&out->fields, &cap, out->n + 1, sizeof(*out->fields));
					out->fields[out->n++] = f;
				}
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return out->n ? 0 : -1;
}

int tp_format_read(const char *dir, const char *subsys, const char *name, struct tp_format *out)
{
	char path[4200];
	char *text = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "%s/events/%s/%s/format", dir, subsys, name);
	if (read_small_file(path, &text) < 0)
		return -1;
	rc = tp_format_parse(text, out);
	free(text);
	return rc;
}

void tp_format_release(struct tp_format *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->fields[i].name);
	free(f->fields);
	memset(f, 0, sizeof(*f));
}

const struct tp_field *tp_format_field(const struct tp_format *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->fields[i].name, name))
			return &f->fields[i];
	return NULL;
}

/* Text of at most N bytes at P, up to its NUL, printable bytes only. */
static void put_text(struct strbuf *sb, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n && p[i]; i++)
		sb_add(sb, p[i] >= 0x20 && p[i] < 0x7f ? (const char *)&p[i] : "?", 1);
}

void tp_field_format(struct strbuf *sb, const struct tp_field *f, const uint8_t *raw, size_t len)
{
	if ((size_t)f->offset + f->size > len) {
		sb_puts(sb, "?");
		return;
	}
	if (f->is_dynamic && f->size == 4) {
		uint32_t loc;
		size_t off, n;
		memcpy(&loc, raw + f->offset, 4);
		off = loc & 0xffff;
		n = loc >> 16;
		if (off + n > len) {
			sb_puts(sb, "?");
			return;
		}
		put_text(sb, raw + off, n);
		return;
	}
	if (f->is_string) {
		put_text(sb, raw + f->offset, f->size);
		return;
	}
	if (f->size == 1 || f->size == 2 || f->size == 4 || f->size == 8) {
		uint64_t v = 0;
		memcpy(&v, raw + f->offset, f->size);	/* little-endian hosts: low bytes first */
		if (f->is_signed && f->size < 8 && (v >> (f->size * 8 - 1)) & 1)
			v |= ~0ull << (f->size * 8);
		if (f->is_signed)
			sb_printf(sb, "%lld", (long long)v);
		else
			sb_printf(sb, "%llu", (unsigned long long)v);
		return;
	}
	sb_printf(sb, "<%u bytes>", f->size);
}

/* A file's bytes after its size in SIZE_BYTES bytes (little-endian hosts). */
static int put_file(struct strbuf *out, const char *path, size_t size_bytes)
{
	char *text = NULL;
	uint64_t len;
	int rc = read_small_file(path, &text);

	if (rc < 0)
		return -1;
	len = strlen(text);
	sb_add(out, (const char *)&len, size_bytes);
	sb_add(out, text, (size_t)len);
	free(text);
	return 0;
}

int tracefs_tracing_data(const char *dir, const char *const *events, size_t n, struct strbuf *out)
{
	static const char magic[10] = { 23, 8, 68, 't', 'r', 'a', 'c', 'i', 'n', 'g' };
	const char **sorted = xmalloc((n ? n : 1) * sizeof(*sorted));
	uint32_t page = (uint32_t)sysconf(_SC_PAGESIZE), zero32 = 0, nsys = 0;
	uint64_t zero64 = 0;
	char path[4200];
	int rc = 0;

	memcpy(sorted, events, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_str);
	sb_add(out, magic, sizeof(magic));
	sb_add(out, "0.6", 4);
	sb_add(out, "\0", 1);			/* little-endian */
	sb_add(out, "\x08", 1);			/* sizeof(long) */
	sb_add(out, (const char *)&page, 4);
	sb_add(out, "header_page", 12);
	snprintf(path, sizeof(path), "%s/events/header_page", dir);
	rc |= put_file(out, path, 8);
	sb_add(out, "header_event", 13);
	snprintf(path, sizeof(path), "%s/events/header_event", dir);
	rc |= put_file(out, path, 8);
	sb_add(out, (const char *)&zero32, 4);	/* no ftrace formats */
	for (size_t i = 0; i < n; i++)
		nsys += i == 0 || strncmp(sorted[i], sorted[i - 1], strcspn(sorted[i], ":") + 1) != 0;
	sb_add(out, (const char *)&nsys, 4);
	for (size_t i = 0; i < n;) {
		size_t sys_len = strcspn(sorted[i], ":"), j = i;
		uint32_t count = 0;

		while (j < n && !strncmp(sorted[j], sorted[i], sys_len + 1))
			j++, count++;
		sb_add(out, sorted[i], sys_len);
		sb_add(out, "", 1);
		sb_add(out, (const char *)&count, 4);
		for (; i < j; i++) {
			snprintf(path, sizeof(path), "%s/events/%.*s/%s/format", dir, (int)sys_len, sorted[i],
				 sorted[i] + sys_len + 1);
			rc |= put_file(out, path, 8);
		}
	}
	sb_add(out, (const char *)&zero32, 4);	/* kallsyms: perf has its own */
	sb_add(out, (const char *)&zero32, 4);	/* printk formats */
	sb_add(out, (const char *)&zero64, 8);	/* saved cmdlines */
	free(sorted);
	return rc ? -1 : 0;
}

/* A bounded cursor over the blob. */
struct blob {
	const uint8_t *p;
	size_t left;
};

static bool take(struct blob *b, void *out, size_t n)
{
	if (b->left < n)
		return false;
	if (out)
		memcpy(out, b->p, n);
	b->p += n;
	b->left -= n;
	return true;
}

static bool take_string(struct blob *b)
{
	const uint8_t *nul = memchr(b->p, 0, b->left);

	return nul && take(b, NULL, (size_t)(nul - b->p) + 1);
}

/* A u64-sized file: its text (not NUL-terminated) and length. */
static bool take_file(struct blob *b, const uint8_t **text, size_t *len)
{
	uint64_t n;

	if (!take(b, &n, 8) || n > b->left)
		return false;
	*text = b->p;
	*len = (size_t)n;
	return take(b, NULL, (size_t)n);
}

/* Whether format TEXT has "ID: id". */
static bool format_has_id(const uint8_t *text, size_t len, uint64_t id)
{
	char buf[64];

	for (size_t i = 0; i + 4 < len; i++) {
		if ((i == 0 || text[i - 1] == '\n') && !memcmp(text + i, "ID: ", 4)) {
			size_t n = 0;
			while (i + 4 + n < len && n < sizeof(buf) - 1 && text[i + 4 + n] >= '0' && text[i + 4 + n] <= '9') {
				buf[n] = (char)text[i + 4 + n];
				n++;
			}
			buf[n] = 0;
			return n && strtoull(buf, NULL, 10) == id;
		}
	}
	return false;
}

int tp_format_from_tracing_data(const uint8_t *data, size_t len, uint64_t id, struct tp_format *out)
{
	struct blob b = { data, len };
	const uint8_t *text;
	size_t tlen;
	uint32_t count, nsys;

	memset(out, 0, sizeof(*out));
	if (!take(&b, NULL, 10) || !take_string(&b) || !take(&b, NULL, 1 + 1 + 4) || !take_string(&b) ||
	    !take_file(&b, &text, &tlen) || !take_string(&b) || !take_file(&b, &text, &tlen) || !take(&b, &count, 4))
		return -1;
	for (uint32_t i = 0; i < count; i++)
		if (!take_file(&b, &text, &tlen))
			return -1;
	if (!take(&b, &nsys, 4))
		return -1;
	for (uint32_t sys = 0; sys < nsys; sys++) {
		if (!take_string(&b) || !take(&b, &count, 4))
			return -1;
		for (uint32_t i = 0; i < count; i++) {
			if (!take_file(&b, &text, &tlen))
				return -1;
			if (format_has_id(text, tlen, id)) {
				char *copy = xasprintf("%.*s", (int)tlen, (const char *)text);
				int rc = tp_format_parse(copy, out);
				free(copy);
				return rc;
			}
		}
	}
	return -1;
}
