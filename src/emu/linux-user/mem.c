/* emu/linux-user/mem: the guest's address space. Guest addresses are host addresses; a sparse
 * page table (one byte per 4 KiB page, a three-level radix tree) records which pages are the
 * guest's and with what protection, so system calls can check guest pointers, fixed mappings
 * never clobber the emulator, faults are classified (SEGV_MAPERR/ACCERR), and pages holding
 * translated code are write-protected on the host: a guest write there faults, the handler
 * invalidates the page's blocks and lifts the protection (self-modifying code, JITs).
 * Touches: host mappings of guest memory, the tb cache (invalidation). */
#include "emu/linux-user/lu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define L2_BITS 12
#define LEAF_BITS 12

struct pt_leaf {
	uint8_t e[1u << LEAF_BITS];
};

struct lu_pt_l2 {
	struct pt_leaf *leaf[1u << L2_BITS];
};

static inline size_t i1(uint64_t pn) { return (size_t)(pn >> (L2_BITS + LEAF_BITS)); }
static inline size_t i2(uint64_t pn) { return (size_t)(pn >> LEAF_BITS) & ((1u << L2_BITS) - 1); }
static inline size_t i3(uint64_t pn) { return (size_t)pn & ((1u << LEAF_BITS) - 1); }

int lu_mem_init(struct lu_mem *m, struct tb_cache *tbs)
{
	memset(m, 0, sizeof *m);
	m->tbs = tbs;
	return -pthread_mutex_init(&m->lock, NULL);
}

void lu_mem_destroy(struct lu_mem *m)
{
	for (size_t i = 0; i < sizeof m->l1 / sizeof m->l1[0]; i++) {
		struct lu_pt_l2 *l2 = m->l1[i];
		if (!l2)
			continue;
		for (size_t j = 0; j < (1u << L2_BITS); j++)
			free(l2->leaf[j]);
		free(l2);
		m->l1[i] = NULL;
	}
	pthread_mutex_destroy(&m->lock);
}

/* The leaf holding page number pn, or NULL. Lock-free: nodes are published with release
 * stores and never freed. */
static struct pt_leaf *leaf_of(const struct lu_mem *m, uint64_t pn)
{
	if (i1(pn) >= sizeof m->l1 / sizeof m->l1[0])
		return NULL;
	struct lu_pt_l2 *l2 = __atomic_load_n(&m->l1[i1(pn)], __ATOMIC_ACQUIRE);
	if (!l2)
		return NULL;
	return __atomic_load_n(&l2->leaf[i2(pn)], __ATOMIC_ACQUIRE);
}

uint8_t lu_pt_get(const struct lu_mem *m, uint64_t addr)
{
	if (addr >= LU_VA_END)
		return 0;
	uint64_t pn = addr >> 12;
	struct pt_leaf *l = leaf_of(m, pn);
	return l ? __atomic_load_n(&l->e[i3(pn)], __ATOMIC_ACQUIRE) : 0;
}

/* The leaf for pn, created when missing (writers only, under the lock or single-threaded). */
static struct pt_leaf *leaf_make(struct lu_mem *m, uint64_t pn)
{
	struct lu_pt_l2 *l2 = m->l1[i1(pn)];
	if (!l2) {
		l2 = calloc(1, sizeof *l2);
		if (!l2)
			return NULL;
		__atomic_store_n(&m->l1[i1(pn)], l2, __ATOMIC_RELEASE);
	}
	struct pt_leaf *l = l2->leaf[i2(pn)];
	if (!l) {
		l = calloc(1, sizeof *l);
		if (!l)
			return NULL;
		__atomic_store_n(&l2->leaf[i2(pn)], l, __ATOMIC_RELEASE);
	}
	return l;
}

int lu_pt_set(struct lu_mem *m, uint64_t addr, uint64_t len, uint8_t flags)
{
	for (uint64_t pn = addr >> 12, end = (addr + len + LU_PAGE_MASK) >> 12; pn < end; pn++) {
		struct pt_leaf *l;
		if (!flags) {
			/* Clearing: a missing leaf is already clear; skip the rest of it. */
			l = leaf_of(m, pn);
			if (!l) {
				pn |= (1u << LEAF_BITS) - 1;
				continue;
			}
		} else if (!(l = leaf_make(m, pn))) {
			return -ENOMEM;
		}
		__atomic_store_n(&l->e[i3(pn)], flags, __ATOMIC_RELEASE);
	}
	return 0;
}

