/* perf.data reader, file and pipe mode: every size and offset is checked before use. */
#include "hwprof/perfdata.h"
#include "hwprof/buf.h"
#include "hwprof/events.h"
#include "hwprof/index.h"
#include "hwprof/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#define PD_MAGIC2_SWAPPED 0x50455246494c4532ULL
#define PD_PIPE_HEADER_SIZE 16
#define STREAM_CHUNK (1u << 20)

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -HWPROF_E_FORMAT;
}

static int read_exact_at(int fd, void *p, size_t n, uint64_t off)
{
	uint8_t *c = p;

	while (n) {
		ssize_t r = pread(fd, c, n, (off_t)off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			return -HWPROF_E_TRUNCATED;
		c += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

/* Reads a file section whose bounds were checked against the file size. */
static int read_section(struct pd_reader *r, const struct pd_section *s, uint8_t **out)
{
	int rc;

	*out = NULL;
	if (s->offset > r->file_size || s->size > r->file_size - s->offset)
		return -HWPROF_E_TRUNCATED;
	*out = xmalloc(s->size ? s->size : 1);
	rc = read_exact_at(r->fd, *out, s->size, s->offset);
	if (rc < 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

/* Copies an attr of LEN bytes from the file: longer ones keep the prefix
 * this build knows, shorter ones are zero-extended (the format allows both). */
static void load_attr(struct perf_event_attr *dst, const uint8_t *src, size_t len)
{
	memset(dst, 0, sizeof(*dst));
	memcpy(dst, src, len < sizeof(*dst) ? len : sizeof(*dst));
	dst->size = sizeof(*dst);
}

static struct pd_attr *add_attr(struct pd_reader *r)
{
	struct pd_attr *a;

	xgrow((void **)&r->attrs, &r->attrs_cap, r->nattrs + 1, sizeof(*r->attrs));
	a = &r->attrs[r->nattrs];
	memset(a, 0, sizeof(*a));
	a->leader = r->nattrs;
	a->group_size = 1;
	r->nattrs++;
	return a;
}

static bool id_eq(const void *ctx, uint32_t item, const void *key)
{
	return ((const struct pd_reader *)ctx)->idmap[item].id == *(const uint64_t *)key;
}

static uint64_t id_hash(const void *ctx, uint32_t item)
{
	return hash_u64(((const struct pd_reader *)ctx)->idmap[item].id);
}

long pdr_attr_index_of_id(const struct pd_reader *r, uint64_t id)
{
	long k = index_find(&r->id_index, hash_u64(id), id_eq, r, &id);
	return k < 0 ? -1 : (long)r->idmap[k].attr;
}

/* Makes the ids of attr I findable; an id already owned keeps its first owner. */
static void index_ids(struct pd_reader *r, size_t i)
{
	const struct pd_attr *a = &r->attrs[i];

	for (size_t k = 0; k < a->nids; k++) {
		uint64_t id = a->ids[k];
		if (pdr_attr_index_of_id(r, id) >= 0)
			continue;
		xgrow((void **)&r->idmap, &r->idmap_cap, r->nidmap + 1, sizeof(*r->idmap));
		r->idmap[r->nidmap] = (struct pd_id){ id, (uint32_t)i };
		index_insert(&r->id_index, hash_u64(id), (uint32_t)r->nidmap, id_hash, r);
		r->nidmap++;
	}
}

/* Where the ID sits in samples and in sample_id trailers (perf's id_pos and
 * is_pos); every attr of a file must agree for records to be attributable. */
static int compute_id_positions(struct pd_reader *r, size_t from, char *err, size_t errlen)
{
	/* Each attr is compared with the first only, so that attrs arriving one
	 * by one in a pipe cost linear time in all. */
	for (size_t i = from; i < r->nattrs; i++) {
		uint64_t t = r->attrs[i].attr.sample_type;
		int id_pos = -1, is_pos = -1;

		if (t & PERF_SAMPLE_IDENTIFIER) {
			id_pos = 0;
			is_pos = 0;
		} else if (t & PERF_SAMPLE_ID) {
			id_pos = !!(t & PERF_SAMPLE_IP) + !!(t & PERF_SAMPLE_TID) + !!(t & PERF_SAMPLE_TIME) +
				 !!(t & PERF_SAMPLE_ADDR);
			is_pos = !!(t & PERF_SAMPLE_STREAM_ID) + !!(t & PERF_SAMPLE_CPU);
		}
		if (i == 0) {
			r->id_pos = id_pos;
			r->is_pos = is_pos;
			r->sample_id_all = r->attrs[i].attr.sample_id_all;
		} else if (r->nattrs > 1 && (id_pos != r->id_pos || id_pos < 0)) {
			return fail(err, errlen, "events '%s' and '%s' lay out their sample ids differently",
				    r->attrs[0].name ? r->attrs[0].name : "?",
				    r->attrs[i].name ? r->attrs[i].name : "?");
		}
	}
	return 0;
}

static int parse_string(struct buf *b, char **out)
{
	uint32_t len;
	const uint8_t *p;

	*out = NULL;
	if (buf_u32(b, &len) < 0 || buf_ptr(b, len, &p) < 0)
		return -1;
	*out = xasprintf("%.*s", (int)strnlen((const char *)p, len), (const char *)p);
	return 0;
}

static void feat_event_desc(struct pd_reader *r, const uint8_t *p, size_t len)
{
	struct buf b;
	uint32_t nr, asz;

	buf_init(&b, p, len);
	if (buf_u32(&b, &nr) < 0 || buf_u32(&b, &asz) < 0 || asz < PERF_ATTR_SIZE_VER0)
		return;
	for (uint32_t i = 0; i < nr && !b.bad; i++) {
		uint32_t nids;
		char *name;
		uint64_t first_id = 0;

		if (buf_skip(&b, asz) < 0 || buf_u32(&b, &nids) < 0 || parse_string(&b, &name) < 0)
			return;
		if (nids && buf_u64(&b, &first_id) < 0) {
			free(name);
			return;
		}
		if (nids > 1 && buf_skip(&b, ((size_t)nids - 1) * 8) < 0) {
			free(name);
			return;
		}
		/* Match by id where there are ids, by position otherwise. */
		{
			long k = nids ? pdr_attr_index_of_id(r, first_id) : -1;
			if (k < 0 && i < r->nattrs && (!nids || !r->attrs[i].nids))
				k = (long)i;
			if (k >= 0) {
				free(r->attrs[k].name);
				r->attrs[k].name = name;
				name = NULL;
			}
		}
		free(name);
	}
}

static void feat_group_desc(struct pd_reader *r, const uint8_t *p, size_t len)
{
	struct buf b;
	uint32_t nr;

	buf_init(&b, p, len);
	if (buf_u32(&b, &nr) < 0)
		return;
	for (uint32_t i = 0; i < nr; i++) {
		char *name;
		uint32_t leader, members;

		if (parse_string(&b, &name) < 0 || buf_u32(&b, &leader) < 0 || buf_u32(&b, &members) < 0) {
			free(name);
			return;
		}
		free(name);
		if (leader >= r->nattrs || members > r->nattrs - leader)
			return;
		r->attrs[leader].group_size = members;
		for (uint32_t m = 0; m < members; m++)
			r->attrs[leader + m].leader = leader;
	}
}

static void add_build_id(struct pd_reader *r, const uint8_t *p, size_t len)
{
	struct buf b;
	struct perf_event_header h;
	int32_t pid;
	uint8_t id[24];
	const char *name;
	struct pd_build_id *e;

	buf_init(&b, p, len);
	if (buf_copy(&b, &h, sizeof(h)) < 0 || buf_u32(&b, (uint32_t *)&pid) < 0 ||
	    buf_copy(&b, id, sizeof(id)) < 0 || buf_str(&b, buf_left(&b), &name) < 0)
		return;
	xgrow((void **)&r->build_ids, &r->build_ids_cap, r->nbuild_ids + 1, sizeof(*r->build_ids));
	e = &r->build_ids[r->nbuild_ids++];
	memset(e, 0, sizeof(*e));
	e->pid = pid;
	e->misc = h.misc;
	e->size = (h.misc & PD_MISC_BUILD_ID_SIZE) && id[20] <= 20 ? id[20] : 20;
	memcpy(e->id, id, 20);
	e->filename = xstrdup(name);
}

static void feat_build_ids(struct pd_reader *r, const uint8_t *p, size_t len)
{
	struct buf b;

	buf_init(&b, p, len);
	while (buf_left(&b) >= sizeof(struct perf_event_header)) {
		struct perf_event_header h;
		const uint8_t *rec;

		memcpy(&h, b.p + b.off, sizeof(h));
		if (h.size < sizeof(h) || buf_ptr(&b, h.size, &rec) < 0)
			return;
		add_build_id(r, rec, h.size);
	}
}

static char *feat_string(const uint8_t *p, size_t len)
{
	struct buf b;
	char *s;

	buf_init(&b, p, len);
	return parse_string(&b, &s) < 0 ? NULL : s;
}

static void feat_cmdline(struct pd_reader *r, const uint8_t *p, size_t len)
{
	struct strbuf sb = { 0 };
	struct buf b;
	uint32_t nr;

	buf_init(&b, p, len);
	if (buf_u32(&b, &nr) < 0)
		return;
	for (uint32_t i = 0; i < nr; i++) {
		char *s;
		if (parse_string(&b, &s) < 0)
			break;
		if (i)
			sb_puts(&sb, " ");
		sb_shell_quote(&sb, s);
		free(s);
	}
	free(r->cmdline);
	r->cmdline = sb_detach(&sb);
}

/* One feature's payload, whether from the file's sections or a pipe record. */
static void load_feature(struct pd_reader *r, int bit, const uint8_t *p, size_t len)
{
	char **target = NULL;

	switch (bit) {
	case PD_FEAT_BUILD_ID: feat_build_ids(r, p, len); return;
	case PD_FEAT_HOSTNAME: target = &r->hostname; break;
	case PD_FEAT_OSRELEASE: target = &r->osrelease; break;
	case PD_FEAT_VERSION: target = &r->version; break;
	case PD_FEAT_ARCH: target = &r->arch; break;
	case PD_FEAT_CPUDESC: target = &r->cpudesc; break;
	case PD_FEAT_HWPROF: target = &r->hwprof_stats; break;
	case PD_FEAT_NRCPUS:
		if (len >= 8)
			memcpy(&r->nr_cpus_online, p + 4, 4);
		return;
	case PD_FEAT_CMDLINE: feat_cmdline(r, p, len); return;
	case PD_FEAT_EVENT_DESC: feat_event_desc(r, p, len); return;
	case PD_FEAT_GROUP_DESC: feat_group_desc(r, p, len); return;
	case PD_FEAT_TRACING_DATA:
		free(r->tracing_data);
		r->tracing_data = xmalloc(len ? len : 1);
		memcpy(r->tracing_data, p, len);
		r->tracing_len = len;
		return;
	default: return;
	}
	free(*target);
	*target = feat_string(p, len);
}

static int read_features(struct pd_reader *r, char *err, size_t errlen)
{
	uint64_t nr = 0;
	struct pd_section table_sec;
	uint8_t *table;
	int rc;

	for (int bit = 0; bit < PD_FEAT_MAX; bit++)
		nr += (r->h.features[bit / 64] >> (bit % 64)) & 1;
	if (!nr)
		return 0;
	table_sec.offset = r->h.data.offset + r->h.data.size;
	table_sec.size = nr * sizeof(struct pd_section);
	rc = read_section(r, &table_sec, &table);
	if (rc < 0)
		return fail(err, errlen, "the feature section table lies beyond the end of the file");
	for (int bit = 0, k = 0; bit < PD_FEAT_MAX; bit++) {
		struct pd_section s;
		uint8_t *payload;

		if (!((r->h.features[bit / 64] >> (bit % 64)) & 1))
			continue;
		memcpy(&s, table + (size_t)k++ * sizeof(s), sizeof(s));
		/* A damaged optional section costs its information, not the report. */
		if (read_section(r, &s, &payload) < 0)
			continue;
		load_feature(r, bit, payload, s.size);
		free(payload);
	}
	free(table);
	return 0;
}

static int read_file_header(struct pd_reader *r, char *err, size_t errlen)
{
	uint64_t entry, nattrs;
	uint8_t *attrs;
	int rc;

	if (r->h.size < sizeof(r->h) - sizeof(r->h.features))
		return fail(err, errlen, "header size %llu is too small", (unsigned long long)r->h.size);
	if (r->h.attr_size < PERF_ATTR_SIZE_VER0 + sizeof(struct pd_section) || r->h.attr_size > 4096)
		return fail(err, errlen, "attr size %llu is not one perf writes",
			    (unsigned long long)r->h.attr_size);
	entry = r->h.attr_size;
	if (r->h.attrs.size % entry)
		return fail(err, errlen, "attrs section is not a whole number of attrs");
	nattrs = r->h.attrs.size / entry;
	if (nattrs == 0)
		return fail(err, errlen, "the file describes no events");
	if (r->h.data.offset > r->file_size || r->h.data.size > r->file_size - r->h.data.offset)
		return fail(err, errlen, "data section (%llu bytes at %llu) lies beyond the end of the file "
			    "(%llu bytes): truncated?", (unsigned long long)r->h.data.size,
			    (unsigned long long)r->h.data.offset, (unsigned long long)r->file_size);
	rc = read_section(r, &r->h.attrs, &attrs);
	if (rc < 0)
		return fail(err, errlen, "attrs section lies beyond the end of the file");
	for (uint64_t i = 0; i < nattrs; i++) {
		struct pd_attr *a = add_attr(r);
		const uint8_t *e = attrs + i * entry;
		struct pd_section ids;
		uint8_t *idbuf;

		load_attr(&a->attr, e, entry - sizeof(ids));
		memcpy(&ids, e + entry - sizeof(ids), sizeof(ids));
		if (ids.size % 8 || read_section(r, &ids, &idbuf) < 0) {
			free(attrs);
			return fail(err, errlen, "ids of event %llu lie beyond the end of the file",
				    (unsigned long long)i);
		}
		a->ids = (uint64_t *)idbuf;
		a->nids = ids.size / 8;
		a->name = events_attr_name(&a->attr);
		index_ids(r, r->nattrs - 1);
	}
	free(attrs);
	rc = read_features(r, err, errlen);
	if (rc < 0)
		return rc;
	r->buf_file_off = r->h.data.offset;
	r->end = r->h.data.offset + r->h.data.size;
	return compute_id_positions(r, 0, err, errlen);
}

/*
 * A regular file is mapped rather than read: records are used where they lie,
 * with no copy into our buffers nor into the ordering queue. Without a mapping
 * (mmap refused) the file is read in chunks like a pipe.
 */
static void map_stream(struct pd_reader *r)
{
	uint64_t end = r->end < r->file_size ? r->end : r->file_size;
	void *m;

	if (!r->file_size || r->file_size > SIZE_MAX || r->buf_len || r->buf_file_off > end)
		return;
	m = mmap(NULL, (size_t)r->file_size, PROT_READ, MAP_PRIVATE, r->fd, 0);
	if (m == MAP_FAILED)
		return;
	madvise(m, (size_t)r->file_size, MADV_SEQUENTIAL);
	free(r->buf);
	r->map = m;
	r->map_len = (size_t)r->file_size;
	r->buf = m;
	r->buf_pos = (size_t)r->buf_file_off;
	r->buf_file_off = 0;
	r->buf_len = r->buf_cap = (size_t)end;
}

bool pdr_record_stays(const struct pd_reader *r, const void *rec)
{
	return r->map && (const uint8_t *)rec >= r->map && (const uint8_t *)rec < r->map + r->map_len;
}

/* Dropping pages costs a system call and refaults if wrong: only in big steps. */
#define DROP_STEP (16u << 20)

void pdr_done_before(struct pd_reader *r, const void *p)
{
	size_t upto;

	if (!r->map)
		return;
	upto = p && pdr_record_stays(r, p) ? (size_t)((const uint8_t *)p - r->map) : r->buf_pos;
	upto &= ~(size_t)(DROP_STEP - 1);
	if (upto > r->map_dropped) {
		/* Only the mapping goes: the pages stay in the page cache. */
		madvise(r->map + r->map_dropped, upto - r->map_dropped, MADV_DONTNEED);
		r->map_dropped = upto;
	}
}

int pdr_open(struct pd_reader *r, const char *path, char *err, size_t errlen)
{
	struct stat st;
	uint64_t magic_size[2];
	int rc;

	memset(r, 0, sizeof(*r));
	r->id_pos = r->is_pos = -1;
	r->path = xstrdup(path);
	if (!strcmp(path, "-")) {
		r->fd = STDIN_FILENO;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			int e = errno;
			const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
			bool usual = !strcmp(base, "hwprof.data") || !strcmp(base, "perf.data");
			snprintf(err, errlen, "cannot open '%s': %s%s", path, strerror(e),
				 e == ENOENT && usual ? " (make one with 'hwprof record -- CMD' first, or name "
							"a recording with -i FILE)" : "");
			return -e;
		}
	}
	if (fstat(r->fd, &st) < 0) {
		snprintf(err, errlen, "cannot stat '%s': %s", path, strerror(errno));
		return -errno;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "'%s' is a directory", path);
		return -EISDIR;
	}
	r->pipe = !S_ISREG(st.st_mode);
	r->file_size = r->pipe ? 0 : (uint64_t)st.st_size;
	/* Grown to STREAM_CHUNK on the first refill of a large file. */
	r->buf_cap = 64 * 1024;
	r->buf = xmalloc(r->buf_cap);

	/* The pipe header is the first 16 bytes of either kind. */
	if (r->pipe) {
		size_t got = 0;
		while (got < sizeof(magic_size)) {
			ssize_t n = read(r->fd, (uint8_t *)magic_size + got, sizeof(magic_size) - got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return fail(err, errlen, "'%s' is empty or shorter than a perf.data header", path);
			got += (size_t)n;
		}
	} else {
		if (r->file_size < sizeof(magic_size))
			return fail(err, errlen, "'%s' is empty or shorter than a perf.data header", path);
		rc = read_exact_at(r->fd, magic_size, sizeof(magic_size), 0);
		if (rc < 0)
			return fail(err, errlen, "cannot read '%s': %s", path, hwprof_strerror(rc));
	}
	if (magic_size[0] == PD_MAGIC2_SWAPPED)
		return fail(err, errlen, "'%s' was written on a machine of the other byte order, "
			    "which is not supported", path);
	if (magic_size[0] != PD_MAGIC2)
		return fail(err, errlen, "'%s' is not a perf.data file (no PERFILE2 magic)", path);

	if (magic_size[1] == PD_PIPE_HEADER_SIZE) {
		/* Pipe mode, from a pipe or saved to a file: records follow at once. */
		r->pipe = true;
		r->buf_file_off = PD_PIPE_HEADER_SIZE;
		r->end = r->file_size ? r->file_size : UINT64_MAX;
		map_stream(r);
		return 0;
	}
	if (r->pipe)
		return fail(err, errlen, "a file-mode perf.data cannot be read from a pipe");
	if (r->file_size < sizeof(r->h))
		return fail(err, errlen, "'%s' is truncated inside its header", path);
	rc = read_exact_at(r->fd, &r->h, sizeof(r->h), 0);
	if (rc < 0)
		return fail(err, errlen, "cannot read the header of '%s'", path);
	rc = read_file_header(r, err, errlen);
	if (rc < 0)
		return rc;
	map_stream(r);
	return 0;
}

/* Makes at least N bytes available at buf_pos; 0, 1 when the stream ends
 * first (with fewer bytes), or -errno. */
static int fill(struct pd_reader *r, size_t n)
{
	if (r->buf_len - r->buf_pos >= n)
		return 0;
	if (r->map)
		return 1; /* all of the stream is in buf already */
	/* Slide what is left to the front, then grow if one record needs it. */
	memmove(r->buf, r->buf + r->buf_pos, r->buf_len - r->buf_pos);
	r->buf_file_off += r->buf_pos;
	r->buf_len -= r->buf_pos;
	r->buf_pos = 0;
	if (n > r->buf_cap || (r->buf_cap < STREAM_CHUNK && r->buf_len == r->buf_cap))
		xgrow((void **)&r->buf, &r->buf_cap, n > STREAM_CHUNK ? n : STREAM_CHUNK, 1);
	while (r->buf_len < n) {
		uint64_t at = r->buf_file_off + r->buf_len;
		size_t want = r->buf_cap - r->buf_len;
		ssize_t got;

		if (!r->pipe || r->file_size) {
			if (at >= r->end)
				return 1;
			if (want > r->end - at)
				want = (size_t)(r->end - at);
			got = pread(r->fd, r->buf + r->buf_len, want, (off_t)at);
		} else {
			got = read(r->fd, r->buf + r->buf_len, want);
		}
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (got == 0)
			return 1;
		r->buf_len += (size_t)got;
	}
	return 0;
}

static int skip_bytes(struct pd_reader *r, uint64_t n)
{
	while (n) {
		size_t step;
		int rc = fill(r, 1);
		if (rc)
			return rc < 0 ? rc : -HWPROF_E_TRUNCATED;
		step = r->buf_len - r->buf_pos;
		if (step > n)
			step = (size_t)n;
		r->buf_pos += step;
		n -= step;
	}
	return 0;
}

static int pipe_attr(struct pd_reader *r, const struct perf_event_header *h, char *err, size_t errlen)
{
	const uint8_t *p = (const uint8_t *)(h + 1);
	size_t body = h->size - sizeof(*h);
	uint32_t asz;
	struct pd_attr *a;

	if (body < PERF_ATTR_SIZE_VER0)
		return fail(err, errlen, "attr record at offset %llu is too short",
			    (unsigned long long)(r->buf_file_off + r->buf_pos - h->size));
	memcpy(&asz, p + offsetof(struct perf_event_attr, size), 4);
	if (asz == 0)
		asz = PERF_ATTR_SIZE_VER0;
	if (asz > body || (body - asz) % 8)
		return fail(err, errlen, "attr record at offset %llu has a bad attr size %u",
			    (unsigned long long)(r->buf_file_off + r->buf_pos - h->size), asz);
	a = add_attr(r);
	load_attr(&a->attr, p, asz);
	a->nids = (body - asz) / 8;
	a->ids = xmalloc((a->nids ? a->nids : 1) * 8);
	memcpy(a->ids, p + asz, a->nids * 8);
	a->name = events_attr_name(&a->attr);
	index_ids(r, r->nattrs - 1);
	return compute_id_positions(r, r->nattrs - 1, err, errlen);
}

/* Appends the decompressed payload of a COMPRESSED record to r->zbuf. The
 * payloads of a file form one zstd stream, and a record may straddle two. */
static int decompress(struct pd_reader *r, const struct perf_event_header *h, char *err, size_t errlen)
{
	size_t skip = h->type == PD_RECORD_COMPRESSED2 ? 8 : 0;
	size_t payload = h->size - sizeof(*h) - skip;
	ZSTD_inBuffer in;

	if (h->size < sizeof(*h) + skip)
		return fail(err, errlen, "compressed record too short");
	if (skip) {
		/* COMPRESSED2 says how much of it is zstd data: the rest pads to 8 bytes. */
		uint64_t data_size;
		memcpy(&data_size, h + 1, 8);
		if (data_size > payload)
			return fail(err, errlen, "a compressed record says it holds %llu bytes in %zu: "
				    "the file is corrupt", (unsigned long long)data_size, payload);
		payload = (size_t)data_size;
	}
	if (!r->zstd) {
		r->zstd = ZSTD_createDStream();
		if (!r->zstd || ZSTD_isError(ZSTD_initDStream(r->zstd)))
			return fail(err, errlen, "cannot start zstd decompression");
	}
	/* Keep the unread tail (a partial record) at the front. */
	if (r->zlen > r->zpos)
		memmove(r->zbuf, r->zbuf + r->zpos, r->zlen - r->zpos);
	r->zlen -= r->zpos;
	r->zpos = 0;
	in.src = (const uint8_t *)(h + 1) + skip;
	in.size = payload;
	in.pos = 0;
	while (in.pos < in.size) {
		ZSTD_outBuffer outb;
		size_t ret;

		xgrow((void **)&r->zbuf, &r->zcap, r->zlen + 65536, 1);
		outb.dst = r->zbuf + r->zlen;
		outb.size = r->zcap - r->zlen;
		outb.pos = 0;
		ret = ZSTD_decompressStream(r->zstd, &outb, &in);
		if (ZSTD_isError(ret))
			return fail(err, errlen, "compressed data is corrupt: %s", ZSTD_getErrorName(ret));
		r->zlen += outb.pos;
		if (outb.pos == 0 && in.pos < in.size && outb.size > 0 && ret == 0)
			break;
	}
	r->compressed_records++;
	return 0;
}

/* Records are laid out at any byte offset in a stream; readers of their
 * fields may assume 8-byte alignment, so an unaligned one is copied. */
static const struct perf_event_header *aligned_record(struct pd_reader *r, const void *rec, size_t size)
{
	if (((uintptr_t)rec & 7) == 0)
		return rec;
	xgrow((void **)&r->aligned, &r->aligned_cap, size, 1);
	memcpy(r->aligned, rec, size);
	return (const struct perf_event_header *)(void *)r->aligned;
}

/* A whole record from the decompressed buffer, or NULL when none is complete. */
static const struct perf_event_header *next_decompressed(struct pd_reader *r, char *err, size_t errlen,
							 int *rc)
{
	struct perf_event_header h;

	*rc = 0;
	if (r->zlen - r->zpos < sizeof(h))
		return NULL;
	memcpy(&h, r->zbuf + r->zpos, sizeof(h));
	if (h.size < sizeof(h)) {
		*rc = fail(err, errlen, "a compressed record holds a record of size %u: the file is corrupt",
			   h.size);
		return NULL;
	}
	if (r->zlen - r->zpos < h.size)
		return NULL;
	r->zpos += h.size;
	return aligned_record(r, r->zbuf + r->zpos - h.size, h.size);
}

int pdr_next(struct pd_reader *r, const struct perf_event_header **out, char *err, size_t errlen)
{
	struct perf_event_header h;
	uint64_t off;
	int rc;

	*out = NULL;
	if (r->zstd) {
		const struct perf_event_header *z = next_decompressed(r, err, errlen, &rc);
		if (rc < 0)
			return rc;
		if (z) {
			*out = z;
			r->records++;
			return 1;
		}
	}
	rc = fill(r, sizeof(h));
	if (rc < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", r->path, strerror(-rc));
		return rc;
	}
	if (rc > 0) {
		if (r->buf_len - r->buf_pos == 0)
			return 0;
		return fail(err, errlen, "'%s' ends inside a record header: truncated", r->path);
	}
	off = r->buf_file_off + r->buf_pos;
	memcpy(&h, r->buf + r->buf_pos, sizeof(h));
	if (h.size < sizeof(h))
		return fail(err, errlen, "record at offset %llu has size %u, less than its own header: "
			    "the file is corrupt", (unsigned long long)off, h.size);
	rc = fill(r, h.size);
	if (rc < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", r->path, strerror(-rc));
		return rc;
	}
	if (rc > 0)
		return fail(err, errlen, "'%s' ends inside a record at offset %llu: truncated", r->path,
			    (unsigned long long)off);
	*out = aligned_record(r, r->buf + r->buf_pos, h.size);
	r->buf_pos += h.size;
	r->records++;

	switch (h.type) {
	case PD_RECORD_HEADER_ATTR:
		rc = pipe_attr(r, *out, err, errlen);
		if (rc < 0)
			return rc;
		break;
	case PD_RECORD_HEADER_BUILD_ID:
		add_build_id(r, (const uint8_t *)*out, h.size);
		break;
	case PD_RECORD_HEADER_FEATURE:
		if (h.size >= sizeof(h) + 8) {
			uint64_t bit;
			memcpy(&bit, *out + 1, 8);
			if (bit < PD_FEAT_MAX)
				load_feature(r, (int)bit, (const uint8_t *)(*out + 1) + 8,
					     h.size - sizeof(h) - 8);
		}
		break;
	case PD_RECORD_COMPRESSED:
	case PD_RECORD_COMPRESSED2:
		rc = decompress(r, *out, err, errlen);
		if (rc < 0)
			return rc;
		*out = NULL;
		return pdr_next(r, out, err, errlen);
	case PERF_RECORD_AUX:
	case PD_RECORD_AUXTRACE_INFO:
		r->aux_records++;
		break;
	case PD_RECORD_HEADER_TRACING_DATA:
	case PD_RECORD_AUXTRACE: {
		/* Their payload follows the record, outside its size. */
		uint64_t payload = 0;
		if (h.type == PD_RECORD_HEADER_TRACING_DATA && h.size >= sizeof(h) + 4) {
			uint32_t n;
			memcpy(&n, *out + 1, 4);
			payload = ((uint64_t)n + 7) & ~7ull;
		} else if (h.type == PD_RECORD_AUXTRACE && h.size >= sizeof(h) + 8) {
			memcpy(&payload, *out + 1, 8);
		}
		if (h.type == PD_RECORD_AUXTRACE)
			r->aux_records++;
		rc = skip_bytes(r, payload);
		if (rc < 0)
			return fail(err, errlen, "'%s' ends inside the payload of the record at offset %llu",
				    r->path, (unsigned long long)off);
		/* The skip may have moved the buffer: hand out a copy of the header only. */
		*out = NULL;
		return pdr_next(r, out, err, errlen);
	}
	default:
		break;
	}
	return 1;
}

const struct pd_attr *pdr_attr_of(const struct pd_reader *r, const struct perf_event_header *rec)
{
	uint64_t id;
	size_t size = rec->size;

	if (r->nattrs == 1)
		return &r->attrs[0];
	if (rec->type == PERF_RECORD_SAMPLE) {
		if (r->id_pos < 0 || size < sizeof(*rec) + ((size_t)r->id_pos + 1) * 8)
			return NULL;
		memcpy(&id, (const uint8_t *)(rec + 1) + r->id_pos * 8, 8);
	} else {
		if (!r->sample_id_all || r->is_pos < 0 || size < sizeof(*rec) + ((size_t)r->is_pos + 1) * 8)
			return NULL;
		memcpy(&id, (const uint8_t *)rec + size - ((size_t)r->is_pos + 1) * 8, 8);
	}
	{
		long k = pdr_attr_index_of_id(r, id);
		return k < 0 ? NULL : &r->attrs[k];
	}
}

void pdr_sample_format(const struct pd_attr *a, struct sample_format *out)
{
	memset(out, 0, sizeof(*out));
	out->sample_type = a->attr.sample_type;
	out->read_format = a->attr.read_format;
	out->regs_user_mask = a->attr.sample_regs_user;
	out->branch_hw_index = a->attr.branch_sample_type & PERF_SAMPLE_BRANCH_HW_INDEX;
}

void pdr_close(struct pd_reader *r)
{
	if (r->fd > STDIN_FILENO)
		close(r->fd);
	for (size_t i = 0; i < r->nattrs; i++) {
		free(r->attrs[i].ids);
		free(r->attrs[i].name);
	}
	for (size_t i = 0; i < r->nbuild_ids; i++)
		free((char *)r->build_ids[i].filename);
	free(r->build_ids);
	free(r->attrs);
	free(r->idmap);
	index_release(&r->id_index);
	if (r->map)
		munmap(r->map, r->map_len);
	else
		free(r->buf);
	free(r->zbuf);
	free(r->aligned);
	if (r->zstd)
		ZSTD_freeDStream(r->zstd);
	free(r->path);
	free(r->hostname);
	free(r->osrelease);
	free(r->arch);
	free(r->version);
	free(r->cpudesc);
	free(r->hwprof_stats);
	free(r->tracing_data);
	free(r->cmdline);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}
