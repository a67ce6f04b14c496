/*
 * Inlined code at several levels: work::Mixer::hot_inline inlined into
 * outer_a (twice the work) and outer_b, both inlined into main; and two
 * lambdas, each its own loop, inlined into main too. Only debug information
 * knows any of these functions.
 */
#include <cstdlib>

static volatile unsigned long sink;

namespace work {
struct Mixer {
	static inline __attribute__((always_inline)) unsigned long hot_inline(unsigned long n)
	{
		unsigned long x = 0;
		for (unsigned long i = 0; i < n; i++) {
			x += i ^ (x >> 3);
			__asm__ volatile("" : "+r"(x));
		}
		return x;
	}
};
} // namespace work

static inline __attribute__((always_inline)) unsigned long outer_a(unsigned long n)
{
	return work::Mixer::hot_inline(2 * n) + 1;
}

static inline __attribute__((always_inline)) unsigned long outer_b(unsigned long n)
{
	return work::Mixer::hot_inline(n) + 2;
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000000ul;
	auto first = [](unsigned long m) __attribute__((always_inline)) {
		unsigned long x = 1;
		for (unsigned long i = 0; i < m; i++) {
			x = x * 5 + i;
			__asm__ volatile("" : "+r"(x));
		}
		return x;
	};
	auto second = [](unsigned long m) __attribute__((always_inline)) {
		unsigned long x = 3;
		for (unsigned long i = 0; i < m; i++) {
			x = (x ^ i) * 7;
			__asm__ volatile("" : "+r"(x));
		}
		return x;
	};
	sink = outer_a(n);
	sink = outer_b(n);
	sink = first(n);
	sink = second(n);
	return 0;
}
