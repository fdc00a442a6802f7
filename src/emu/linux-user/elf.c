/* emu/linux-user/elf: loading an arm64 ELF program or its interpreter into guest memory, as
 * Linux's binfmt_elf does: PT_LOAD segments mapped from the file (ET_EXEC at their addresses,
 * ET_DYN at a chosen base), bss zeroed, PT_INTERP named. The file is hostile input: every
 * offset and size is checked against the file's size before use, program headers are bounded
 * (4 KiB, as Linux), and segments must fit the address space and come in ascending order.
 * Touches: guest memory (through mem.c's page table), the file. */
#include "emu/linux-user/lu.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PHDR_BYTES 4096
#define MAX_PHNUM (MAX_PHDR_BYTES / sizeof(Elf64_Phdr))
/* Where a position-independent program goes when the place is free (low in the host's
 * address space, far from the host's own mappings, which grow down from the top). */
#define PIE_BASE 0x2aaaaaaa0000ull
#define MAX_ALIGN (1ull << 30)

struct elf_info {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAX_PHNUM];
	uint64_t size; /* of the file */
};

/* Reads len bytes at off; the caller has checked off+len <= size. 0 or -errno. */
typedef int (*elf_read_fn)(void *ctx, void *buf, size_t len, uint64_t off);

static const char *machine_name(unsigned m)
{
	switch (m) {
	case EM_X86_64: return "x86-64";
	case EM_386: return "i386";
	case EM_ARM: return "32-bit arm";
	case EM_RISCV: return "riscv";
	case EM_PPC64: return "ppc64";
	case EM_S390: return "s390";
	case EM_MIPS: return "mips";
	case EM_LOONGARCH: return "loongarch";
	default: return NULL;
	}
}

static bool in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* The checks, shared by the loader and the fuzz target. name prefixes every message. */
static int elf_parse(const char *name, elf_read_fn rd, void *ctx, struct elf_info *e,
		     struct vireo_err *err)
{
	Elf64_Ehdr *eh = &e->eh;
	unsigned char ident[EI_NIDENT] = {0};
	if (e->size < SELFMAG || rd(ctx, ident, SELFMAG, 0) < 0 || memcmp(ident, ELFMAG, SELFMAG))
		return verr(err, ENOEXEC, "%s: not an ELF file", name);
	if (e->size < sizeof *eh)
		return verr(err, ENOEXEC, "%s: truncated ELF header (%llu bytes)", name,
			    (unsigned long long)e->size);
	if (rd(ctx, eh, sizeof *eh, 0) < 0)
		return verr(err, EIO, "%s: cannot read the ELF header", name);
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return verr(err, ENOEXEC, "%s: wrong architecture: %s ELF (need 64-bit aarch64)", name,
			    eh->e_ident[EI_CLASS] == ELFCLASS32 ? "32-bit" : "unknown-class");
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return verr(err, ENOEXEC, "%s: wrong architecture: big-endian ELF (need aarch64)", name);
	if (eh->e_ident[EI_VERSION] != EV_CURRENT)
		return verr(err, ENOEXEC, "%s: bad ELF version %u", name, eh->e_ident[EI_VERSION]);
	if (eh->e_machine != EM_AARCH64) {
		const char *mn = machine_name(eh->e_machine);
		if (mn)
			return verr(err, ENOEXEC, "%s: wrong architecture: %s (need aarch64)", name, mn);
		return verr(err, ENOEXEC, "%s: wrong architecture: ELF machine %u (need aarch64)", name,
			    eh->e_machine);
	}
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return verr(err, ENOEXEC, "%s: not an executable (ELF type %u)", name, eh->e_type);
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return verr(err, ENOEXEC, "%s: bad program header size %u (expected %zu)", name,
			    eh->e_phentsize, sizeof(Elf64_Phdr));
	if (eh->e_phnum == 0 || eh->e_phnum > MAX_PHNUM)
		return verr(err, ENOEXEC, "%s: bad program header count %u (1 to %zu)", name,
			    eh->e_phnum, MAX_PHNUM);
	uint64_t phbytes = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
	if (!in_file(eh->e_phoff, phbytes, e->size))
		return verr(err, ENOEXEC,
			    "%s: program headers outside the file (offset %llu, %llu bytes, file %llu bytes)",
			    name, (unsigned long long)eh->e_phoff, (unsigned long long)phbytes,
			    (unsigned long long)e->size);
	if (rd(ctx, e->ph, phbytes, eh->e_phoff) < 0)
		return verr(err, EIO, "%s: cannot read the program headers", name);

