/* One descriptor per command; main.c dispatches over a flat table of them. */
#ifndef HWPROF_CMD_H
#define HWPROF_CMD_H

#include "hwprof/options.h"

/* The usage text is synopsis, description, the option table's help, epilogue. */
struct hwprof_cmd {
	const char *name;
	const char *summary;		/* one line for `hwprof help` */
	const char *synopsis;		/* "usage: hwprof CMD ..." lines */
	const char *description;	/* what it does, before the options */
	const struct opt_spec *options;	/* ends with an id of 0 */
	const char *epilogue;		/* after the options: exit status, EXAMPLES */
	int (*exec)(int argc, char **argv);
};

extern const struct hwprof_cmd cmd_stat;
extern const struct hwprof_cmd cmd_record;
extern const struct hwprof_cmd cmd_report;
extern const struct hwprof_cmd cmd_annotate;
extern const struct hwprof_cmd cmd_diff;
extern const struct hwprof_cmd cmd_list;

/* Exit statuses shared by every command (documented in hwprof(1)). */
enum {
	EXIT_OK = 0,
	EXIT_ERROR = 1,
	EXIT_USAGE = 2,
	EXIT_CANNOT_RUN = 127,
};

/* Prints "hwprof CMD: MSG" and the command's synopsis to stderr; returns EXIT_USAGE. */
int cmd_usage_error(const struct hwprof_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Starts parsing ARGV by CMD's option table (IN_ORDER: options end at the
 * first operand, the command to run). */
void cmd_options_begin(const struct hwprof_cmd *cmd, struct opt_parser *p, bool in_order);
/* The next option's id and value; OPT_END; or EXIT_USAGE's usage error
 * printed and OPT_ERROR returned. */
int cmd_next_option(const struct hwprof_cmd *cmd, struct opt_parser *p, int argc, char **argv, const char **value);

/* The recording commands read when -i is not given: hwprof.data, or
 * perf.data when only that one exists. */
const char *cmd_default_input(void);

/* Prints the full usage text to stdout; returns EXIT_OK. */
int cmd_print_usage(const struct hwprof_cmd *cmd);

#endif
