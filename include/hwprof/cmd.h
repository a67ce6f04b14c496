/* One descriptor per command; main.c dispatches over a flat table of them. */
#ifndef HWPROF_CMD_H
#define HWPROF_CMD_H

struct hwprof_cmd {
	const char *name;
	const char *summary;	/* one line for `hwprof help` */
	const char *usage;	/* synopsis, option table and EXAMPLES */
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
/* The usage error for getopt's '?' return: a known option missing its value
 * (OPTSTRING says which take one) or an unknown option. Returns EXIT_USAGE. */
int cmd_option_error(const struct hwprof_cmd *cmd, const char *optstring, char **argv);

/* The recording commands read when -i is not given: hwprof.data, or
 * perf.data when only that one exists. */
const char *cmd_default_input(void);

/* Prints the full usage text to stdout; returns EXIT_OK. */
int cmd_print_usage(const struct hwprof_cmd *cmd);

#endif
