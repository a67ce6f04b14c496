/* The perf.data ("PERFILE2") format: constants, on-disk structs and the writer. */
#ifndef HWPROF_PERFDATA_H
#define HWPROF_PERFDATA_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
};

struct pd_writer {
	int fd;
	const struct pd_event *events;
	size_t nevents;
	uint8_t *buf;		/* records not yet written */
	size_t len, cap;
	uint64_t data_offset;
	uint64_t data_size;	/* bytes of records accepted so far */
	uint64_t attrs_offset;
	int err;		/* first write error (-errno), sticky */
};

/* Writes the header, ids and attrs of EVENTS to FD (positioned at 0) and
 * prepares for records. EVENTS must outlive the writer. Returns 0 or -errno. */
int pdw_create(struct pd_writer *w, int fd, const struct pd_event *events, size_t nevents);
/* Appends one record (buffered). Returns 0 or the sticky -errno. */
int pdw_write(struct pd_writer *w, const void *rec, size_t len);
/* Makes the file valid as it stands: flushes records and rewrites the header
 * with the current data size and no features. Returns 0 or -errno. */
int pdw_checkpoint(struct pd_writer *w);
/* Flushes, writes the feature sections after the data and the final header.
 * Returns 0 or -errno. The caller closes the fd. */
int pdw_finish(struct pd_writer *w, const struct pd_meta *meta);
void pdw_release(struct pd_writer *w);

#endif
