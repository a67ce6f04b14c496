/* Bounds-checked reads: every field of a file or ring record goes through here. */
#include "hwprof/buf.h"

#include <string.h>

void buf_init(struct buf *b, const void *p, size_t len)
{
	b->p = p;
	b->len = len;
	b->off = 0;
	b->bad = false;
}

size_t buf_left(const struct buf *b)
{
	return b->bad ? 0 : b->len - b->off;
}

static int take(struct buf *b, size_t n, const uint8_t **out)
{
	if (b->bad || n > b->len - b->off) {
		b->bad = true;
		*out = NULL;
		return -1;
	}
	*out = b->p + b->off;
	b->off += n;
	return 0;
}

#define BUF_READER(name, type)                                  \
	int name(struct buf *b, type *out)                      \
	{                                                       \
		const uint8_t *p;                               \
		if (take(b, sizeof(type), &p) < 0) {            \
			*out = 0;                               \
			return -1;                              \
		}                                               \
		memcpy(out, p, sizeof(type));                   \
		return 0;                                       \
	}

BUF_READER(buf_u8, uint8_t)
BUF_READER(buf_u16, uint16_t)
BUF_READER(buf_u32, uint32_t)
BUF_READER(buf_u64, uint64_t)

int buf_copy(struct buf *b, void *dst, size_t n)
{
	const uint8_t *p;

	if (take(b, n, &p) < 0) {
		memset(dst, 0, n);
		return -1;
	}
	memcpy(dst, p, n);
	return 0;
}

int buf_skip(struct buf *b, size_t n)
{
	const uint8_t *p;
	return take(b, n, &p);
}

int buf_ptr(struct buf *b, size_t n, const uint8_t **out)
{
	return take(b, n, out);
}

int buf_str(struct buf *b, size_t n, const char **out)
{
	const uint8_t *p;

	*out = NULL;
	if (take(b, n, &p) < 0)
		return -1;
	if (n == 0 || !memchr(p, '\0', n)) {
		b->bad = true;
		return -1;
	}
	*out = (const char *)p;
	return 0;
}
