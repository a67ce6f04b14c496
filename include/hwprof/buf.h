/* Bounds-checked cursor over untrusted bytes: the only way file and ring data is read. */
#ifndef HWPROF_BUF_H
#define HWPROF_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	const uint8_t *p;
	size_t len;
	size_t off;
	bool bad;	/* a read went past the end; every later read fails too */
};

void buf_init(struct buf *b, const void *p, size_t len);
size_t buf_left(const struct buf *b);

/* Each returns 0 and advances, or -1 (and sets ->bad) without advancing
 * when fewer bytes are left than asked for; *out is then zero. */
int buf_u8(struct buf *b, uint8_t *out);
int buf_u16(struct buf *b, uint16_t *out);
int buf_u32(struct buf *b, uint32_t *out);
int buf_u64(struct buf *b, uint64_t *out);
int buf_copy(struct buf *b, void *dst, size_t n);
int buf_skip(struct buf *b, size_t n);
/* A borrowed pointer to the next N bytes (valid while the underlying memory is). */
int buf_ptr(struct buf *b, size_t n, const uint8_t **out);
/* A NUL-terminated string within the next N bytes (N is consumed). */
int buf_str(struct buf *b, size_t n, const char **out);

#endif
