/* Spends nearly all its time inside a shared library: zlib's crc32. */
#include <stdlib.h>
#include <zlib.h>

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 400;
	size_t len = 1 << 20;
	unsigned char *buf = calloc(1, len);
	uLong crc = 0;

	if (!buf)
		return 1;
	for (int r = 0; r < rounds; r++)
		crc = crc32(crc, buf, (uInt)len);
	free(buf);
	return crc == 0xdeadbeef; /* keeps the loop */
}
