/* Checked allocation, diagnostics, string buffers and error codes shared by every module. */
#ifndef HWPROF_UTIL_H
#define HWPROF_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Library errors beyond errno; returned negated, like -errno. */
enum {
	HWPROF_E_BASE = 4096,
	HWPROF_E_SYNTAX,	/* malformed event spec or option value */
	HWPROF_E_UNKNOWN_EVENT, /* event name no table or PMU knows */
	HWPROF_E_FORMAT,	/* a file is not in the expected format */
	HWPROF_E_TRUNCATED,	/* a file ends before a record it announces */
	HWPROF_E_NOPMU,		/* hardware event on a kernel without a PMU */
	HWPROF_E_MAX,
};

/* Message for 0, -errno or -HWPROF_E_*; the string is static. */
const char *hwprof_strerror(int rc);

/* Program name used as the prefix of every diagnostic, e.g. "hwprof stat". */
void hwprof_set_prog(const char *prog);
const char *hwprof_prog(void);

void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Notes are informational lines on stderr, prefixed "hwprof: note:"; -q silences them. */
void hwprof_set_quiet(bool on);
bool hwprof_quiet(void);
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only for allocation failure and other states the program cannot continue from. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows *p (holding *cap elements of size sz) to hold at least want elements. */
void xgrow(void **p, size_t *cap, size_t want, size_t sz);
/* P (FROM elements of size SZ) reallocated to TO elements, the new ones zeroed. */
void *xrealloc_zeroed(void *p, size_t from, size_t to, size_t sz);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable NUL-terminated string; zero-initialise or sb_init before use. */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};
void sb_init(struct strbuf *sb);
void sb_release(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
/* Appends S quoted as a shell would need it to be typed back: as is when it
 * is plain, in '...', or in bash's $'...' when it holds control characters. */
void sb_shell_quote(struct strbuf *sb, const char *s);
/* Returns the string (never NULL) and leaves sb empty; caller frees. */
char *sb_detach(struct strbuf *sb);

/* Reads a whole small file (sysfs, procfs) into a NUL-terminated buffer.
 * Returns 0 and *out (caller frees) or -errno. */
int read_small_file(const char *path, char **out);

/*
 * Where hwprof keeps what it can rebuild (kernel symbols, uncompressed debug
 * files): $HWPROF_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/hwprof,
 * else $HOME/.cache/hwprof. NULL when none applies; the caller frees it.
 */
char *hwprof_cache_dir(void);
/* mkdir -p DIR with mode 0700 for what it creates; 0 or -1. */
int mkdir_private(const char *dir);

/* A memfd holding a copy of this process's vDSO image (the running
 * kernel's), or -1. The caller closes it. */
int vdso_copy(void);

/* Parses the kernel's CPU list syntax ("0-3,8,10-11"). Returns the number of
 * CPUs and *cpus (caller frees), or a negative error. */
int parse_cpu_list(const char *s, int **cpus);
int online_cpus(int **cpus);

/*
 * An output written by path: into a new temporary file beside PATH (created
 * with O_EXCL), renamed over PATH only by outfile_commit, so that a failed or
 * interrupted run leaves the old file whole. Refused: a PATH that is a
 * symbolic link to a file, a directory, or a file of another user. A device
 * or fifo (/dev/null, a named pipe), or a link to one (/dev/stdout), is
 * written in place; NULL or "-" is stdout.
 */
struct outfile {
	FILE *f;
	char *path;		/* NULL for stdout */
	char *tmp;		/* NULL when written in place */
};
/* 0, or -errno with a one-line message naming PATH in ERR. */
int outfile_open(struct outfile *o, const char *path, char *err, size_t errlen);
/* Flushes, closes and renames into place. 0, or -errno with ERR set; the
 * temporary file is removed either way. */
int outfile_commit(struct outfile *o, char *err, size_t errlen);
/* Removes the temporary file; PATH is left as it was. */
void outfile_abort(struct outfile *o);


/* Levenshtein distance between A and B, for "did you mean" hints. */
size_t edit_distance(const char *a, const char *b);

/* FNV-1a of a NUL-terminated string, for hash tables keyed by names. */
uint64_t hash_string(const char *s);

/* Seconds as double from a monotonic clock. */
double now_seconds(void);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