	int nload = 0, ninterp = 0;
	uint64_t prev_end = 0;
	bool entry_ok = false;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = &e->ph[i];
		if (p->p_type == PT_INTERP) {
			if (++ninterp > 1)
				return verr(err, ENOEXEC, "%s: more than one interpreter", name);
			if (p->p_filesz < 2 || p->p_filesz > PATH_MAX)
				return verr(err, ENOEXEC, "%s: bad interpreter path length %llu", name,
					    (unsigned long long)p->p_filesz);
			if (!in_file(p->p_offset, p->p_filesz, e->size))
				return verr(err, ENOEXEC, "%s: interpreter path outside the file", name);
			continue;
		}
		if (p->p_type != PT_LOAD)
			continue;
		nload++;
		if (p->p_filesz > p->p_memsz)
			return verr(err, ENOEXEC, "%s: segment %u: file size above memory size", name, i);
		if (p->p_filesz && !in_file(p->p_offset, p->p_filesz, e->size))
			return verr(err, ENOEXEC,
				    "%s: segment %u outside the file (offset %llu, %llu bytes, file %llu bytes)",
				    name, i, (unsigned long long)p->p_offset,
				    (unsigned long long)p->p_filesz, (unsigned long long)e->size);
		if (p->p_vaddr >= LU_VA_END || p->p_memsz > LU_VA_END - p->p_vaddr)
			return verr(err, ENOEXEC, "%s: segment %u: address 0x%llx+0x%llx out of range",
				    name, i, (unsigned long long)p->p_vaddr,
				    (unsigned long long)p->p_memsz);
		if (p->p_filesz && (p->p_vaddr & LU_PAGE_MASK) != (p->p_offset & LU_PAGE_MASK))
			return verr(err, ENOEXEC,
				    "%s: segment %u: address and file offset disagree modulo the page size",
				    name, i);
		if (p->p_memsz == 0)
			continue;
		/* Ascending order, no overlap (two segments may share a page). */
		if (p->p_vaddr < prev_end)
			return verr(err, ENOEXEC, "%s: segment %u overlaps the one before it", name, i);
		prev_end = p->p_vaddr + p->p_memsz;
		if (eh->e_entry >= p->p_vaddr && eh->e_entry - p->p_vaddr < p->p_memsz)
			entry_ok = true;
	}
	if (nload == 0 || prev_end == 0)
		return verr(err, ENOEXEC, "%s: no loadable segment", name);
	if (!entry_ok)
		return verr(err, ENOEXEC, "%s: entry point 0x%llx outside the loaded segments", name,
			    (unsigned long long)eh->e_entry);
	return 0;
}

struct buf_ctx {
	const unsigned char *data;
};

static int buf_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	struct buf_ctx *b = ctx;
	memcpy(buf, b->data + off, len);
	return 0;
}

int lu_elf_check(const void *data, size_t len, struct vireo_err *err)
{
	struct elf_info *e = calloc(1, sizeof *e);
	if (!e)
		return verr(err, ENOMEM, "out of memory");
	struct buf_ctx b = {data};
	e->size = len;
	int rc = elf_parse("input", buf_read, &b, e, err);
	free(e);
	return rc;
}

static int fd_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	int fd = *(int *)ctx;
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

static int seg_prot(uint32_t pf)
{
	return ((pf & PF_R) ? PT_R : 0) | ((pf & PF_W) ? PT_W : 0) | ((pf & PF_X) ? PT_X : 0);
}

/* Map one PT_LOAD segment at bias. Pages from prev_end's page are already mapped by the
 * segment before (they share a page): that page gets this segment's bytes by copy. ET_EXEC
 * maps with MAP_FIXED_NOREPLACE (the addresses must be free); ET_DYN over its reservation. */
