/* Diagnostics, checked allocation and small helpers used by every module. */
#include "hwprof/util.h"

#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *prog_name = "hwprof";

void hwprof_set_prog(const char *prog)
{
	prog_name = prog;
}

const char *hwprof_prog(void)
{
	return prog_name;
}

const char *hwprof_strerror(int rc)
{
	static const char *const msgs[] = {
		[HWPROF_E_SYNTAX - HWPROF_E_BASE] = "syntax error",
		[HWPROF_E_UNKNOWN_EVENT - HWPROF_E_BASE] = "unknown event",
		[HWPROF_E_FORMAT - HWPROF_E_BASE] = "not a valid perf.data file",
		[HWPROF_E_TRUNCATED - HWPROF_E_BASE] = "file is truncated",
		[HWPROF_E_NOPMU - HWPROF_E_BASE] = "no hardware PMU in this kernel",
	};
	if (rc >= 0)
		return "success";
	rc = -rc;
	if (rc > HWPROF_E_BASE && rc < HWPROF_E_MAX)
		return msgs[rc - HWPROF_E_BASE];
	return strerror(rc);
}

static void vmsg(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", prog_name, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void pr_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

/* Like the program name, a property of the diagnostics channel, set once by -q. */
static bool quiet;

void hwprof_set_quiet(bool on)
{
	quiet = on;
}

bool hwprof_quiet(void)
{
	return quiet;
}

void note(const char *fmt, ...)
{
	va_list ap;
	if (quiet)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "hwprof: note: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("fatal: ", fmt, ap);
	va_end(ap);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory allocating %zu bytes", n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		die("out of memory allocating %zu x %zu bytes", nmemb, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory allocating %zu bytes", n);
	return p;
}

void xgrow(void **p, size_t *cap, size_t want, size_t sz)
{
	size_t ncap;

	if (want <= *cap)
		return;
	ncap = *cap ? *cap : 8;
	while (ncap < want) {
		if (ncap > (size_t)-1 / 2)
			die("allocation size overflow");
		ncap *= 2;
	}
	if (ncap > (size_t)-1 / sz)
		die("allocation size overflow");
	*p = xrealloc(*p, ncap * sz);
	*cap = ncap;
}

void *xrealloc_zeroed(void *p, size_t from, size_t to, size_t sz)
{
	p = xrealloc(p, to * sz);
	memset((char *)p + from * sz, 0, (to - from) * sz);
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		die("out of memory");
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct strbuf sb = { 0 };
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	return sb_detach(&sb);
}

void sb_init(struct strbuf *sb)
{
	memset(sb, 0, sizeof(*sb));
}

