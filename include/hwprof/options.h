/*
 * Command-line options as data: each command has one table of them, with
 * the help text beside each option, and getopt's arguments and the usage
 * text both come from it (so they cannot disagree). Also the one strict
 * parser of numbers, durations and sizes every option value goes through.
 */
#ifndef HWPROF_OPTIONS_H
#define HWPROF_OPTIONS_H

#include "hwprof/util.h"

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct opt_spec {
	int id;			/* what opt_next returns: the short letter, or a value >= 256 */
	char short_name;	/* 0: long only */
	const char *long_name;	/* NULL: short only */
	const char *arg;	/* the value's name in the help ("N", "FILE"); NULL: takes none */
	const char *help;	/* '\n' continues on the next line */
};

/* Tables end with an entry whose id is 0. */
#define OPT_MAX 48

struct opt_parser {
	const struct opt_spec *specs;
	struct option longopts[OPT_MAX + 1];
	char optstring[3 * OPT_MAX + 4];
};

enum { OPT_END = -1, OPT_ERROR = -2 };

/* Prepares a parse of SPECS; IN_ORDER stops at the first non-option (the
 * command of stat and record). Restarts getopt. */
void opt_parser_init(struct opt_parser *p, const struct opt_spec *specs, bool in_order);
/* The next option's id with its value in *VALUE (NULL for flags); OPT_END
 * when no options are left (optind is then the first operand); OPT_ERROR
 * with "unknown option '-x'" or "option '--top' needs a value" in ERR. */
int opt_next(struct opt_parser *p, int argc, char **argv, const char **value, char *err, size_t errlen);
/* Appends the table's help: "    -i, --input FILE       text", continuation
 * lines aligned under the text. */
void opt_format_help(struct strbuf *sb, const struct opt_spec *specs);

/*
 * Strict value parsers: the whole text must be the value (no sign, no
 * blanks, no trailing junk), within [MIN, MAX]. Return 0, or -1 leaving
 * *OUT untouched.
 */
int parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out);
int parse_real(const char *s, double min, double max, double *out);
/* "250ms", "10s", "2m", "1h", "500us", "100ns"; a bare number is seconds
 * and may have a fraction ("0.5"). Into nanoseconds, at least 1. */
int parse_duration(const char *s, uint64_t *ns);
/* "4096", "64K", "8M", "1G" (powers of 1024, optional B: "64KB", "64KiB"). */
int parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *bytes);

#endif
