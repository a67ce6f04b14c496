/* perf.data writer: header, attrs with ids, records, feature sections; valid after every checkpoint. */
#include "hwprof/perfdata.h"
#include "hwprof/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PDW_BUF_SIZE (256 * 1024)

/* Writes N bytes at OFF (at the file position when OFF < 0); *DONE says how
 * many made it when it fails. */
static int write_all_at_done(int fd, const void *p, size_t n, off_t off, size_t *done)
{
	const uint8_t *c = p;

	*done = 0;
	while (n) {
		ssize_t r = off < 0 ? write(fd, c, n) : pwrite(fd, c, n, off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			return -EIO;
		c += r;
		n -= (size_t)r;
		if (off >= 0)
			off += r;
		*done += (size_t)r;
	}
	return 0;
}

static int write_all_at(int fd, const void *p, size_t n, off_t off)
{
	size_t done;

	return write_all_at_done(fd, p, n, off, &done);
}

/* Writes at the file position, as a stream (a pipe) needs. */
static int write_all(int fd, const void *p, size_t n)
{
	size_t done;

	return write_all_at_done(fd, p, n, -1, &done);
}

/* Writes whole records at the end of what is written. When only part of
 * them reaches the disk (it is full), the records that did are counted. */
static int put_data(struct pd_writer *w, const void *p, size_t n)
{
	size_t done = 0, whole = 0;
	int rc;

	if (w->pipe) {
		rc = write_all(w->fd, p, n);
		done = rc == 0 ? n : 0;
	} else {
		rc = write_all_at_done(w->fd, p, n, (off_t)(w->data_offset + w->written), &done);
	}
	if (rc == 0) {
		w->written += n;
		return 0;
	}
	while (whole + sizeof(struct perf_event_header) <= done) {
		struct perf_event_header h;
		memcpy(&h, (const uint8_t *)p + whole, sizeof(h));
		if (h.size < sizeof(h) || whole + h.size > done)
			break;
		whole += h.size;
	}
	w->written += whole;
	return rc;
}

static int flush(struct pd_writer *w)
{
	int rc;

	if (w->err)
		return w->err;
	if (!w->len)
		return 0;
	rc = put_data(w, w->buf, w->len);
	w->len = 0;
	if (rc < 0)
		w->err = rc;
	return rc;
}

static void fill_header(const struct pd_writer *w, struct pd_header *h)
{
	memset(h, 0, sizeof(*h));
	h->magic = PD_MAGIC2;
	h->size = sizeof(*h);
	h->attr_size = PD_ATTR_SIZE + sizeof(struct pd_section);
	h->attrs.offset = w->attrs_offset;
	h->attrs.size = w->nevents * h->attr_size;
	h->data.offset = w->data_offset;
	h->data.size = w->data_size;
}

static void attr_bytes(const struct perf_event_attr *a, uint8_t out[PD_ATTR_SIZE])
{
	struct perf_event_attr copy = *a;

	memset(out, 0, PD_ATTR_SIZE);
	copy.size = PD_ATTR_SIZE;
	memcpy(out, &copy, sizeof(copy) < PD_ATTR_SIZE ? sizeof(copy) : PD_ATTR_SIZE);
}

int pdw_create(struct pd_writer *w, int fd, const struct pd_event *events, size_t nevents)
{
	struct strbuf sb = { 0 };
	uint64_t *id_offsets = xcalloc(nevents, sizeof(*id_offsets));
	struct pd_header h;
	uint64_t off = sizeof(struct pd_header);
	int rc;

	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->events = events;
	w->nevents = nevents;
	/* ids arrays first, then the attrs that point at them. */
	for (size_t i = 0; i < nevents; i++) {
		id_offsets[i] = off + sb.len;
		sb_add(&sb, (const char *)events[i].ids, events[i].nids * sizeof(uint64_t));
	}
	w->attrs_offset = off + sb.len;
	for (size_t i = 0; i < nevents; i++) {
		uint8_t a[PD_ATTR_SIZE];
		struct pd_section ids = { id_offsets[i], events[i].nids * sizeof(uint64_t) };

		attr_bytes(&events[i].attr, a);
		sb_add(&sb, (const char *)a, sizeof(a));
		sb_add(&sb, (const char *)&ids, sizeof(ids));
	}
	w->data_offset = off + sb.len;
	fill_header(w, &h);
	rc = write_all_at(fd, &h, sizeof(h), 0);
	if (rc == 0)
		rc = write_all_at(fd, sb.buf, sb.len, (off_t)off);
	if (rc == 0 && ftruncate(fd, (off_t)w->data_offset) < 0)
		rc = -errno;
	sb_release(&sb);
	free(id_offsets);
	w->cap = PDW_BUF_SIZE;
	w->buf = xmalloc(w->cap);
	w->err = rc;
	return rc;
}

int pdw_write(struct pd_writer *w, const void *rec, size_t len)
{
	if (w->err)
		return w->err;
	if (w->len + len > w->cap) {
		int rc = flush(w);
		if (rc)
			return rc;
		if (len > w->cap) {
			/* Larger than the buffer: straight to the file. */
			w->data_size += len;
			rc = put_data(w, rec, len);
			if (rc < 0)
				return w->err = rc;
			return 0;
		}
	}
	memcpy(w->buf + w->len, rec, len);
	w->len += len;
	w->data_size += len;
	return 0;
}

int pdw_checkpoint(struct pd_writer *w)
{
	struct pd_header h;
	int rc = flush(w);

	if (rc || w->pipe)
		return rc;
	fill_header(w, &h);
	rc = write_all_at(w->fd, &h, sizeof(h), 0);
	if (rc < 0)
		w->err = rc;
	return rc;
}

int pdw_salvage(struct pd_writer *w)
{
	struct pd_header h;
	int rc;

	w->len = 0;
	w->data_size = w->written;
	w->err = 0;
	if (w->pipe)
		return 0;
	/* A failed write may have put part of a buffer past the last whole record. */
	if (ftruncate(w->fd, (off_t)(w->data_offset + w->written)) < 0)
		return w->err = -errno;
	fill_header(w, &h);
	rc = write_all_at(w->fd, &h, sizeof(h), 0);
	if (rc < 0)
		w->err = rc;
	return rc;
}

/* perf_header_string: u32 length (NUL and padding included), then the bytes. */
static void put_string(struct strbuf *sb, const char *s)
{
	static const char zeros[PD_STRING_ALIGN];
	uint32_t n = (uint32_t)strlen(s) + 1;
	uint32_t len = (n + PD_STRING_ALIGN - 1) / PD_STRING_ALIGN * PD_STRING_ALIGN;

	sb_add(sb, (const char *)&len, 4);
	sb_add(sb, s, n);
	sb_add(sb, zeros, len - n);
}

static void put_u32(struct strbuf *sb, uint32_t v)
{
	sb_add(sb, (const char *)&v, 4);
}

static void put_u64(struct strbuf *sb, uint64_t v)
{
	sb_add(sb, (const char *)&v, 8);
}

static void feature_event_desc(const struct pd_writer *w, struct strbuf *sb)
{
	put_u32(sb, (uint32_t)w->nevents);
	put_u32(sb, PD_ATTR_SIZE);
	for (size_t i = 0; i < w->nevents; i++) {
		uint8_t a[PD_ATTR_SIZE];
		attr_bytes(&w->events[i].attr, a);
		sb_add(sb, (const char *)a, sizeof(a));
		put_u32(sb, (uint32_t)w->events[i].nids);
		put_string(sb, w->events[i].name);
		sb_add(sb, (const char *)w->events[i].ids, w->events[i].nids * 8);
	}
}

static bool has_groups(const struct pd_writer *w)
{
	for (size_t i = 0; i < w->nevents; i++)
		if (w->events[i].leader == i && w->events[i].group_size > 1)
			return true;
	return false;
}

static void feature_group_desc(const struct pd_writer *w, struct strbuf *sb)
{
	uint32_t nr = 0;

	for (size_t i = 0; i < w->nevents; i++)
		nr += w->events[i].leader == i && w->events[i].group_size > 1;
	put_u32(sb, nr);
	for (size_t i = 0; i < w->nevents; i++) {
		if (w->events[i].leader != i || w->events[i].group_size < 2)
			continue;
		put_string(sb, "");
		put_u32(sb, (uint32_t)i);
		put_u32(sb, (uint32_t)w->events[i].group_size);
	}
}

static void feature_build_ids(const struct pd_meta *m, struct strbuf *sb)
{
	static const char zeros[PD_STRING_ALIGN];

	for (size_t i = 0; i < m->nbuild_ids; i++) {
		const struct pd_build_id *b = &m->build_ids[i];
		size_t n = strlen(b->filename) + 1;
		size_t padded = (n + PD_STRING_ALIGN - 1) / PD_STRING_ALIGN * PD_STRING_ALIGN;
		struct perf_event_header h = {
			.type = PD_RECORD_HEADER_BUILD_ID,
			.misc = (uint16_t)(b->misc | PD_MISC_BUILD_ID_SIZE),
			.size = (uint16_t)(sizeof(h) + 4 + 24 + padded),
		};
		uint8_t id[24] = { 0 };

		memcpy(id, b->id, b->size);
		id[20] = b->size;
		sb_add(sb, (const char *)&h, sizeof(h));
		sb_add(sb, (const char *)&b->pid, 4);
		sb_add(sb, (const char *)id, sizeof(id));
		sb_add(sb, b->filename, n);
		sb_add(sb, zeros, padded - n);
	}
}

static void build_features(const struct pd_writer *w, const struct pd_meta *m, struct strbuf *feat,
			   bool *present);

/* A pipe-mode HEADER_FEATURE record: the feature's bit, then its section's bytes. */
static void feature_record(struct strbuf *out, int bit, const struct strbuf *body)
{
	struct perf_event_header h = { .type = PD_RECORD_HEADER_FEATURE };
	size_t size = sizeof(h) + 8 + body->len;

	/* Records are at most 64 KiB: a larger feature (build ids of a
	 * thousand files) is left out of a stream. */
	if (size > UINT16_MAX - 7)
		return;
	h.size = (uint16_t)((size + 7) & ~(size_t)7);
	sb_add(out, (const char *)&h, sizeof(h));
	put_u64(out, (uint64_t)bit);
	sb_add(out, body->buf, body->len);
	sb_add(out, "\0\0\0\0\0\0\0", h.size - size);
}

int pdw_create_pipe(struct pd_writer *w, int fd, const struct pd_event *events, size_t nevents,
		    const struct pd_meta *meta)
{
	struct strbuf sb = { 0 }, feat[PD_FEAT_MAX];
	bool present[PD_FEAT_MAX] = { false };
	uint64_t head[2] = { PD_MAGIC2, 16 };
	int rc;

	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->events = events;
	w->nevents = nevents;
	w->pipe = true;
	sb_add(&sb, (const char *)head, sizeof(head));
	for (size_t i = 0; i < nevents; i++) {
		uint8_t a[PD_ATTR_SIZE];
		struct perf_event_header h = {
			.type = PD_RECORD_HEADER_ATTR,
			.size = (uint16_t)(sizeof(h) + PD_ATTR_SIZE + events[i].nids * 8),
		};
		if (sizeof(h) + PD_ATTR_SIZE + events[i].nids * 8 > UINT16_MAX) {
			sb_release(&sb);
			return w->err = -E2BIG; /* more threads or CPUs than one record can name */
		}
		attr_bytes(&events[i].attr, a);
		sb_add(&sb, (const char *)&h, sizeof(h));
		sb_add(&sb, (const char *)a, sizeof(a));
		sb_add(&sb, (const char *)events[i].ids, events[i].nids * 8);
	}
	/* Features now, as perf does, so that a reader knows the host and the
	 * event names before the first sample; build ids come at the end. */
	build_features(w, meta, feat, present);
	for (int i = 0; i < PD_FEAT_MAX; i++) {
		if (present[i] && i != PD_FEAT_BUILD_ID)
			feature_record(&sb, i, &feat[i]);
		sb_release(&feat[i]);
	}
	rc = write_all(fd, sb.buf, sb.len);
	sb_release(&sb);
	w->cap = PDW_BUF_SIZE;
	w->buf = xmalloc(w->cap);
	w->err = rc;
	return rc;
}

/* Every feature section M and W describe, into FEAT (sb_init'ed) and PRESENT. */
static void build_features(const struct pd_writer *w, const struct pd_meta *m, struct strbuf *feat,
			   bool *present)
{
	for (int i = 0; i < PD_FEAT_MAX; i++)
		sb_init(&feat[i]);
#define STRING_FEATURE(bit, value)                       \
	if (value) {                                     \
		put_string(&feat[bit], value);           \
		present[bit] = true;                     \
	}
	if (m->tracing_len && !w->pipe) {
		sb_add(&feat[PD_FEAT_TRACING_DATA], m->tracing_data, m->tracing_len);
		present[PD_FEAT_TRACING_DATA] = true;
	}
	if (m->nbuild_ids) {
		feature_build_ids(m, &feat[PD_FEAT_BUILD_ID]);
		present[PD_FEAT_BUILD_ID] = true;
	}
	STRING_FEATURE(PD_FEAT_HOSTNAME, m->hostname)
	STRING_FEATURE(PD_FEAT_OSRELEASE, m->osrelease)
	STRING_FEATURE(PD_FEAT_VERSION, m->version)
	STRING_FEATURE(PD_FEAT_ARCH, m->arch)
	STRING_FEATURE(PD_FEAT_CPUDESC, m->cpudesc)
	/* perf warns of features it does not know in a stream: files only. */
	if (!w->pipe)
		STRING_FEATURE(PD_FEAT_HWPROF, m->hwprof_stats)
#undef STRING_FEATURE
	if (m->nr_cpus_online) {
		/* perf reads "available" first, then "online". */
		put_u32(&feat[PD_FEAT_NRCPUS], m->nr_cpus_avail);
		put_u32(&feat[PD_FEAT_NRCPUS], m->nr_cpus_online);
		present[PD_FEAT_NRCPUS] = true;
	}
	if (m->total_mem_kb) {
		put_u64(&feat[PD_FEAT_TOTAL_MEM], m->total_mem_kb);
		present[PD_FEAT_TOTAL_MEM] = true;
	}
	if (m->cmdline_nr) {
		put_u32(&feat[PD_FEAT_CMDLINE], (uint32_t)m->cmdline_nr);
		for (size_t i = 0; i < m->cmdline_nr; i++)
			put_string(&feat[PD_FEAT_CMDLINE], m->cmdline[i]);
		present[PD_FEAT_CMDLINE] = true;
	}
	feature_event_desc(w, &feat[PD_FEAT_EVENT_DESC]);
	present[PD_FEAT_EVENT_DESC] = true;
	if (has_groups(w)) {
		feature_group_desc(w, &feat[PD_FEAT_GROUP_DESC]);
		present[PD_FEAT_GROUP_DESC] = true;
	}
}

int pdw_finish(struct pd_writer *w, const struct pd_meta *m)
{
	struct strbuf feat[PD_FEAT_MAX];
	bool present[PD_FEAT_MAX] = { false };
	struct pd_header h;
	struct strbuf table = { 0 }, body = { 0 };
	uint64_t nr = 0, off;
	int rc = flush(w);

	if (rc)
		return rc;
	build_features(w, m, feat, present);
	if (w->pipe) {
		/* The rest went out at the start (pdw_create_pipe); build ids are
		 * known only now, and are HEADER_BUILD_ID records in a stream. */
		rc = put_data(w, feat[PD_FEAT_BUILD_ID].buf, feat[PD_FEAT_BUILD_ID].len);
		goto out;
	}
	/* The section table sits right after the data, the bodies after it. */
	for (int i = 0; i < PD_FEAT_MAX; i++)
		nr += present[i];
	off = w->data_offset + w->data_size + nr * sizeof(struct pd_section);
	fill_header(w, &h);
	for (int i = 0; i < PD_FEAT_MAX; i++) {
		struct pd_section s;

		if (!present[i])
			continue;
		h.features[i / 64] |= 1ull << (i % 64);
		s.offset = off + body.len;
		s.size = feat[i].len;
		sb_add(&table, (const char *)&s, sizeof(s));
		sb_add(&body, feat[i].buf, feat[i].len);
	}
	rc = write_all_at(w->fd, table.buf, table.len, (off_t)(w->data_offset + w->data_size));
	if (rc == 0 && body.len)
		rc = write_all_at(w->fd, body.buf, body.len, (off_t)off);
	/* The header goes last: until it is written the file reads as before. */
	if (rc == 0)
		rc = write_all_at(w->fd, &h, sizeof(h), 0);
out:
	for (int i = 0; i < PD_FEAT_MAX; i++)
		sb_release(&feat[i]);
	sb_release(&table);
	sb_release(&body);
	if (rc < 0)
		w->err = rc;
	return rc;
}

void pdw_release(struct pd_writer *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}
