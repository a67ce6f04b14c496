/* What every command shares: usage errors and the default input. Not in the
 * library (libraries never print); linked into hwprof and the command fuzzer. */
#include "hwprof/cmd.h"
#include "hwprof/util.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cmd_print_usage(const struct hwprof_cmd *cmd)
{
	fputs(cmd->usage, stdout);
	return EXIT_OK;
}

int cmd_usage_error(const struct hwprof_cmd *cmd, const char *fmt, ...)
{
	const char *nl = strchr(cmd->usage, '\n');
	va_list ap;

	fprintf(stderr, "hwprof %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fprintf(stderr, "%.*s\n", nl ? (int)(nl - cmd->usage) : (int)strlen(cmd->usage), cmd->usage);
	fprintf(stderr, "Try 'hwprof %s -h' for more information.\n", cmd->name);
	return EXIT_USAGE;
}

int cmd_option_error(const struct hwprof_cmd *cmd, const char *optstring, char **argv)
{
	const char *arg = argv[optind - 1];
	const char *at;

	/* getopt_long's '?': optopt is 0 for an unknown long option, the option's
	 * value for a known one that lacks its argument, the letter otherwise. */
	if (optopt == 0)
		return cmd_usage_error(cmd, "unknown option '%s'", arg);
	if (optopt > 255)
		return cmd_usage_error(cmd, "option '%s' needs a value", arg);
	at = strchr(optstring, optopt);
	if (at && at[1] == ':')
		return cmd_usage_error(cmd, "option '%s' needs a value", arg);
	return cmd_usage_error(cmd, "unknown option '%s'", arg);
}

const char *cmd_default_input(void)
{
	return access("hwprof.data", F_OK) == 0 || access("perf.data", F_OK) != 0 ? "hwprof.data"
										   : "perf.data";
}

