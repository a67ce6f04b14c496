/* Symbol, DSO and source-line lookup through libdwfl, cached per (DSO, address). */
#ifndef HWPROF_SYMBOLS_H
#define HWPROF_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dso;
struct symbols;

struct symbols_opts {
	const char *symfs;		/* root under which recorded paths are looked up */
	const char *debug_dir;		/* extra place for separate debug files */
	bool use_kallsyms;		/* the recording came from this kernel */
	bool running_kernel;		/* the same, for the vDSO: it is read from this process */
};

/* A resolved address. Strings are owned by the symbols object (valid until symbols_free). */
struct symres {
	const char *name;		/* function, or NULL when unknown */
	uint64_t offset;		/* address - function start */
	uint64_t file_vaddr;		/* the address as the ELF file numbers it */
	const char *srcfile;		/* with want_srcline; NULL when unknown */
	int line;
};

/* One level of the functions inlined at an address: its name (qualified and
 * demangled) and where in it the address is (for the innermost, the
 * address's own line; for each outer one, the call site of the one inside). */
struct syminline {
	const char *name;
	const char *file;		/* NULL when unknown */
	int line;
};

struct symbols *symbols_new(const struct symbols_opts *opts);
void symbols_free(struct symbols *s);

/* The DSO for a recorded path ("[kernel.kallsyms]" for the kernel). The
 * object lives until symbols_free(). */
struct dso *symbols_dso(struct symbols *s, const char *path);
/* Tells the DSO the build id the recording saw; a file on disk with another
 * id is then not used for symbols (it is not the binary that ran). */
void dso_set_recorded_build_id(struct dso *d, const uint8_t *id, size_t len);
const char *dso_name(const struct dso *d);
const char *dso_short_name(const struct dso *d);
bool dso_is_kernel(const struct dso *d);
/* Why symbols for this DSO are missing ("deleted since recording", "build id
 * differs", ...), or NULL when none were needed or all is well. */
const char *dso_problem(const struct dso *d);
/* True when the problem is that the file is not there at all. */
bool dso_missing(const struct dso *d);

/* Resolves ADDR in D, mapped at MAP_START from file offset MAP_PGOFF.
 * Kernel DSOs take absolute addresses. WANT is SYMRES_* bits. Returns 0 with
 * OUT filled (name may be NULL), or a negative error when the DSO cannot be read. */
enum {
	SYMRES_SRCLINE = 1,	/* fill srcfile and line */
};

int symbols_resolve(struct symbols *s, struct dso *d, uint64_t map_start, uint64_t map_pgoff,
		    uint64_t addr, unsigned want, struct symres *out);
/* The functions inlined at file address VADDR of D, innermost first, the
 * function that holds them last: 0 when nothing is inlined there (or no
 * debug information says so). *OUT lives as long as S. */
size_t symbols_inline_chain(struct symbols *s, struct dso *d, uint64_t vaddr, const struct syminline **out);

/* For the unwinder: D's file (under --symfs) and the load bias of a mapping
 * of it at MAP_START from file offset MAP_PGOFF. Returns 0 or a negative
 * error (file missing, changed since recording). *PATH lives as long as S. */
int symbols_dso_file(struct symbols *s, struct dso *d, uint64_t map_start, uint64_t map_pgoff,
		     const char **path, uint64_t *bias);
/* The libdwfl callbacks every Dwfl of this object uses (a const Dwfl_Callbacks *). */
const void *symbols_dwfl_callbacks(const struct symbols *s);

/* As symbols_resolve(), for an address already in the file's numbering. */
int symbols_resolve_vaddr(struct symbols *s, struct dso *d, uint64_t vaddr, unsigned want,
			  struct symres *out);
/* The function containing file address VADDR of D: its start, size and name.
 * Returns 0, or a negative error (no such function, kernel, unusable file). */
int symbols_function(struct symbols *s, struct dso *d, uint64_t vaddr, uint64_t *start, uint64_t *size,
		     const char **name);
/* Copies SIZE bytes of D's file image at file address VADDR (an allocated
 * section) into a new buffer *OUT (caller frees). Also gives the ELF
 * e_machine and class (ELFCLASS32/64). Returns 0 or a negative error. */
int symbols_read_code(struct symbols *s, struct dso *d, uint64_t vaddr, uint64_t size, uint8_t **out,
		      int *machine, int *elfclass);

/* The build id the recording saw for D: its length, or 0 when none was recorded. */
size_t dso_recorded_build_id(const struct dso *d, const uint8_t **id);

/* Every DSO met so far, for reporting problems. */
size_t symbols_ndsos(const struct symbols *s);
const struct dso *symbols_dso_at(const struct symbols *s, size_t i);

/* True once a kernel address found this machine's /proc/kallsyms unreadable. */
bool symbols_kallsyms_unreadable(const struct symbols *s);

#endif
