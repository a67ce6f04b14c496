/* Runs a fuzz target once over each file named on the command line: the
 * normal test suite replays regressions and seeds this way, without libFuzzer. */
#include "hwprof/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		struct strbuf sb = { 0 };
		char chunk[65536];
		size_t n;

		if (!f) {
			perror(argv[i]);
			return 1;
		}
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			sb_add(&sb, chunk, n);
		fclose(f);
		LLVMFuzzerTestOneInput((const uint8_t *)(sb.buf ? sb.buf : ""), sb.len);
		sb_release(&sb);
	}
	/* stderr: a target may send stdout elsewhere. */
	fprintf(stderr, "replayed %d inputs\n", argc - 1);
	return 0;
}
