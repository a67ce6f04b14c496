/*
 * Hot functions that set up no frame, whose callers a frame-pointer chain
 * skips: gcc gives a leaf that needs no stack no frame even with
 * -fno-omit-frame-pointer, and libc's syscall wrappers have none.
 *   leafcall main N     main -> hot_leaf
 *   leafcall thread N   start_thread -> thread_main -> spin_leaf
 *   leafcall lib N      main -> lib_caller -> zlib's crc32 (a shared-library function)
 *   leafcall block N    threads blocked N times each: sleeper -> nanosleep,
 *                       reader -> read, locker -> pthread_mutex_lock (futex)
 *   leafcall exec N     forks and execs itself with "main N"
 *   leafcall vdso N     N calls of clock_gettime, which run in the vDSO
 *   leafcall jit N      hot_leaf's code copied to anonymous memory and run there,
 *                       as a JIT's code is: no file, no CFI (x86_64: hot_leaf has
 *                       no address that moving it would break)
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

__attribute__((noinline)) unsigned long hot_leaf(unsigned long n)
{
	unsigned long x = 0;
	for (unsigned long i = 0; i < n; i++) {
		x += i ^ (x >> 3);
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

__attribute__((noinline)) unsigned long spin_leaf(unsigned long n)
{
	unsigned long x = 1;
	for (unsigned long i = 0; i < n; i++) {
		x = x * 3 + i;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

static volatile unsigned long sink;

__attribute__((noinline)) void *thread_main(void *arg)
{
	sink += spin_leaf((unsigned long)arg);
	return NULL;
}

__attribute__((noinline)) unsigned long lib_caller(unsigned long n)
{
	static unsigned char buf[1 << 16];
	unsigned long c = 0;
	for (unsigned long i = 0; i < n; i++)
		c = crc32(c, buf, sizeof(buf));
	return c;
}

__attribute__((noinline)) void *sleeper(void *arg)
{
	struct timespec ts = { 0, 1000000 };
	for (long i = 0; i < (long)arg; i++)
		nanosleep(&ts, NULL);
	sink++;
	return NULL;
}

static int fds[2];

__attribute__((noinline)) void *reader(void *arg)
{
	char c;
	for (long i = 0; i < (long)arg; i++)
		if (read(fds[0], &c, 1) != 1)
			break;
	sink++;
	return NULL;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile long lock_rounds;

__attribute__((noinline)) void *locker(void *arg)
{
	/* Asleep while main takes the lock back, so that the next lock waits. */
	struct timespec ts = { 0, 100000 };
	for (long i = 0; i < (long)arg; i++) {
		pthread_mutex_lock(&lock);
		lock_rounds++;
		pthread_mutex_unlock(&lock);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "main";
	unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 10) : 400000000ul;
	pthread_t t, u, v;

	if (!strcmp(mode, "main")) {
		sink += hot_leaf(n);
	} else if (!strcmp(mode, "thread")) {
		pthread_create(&t, NULL, thread_main, (void *)n);
		pthread_join(t, NULL);
	} else if (!strcmp(mode, "lib")) {
		sink += lib_caller(n);
	} else if (!strcmp(mode, "block")) {
		struct timespec ts = { 0, 1000000 };
		if (pipe(fds) < 0)
			return 1;
		pthread_mutex_lock(&lock);
		pthread_create(&t, NULL, sleeper, (void *)n);
		pthread_create(&u, NULL, reader, (void *)n);
		pthread_create(&v, NULL, locker, (void *)n);
		for (unsigned long i = 0; i < n; i++) {
			/* The locker waits in the kernel while the lock is held here. */
			nanosleep(&ts, NULL);
			pthread_mutex_unlock(&lock);
			sched_yield();
			pthread_mutex_lock(&lock);
			if (write(fds[1], "x", 1) != 1)
				return 1;
		}
		pthread_mutex_unlock(&lock);
		pthread_join(t, NULL);
		pthread_join(u, NULL);
		pthread_join(v, NULL);
	} else if (!strcmp(mode, "vdso")) {
		struct timespec now;
		for (unsigned long i = 0; i < n; i++) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			sink += (unsigned long)now.tv_nsec;
		}
	} else if (!strcmp(mode, "jit")) {
		unsigned long (*fn)(unsigned long);
		void *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (code == MAP_FAILED)
			return 1;
		memcpy(code, (const void *)hot_leaf, 256);
		fn = (unsigned long (*)(unsigned long))code;
		sink += fn(n);
	} else if (!strcmp(mode, "exec")) {
		char *args[] = { argv[0], "main", argv[2], NULL };
		pid_t pid = fork();
		if (pid == 0) {
			execv(argv[0], args);
			_exit(127);
		}
		while (wait(NULL) > 0)
			;
	}
	return 0;
}