static int map_segment(struct lu_proc *p, int fd, const Elf64_Phdr *ph, uint64_t bias,
		       uint64_t *mapped_end, bool fixed_ok, const char *name, struct vireo_err *err)
{
	uint64_t vaddr = ph->p_vaddr + bias, file_end = vaddr + ph->p_filesz;
	uint64_t mem_end = vaddr + ph->p_memsz;
	uint64_t start = LU_PAGE_DOWN(vaddr), end = LU_PAGE_UP(mem_end);
	int prot = seg_prot(ph->p_flags);
	int mflags = MAP_PRIVATE | (fixed_ok ? MAP_FIXED : MAP_FIXED_NOREPLACE);

	if (start < *mapped_end) {
		/* The first page is the previous segment's last: copy our bytes into it. */
		uint64_t page = start, pend = page + LU_PAGE;
		int old = lu_pt_get(&p->mem, page) & PT_PROT;
		if (mprotect((void *)(uintptr_t)page, LU_PAGE, PROT_READ | PROT_WRITE) < 0)
			return verr_sys(err, errno, "%s: cannot map segment at 0x%llx", name,
					(unsigned long long)vaddr);
		uint64_t fe = file_end < pend ? file_end : pend;
		if (fe > vaddr && fd_read(&fd, (void *)(uintptr_t)vaddr, fe - vaddr,
					  ph->p_offset) < 0)
			return verr(err, EIO, "%s: cannot read segment at 0x%llx", name,
				    (unsigned long long)vaddr);
		if (mem_end > fe)
			memset((void *)(uintptr_t)fe, 0, (mem_end < pend ? mem_end : pend) - fe);
		mprotect((void *)(uintptr_t)page, LU_PAGE, lu_host_prot(old | prot));
		lu_pt_set(&p->mem, page, LU_PAGE, (uint8_t)(PT_VALID | old | prot));
		start = pend;
		if (start >= end) {
			*mapped_end = pend > *mapped_end ? pend : *mapped_end;
			return 0;
		}
	}
	/* File-backed pages: [start, page_up(file_end)). */
	uint64_t fmap_end = LU_PAGE_UP(file_end);
	if (ph->p_filesz && file_end > start) {
		uint64_t off = ph->p_offset - (vaddr - LU_PAGE_DOWN(vaddr)) + (start - LU_PAGE_DOWN(vaddr));
		int hp = lu_host_prot(prot);
		bool zero_tail = mem_end > file_end && (file_end & LU_PAGE_MASK);
		if (zero_tail)
			hp |= PROT_READ | PROT_WRITE;
		void *r = mmap((void *)(uintptr_t)start, fmap_end - start, hp, mflags, fd, (off_t)off);
		if (r == MAP_FAILED || (uint64_t)(uintptr_t)r != start) {
			int e = r == MAP_FAILED ? errno : EEXIST;
			if (r != MAP_FAILED)
				munmap(r, fmap_end - start);
			if (e == EEXIST)
				return verr(err, EEXIST,
					    "%s: cannot map segment at 0x%llx: address in use", name,
					    (unsigned long long)start);
			return verr_sys(err, e, "%s: cannot map segment at 0x%llx", name,
					(unsigned long long)start);
		}
		if (zero_tail) {
			/* bss starts inside the last file page: zero to the page's end, as Linux. */
			memset((void *)(uintptr_t)file_end, 0, fmap_end - file_end);
			mprotect((void *)(uintptr_t)LU_PAGE_DOWN(file_end), LU_PAGE, lu_host_prot(prot));
		}
		if (lu_pt_set(&p->mem, start, fmap_end - start, (uint8_t)(PT_VALID | prot)) < 0)
			return verr(err, ENOMEM, "out of memory");
	} else {
		fmap_end = start;
	}
	/* Anonymous pages for the rest of bss. */
	if (end > fmap_end) {
		void *r = mmap((void *)(uintptr_t)fmap_end, end - fmap_end, lu_host_prot(prot),
			       mflags | MAP_ANONYMOUS, -1, 0);
		if (r == MAP_FAILED || (uint64_t)(uintptr_t)r != fmap_end) {
			if (r != MAP_FAILED)
				munmap(r, end - fmap_end);
			return verr(err, EEXIST, "%s: cannot map bss at 0x%llx: address in use", name,
				    (unsigned long long)fmap_end);
		}
		if (lu_pt_set(&p->mem, fmap_end, end - fmap_end, (uint8_t)(PT_VALID | prot)) < 0)
			return verr(err, ENOMEM, "out of memory");
	}
	*mapped_end = end;
	return 0;
}

/* Reserve [lo, hi) + slack for an ET_DYN image: at hint when free, else anywhere, aligned.
 * Returns the base or 0. */
