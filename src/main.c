/* hwprof entry point: the command table, --version and help. */
#include "hwprof/cmd.h"
#include "hwprof/util.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct hwprof_cmd *const cmds[] = {
	&cmd_stat,
	&cmd_record,
	&cmd_report,
	&cmd_annotate,
	&cmd_diff,
	&cmd_list,
};

static const struct hwprof_cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(cmds[i]->name, name))
			return cmds[i];
	return NULL;
}

static void print_overview(FILE *f)
{
	fputs("usage: hwprof [--version] [--help] COMMAND [ARGS]\n\ncommands:\n", f);
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		fprintf(f, "   %-10s %s\n", cmds[i]->name, cmds[i]->summary);
	fputs("\n'hwprof help COMMAND' shows a command's manual page.\n", f);
}

/* Shows PAGE with man(1), from the installed manual or the source tree.
 * Returns 0 when man showed it. */
static int show_man_page(const char *page)
{
	const char *dirs[] = { HWPROF_MANDIR "/man1", HWPROF_SRC_MANDIR };
	char path[4096];
	struct stat st;

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		pid_t pid;
		int status;

		snprintf(path, sizeof(path), "%s/%s.1", dirs[i], page);
		if (stat(path, &st) < 0)
			continue;
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			return -errno;
		if (pid == 0) {
			execlp("man", "man", "-l", path, (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0)
			return -errno;
		return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ENOENT;
	}
	return -ENOENT;
}

static int cmd_help(int argc, char **argv)
{
	const struct hwprof_cmd *cmd;
	char page[64];

	if (argc < 2) {
		if (show_man_page("hwprof") < 0)
			print_overview(stdout);
		return EXIT_OK;
	}
	cmd = find_cmd(argv[1]);
	if (!cmd) {
		fprintf(stderr, "hwprof help: unknown command '%s'\n", argv[1]);
		print_overview(stderr);
		return EXIT_USAGE;
	}
	snprintf(page, sizeof(page), "hwprof-%s", cmd->name);
	if (show_man_page(page) < 0)
		return cmd_print_usage(cmd);
	return EXIT_OK;
}

/* Input files are mapped (perf.data, ELF files through libelf): one that
 * shrinks under us faults on access. Say so instead of dying of SIGBUS.
 * The message is made before, as a handler may only write and exit. */
static char sigbus_msg[160];
static size_t sigbus_len;

static void on_sigbus(int sig)
{
	(void)sig;
	(void)!write(STDERR_FILENO, sigbus_msg, sigbus_len);
	_exit(1);
}

int main(int argc, char **argv)
{
	const struct hwprof_cmd *cmd;
	static char prog[64];

	if (argc < 2) {
		print_overview(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("hwprof %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_overview(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "help"))
		return cmd_help(argc - 1, argv + 1);
	cmd = find_cmd(argv[1]);
	if (!cmd) {
		fprintf(stderr, "hwprof: '%s' is not a hwprof command\n", argv[1]);
		print_overview(stderr);
		return EXIT_USAGE;
	}
	snprintf(prog, sizeof(prog), "hwprof %s", cmd->name);
	hwprof_set_prog(prog);
	snprintf(sigbus_msg, sizeof(sigbus_msg), "%s: an input file shrank while being read (SIGBUS)\n", prog);
	sigbus_len = strlen(sigbus_msg);
	signal(SIGBUS, on_sigbus);
	return cmd->exec(argc - 1, argv + 1);
}
