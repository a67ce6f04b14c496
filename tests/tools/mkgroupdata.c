/* Writes a perf.data as a PMU machine would record '{cycles,instructions,cache-misses}:S':
 * samples in functions of BINARY with chosen per-sample counter deltas, so that
 * per-function IPC and MPKI are known exactly. Usage: mkgroupdata BINARY OUT */
#include "hwprof/perfdata.h"
#include "hwprof/util.h"

#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Per function: samples, and the deltas each sample carries. */
static const struct {
	const char *sym;
	int samples;
	uint64_t cycles, instructions, misses;
} plan[] = {
	{ "sixty", 60, 1000, 2000, 10 },  /* IPC 2.00, MPKI 5.00 */
	{ "thirty", 30, 1000, 500, 25 },  /* IPC 0.50, MPKI 50.00 */
	{ "ten", 10, 1000, 1000, 0 },     /* IPC 1.00, MPKI 0.00 */
};

#define BASE 0x555555554000ull
#define PID 4242

static uint64_t sym_vaddr(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY);
	Elf *e;
	Elf_Scn *scn = NULL;
	uint64_t v = 0;

	elf_version(EV_CURRENT);
	if (fd < 0 || !(e = elf_begin(fd, ELF_C_READ, NULL)))
		die("cannot read '%s'", path);
	while ((scn = elf_nextscn(e, scn)) && !v) {
		GElf_Shdr sh;
		Elf_Data *d;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !(d = elf_getdata(scn, NULL)))
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;
			if (gelf_getsym(d, (int)i, &s) && !strcmp(elf_strptr(e, sh.sh_link, s.st_name), name))
				v = s.st_value;
		}
	}
	elf_end(e);
	close(fd);
	if (!v)
		die("no symbol '%s' in '%s'", name, path);
	return v;
}

static void put(struct strbuf *sb, const void *p, size_t n)
{
	sb_add(sb, p, n);
}

static void put64(struct strbuf *sb, uint64_t v)
{
	put(sb, &v, 8);
}

static void emit(struct pd_writer *w, struct strbuf *sb)
{
	((struct perf_event_header *)sb->buf)->size = (uint16_t)sb->len;
	if (pdw_write(w, sb->buf, sb->len) < 0)
		die("write failed");
	sb_reset(sb);
}

int main(int argc, char **argv)
{
	static const uint64_t ids[3][1] = { { 101 }, { 102 }, { 103 } };
	static const char *const names[3] = { "cycles", "instructions", "cache-misses" };
	static const uint64_t configs[3] = { PERF_COUNT_HW_CPU_CYCLES, PERF_COUNT_HW_INSTRUCTIONS,
					     PERF_COUNT_HW_CACHE_MISSES };
	struct pd_event ev[3];
	struct pd_writer w;
	struct strbuf sb = { 0 };
	uint64_t totals[3] = { 0 }, time = 1000;
	const char *cmd[] = { "perf", "record", "-e", "{cycles,instructions,cache-misses}:S" };
	struct pd_meta meta = { .hostname = "pmu-box", .osrelease = "0.0-synthetic", .arch = "x86_64",
				.cmdline = cmd, .cmdline_nr = 4 };
	int fd;

	if (argc != 3)
		die("usage: mkgroupdata BINARY OUT");
	memset(ev, 0, sizeof(ev));
	for (int i = 0; i < 3; i++) {
		ev[i].attr.type = PERF_TYPE_HARDWARE;
		ev[i].attr.config = configs[i];
		ev[i].attr.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
					 PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD | PERF_SAMPLE_READ;
		ev[i].attr.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_ID;
		ev[i].attr.sample_id_all = 1;
		ev[i].attr.sample_period = i == 0 ? 1000 : 0;
		ev[i].name = names[i];
		ev[i].ids = ids[i];
		ev[i].nids = 1;
		ev[i].leader = 0;
		ev[i].group_size = i == 0 ? 3 : 1;
	}
	ev[0].attr.mmap = ev[0].attr.comm = 1;
	fd = open(argv[2], O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || pdw_create(&w, fd, ev, 3) < 0)
		die("cannot create '%s'", argv[2]);

	/* COMM, then the binary mapped whole at BASE. */
	{
		struct perf_event_header h = { .type = PERF_RECORD_COMM };
		uint32_t p = PID;
		put(&sb, &h, sizeof(h));
		put(&sb, &p, 4);
		put(&sb, &p, 4);
		put(&sb, "split\0\0\0", 8);
		put(&sb, &p, 4); put(&sb, &p, 4); put64(&sb, time++); put64(&sb, 101);
		emit(&w, &sb);
	}
	{
		struct perf_event_header h = { .type = PERF_RECORD_MMAP2, .misc = PERF_RECORD_MISC_USER };
		uint32_t p = PID, zero32 = 0, prot = 5, flags = 2;
		size_t n = strlen(argv[1]) + 1;
		char pad[8] = { 0 };
		put(&sb, &h, sizeof(h));
		put(&sb, &p, 4);
		put(&sb, &p, 4);
		put64(&sb, BASE);
		put64(&sb, 1 << 20);
		put64(&sb, 0);
		put(&sb, &zero32, 4);
		put(&sb, &zero32, 4);
		put64(&sb, 0);
		put64(&sb, 0);
		put(&sb, &prot, 4);
		put(&sb, &flags, 4);
		put(&sb, argv[1], n);
		put(&sb, pad, (8 - n % 8) % 8);
		put(&sb, &p, 4); put(&sb, &p, 4); put64(&sb, time++); put64(&sb, 101);
		emit(&w, &sb);
	}
	for (size_t f = 0; f < ARRAY_SIZE(plan); f++) {
		uint64_t ip = BASE + sym_vaddr(argv[1], plan[f].sym) + 4;
		for (int s = 0; s < plan[f].samples; s++) {
			struct perf_event_header h = { .type = PERF_RECORD_SAMPLE, .misc = PERF_RECORD_MISC_USER };
			uint32_t p = PID;
			totals[0] += plan[f].cycles;
			totals[1] += plan[f].instructions;
			totals[2] += plan[f].misses;
			put(&sb, &h, sizeof(h));
			put64(&sb, 101);	/* identifier: the leader */
			put64(&sb, ip);
			put(&sb, &p, 4);
			put(&sb, &p, 4);
			put64(&sb, time++);
			put64(&sb, plan[f].cycles);
			put64(&sb, 3);		/* group read: nr, then value and id each */
			for (int i = 0; i < 3; i++) {
				put64(&sb, totals[i]);
				put64(&sb, ids[i][0]);
			}
			emit(&w, &sb);
		}
	}
	if (pdw_finish(&w, &meta) < 0)
		die("cannot finish '%s'", argv[2]);
	pdw_release(&w);
	sb_release(&sb);
	close(fd);
	return 0;
}