int lu_host_prot(int prot)
{
	int h = 0;
	/* The host never executes guest code; the translator reads it. */
	if (prot & (PT_R | PT_X))
		h |= PROT_READ;
	if (prot & PT_W)
		h |= PROT_READ | PROT_WRITE;
	return h;
}

/* Invalidate the translated code in [addr, addr+len): only executable pages can hold any. */
static void invalidate_code(struct lu_mem *m, uint64_t addr, uint64_t len)
{
	uint64_t run = 0, run_len = 0;
	for (uint64_t a = LU_PAGE_DOWN(addr), end = addr + len; a < end; a += LU_PAGE) {
		uint8_t e = lu_pt_get(m, a);
		if (e & PT_X) {
			if (!run_len)
				run = a;
			run_len += LU_PAGE;
			continue;
		}
		if (run_len)
			tb_invalidate(m->tbs, run, run_len);
		run_len = 0;
		if (!leaf_of(m, a >> 12)) /* nothing mapped in this leaf: skip it */
			a = ((a >> 12 | ((1u << LEAF_BITS) - 1)) << 12);
	}
	if (run_len)
		tb_invalidate(m->tbs, run, run_len);
}

/* Translated-code protection lifted from one page (the caller invalidated its blocks).
 * False when the host refused. */
static bool unprotect_page(struct lu_mem *m, uint64_t page)
{
	uint64_t pn = page >> 12;
	struct pt_leaf *l = leaf_of(m, pn);
	if (!l)
		return false;
	uint8_t e = __atomic_fetch_and(&l->e[i3(pn)], (uint8_t)~PT_WP, __ATOMIC_ACQ_REL);
	return (e & PT_VALID) &&
	       mprotect((void *)(uintptr_t)page, LU_PAGE, lu_host_prot(e & PT_PROT)) == 0;
}

bool lu_code_page_added(void *owner, uint64_t page)
{
	struct lu_mem *m = owner;
	uint64_t pn = page >> 12;
	struct pt_leaf *l = leaf_of(m, pn);
	if (!l)
		return false;
	uint8_t e = __atomic_load_n(&l->e[i3(pn)], __ATOMIC_ACQUIRE);
	if (!(e & PT_VALID) || !(e & PT_X))
		return false;
	if (e & PT_W) {
		/* Writable code: take the host's write permission so writes are seen. Called with
		 * the tb cache locked: only atomics here, never the page table's lock. */
		__atomic_fetch_or(&l->e[i3(pn)], PT_WP, __ATOMIC_ACQ_REL);
		mprotect((void *)(uintptr_t)page, LU_PAGE, lu_host_prot(e & PT_PROT) & ~PROT_WRITE);
	}
	return true;
}

bool lu_mem_write_fault(struct lu_mem *m, uint64_t addr)
{
	uint8_t e = lu_pt_get(m, addr);
	/* Any refused write to a page the guest may write is ours to fix: the page holds (or
	 * held, a race with another thread) translated code. */
	if (!(e & PT_VALID) || !(e & PT_W))
		return false;
	uint64_t page = LU_PAGE_DOWN(addr);
	tb_invalidate(m->tbs, page, LU_PAGE);
	/* If the host will not make it writable, retrying would fault forever: a guest fault. */
	return unprotect_page(m, page);
}

int lu_access(struct lu_mem *m, uint64_t addr, uint64_t len, int prot)
{
	if (len == 0)
		return 0;
	if (addr >= LU_VA_END || len > LU_VA_END - addr)
		return -EFAULT;
	int need = PT_VALID | (prot & (PT_R | PT_W));
	for (uint64_t a = LU_PAGE_DOWN(addr); a < addr + len; a += LU_PAGE) {
		uint8_t e = lu_pt_get(m, a);
		if ((e & need) != need)
			return -EFAULT;
		if ((prot & PT_W) && (e & PT_WP)) {
			tb_invalidate(m->tbs, a, LU_PAGE);
			unprotect_page(m, a);
		}
	}
	return 0;
}

