/* Page faults taken by the first instruction of a function that follows
 * another in memory: a sample in the fault handler has that instruction as
 * its first user frame, which must not be looked up at ip - 1 (that would
 * be never_called, which nothing calls). Touches MB megabytes (default 3000),
 * a fresh mapping of 64 MB at a time. */
#include <stdlib.h>
#include <sys/mman.h>

#if defined(__x86_64__)
__asm__(".text\n"
	".globl never_called\n.type never_called,@function\nnever_called:\n\tud2\n"
	".size never_called, .-never_called\n"
	".globl touch_first\n.type touch_first,@function\ntouch_first:\n\tmovb $1, (%rdi)\n\tret\n"
	".size touch_first, .-touch_first\n");
#elif defined(__aarch64__)
__asm__(".text\n"
	".globl never_called\n.type never_called,%function\nnever_called:\n\tbrk #0\n"
	".size never_called, .-never_called\n"
	".globl touch_first\n.type touch_first,%function\ntouch_first:\n\tmov w1, #1\n\tstrb w1, [x0]\n\tret\n"
	".size touch_first, .-touch_first\n");
#else
#error "an x86_64 or aarch64 build"
#endif
void touch_first(char *p);

int main(int argc, char **argv)
{
	long mb = argc > 1 ? atol(argv[1]) : 3000;
	const size_t chunk = 64ul << 20;

	for (long done = 0; done < mb; done += 64) {
		char *p = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		for (size_t off = 0; off < chunk; off += 4096)
			touch_first(p + off);
		munmap(p, chunk);
	}
	return 0;
}
