/* C++ and Rust symbol demangling (libiberty, the demangler binutils uses). */
#ifndef HWPROF_DEMANGLE_H
#define HWPROF_DEMANGLE_H

/* The readable form of a mangled C++ (_Z...) or Rust (_ZN...h<hash>E, _R...)
 * name, or NULL when NAME is not mangled. Caller frees. */
char *demangle(const char *name);

#endif