void sb_release(struct strbuf *sb)
{
	free(sb->buf);
	sb_init(sb);
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void sb_add(struct strbuf *sb, const char *s, size_t n)
{
	xgrow((void **)&sb->buf, &sb->cap, sb->len + n + 1, 1);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_puts(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		die("vsnprintf failed");
	xgrow((void **)&sb->buf, &sb->cap, sb->len + (size_t)n + 1, 1);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

char *sb_detach(struct strbuf *sb)
{
	char *s = sb->buf ? sb->buf : xstrdup("");
	sb_init(sb);
	return s;
}

int read_small_file(const char *path, char **out)
{
	struct strbuf sb = { 0 };
	char chunk[4096];
	int fd, rc = 0;
	ssize_t n;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto out;
		}
		if (n == 0)
			break;
		sb_add(&sb, chunk, (size_t)n);
	}
	*out = sb_detach(&sb);
out:
	sb_release(&sb);
	close(fd);
	return rc;
}

char *hwprof_cache_dir(void)
{
	const char *env = getenv("HWPROF_CACHE_DIR");

	if (env)
		return *env ? xstrdup(env) : NULL;
	if ((env = getenv("XDG_CACHE_HOME")) && *env == '/')
		return xasprintf("%s/hwprof", env);
	if ((env = getenv("HOME")) && *env == '/')
		return xasprintf("%s/.cache/hwprof", env);
	return NULL;
}

int mkdir_private(const char *dir)
{
	char *path = xstrdup(dir);
	int rc = 0;

	for (char *p = strchr(path + 1, '/'); p && rc == 0; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (rc == 0 && mkdir(path, 0700) < 0 && errno != EEXIST)
		rc = -1;
	free(path);
	return rc;
}

int parse_cpu_list(const char *s, int **cpus)
{
	int *list = NULL;
	size_t nr = 0, cap = 0;
	const char *p = s;
	int rc;

	*cpus = NULL;
	if (!s)
		return -HWPROF_E_SYNTAX;
	while (*p && *p != '\n') {
		char *end;
		long lo, hi;

		errno = 0;
		lo = strtol(p, &end, 10);
		if (end == p || errno || lo < 0 || lo > 1 << 20)
			goto bad;
		hi = lo;
		p = end;
		if (*p == '-') {
			p++;
			hi = strtol(p, &end, 10);
			if (end == p || errno || hi < lo || hi > 1 << 20)
				goto bad;
			p = end;
		}
		for (long c = lo; c <= hi; c++) {
			xgrow((void **)&list, &cap, nr + 1, sizeof(*list));
			list[nr++] = (int)c;
		}
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			goto bad;
	}
	if (nr == 0)
		goto bad;
	*cpus = list;
	return (int)nr;
bad:
	rc = -HWPROF_E_SYNTAX;
	free(list);
	return rc;
}

int online_cpus(int **cpus)
{
	char *text;
	int rc;

	*cpus = NULL;
	rc = read_small_file("/sys/devices/system/cpu/online", &text);
	if (rc < 0)
		return rc;
	rc = parse_cpu_list(text, cpus);
	free(text);
	return rc;
}

uint64_t hash_string(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = xcalloc(lb + 1, sizeof(*row));
	size_t d;

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A device or pipe is written as it is: nothing to replace, nothing to clobber. */
static int open_in_place(struct outfile *o, const char *path, int flags, char *err, size_t errlen)
{
	int fd = open(path, flags);

	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		int e = errno;
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(e));
		if (fd >= 0)
			close(fd);
		return -e;
	}
	o->path = xstrdup(path);
	return 0;
}

int outfile_open(struct outfile *o, const char *path, char *err, size_t errlen)
{
	struct stat st;
	const char *slash;
	char *dir;
	mode_t mask;
	int fd;

	memset(o, 0, sizeof(*o));
	if (!path || !strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	if (lstat(path, &st) == 0) {
		struct stat target;
		/* A link to a terminal or pipe (/dev/stdout) cannot clobber a file:
		 * written as the device it is; a link to a file is refused. */
		if (S_ISLNK(st.st_mode) && stat(path, &target) == 0 && !S_ISREG(target.st_mode) &&
		    !S_ISDIR(target.st_mode)) {
			return open_in_place(o, path, O_WRONLY | O_CLOEXEC | O_NOCTTY, err, errlen);
		}
		if (S_ISLNK(st.st_mode)) {
			snprintf(err, errlen, "'%s' is a symbolic link: not writing through it", path);
			return -ELOOP;
		}
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "'%s' is a directory", path);
			return -EISDIR;
		}
		if (!S_ISREG(st.st_mode)) {
			return open_in_place(o, path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, err, errlen);
		}
		if (st.st_uid != geteuid()) {
			snprintf(err, errlen, "'%s' belongs to another user: not replacing it", path);
			return -EPERM;
		}
	} else if (errno != ENOENT) {
		int e = errno;
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(e));
		return -e;
	}
	slash = strrchr(path, '/');
	dir = slash ? xasprintf("%.*s", (int)(slash - path + 1), path) : xstrdup("");
	o->tmp = xasprintf("%s.%s.XXXXXX", dir, slash ? slash + 1 : path);
	free(dir);
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(e));
		free(o->tmp);
		o->tmp = NULL;
		return -e;
	}
	/* mkostemp makes 0600; an output gets what a plain create would. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || !(o->f = fdopen(fd, "w"))) {
		int e = errno;
		snprintf(err, errlen, "cannot write '%s': %s", o->tmp, strerror(e));
		close(fd);
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
		return -e;
	}
	o->path = xstrdup(path);
	return 0;
}

int outfile_commit(struct outfile *o, char *err, size_t errlen)
{
	int rc = 0;

	if (fflush(o->f) != 0 || ferror(o->f))
		rc = errno ? -errno : -EIO;
	if (o->f != stdout && fclose(o->f) != 0 && rc == 0)
		rc = -errno;
	o->f = NULL;
	if (rc == 0 && o->tmp) {
		if (rename(o->tmp, o->path) != 0) {
			rc = -errno;
		} else {
			free(o->tmp);
			o->tmp = NULL;
		}
	}
	if (rc < 0)
		snprintf(err, errlen, "cannot write %s%s%s: %s", o->path ? "'" : "",
			 o->path ? o->path : "standard output", o->path ? "'" : "", strerror(-rc));
	outfile_abort(o);
	return rc;
}

void outfile_abort(struct outfile *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}

void sb_shell_quote(struct strbuf *sb, const char *s)
{
	bool plain = *s != '\0', control = false;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		plain &= (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			 strchr("_@%+=:,./-", *p);
		control |= *p < 0x20 || *p == 0x7f;
	}
	if (plain) {
		sb_puts(sb, s);
		return;
	}
	if (!control) {
		sb_puts(sb, "'");
		for (const char *p = s; *p; p++)
			*p == '\'' ? sb_puts(sb, "'\\''") : sb_add(sb, p, 1);
		sb_puts(sb, "'");
		return;
	}
	/* Control characters (a newline in a python3 -c program): bash's $'...' keeps the line whole. */
	sb_puts(sb, "$'");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '\n': sb_puts(sb, "\\n"); break;
		case '\t': sb_puts(sb, "\\t"); break;
		case '\r': sb_puts(sb, "\\r"); break;
		case '\\': sb_puts(sb, "\\\\"); break;
		case '\'': sb_puts(sb, "\\'"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				sb_printf(sb, "\\x%02x", *p);
			else
				sb_add(sb, (const char *)p, 1);
		}
	}
	sb_puts(sb, "'");
}

int vdso_copy(void)
{
	unsigned long base = getauxval(AT_SYSINFO_EHDR), lo = 0, hi = 0;
	char *maps = NULL;
	int fd;

	if (!base || read_small_file("/proc/self/maps", &maps) < 0)
		return -1;
	for (char *line = maps; line && *line;) {
		char *end = strchr(line, '\n');
		unsigned long a, b;
		if (end)
			*end = '\0';
		if (sscanf(line, "%lx-%lx", &a, &b) == 2 && a == base && strstr(line, "[vdso]")) {
			lo = a;
			hi = b;
			break;
		}
		line = end ? end + 1 : NULL;
	}
	free(maps);
	if (!hi)
		return -1;
	fd = memfd_create("hwprof-vdso", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, (const void *)lo, hi - lo) != (ssize_t)(hi - lo)) {
		close(fd);
		return -1;
	}
	return fd;
}