uint64_t lu_access_prefix(struct lu_mem *m, uint64_t addr, uint64_t len, int prot)
{
	if (addr >= LU_VA_END)
		return 0;
	if (len > LU_VA_END - addr)
		len = LU_VA_END - addr;
	int need = PT_VALID | (prot & (PT_R | PT_W));
	uint64_t a = LU_PAGE_DOWN(addr);
	for (; a < addr + len; a += LU_PAGE) {
		uint8_t e = lu_pt_get(m, a);
		if ((e & need) != need)
			break;
		if ((prot & PT_W) && (e & PT_WP)) {
			tb_invalidate(m->tbs, a, LU_PAGE);
			unprotect_page(m, a);
		}
	}
	return a <= addr ? 0 : (a - addr < len ? a - addr : len);
}

long lu_strnlen(struct lu_mem *m, uint64_t addr, size_t max)
{
	size_t n = 0;
	while (n < max) {
		uint64_t a = addr + n;
		if (a >= LU_VA_END || !(lu_pt_get(m, a) & PT_VALID) || !(lu_pt_get(m, a) & PT_R))
			return -EFAULT;
		/* Scan to the end of this page. */
		size_t chunk = LU_PAGE - (a & LU_PAGE_MASK);
		if (chunk > max - n)
			chunk = max - n;
		const char *s = (const char *)(uintptr_t)a;
		const char *z = memchr(s, 0, chunk);
		if (z)
			return (long)(n + (size_t)(z - s));
		n += chunk;
	}
	return -ENAMETOOLONG;
}

int lu_get(struct lu_mem *m, void *dst, uint64_t addr, size_t len)
{
	int rc = lu_access(m, addr, len, PT_R);
	if (rc == 0 && len)
		memcpy(dst, (const void *)(uintptr_t)addr, len);
	return rc;
}

int lu_put(struct lu_mem *m, uint64_t addr, const void *src, size_t len)
{
	int rc = lu_access(m, addr, len, PT_W);
	if (rc == 0 && len)
		memcpy((void *)(uintptr_t)addr, src, len);
	return rc;
}

/* Make [addr, addr+len) ours to map over: every page that is not the guest's gets an
 * anonymous PROT_NONE reservation, which fails when the host has something there (the
 * emulator's own memory). On failure the reservations made are undone. Lock held. */
