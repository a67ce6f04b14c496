/* Build-id lookup: ELF note sections through libelf, the kernel's through sysfs. */
#include "hwprof/buildid.h"
#include "hwprof/buf.h"
#include "hwprof/util.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID 3
#endif

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

int buildid_from_notes(const void *notes, size_t len, uint8_t id[BUILD_ID_MAX])
{
	struct buf b;

	buf_init(&b, notes, len);
	while (buf_left(&b) >= 12) {
		uint32_t namesz, descsz, type;
		const uint8_t *name, *desc;

		buf_u32(&b, &namesz);
		buf_u32(&b, &descsz);
		buf_u32(&b, &type);
		if (buf_ptr(&b, align4(namesz), &name) < 0 || buf_ptr(&b, align4(descsz), &desc) < 0)
			return -HWPROF_E_FORMAT;
		if (type == NT_GNU_BUILD_ID && namesz == 4 && !memcmp(name, "GNU", 4) && descsz > 0) {
			size_t n = descsz > BUILD_ID_MAX ? BUILD_ID_MAX : descsz;
			memcpy(id, desc, n);
			return (int)n;
		}
	}
	return -ENOENT;
}

int buildid_of_file(const char *path, uint8_t id[BUILD_ID_MAX])
{
	Elf *elf = NULL;
	Elf_Scn *scn = NULL;
	int fd, rc = -ENOENT;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -HWPROF_E_FORMAT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		rc = -HWPROF_E_FORMAT;
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_NOTE)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf)
			continue;
		rc = buildid_from_notes(data->d_buf, data->d_size, id);
		if (rc > 0)
			break;
	}
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return rc;
}

int buildid_of_kernel(uint8_t id[BUILD_ID_MAX])
{
	char *notes;
	int fd, rc;
	size_t len = 0, cap = 4096;
	ssize_t n;

	fd = open("/sys/kernel/notes", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* A binary file: read_small_file() would stop at nothing, but keep the length. */
	notes = xmalloc(cap);
	while ((n = read(fd, notes + len, cap - len)) > 0) {
		len += (size_t)n;
		if (len == cap)
			notes = xrealloc(notes, cap *= 2);
	}
	rc = n < 0 ? -errno : buildid_from_notes(notes, len, id);
	free(notes);
	close(fd);
	return rc;
}

void buildid_hex(const uint8_t *id, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hex[id[i] >> 4];
		out[2 * i + 1] = hex[id[i] & 15];
	}
	out[2 * len] = '\0';
}
