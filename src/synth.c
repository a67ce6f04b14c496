/* Synthesizes COMM/MMAP/MMAP2 records from /proc so samples in pre-existing code resolve. */
#include "hwprof/synth.h"
#include "hwprof/target.h"
#include "hwprof/util.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void synth_sample_id(struct strbuf *sb, const struct synth_ctx *c, uint32_t pid, uint32_t tid)
{
	uint64_t zero = 0;

	if (c->sample_type & PERF_SAMPLE_TID) {
		sb_add(sb, (const char *)&pid, 4);
		sb_add(sb, (const char *)&tid, 4);
	}
	if (c->sample_type & PERF_SAMPLE_TIME)
		sb_add(sb, (const char *)&zero, 8);
	if (c->sample_type & PERF_SAMPLE_ID)
		sb_add(sb, (const char *)&c->id, 8);
	if (c->sample_type & PERF_SAMPLE_STREAM_ID)
		sb_add(sb, (const char *)&zero, 8);
	if (c->sample_type & PERF_SAMPLE_CPU)
		sb_add(sb, (const char *)&zero, 8);
	if (c->sample_type & PERF_SAMPLE_IDENTIFIER)
		sb_add(sb, (const char *)&c->id, 8);
}

/* A NUL-terminated string padded with zeros to a multiple of 8 bytes. */
static void put_padded(struct strbuf *sb, const char *s)
{
	static const char zeros[8];
	size_t n = strlen(s) + 1;

	sb_add(sb, s, n);
	sb_add(sb, zeros, (8 - n % 8) % 8);
}

/* Emits the record in SB after patching its header size. */
static int emit(struct pd_writer *w, const struct synth_ctx *c, struct strbuf *sb)
{
	struct perf_event_header *h = (struct perf_event_header *)sb->buf;

	if (sb->len > UINT16_MAX)
		return -EOVERFLOW;
	h->size = (uint16_t)sb->len;
	if (c->seen)
		c->seen(c->seen_arg, h);
	return pdw_write(w, sb->buf, sb->len);
}

int synth_kernel_mmap(struct pd_writer *w, const struct synth_ctx *c)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	struct perf_event_header h = { .type = PERF_RECORD_MMAP, .misc = PERF_RECORD_MISC_KERNEL };
	struct strbuf sb = { 0 };
	char *line = NULL;
	size_t cap = 0;
	uint64_t text = 0;
	uint32_t pid = (uint32_t)-1, tid = 0;
	int rc;

	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		char type;
		unsigned long long addr;
		int at = 0;
		/* "ADDR TYPE NAME[\tMODULE]": only the name "_text" matters. */
		if (sscanf(line, "%llx %c %n", &addr, &type, &at) == 2 && at &&
		    !strncmp(line + at, "_text", 5) && (line[at + 5] == '\n' || line[at + 5] == '\t' || !line[at + 5])) {
			text = addr;
			break;
		}
	}
	free(line);
	fclose(f);
	if (!text)
		return -ENOENT;
	sb_add(&sb, (const char *)&h, sizeof(h));
	sb_add(&sb, (const char *)&pid, 4);
	sb_add(&sb, (const char *)&tid, 4);
	{
		uint64_t start = text, len = ~0ull - text, pgoff = text;
		sb_add(&sb, (const char *)&start, 8);
		sb_add(&sb, (const char *)&len, 8);
		sb_add(&sb, (const char *)&pgoff, 8);
	}
	put_padded(&sb, "[kernel.kallsyms]_text");
	synth_sample_id(&sb, c, pid, tid);
	rc = emit(w, c, &sb);
	sb_release(&sb);
	return rc;
}

static int synth_comm(struct pd_writer *w, const struct synth_ctx *c, pid_t pid, pid_t tid)
{
	struct perf_event_header h = { .type = PERF_RECORD_COMM };
	struct strbuf sb = { 0 };
	char path[64], *comm;
	uint32_t p = (uint32_t)pid, t = (uint32_t)tid;
	int rc;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid, (int)tid);
	rc = read_small_file(path, &comm);
	if (rc < 0)
		return rc == -ENOENT ? -ESRCH : rc;
	comm[strcspn(comm, "\n")] = '\0';
	sb_add(&sb, (const char *)&h, sizeof(h));
	sb_add(&sb, (const char *)&p, 4);
	sb_add(&sb, (const char *)&t, 4);
	put_padded(&sb, comm);
	synth_sample_id(&sb, c, p, t);
	rc = emit(w, c, &sb);
	sb_release(&sb);
	free(comm);
	return rc;
}

static int synth_maps(struct pd_writer *w, const struct synth_ctx *c, pid_t pid)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int rc = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	while (getline(&line, &cap, f) > 0) {
		unsigned long long start, end, pgoff, ino;
		unsigned maj, min;
		char perms[8];
		int name_at = 0;
		struct perf_event_header h = { .type = PERF_RECORD_MMAP2, .misc = PERF_RECORD_MISC_USER };
		struct strbuf sb = { 0 };
		uint32_t p = (uint32_t)pid, prot = 0, flags;
		uint64_t v;
		const char *name;

		if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %n", &start, &end, perms, &pgoff, &maj,
			   &min, &ino, &name_at) < 7 || perms[2] != 'x')
			continue;
		name = line + name_at;
		line[strcspn(line, "\n")] = '\0';
		if (!*name)
			name = "//anon";
		prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
		       PROT_EXEC;
		flags = perms[3] == 's' ? MAP_SHARED : MAP_PRIVATE;
		sb_add(&sb, (const char *)&h, sizeof(h));
		sb_add(&sb, (const char *)&p, 4);
		sb_add(&sb, (const char *)&p, 4);
		v = start;
		sb_add(&sb, (const char *)&v, 8);
		v = end - start;
		sb_add(&sb, (const char *)&v, 8);
		v = pgoff;
		sb_add(&sb, (const char *)&v, 8);
		sb_add(&sb, (const char *)&maj, 4);
		sb_add(&sb, (const char *)&min, 4);
		v = ino;
		sb_add(&sb, (const char *)&v, 8);
		v = 0; /* ino_generation */
		sb_add(&sb, (const char *)&v, 8);
		sb_add(&sb, (const char *)&prot, 4);
		sb_add(&sb, (const char *)&flags, 4);
		put_padded(&sb, name);
		synth_sample_id(&sb, c, p, p);
		rc = emit(w, c, &sb);
		sb_release(&sb);
		if (rc < 0)
			break;
	}
	free(line);
	fclose(f);
	return rc;
}

int synth_process(struct pd_writer *w, const struct synth_ctx *c, pid_t pid)
{
	pid_t *tids;
	int n = target_threads(pid, &tids), rc = 0;

	if (n < 0)
		return n;
	for (int i = 0; i < n && rc == 0; i++) {
		rc = synth_comm(w, c, pid, tids[i]);
		if (rc == -ESRCH) /* that thread exited meanwhile */
			rc = 0;
	}
	free(tids);
	if (rc == 0)
		rc = synth_maps(w, c, pid);
	return rc;
}

int synth_all_processes(struct pd_writer *w, const struct synth_ctx *c)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int rc = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d)) && rc == 0) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0)
			continue;
		rc = synth_process(w, c, (pid_t)pid);
		if (rc == -ESRCH || rc == -EACCES)
			rc = 0; /* gone, or a kernel thread without maps */
	}
	closedir(d);
	return rc;
}
