/* Thin wrapper over libiberty's cplus_demangle for the two manglings profiles meet. */
#include "hwprof/demangle.h"

#include <libiberty/demangle.h>
#include <string.h>

char *demangle(const char *name)
{
	if (strncmp(name, "_Z", 2) != 0 && strncmp(name, "_R", 2) != 0)
		return NULL;
	/* AUTO picks Itanium C++ or Rust (legacy and v0) from the name itself. */
	return cplus_demangle(name, DMGL_PARAMS | DMGL_ANSI | DMGL_AUTO);
}
