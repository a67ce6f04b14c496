/* The perf.data ("PERFILE2") format: constants, on-disk structs and the writer. */
#ifndef HWPROF_PERFDATA_H
#define HWPROF_PERFDATA_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hwprof/index.h"
#include "hwprof/sample.h"

#define PD_MAGIC2 0x32454c4946524550ULL /* "PERFILE2" read as a little-endian u64 */
/* Attrs are written at PERF_ATTR_SIZE_VER7: perf 6.1 refuses larger ones. */
#define PD_ATTR_SIZE 128
#define PD_STRING_ALIGN 64

struct pd_section {
	uint64_t offset;
	uint64_t size;
};

struct pd_header {
	uint64_t magic;
	uint64_t size;		/* sizeof(struct pd_header) */
	uint64_t attr_size;	/* one attrs entry: attr + its ids section */
	struct pd_section attrs;
	struct pd_section data;
	struct pd_section event_types;
	uint64_t features[4];	/* 256-bit feature bitmap */
};

/* Feature bits (HEADER_* in perf). */
enum pd_feature {
	PD_FEAT_TRACING_DATA = 1,
	PD_FEAT_BUILD_ID = 2,
	PD_FEAT_HOSTNAME = 3,
	PD_FEAT_OSRELEASE = 4,
	PD_FEAT_VERSION = 5,
	PD_FEAT_ARCH = 6,
	PD_FEAT_NRCPUS = 7,
	PD_FEAT_CPUDESC = 8,
	PD_FEAT_CPUID = 9,
	PD_FEAT_TOTAL_MEM = 10,
	PD_FEAT_CMDLINE = 11,
	PD_FEAT_EVENT_DESC = 12,
	PD_FEAT_GROUP_DESC = 17,
	PD_FEAT_SAMPLE_TIME = 21,
	PD_FEAT_COMPRESSED = 27,
	/* hwprof's own: "key=value" lines about the recording (chains repaired,
	 * ...). perf reads only the features it knows, so the last bit is free. */
	PD_FEAT_HWPROF = 255,
	PD_FEAT_MAX = 256,
};

/* Record types perf adds to the kernel's (PERF_RECORD_USER_TYPE_START and up). */
enum {
	PD_RECORD_HEADER_ATTR = 64,
	PD_RECORD_HEADER_EVENT_TYPE = 65,
	PD_RECORD_HEADER_TRACING_DATA = 66,
	PD_RECORD_HEADER_BUILD_ID = 67,
	PD_RECORD_FINISHED_ROUND = 68,
	PD_RECORD_ID_INDEX = 69,
	PD_RECORD_AUXTRACE_INFO = 70,
	PD_RECORD_AUXTRACE = 71,
	PD_RECORD_AUXTRACE_ERROR = 72,
	PD_RECORD_THREAD_MAP = 73,
	PD_RECORD_CPU_MAP = 74,
	PD_RECORD_STAT_CONFIG = 75,
	PD_RECORD_STAT = 76,
	PD_RECORD_STAT_ROUND = 77,
	PD_RECORD_EVENT_UPDATE = 78,
	PD_RECORD_TIME_CONV = 79,
	PD_RECORD_HEADER_FEATURE = 80,
	PD_RECORD_COMPRESSED = 81,
	PD_RECORD_FINISHED_INIT = 82,
	PD_RECORD_COMPRESSED2 = 83,
};

/* misc bit of a build-id entry: byte 20 of build_id holds its length. */
#define PD_MISC_BUILD_ID_SIZE (1 << 15)

/* One event as the file describes it. */
struct pd_event {
	struct perf_event_attr attr;
	const char *name;
	const uint64_t *ids;
	size_t nids;
	size_t leader;		/* index of the group leader */
	size_t group_size;	/* on leaders: members, itself included */
};

struct pd_build_id {
	int32_t pid;		/* -1: the host (perf keys machines by this) */
	uint16_t misc;		/* PERF_RECORD_MISC_USER or _KERNEL */
	uint8_t id[20];
	uint8_t size;
	const char *filename;
};

/* What the feature sections say about the recording. */
struct pd_meta {
	const char *hostname, *osrelease, *arch, *version, *cpudesc;
	uint32_t nr_cpus_avail, nr_cpus_online;
	uint64_t total_mem_kb;
	const char *const *cmdline;
	size_t cmdline_nr;
	const struct pd_build_id *build_ids;
	size_t nbuild_ids;
	const char *hwprof_stats;	/* PD_FEAT_HWPROF, or NULL */
	const char *tracing_data;	/* PD_FEAT_TRACING_DATA (tracefs_tracing_data), or NULL */
	size_t tracing_len;
};

struct pd_writer {
	int fd;
	const struct pd_event *events;
	size_t nevents;
	uint8_t *buf;		/* records not yet written */
	size_t len, cap;
	uint64_t data_offset;
	uint64_t data_size;	/* bytes of records accepted so far */
	uint64_t written;	/* of those, bytes on disk, whole records only */
	uint64_t attrs_offset;
	bool pipe;		/* pipe mode: a stream, nothing is rewritten */
	int err;		/* first write error (-errno), sticky */
};

