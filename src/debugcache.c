/*
 * libdw inflates every compressed DWARF section of a file as it opens it:
 * libc6-dbg's take ~40 ms, paid by each report that wants one source line or
 * inlined frame in libc. An uncompressed copy, made once and named by build
 * id under the cache directory, is mapped instead, as perf keeps its copies
 * of binaries in ~/.debug.
 */
#include "hwprof/debugcache.h"
#include "hwprof/buildid.h"
#include "hwprof/util.h"

#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Copies are made of files with SHF_COMPRESSED sections only: not of GNU
 * .zdebug ones (renamed when inflated) nor of files whose DWARF refers to a
 * dwz file by a path that could be relative to where they are. */
static bool worth_copying(Elf *elf)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	bool compressed = false;

	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return false;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;
		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(elf, shstrndx, sh.sh_name)))
			return false;
		if (!strncmp(name, ".zdebug", 7) || !strcmp(name, ".gnu_debugaltlink"))
			return false;
		compressed |= (sh.sh_flags & SHF_COMPRESSED) != 0;
	}
	return compressed;
}

static char *build_id_hex(Elf *elf)
{
	const void *id;
	ssize_t n = dwelf_elf_gnu_build_id(elf, &id);
	char *hex;

	if (n <= 0 || n > 64)
		return NULL;
	hex = xmalloc((size_t)n * 2 + 1);
	buildid_hex(id, (size_t)n, hex);
	return hex;
}

/* A copy is trusted when it is whole (every section inside the file), is
 * uncompressed and has the build id its name says. */
static bool copy_is_usable(int fd, const char *hex)
{
	struct stat st;
	Elf *elf;
	Elf_Scn *scn = NULL;
	char *id;
	bool ok;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	ok = elf && elf_kind(elf) == ELF_K_ELF;
	while (ok && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		ok = gelf_getshdr(scn, &sh) && !(sh.sh_flags & SHF_COMPRESSED) &&
		     (sh.sh_type == SHT_NOBITS ||
		      (sh.sh_offset <= (uint64_t)st.st_size && sh.sh_size <= (uint64_t)st.st_size - sh.sh_offset));
	}
	if (ok) {
		id = build_id_hex(elf);
		ok = id && !strcmp(id, hex);
		free(id);
	}
	elf_end(elf);
	return ok;
}

/* Writes IN with its sections inflated; libelf lays the file out anew. */
static int write_copy(Elf *in, const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	Elf *out;
	GElf_Ehdr eh;
	size_t phnum, shnum;
	Elf_Scn *scn = NULL;
	int rc = -1;

	if (fd < 0)
		return -1;
	out = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!out || !gelf_getehdr(in, &eh) || !gelf_newehdr(out, gelf_getclass(in)) ||
	    elf_getphdrnum(in, &phnum) != 0 || elf_getshdrnum(in, &shnum) != 0 || shnum >= SHN_LORESERVE)
		goto out;
	if (phnum) {
		if (!gelf_newphdr(out, phnum))
			goto out;
		for (size_t i = 0; i < phnum; i++) {
			GElf_Phdr ph;
			if (!gelf_getphdr(in, (int)i, &ph) || !gelf_update_phdr(out, (int)i, &ph))
				goto out;
		}
	}
	while ((scn = elf_nextscn(in, scn))) {
		GElf_Shdr sh;
		Elf_Scn *copy;
		Elf_Data *d = NULL;

		if (!gelf_getshdr(scn, &sh))
			goto out;
		if (sh.sh_flags & SHF_COMPRESSED) {
			if (elf_compress(scn, 0, 0) < 0 || !gelf_getshdr(scn, &sh))
				goto out;
		}
		if (!(copy = elf_newscn(out)))
			goto out;
		while ((d = elf_getdata(scn, d))) {
			Elf_Data *nd = elf_newdata(copy);
			if (!nd)
				goto out;
			nd->d_buf = d->d_buf;
			nd->d_type = d->d_type;
			nd->d_size = d->d_size;
			nd->d_align = d->d_align;
			nd->d_version = d->d_version;
		}
		if (!gelf_update_shdr(copy, &sh))
			goto out;
	}
	if (gelf_update_ehdr(out, &eh) && elf_update(out, ELF_C_WRITE) >= 0)
		rc = 0;
out:
	elf_end(out);
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

static char *copy_name(const char *dir, const char *hex)
{
	return xasprintf("%s/debug/%s.debug", dir, hex);
}

int debugcache_find(const uint8_t *build_id, size_t len, char **copy_path)
{
	char *dir = hwprof_cache_dir(), *hex, *name;
	int fd;

	*copy_path = NULL;
	if (!dir || len == 0 || len > 64) {
		free(dir);
		return -1;
	}
	hex = xmalloc(len * 2 + 1);
	buildid_hex(build_id, len, hex);
	name = copy_name(dir, hex);
	fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && !copy_is_usable(fd, hex)) {
		close(fd);
		fd = -1;
	}
	if (fd >= 0)
		*copy_path = name;
	else
		free(name);
	free(hex);
	free(dir);
	return fd;
}

void debugcache_store(int fd)
{
	char *dir = hwprof_cache_dir(), *sub = NULL, *name = NULL, *hex = NULL, *tmp;
	Elf *elf = NULL;

	if (!dir)
		return;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !worth_copying(elf) || !(hex = build_id_hex(elf)))
		goto done;
	sub = xasprintf("%s/debug", dir);
	name = copy_name(dir, hex);
	if (mkdir_private(sub) == 0) {
		tmp = xasprintf("%s.%ld.tmp", name, (long)getpid());
		if (write_copy(elf, tmp) != 0 || rename(tmp, name) != 0)
			unlink(tmp);
		free(tmp);
	}
done:
	elf_end(elf);
	free(hex);
	free(name);
	free(sub);
	free(dir);
}
