/* A worker thread that runs about a tenth of the time and waits the rest,
 * in thirds: a sleep, a read of a pipe that a helper fills later, and a
 * futex the helper wakes later; each wait in its own function. It prints
 * what it measured itself (clock_gettime around each wait), to compare
 * with a profiler's account. Usage: waits [CYCLES [WAIT_MS]]  */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int wait_ms = 9;
static int req[2], data[2];
static atomic_int word;
static double spent[3];	/* seconds in wait_sleep, wait_pipe, wait_futex */
static volatile double sink;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

__attribute__((noinline)) static void compute(double seconds)
{
	double end = now() + seconds, x = 1;

	while (now() < end)
		for (int i = 0; i < 1000; i++)
			x = x * 1.0000001 + 1e-9;
	sink = x;
}

__attribute__((noinline)) static void wait_sleep(void)
{
	struct timespec t = { 0, wait_ms * 1000000L };
	double t0 = now();

	nanosleep(&t, NULL);
	spent[0] += now() - t0;
}

__attribute__((noinline)) static void wait_pipe(void)
{
	char c = 'p';
	double t0 = now();

	if (write(req[1], &c, 1) != 1 || read(data[0], &c, 1) != 1)
		exit(2);
	spent[1] += now() - t0;
}

__attribute__((noinline)) static void wait_futex(void)
{
	char c = 'f';
	double t0 = now();

	atomic_store(&word, 0);
	if (write(req[1], &c, 1) != 1)
		exit(2);
	while (atomic_load(&word) == 0)
		syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	spent[2] += now() - t0;
}

/* Answers each request after the wait time: a byte down the pipe, or a futex wake. */
static void *helper(void *arg)
{
	struct timespec t = { 0, wait_ms * 1000000L };
	char c;

	(void)arg;
	pthread_setname_np(pthread_self(), "helper");
	while (read(req[0], &c, 1) == 1) {
		nanosleep(&t, NULL);
		if (c == 'p') {
			if (write(data[1], &c, 1) != 1)
				exit(2);
		} else {
			atomic_store(&word, 1);
			syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
		}
	}
	return NULL;
}

static void *worker(void *arg)
{
	int cycles = *(int *)arg;
	double t0 = now(), cpu = 0;

	pthread_setname_np(pthread_self(), "worker");
	for (int i = 0; i < cycles; i++) {
		double c0 = now();
		compute(wait_ms / 1000.0 / 9);
		cpu += now() - c0;
		switch (i % 3) {
		case 0: wait_sleep(); break;
		case 1: wait_pipe(); break;
		default: wait_futex(); break;
		}
	}
	printf("worker: wall %.6f compute %.6f sleep %.6f pipe %.6f futex %.6f\n", now() - t0, cpu, spent[0],
	       spent[1], spent[2]);
	return NULL;
}

int main(int argc, char **argv)
{
	int cycles = argc > 1 ? atoi(argv[1]) : 90;
	pthread_t w, h;

	if (argc > 2)
		wait_ms = atoi(argv[2]);
	if (pipe(req) < 0 || pipe(data) < 0)
		return 2;
	pthread_create(&h, NULL, helper, NULL);
	pthread_create(&w, NULL, worker, &cycles);
	pthread_join(w, NULL);
	close(req[1]);
	pthread_join(h, NULL);
	return 0;
}
