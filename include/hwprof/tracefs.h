/*
 * Kernel tracepoints through tracefs: where it is mounted, each event's id,
 * and the layout of its RAW sample data from its "format" file. hwprof never
 * mounts tracefs: when it is missing, the error says how.
 */
#ifndef HWPROF_TRACEFS_H
#define HWPROF_TRACEFS_H

#include "hwprof/util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The tracefs root with an events directory, or NULL with the reason (and
 * the command that mounts it) in WHY. ROOT overrides the search (tests). */
const char *tracefs_dir(const char *root, char *why, size_t whylen);
/* The id of tracepoint SUBSYS:NAME. Returns 0, or -1 with a one-line reason in ERR. */
int tracefs_event_id(const char *dir, const char *subsys, const char *name, uint64_t *id, char *err, size_t errlen);
/* Every "subsys:name" whose parts match the globs, sorted, in *OUT (free
 * each and the array). Returns their number. */
size_t tracefs_events(const char *dir, const char *subsys_glob, const char *name_glob, char ***out);

/* perf.data's HEADER_TRACING_DATA for the tracepoints EVENTS ("subsys:name"):
 * the format files perf needs to read their samples (its version 0.6
 * layout). Returns 0, or -1 when a file cannot be read. */
int tracefs_tracing_data(const char *dir, const char *const *events, size_t n, struct strbuf *out);

struct tp_field {
	char *name;
	unsigned offset, size;
	bool is_signed;
	bool is_string;		/* char name[N]: text up to N bytes */
	bool is_dynamic;	/* __data_loc: a u32 holding the text's offset (low 16) and length */
};

struct tp_format {
	struct tp_field *fields;	/* common_* fields left out */
	size_t n;
};

/* Parses the text of a format file. Returns 0, or -1 when it has no field. */
int tp_format_parse(const char *text, struct tp_format *out);
/* Reads DIR/events/SUBSYS/NAME/format. Returns 0 or -1. */
int tp_format_read(const char *dir, const char *subsys, const char *name, struct tp_format *out);
void tp_format_release(struct tp_format *f);
/* The format of tracepoint ID from a HEADER_TRACING_DATA blob (perf's or
 * hwprof's), and its "subsys:name"... into *OUT. Returns 0, or -1 when the
 * blob has no such event or does not parse. */
int tp_format_from_tracing_data(const uint8_t *data, size_t len, uint64_t id, struct tp_format *out);
/* The field named NAME, or NULL. */
const struct tp_field *tp_format_field(const struct tp_format *f, const char *name);
/* Appends field F of RAW (LEN bytes) as text: a number or a string; "?"
 * when the data is shorter than the field. */
void tp_field_format(struct strbuf *sb, const struct tp_field *f, const uint8_t *raw, size_t len);

#endif
