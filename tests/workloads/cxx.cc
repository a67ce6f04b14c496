// A C++ hot spot inside a namespace, a class template and an overload: names only demangling makes readable.
#include <cstdlib>

namespace geometry {

template <typename T> struct Accumulator {
	volatile T total = 0;
	__attribute__((noinline)) void add_squares(unsigned long n)
	{
		for (unsigned long i = 0; i < n; i++)
			total = total + static_cast<T>(i * i);
	}
};

} // namespace geometry

int main(int argc, char **argv)
{
	geometry::Accumulator<long> acc;
	acc.add_squares(argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200000000ul);
	return 0;
}
