/* Picks the architecture tables: the host's for recording, the recording's for unwinding. */
#include "hwprof/arch.h"

#include <string.h>

const struct arch_info *arch_host(void)
{
#if defined(__aarch64__)
	return &arch_aarch64;
#else
	return &arch_x86_64;
#endif
}

const struct arch_info *arch_by_name(const char *name)
{
	if (!name)
		return NULL;
	if (!strcmp(name, "x86_64") || !strcmp(name, "amd64"))
		return &arch_x86_64;
	if (!strcmp(name, "aarch64") || !strcmp(name, "arm64"))
		return &arch_aarch64;
	return NULL;
}

int arch_reg_value(const uint64_t *regs, uint64_t mask, int reg, uint64_t *value)
{
	if (reg < 0 || reg > 63 || !(mask >> reg & 1))
		return -1;
	/* Sampled registers are stored in mask bit order. */
	*value = regs[__builtin_popcountll(mask & ((1ull << reg) - 1))];
	return 0;
}
