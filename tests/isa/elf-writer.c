/* tests/isa/elf-writer: the minimal ELF64 writer. Touches only the file it is given. */
#include "elf-writer.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layout.h"

static uint64_t page_down(uint64_t a)
{
	return a & ~(PAGE - 1);
}

static uint64_t page_up(uint64_t a)
{
	return (a + PAGE - 1) & ~(PAGE - 1);
}

int elf_write(const char *path, const struct image *im)
{
	/* File: [0, PAGE) headers; [PAGE, ...) the code's pages; then the data's pages. The code
	 * segment maps the headers too, in the page below the code. */
	uint64_t code_page = page_down(im->code_addr), data_page = page_down(im->data_addr);
	uint64_t code_off = PAGE + (im->code_addr - code_page);
	uint64_t code_end = code_off + im->code_len;
	uint64_t data_seg_off = page_up(code_end);
	uint64_t data_off = data_seg_off + (im->data_addr - data_page);
	uint64_t size = data_off + im->data_len;
	uint8_t *buf = calloc(1, size);
	if (!buf)
		return -1;

	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_ident[EI_OSABI] = ELFOSABI_SYSV;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_AARCH64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = im->entry;
	eh->e_phoff = sizeof *eh;
	eh->e_ehsize = sizeof *eh;
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = 2;

	Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof *eh);
	ph[0] = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
			     .p_vaddr = code_page - PAGE, .p_paddr = code_page - PAGE,
			     .p_filesz = code_end, .p_memsz = code_end, .p_align = PAGE};
	ph[1] = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = data_seg_off,
			     .p_vaddr = data_page, .p_paddr = data_page,
			     .p_filesz = size - data_seg_off, .p_memsz = size - data_seg_off,
			     .p_align = PAGE};
	memcpy(buf + code_off, im->code, im->code_len);
	memcpy(buf + data_off, im->data, im->data_len);

	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0) {
		free(buf);
		return -1;
	}
	size_t done = 0;
	while (done < size) {
		ssize_t w = write(fd, buf + done, size - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	int saved = errno;
	free(buf);
	if (close(fd) < 0 || done < size) {
		unlink(path);
		errno = done < size ? saved : errno;
		return -1;
	}
	return 0;
}
