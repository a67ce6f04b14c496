/*
 * A program shaped like a real one for report benchmarks: THREADS threads (default 2)
 * run for MS milliseconds (default 1000) through a dozen kernels (sorting, hashing,
 * checksums, matrix product, string search, a tiny interpreter...) with helpers the
 * compiler inlines, so samples spread over hundreds of addresses and source lines.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N 4096

static double ms = 1000;
static volatile uint64_t sink;

struct state {
	uint32_t rng;
	uint32_t a[N], b[N];
	double m1[32][32], m2[32][32], m3[32][32];
	char text[N + 1];
	uint64_t table[1024];
};

static inline uint32_t next_random(struct state *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 17;
	s->rng ^= s->rng << 5;
	return s->rng;
}

static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

static inline void swap_u32(uint32_t *x, uint32_t *y)
{
	uint32_t t = *x;
	*x = *y;
	*y = t;
}

static void fill_random(struct state *s)
{
	for (int i = 0; i < N; i++)
		s->a[i] = next_random(s);
}

static void insertion_sort(uint32_t *v, int n)
{
	for (int i = 1; i < n; i++) {
		uint32_t key = v[i];
		int j = i - 1;
		while (j >= 0 && v[j] > key) {
			v[j + 1] = v[j];
			j--;
		}
		v[j + 1] = key;
	}
}

static void quick_sort(uint32_t *v, int lo, int hi)
{
	while (hi - lo > 16) {
		uint32_t pivot = v[(lo + hi) / 2];
		int i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j)
				swap_u32(&v[i++], &v[j--]);
		}
		if (j - lo < hi - i) {
			quick_sort(v, lo, j);
			lo = i;
		} else {
			quick_sort(v, i, hi);
			hi = j;
		}
	}
	insertion_sort(v + lo, hi - lo + 1);
}

static void merge_sort(uint32_t *v, uint32_t *tmp, int n)
{
	for (int width = 1; width < n; width *= 2) {
		for (int lo = 0; lo < n; lo += 2 * width) {
			int mid = lo + width < n ? lo + width : n;
			int hi = lo + 2 * width < n ? lo + 2 * width : n;
			int i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = v[i] <= v[j] ? v[i++] : v[j++];
			while (i < mid)
				tmp[k++] = v[i++];
			while (j < hi)
				tmp[k++] = v[j++];
		}
		memcpy(v, tmp, (size_t)n * sizeof(*v));
	}
}

static uint32_t crc32_bitwise(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

static uint32_t adler32(const uint8_t *p, size_t n)
{
	uint32_t a = 1, b = 0;
	for (size_t i = 0; i < n; i++) {
		a = (a + p[i]) % 65521;
		b = (b + a) % 65521;
	}
	return (b << 16) | a;
}

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t hash_table_work(struct state *s)
{
	uint64_t hits = 0;
	memset(s->table, 0, sizeof(s->table));
	for (int i = 0; i < N; i++) {
		uint64_t key = mix64(s->a[i] % 2048);
		size_t slot = key & 1023;
		for (int probe = 0; probe < 8; probe++) {
			size_t at = (slot + (size_t)probe) & 1023;
			if (s->table[at] == key) {
				hits++;
				break;
			}
			if (!s->table[at]) {
				s->table[at] = key;
				break;
			}
		}
	}
	return hits;
}

static void matrix_multiply(struct state *s)
{
	for (int i = 0; i < 32; i++)
		for (int j = 0; j < 32; j++) {
			double sum = 0;
			for (int k = 0; k < 32; k++)
				sum += s->m1[i][k] * s->m2[k][j];
			s->m3[i][j] = sum;
		}
}

static inline int is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static int count_matches(const char *text, const char *word)
{
	int count = 0;
	size_t wl = strlen(word);
	for (const char *p = text; *p; p++)
		if (*p == word[0] && !strncmp(p, word, wl))
			count++;
	return count;
}

static int vowel_runs(const char *text)
{
	int runs = 0, in = 0;
	for (const char *p = text; *p; p++) {
		int v = is_vowel(*p);
		runs += v && !in;
		in = v;
	}
	return runs;
}

/* A stack machine over a fixed program: branchy, table-driven code. */
static int64_t interpret(uint32_t seed)
{
	static const uint8_t program[] = { 1, 7, 1, 3, 2, 1, 5, 4, 3, 1, 9, 2, 6, 1, 2, 5, 0 };
	int64_t stack[16];
	int sp = 0;
	int64_t acc = seed;
	for (int round = 0; round < 64; round++)
		for (const uint8_t *pc = program; *pc; pc++) {
			switch (*pc) {
			case 1: stack[sp++ & 15] = acc + pc[1]; pc++; break;
			case 2: acc += stack[--sp & 15]; break;
			case 3: acc *= 3; break;
			case 4: acc ^= acc >> 5; break;
			case 5: acc -= stack[--sp & 15]; break;
			case 6: acc = (int64_t)mix64((uint64_t)acc); break;
			default: acc++; break;
			}
		}
	return acc;
}

static void make_text(struct state *s)
{
	static const char letters[] = "etaoinshrdlucmfwypvbgkjqxz     ";
	for (int i = 0; i < N; i++)
		s->text[i] = letters[next_random(s) % (sizeof(letters) - 1)];
	s->text[N] = '\0';
}

static double thread_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void *worker(void *arg)
{
	struct state *s = calloc(1, sizeof(*s));
	double end = thread_cpu() + ms;
	uint64_t acc = 0;

	s->rng = (uint32_t)(uintptr_t)arg * 2654435761u + 1;
	for (int i = 0; i < 32; i++)
		for (int j = 0; j < 32; j++) {
			s->m1[i][j] = (double)(i + j) / 7;
			s->m2[i][j] = (double)(i * j % 5);
		}
	while (thread_cpu() < end) {
		fill_random(s);
		memcpy(s->b, s->a, sizeof(s->a));
		quick_sort(s->a, 0, N - 1);
		merge_sort(s->b, s->a, N);
		acc += crc32_bitwise((const uint8_t *)s->b, 2048);
		acc += adler32((const uint8_t *)s->a, sizeof(s->a));
		acc += fnv1a((const uint8_t *)s->b, sizeof(s->b));
		acc += hash_table_work(s);
		matrix_multiply(s);
		make_text(s);
		acc += (uint64_t)count_matches(s->text, "the") + (uint64_t)vowel_runs(s->text);
		acc += (uint64_t)interpret(s->rng);
	}
	sink = acc;
	free(s);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2;
	pthread_t *t;

	if (argc > 2)
		ms = atof(argv[2]);
	if (n < 1)
		return 2;
	t = calloc((size_t)n, sizeof(*t));
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)(i + 1)))
			return 1;
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	free(t);
	return 0;
}