static int reserve_foreign(struct lu_mem *m, uint64_t addr, uint64_t len)
{
	uint64_t end = addr + len, a = addr;
	while (a < end) {
		if (lu_pt_get(m, a) & PT_VALID) {
			a += LU_PAGE;
			continue;
		}
		uint64_t run = a;
		while (a < end && !(lu_pt_get(m, a) & PT_VALID))
			a += LU_PAGE;
		void *r = mmap((void *)(uintptr_t)run, a - run, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
		if (r == MAP_FAILED || (uint64_t)(uintptr_t)r != run) {
			int e = r == MAP_FAILED ? errno : EEXIST;
			if (r != MAP_FAILED)
				munmap(r, a - run);
			/* Undo earlier runs: the foreign pages of [addr, run). */
			for (uint64_t b = addr; b < run;) {
				if (lu_pt_get(m, b) & PT_VALID) {
					b += LU_PAGE;
					continue;
				}
				uint64_t s = b;
				while (b < run && !(lu_pt_get(m, b) & PT_VALID))
					b += LU_PAGE;
				munmap((void *)(uintptr_t)s, b - s);
			}
			return e == EEXIST ? -ENOMEM : -e;
		}
	}
	return 0;
}

static uint8_t pt_flags(int prot)
{
	return (uint8_t)(PT_VALID | (prot & PT_PROT));
}

long lu_mmap(struct lu_mem *m, uint64_t addr, uint64_t len, int prot, int flags, int fd,
	     uint64_t off)
{
	if (len == 0 || (off & LU_PAGE_MASK))
		return -EINVAL;
	/* PROT_BTI and PROT_MTE need features this CPU does not advertise: EINVAL, as on such
	 * hardware. */
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if (len > LU_VA_END)
		return -ENOMEM;
	len = LU_PAGE_UP(len);
	/* MAP_32BIT (0x40) is x86's; on arm64 the bit means nothing. MAP_GROWSDOWN would let the
	 * host grow the mapping behind the page table's back. */
	flags &= ~(0x40 | MAP_GROWSDOWN);
	int type = flags & MAP_TYPE;
	if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	bool fixed = flags & MAP_FIXED, noreplace = flags & MAP_FIXED_NOREPLACE;
	if ((fixed || noreplace) && ((addr & LU_PAGE_MASK) || addr >= LU_VA_END ||
				     len > LU_VA_END - addr))
		return (addr & LU_PAGE_MASK) ? -EINVAL : -ENOMEM;
	pthread_mutex_lock(&m->lock);
	long rc;
	if (fixed && !noreplace) {
		rc = reserve_foreign(m, addr, len);
		if (rc < 0)
			goto out;
	} else if (!fixed && !noreplace && addr >= LU_VA_END) {
		addr = 0; /* a hint the host cannot honour */
	}
	void *r = mmap((void *)(uintptr_t)addr, len, lu_host_prot(prot), flags, fd, (off_t)off);
	if (r == MAP_FAILED) {
		rc = -errno;
		/* A failed MAP_FIXED may have left the range unmapped or reserved: the guest's pages
		 * there are gone either way (Linux behaves alike); keep them PROT_NONE. */
		goto out;
	}
	rc = (long)(uintptr_t)r;
	if (fixed || noreplace)
		invalidate_code(m, (uint64_t)rc, len);
	if (lu_pt_set(m, (uint64_t)rc, len, pt_flags(prot)) < 0) {
		munmap(r, len);
		lu_pt_set(m, (uint64_t)rc, len, 0);
		rc = -ENOMEM;
	}
out:
	pthread_mutex_unlock(&m->lock);
	return rc;
}

/* Unmap the guest's pages in [addr, addr+len), leaving anything else alone. Lock held. */
static void unmap_guest(struct lu_mem *m, uint64_t addr, uint64_t len)
{
	invalidate_code(m, addr, len);
	uint64_t end = addr + len, a = addr;
	while (a < end) {
		if (!(lu_pt_get(m, a) & PT_VALID)) {
			if (!leaf_of(m, a >> 12))
				a = ((a >> 12 | ((1u << LEAF_BITS) - 1)) + 1) << 12;
			else
				a += LU_PAGE;
			continue;
		}
		uint64_t run = a;
		while (a < end && (lu_pt_get(m, a) & PT_VALID))
			a += LU_PAGE;
		munmap((void *)(uintptr_t)run, a - run);
		lu_pt_set(m, run, a - run, 0);
	}
}

long lu_munmap(struct lu_mem *m, uint64_t addr, uint64_t len)
{
	if ((addr & LU_PAGE_MASK) || len == 0)
		return -EINVAL;
	if (addr >= LU_VA_END || len > LU_VA_END - addr)
		return -EINVAL;
	len = LU_PAGE_UP(len);
	pthread_mutex_lock(&m->lock);
	unmap_guest(m, addr, len);
	pthread_mutex_unlock(&m->lock);
	return 0;
}

long lu_mprotect(struct lu_mem *m, uint64_t addr, uint64_t len, int prot)
{
	if (addr & LU_PAGE_MASK)
		return -EINVAL;
	/* PROT_GROWSDOWN/UP are accepted by Linux and mean nothing for us. */
	prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (addr >= LU_VA_END || len > LU_VA_END - addr)
		return -ENOMEM;
	len = LU_PAGE_UP(len);
	pthread_mutex_lock(&m->lock);
	long rc = 0;
	/* As Linux: the pages before a hole change, then ENOMEM. */
	uint64_t end = addr;
	while (end < addr + len && (lu_pt_get(m, end) & PT_VALID))
		end += LU_PAGE;
	if (end > addr) {
		invalidate_code(m, addr, end - addr);
		if (mprotect((void *)(uintptr_t)addr, end - addr, lu_host_prot(prot)) < 0) {
			rc = -errno;
			goto out;
		}
		rc = lu_pt_set(m, addr, end - addr, pt_flags(prot));
	}
	if (rc == 0 && end < addr + len)
		rc = -ENOMEM;
out:
	pthread_mutex_unlock(&m->lock);
	return rc;
}

long lu_mremap(struct lu_mem *m, uint64_t old, uint64_t oldlen, uint64_t newlen, int flags,
	       uint64_t new_addr)
{
	if ((old & LU_PAGE_MASK) || newlen == 0)
		return -EINVAL;
	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if (old >= LU_VA_END || oldlen > LU_VA_END - old || newlen > LU_VA_END)
		return -ENOMEM;
	oldlen = LU_PAGE_UP(oldlen);
	newlen = LU_PAGE_UP(newlen);
	pthread_mutex_lock(&m->lock);
	long rc;
	uint8_t e = lu_pt_get(m, old);
	/* oldlen 0 duplicates a shared mapping: the one page must be there. */
	for (uint64_t a = old; a < old + (oldlen ? oldlen : LU_PAGE); a += LU_PAGE)
		if (!(lu_pt_get(m, a) & PT_VALID)) {
			rc = -EFAULT;
			goto out;
		}
	if (flags & MREMAP_FIXED) {
		if ((new_addr & LU_PAGE_MASK) || new_addr >= LU_VA_END ||
		    newlen > LU_VA_END - new_addr) {
			rc = -EINVAL;
			goto out;
		}
		rc = reserve_foreign(m, new_addr, newlen);
		if (rc < 0)
			goto out;
		invalidate_code(m, new_addr, newlen);
	} else if (newlen > oldlen && !(flags & MREMAP_MAYMOVE)) {
		/* Growing in place: the pages after must be free, and not the emulator's. */
		for (uint64_t a = old + oldlen; a < old + newlen; a += LU_PAGE)
			if (lu_pt_get(m, a) & PT_VALID) {
				rc = -ENOMEM;
				goto out;
			}
		rc = reserve_foreign(m, old + oldlen, newlen - oldlen);
		if (rc < 0)
			goto out;
		munmap((void *)(uintptr_t)(old + oldlen), newlen - oldlen);
	}
	invalidate_code(m, old, oldlen);
	void *r = mremap((void *)(uintptr_t)old, oldlen, newlen, flags, (void *)(uintptr_t)new_addr);
	if (r == MAP_FAILED) {
		rc = -errno;
		goto out;
	}
	rc = (long)(uintptr_t)r;
	uint8_t ne = e & (PT_VALID | PT_PROT); /* the moved pages lose their code protection */
	if (!(flags & MREMAP_DONTUNMAP) && (uint64_t)rc != old)
		lu_pt_set(m, old, oldlen, 0);
	else if ((uint64_t)rc == old && newlen < oldlen)
		lu_pt_set(m, old + newlen, oldlen - newlen, 0);
	if (lu_pt_set(m, (uint64_t)rc, newlen, ne) < 0)
		rc = -ENOMEM;
out:
	pthread_mutex_unlock(&m->lock);
	return rc;
}

long lu_madvise(struct lu_mem *m, uint64_t addr, uint64_t len, int advice)
{
	if (addr & LU_PAGE_MASK)
		return -EINVAL;
	if (len == 0)
		return 0;
	if (addr >= LU_VA_END || len > LU_VA_END - addr)
		return -ENOMEM;
	len = LU_PAGE_UP(len);
	for (uint64_t a = addr; a < addr + len; a += LU_PAGE)
		if (!(lu_pt_get(m, a) & PT_VALID))
			return -ENOMEM;
	switch (advice) {
	case MADV_DONTNEED:
	case MADV_REMOVE:
	case MADV_FREE:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_COLD:
	case MADV_PAGEOUT:
		break;
	default:
		/* The rest (MADV_MERGEABLE, poisoning, ...) is advice we may ignore. */
		return 0;
	}
	pthread_mutex_lock(&m->lock);
	if (advice == MADV_DONTNEED || advice == MADV_REMOVE || advice == MADV_FREE)
		invalidate_code(m, addr, len); /* contents may become zero */
	long rc = madvise((void *)(uintptr_t)addr, len, advice) < 0 ? -errno : 0;
	pthread_mutex_unlock(&m->lock);
	return rc;
}

long lu_brk(struct lu_mem *m, uint64_t want)
{
	pthread_mutex_lock(&m->lock);
	uint64_t cur = m->brk_cur;
	if (want < m->brk_start || want >= LU_VA_END)
		goto out;
	uint64_t need = LU_PAGE_UP(want);
	if (need > m->brk_end) {
		/* Grow: new anonymous pages, never over anything mapped already. */
		void *r = mmap((void *)(uintptr_t)m->brk_end, need - m->brk_end,
			       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			       -1, 0);
		if (r == MAP_FAILED)
			goto out;
		if ((uint64_t)(uintptr_t)r != m->brk_end) {
			munmap(r, need - m->brk_end);
			goto out;
		}
		if (lu_pt_set(m, m->brk_end, need - m->brk_end, pt_flags(PT_R | PT_W)) < 0) {
			munmap(r, need - m->brk_end);
			goto out;
		}
		m->brk_end = need;
	} else if (need < m->brk_end) {
		unmap_guest(m, need, m->brk_end - need);
		m->brk_end = need;
	}
	m->brk_cur = cur = want;
out:
	pthread_mutex_unlock(&m->lock);
	return (long)cur;
}
