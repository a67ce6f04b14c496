/* Fuzz target: any text as an event spec (-e). */
#include "hwprof/events.h"
#include "hwprof/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = xmalloc(size + 1);
	struct evlist el;
	char err[256];

	memcpy(spec, data, size);
	spec[size] = '\0';
	evlist_init(&el);
	evlist_parse(&el, spec, NULL, err, sizeof(err));
	evlist_release(&el);
	free(spec);
	return 0;
}
