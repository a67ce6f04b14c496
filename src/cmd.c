/* What every command shares: usage errors and the default input. Not in the
 * library (libraries never print); linked into hwprof and the command fuzzer. */
#include "hwprof/cmd.h"
#include "hwprof/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cmd_print_usage(const struct hwprof_cmd *cmd)
{
	struct strbuf sb = { 0 };

	sb_printf(&sb, "%s\n%s\n", cmd->synopsis, cmd->description);
	opt_format_help(&sb, cmd->options);
	if (cmd->epilogue)
		sb_printf(&sb, "\n%s", cmd->epilogue);
	fputs(sb.buf, stdout);
	sb_release(&sb);
	return EXIT_OK;
}

int cmd_usage_error(const struct hwprof_cmd *cmd, const char *fmt, ...)
{
	const char *nl = strchr(cmd->synopsis, '\n');
	va_list ap;

	fprintf(stderr, "hwprof %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fprintf(stderr, "%.*s\n", nl ? (int)(nl - cmd->synopsis) : (int)strlen(cmd->synopsis), cmd->synopsis);
	fprintf(stderr, "Try 'hwprof %s -h' for more information.\n", cmd->name);
	return EXIT_USAGE;
}

void cmd_options_begin(const struct hwprof_cmd *cmd, struct opt_parser *p, bool in_order)
{
	opt_parser_init(p, cmd->options, in_order);
}

int cmd_next_option(const struct hwprof_cmd *cmd, struct opt_parser *p, int argc, char **argv, const char **value)
{
	char err[160];
	int id = opt_next(p, argc, argv, value, err, sizeof(err));

	if (id == OPT_ERROR)
		cmd_usage_error(cmd, "%s", err);
	return id;
}

const char *cmd_default_input(void)
{
	return access("hwprof.data", F_OK) == 0 || access("perf.data", F_OK) != 0 ? "hwprof.data"
										   : "perf.data";
}

