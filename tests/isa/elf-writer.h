/* tests/isa/elf-writer: writing a test program as a static AArch64 ELF executable: one read+execute
 * PT_LOAD segment (the ELF and program headers, then the code) and one read+write PT_LOAD
 * segment (the data). No sections, no symbols, no dynamic linking. */
#ifndef ISA_ELF_WRITER_H
#define ISA_ELF_WRITER_H

#include <stddef.h>

#include "prog.h"

/* 0, or -1 with errno set (and the file removed). */
int elf_write(const char *path, const struct image *im);

#endif
