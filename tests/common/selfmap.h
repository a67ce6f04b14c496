/* For tests that need real code and real debug information: this very
 * program's file mappings, replayed as MMAP2 records into a session (or
 * written to a perf.data), and its functions' addresses as the ELF numbers
 * them. Header-only: shared by Check suites and fuzz targets. */
#ifndef HWPROF_TESTS_SELFMAP_H
#define HWPROF_TESTS_SELFMAP_H

#include "hwprof/session.h"
#include "hwprof/util.h"

#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct selfmap {
	char path[4096];		/* /proc/self/exe, resolved */
	uint64_t text_start, text_len;	/* the first executable mapping */
	uint64_t bias;			/* run-time address - ELF address */
	size_t n;
	struct { uint64_t start, len, pgoff; uint32_t prot; } maps[16];
};

static int selfmap_bias_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	*(uint64_t *)arg = info->dlpi_addr;
	return 1; /* the first object is the program */
}

/* Reads this program's mappings. Returns 0, or -1 when /proc is unreadable. */
static inline int selfmap_read(struct selfmap *m)
{
	FILE *f = fopen("/proc/self/maps", "r");
	ssize_t n = readlink("/proc/self/exe", m->path, sizeof(m->path) - 1);
	char line[512];

	m->path[n > 0 ? n : 0] = '\0';
	m->n = 0;
	m->text_start = m->text_len = 0;
	dl_iterate_phdr(selfmap_bias_cb, &m->bias);
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi, off;
		char perms[8], path[4096] = "";

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %4095s", &lo, &hi, perms, &off, path) < 5 ||
		    strcmp(path, m->path) != 0 || m->n == 16)
			continue;
		if (perms[2] == 'x' && !m->text_start) {
			m->text_start = lo;
			m->text_len = hi - lo;
		}
		m->maps[m->n].start = lo;
		m->maps[m->n].len = hi - lo;
		m->maps[m->n].pgoff = off;
		m->maps[m->n].prot = (perms[0] == 'r' ? 1 : 0) | (perms[1] == 'w' ? 2 : 0) | (perms[2] == 'x' ? 4 : 0);
		m->n++;
	}
	if (f)
		fclose(f);
	return m->n ? 0 : -1;
}

/* Mapping I of M as an MMAP2 record of PID in SB (no sample_id trailer). */
static inline void selfmap_record(const struct selfmap *m, size_t i, uint32_t pid, struct strbuf *sb)
{
	struct perf_event_header h = { .type = PERF_RECORD_MMAP2, .misc = PERF_RECORD_MISC_USER };
	uint32_t z = 0, flags = 2, prot = m->maps[i].prot;
	uint64_t zero = 0;
	size_t name = strlen(m->path) + 1, pad = (8 - name % 8) % 8;

	sb_reset(sb);
	sb_add(sb, (const char *)&h, sizeof(h));
	sb_add(sb, (const char *)&pid, 4);
	sb_add(sb, (const char *)&pid, 4);
	sb_add(sb, (const char *)&m->maps[i].start, 8);
	sb_add(sb, (const char *)&m->maps[i].len, 8);
	sb_add(sb, (const char *)&m->maps[i].pgoff, 8);
	sb_add(sb, (const char *)&z, 4);
	sb_add(sb, (const char *)&z, 4);
	sb_add(sb, (const char *)&zero, 8);
	sb_add(sb, (const char *)&zero, 8);
	sb_add(sb, (const char *)&prot, 4);
	sb_add(sb, (const char *)&flags, 4);
	sb_add(sb, m->path, name);
	sb_add(sb, "\0\0\0\0\0\0\0", pad);
	((struct perf_event_header *)sb->buf)->size = (uint16_t)sb->len;
}

/* Replays M's mappings into S for process PID. */
static inline void selfmap_session(const struct selfmap *m, struct session *s, uint32_t pid)
{
	struct strbuf sb = { 0 };

	for (size_t i = 0; i < m->n; i++) {
		selfmap_record(m, i, pid, &sb);
		session_process(s, (const struct perf_event_header *)sb.buf);
	}
	sb_release(&sb);
}

/* The ELF address of run-time address P of this program. */
static inline uint64_t selfmap_vaddr(const struct selfmap *m, const void *p)
{
	return (uint64_t)(uintptr_t)p - m->bias;
}

#endif
