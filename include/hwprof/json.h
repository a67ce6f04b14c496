/* The one JSON writer: every string escaped, commas and nesting kept by the writer. */
#ifndef HWPROF_JSON_H
#define HWPROF_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool has_items[JSON_MAX_DEPTH];	/* per open container: a comma goes before the next item */
	char closer[JSON_MAX_DEPTH];	/* per open container: '}' or ']' */
	bool broke[JSON_MAX_DEPTH];	/* per open container: its items went on lines of their own */
	bool after_key;
	bool pretty;			/* top-level members and their containers on lines of their own */
};

void json_init(struct json *j, FILE *f, bool pretty);
void json_object(struct json *j);
void json_array(struct json *j);
/* Closes the innermost object or array; at depth 0 ends the document with a newline. */
void json_end(struct json *j);
/* The key of the next member of the current object. */
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);	/* NULL writes null */
void json_number(struct json *j, double v);		/* not finite writes null */
void json_uint(struct json *j, uint64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

#endif