static uint64_t reserve_dyn(uint64_t span, uint64_t align, uint64_t hint)
{
	int fl = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	if (hint) {
		void *r = mmap((void *)(uintptr_t)hint, span, PROT_NONE, fl | MAP_FIXED_NOREPLACE, -1, 0);
		if (r != MAP_FAILED && (uint64_t)(uintptr_t)r == hint)
			return hint;
		if (r != MAP_FAILED)
			munmap(r, span);
	}
	void *r = mmap(NULL, span + align, PROT_NONE, fl, -1, 0);
	if (r == MAP_FAILED)
		return 0;
	uint64_t a = (uint64_t)(uintptr_t)r, base = (a + align - 1) & ~(align - 1);
	if (base > a)
		munmap(r, base - a);
	if (a + span + align > base + span)
		munmap((void *)(uintptr_t)(base + span), a + span + align - (base + span));
	return base;
}

int lu_elf_load(struct lu_proc *p, const char *path, bool is_interp, struct lu_image *img,
		struct vireo_err *err)
{
	memset(img, 0, sizeof *img);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return verr_sys(err, errno, "%s", path);
	struct elf_info *e = calloc(1, sizeof *e);
	int rc;
	struct stat st;
	if (!e) {
		rc = verr(err, ENOMEM, "out of memory");
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		rc = verr_sys(err, errno, "%s", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = verr(err, EACCES, "%s: not a regular file", path);
		goto out;
	}
	e->size = (uint64_t)st.st_size;
	rc = elf_parse(path, fd_read, &fd, e, err);
	if (rc < 0)
		goto out;

	/* Extent and alignment of the loadable segments. */
	uint64_t lo = UINT64_MAX, hi = 0, align = LU_PAGE;
	for (unsigned i = 0; i < e->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &e->ph[i];
		if (ph->p_type == PT_INTERP) {
			if (fd_read(&fd, img->interp, ph->p_filesz, ph->p_offset) < 0) {
				rc = verr(err, EIO, "%s: cannot read the interpreter path", path);
				goto out;
			}
			img->interp[ph->p_filesz] = 0;
			if (strlen(img->interp) != ph->p_filesz - 1) {
				rc = verr(err, ENOEXEC, "%s: bad interpreter path", path);
				goto out;
			}
			img->has_interp = true;
		}
		if (ph->p_type == PT_GNU_STACK)
			img->exec_stack = (ph->p_flags & PF_X) != 0;
		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		if (ph->p_vaddr < lo)
			lo = ph->p_vaddr;
		if (ph->p_vaddr + ph->p_memsz > hi)
			hi = ph->p_vaddr + ph->p_memsz;
		if (ph->p_align > align && !(ph->p_align & (ph->p_align - 1)) && ph->p_align <= MAX_ALIGN)
			align = ph->p_align;
	}
	if (is_interp && img->has_interp) {
		rc = verr(err, ENOEXEC, "%s: the interpreter has an interpreter itself", path);
		goto out;
	}
	lo = LU_PAGE_DOWN(lo);
	hi = LU_PAGE_UP(hi);
	uint64_t bias = 0;
	bool dyn = e->eh.e_type == ET_DYN;
	if (dyn) {
		uint64_t hint = is_interp ? 0 : (PIE_BASE + align - 1) & ~(align - 1);
		uint64_t base = reserve_dyn(hi - lo, align, hint);
		if (!base) {
			rc = verr(err, ENOMEM, "%s: no room for %llu bytes of program", path,
				  (unsigned long long)(hi - lo));
			goto out;
		}
		bias = base - lo;
	}
	uint64_t mapped_end = 0;
	for (unsigned i = 0; i < e->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &e->ph[i];
		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		uint64_t before = mapped_end;
		rc = map_segment(p, fd, ph, bias, &mapped_end, dyn, path, err);
		if (rc < 0)
			goto out;
		/* Gaps between segments of a reserved image are released. */
		uint64_t seg_start = LU_PAGE_DOWN(ph->p_vaddr + bias);
		if (dyn && before && seg_start > before)
			munmap((void *)(uintptr_t)before, seg_start - before);
	}
	img->bias = bias;
	img->lo = lo + bias;
	img->hi = hi + bias;
	img->entry = e->eh.e_entry + bias;
	img->phnum = e->eh.e_phnum;
	for (unsigned i = 0; i < e->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &e->ph[i];
		if (ph->p_type == PT_PHDR) {
			img->phdr = ph->p_vaddr + bias;
			break;
		}
		if (ph->p_type == PT_LOAD && !img->phdr && e->eh.e_phoff >= ph->p_offset &&
		    e->eh.e_phoff - ph->p_offset < ph->p_filesz)
			img->phdr = ph->p_vaddr + (e->eh.e_phoff - ph->p_offset) + bias;
	}
	rc = 0;
out:
	free(e);
	close(fd);
	return rc;
}