/* Writes the header, ids and attrs of EVENTS to FD (positioned at 0) and
 * prepares for records. EVENTS must outlive the writer. Returns 0 or -errno. */
int pdw_create(struct pd_writer *w, int fd, const struct pd_event *events, size_t nevents);
/* The same as a pipe-mode stream on FD (a pipe or a file): attrs and
 * META's features as records first; pdw_finish adds META's build ids. */
int pdw_create_pipe(struct pd_writer *w, int fd, const struct pd_event *events, size_t nevents,
		    const struct pd_meta *meta);
/* Appends one record (buffered). Returns 0 or the sticky -errno. */
int pdw_write(struct pd_writer *w, const void *rec, size_t len);
/* Makes the file valid as it stands: flushes records and rewrites the header
 * with the current data size and no features. Returns 0 or -errno. */
int pdw_checkpoint(struct pd_writer *w);
/* Flushes, writes the feature sections after the data and the final header.
 * Returns 0 or -errno. The caller closes the fd. */
int pdw_finish(struct pd_writer *w, const struct pd_meta *meta);
/* After a write error (disk full, file too large): cuts the file back to the
 * records wholly written, clears the error and makes the header say so, as
 * a checkpoint would. Returns 0 or -errno. */
int pdw_salvage(struct pd_writer *w);
void pdw_release(struct pd_writer *w);


/* ---- reader --------------------------------------------------------- */

struct pd_attr {
	struct perf_event_attr attr;	/* the file's bytes, zero-extended */
	uint64_t *ids;
	size_t nids;
	char *name;			/* from EVENT_DESC, or derived from type/config */
	size_t leader;			/* from GROUP_DESC; own index when alone */
	size_t group_size;
};

/* One sample id and the attr it belongs to. */
struct pd_id {
	uint64_t id;
	uint32_t attr;
};

struct pd_reader {
	int fd;
	bool pipe;
	char *path;
	uint64_t file_size;		/* 0 for pipes */
	struct pd_header h;
	struct pd_attr *attrs;
	size_t nattrs, attrs_cap;
	struct pd_id *idmap;		/* every attr's ids, first owner kept */
	size_t nidmap, idmap_cap;
	struct index id_index;		/* over idmap, by id */
	uint64_t aux_records;		/* AUX / AUXTRACE: hardware trace data, not decoded */
	/* features */
	char *hostname, *osrelease, *arch, *version, *cpudesc, *cmdline;
	char *hwprof_stats;		/* PD_FEAT_HWPROF: "key=value" lines */
	uint8_t *tracing_data;		/* PD_FEAT_TRACING_DATA, as stored (tracepoint formats) */
	size_t tracing_len;
	uint32_t nr_cpus_online;
	struct pd_build_id *build_ids;	/* filenames owned by the reader */
	size_t nbuild_ids, build_ids_cap;
	/* the record stream; for a regular file, buf is the whole file mapped */
	uint8_t *map;
	size_t map_len;
	size_t map_dropped;		/* bytes at the start of map given back to the kernel */
	uint8_t *buf;
	size_t buf_len, buf_cap, buf_pos;
	uint64_t buf_file_off;		/* file offset of buf[0] */
	uint64_t end;			/* file mode: end of the data section */
	bool eof;
	/* perf record -z: records decompressed from COMPRESSED records, served first */
	void *zstd;			/* ZSTD_DStream */
	uint8_t *zbuf;
	size_t zlen, zpos, zcap;
	uint64_t compressed_records;
	uint8_t *aligned;		/* copy of a record that sits unaligned in the stream */
	size_t aligned_cap;
	int id_pos;			/* u64 index of ID in a sample (after the header), -1 none */
	int is_pos;			/* u64 index of ID counted from a trailer's end, -1 none */
	bool sample_id_all;
	uint64_t records;
};

/* Opens PATH ("-" for standard input) and reads the header, attrs and
 * features. Returns 0, or a negative error with a one-line explanation in ERR. */
int pdr_open(struct pd_reader *r, const char *path, char *err, size_t errlen);
/* The next record: 1 and *REC (valid until the next call), 0 at the end, or
 * a negative error with ERR set. Pipe-mode attr and feature records are
 * consumed internally (they update r->attrs) and also returned. */
int pdr_next(struct pd_reader *r, const struct perf_event_header **rec, char *err, size_t errlen);
/* Whether REC (from pdr_next) stays valid and unchanged until pdr_close. */
bool pdr_record_stays(const struct pd_reader *r, const void *rec);
/* Records below P (or, for NULL, all returned so far) will not be looked at
 * again: a mapped file's pages holding them need not stay in memory. */
void pdr_done_before(struct pd_reader *r, const void *p);
/* The attr a record belongs to, or NULL when its id is unknown. */
const struct pd_attr *pdr_attr_of(const struct pd_reader *r, const struct perf_event_header *rec);
/* Index of the attr that ID belongs to, or -1. */
long pdr_attr_index_of_id(const struct pd_reader *r, uint64_t id);
/* The sample_format of an attr, for sample_parse(). */
void pdr_sample_format(const struct pd_attr *a, struct sample_format *out);
void pdr_close(struct pd_reader *r);

#endif
