/* emu/linux-user/sys-ipc: System V IPC and POSIX message queues. msqid64_ds and shmid64_ds
 * are laid out alike on both 64-bit sides; semid64_ds is not (x86-64 pads each time with an
 * unused word): converted. shmat/shmdt keep the page table in step. The IPC_64 flag arm64's
 * glibc may add to commands is the host's default already and is dropped.
 * Touches: the guest buffers it is given, the page table, the process's attachment list. */
#include "emu/linux-user/sys.h"

#include <errno.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#define IPC_64_FLAG 0x100

/* asm-generic/ipcbuf.h's ipc64_perm: 48 bytes on both. */
struct a64_ipc64_perm {
	int32_t key;
	uint32_t uid, gid, cuid, cgid, mode;
	uint16_t seq, pad2;
	uint32_t pad3;
	uint64_t unused1, unused2;
};

struct a64_semid64_ds {
	struct a64_ipc64_perm perm;
	int64_t otime, ctime;
	uint64_t nsems, unused3, unused4;
};

struct host_semid64_ds {
	struct a64_ipc64_perm perm;
	int64_t otime;
	uint64_t unused1;
	int64_t ctime;
	uint64_t unused2, nsems, unused3, unused4;
};

_Static_assert(sizeof(struct a64_semid64_ds) == 88, "arm64 semid64_ds");
_Static_assert(sizeof(struct host_semid64_ds) == 104, "x86-64 semid64_ds");

static long sys_semctl(struct lu_thread *t, const uint64_t *a)
{
	int id = (int)a[0], num = (int)a[1], cmd = (int)a[2] & ~IPC_64_FLAG;
	uint64_t arg = a[3];
	switch (cmd) {
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY: {
		struct host_semid64_ds h;
		if (W(t, arg, sizeof(struct a64_semid64_ds)))
			return -EFAULT;
		long r = lu_ret(syscall(SYS_semctl, id, num, cmd, &h));
		if (r < 0)
			return r;
		struct a64_semid64_ds g = {h.perm, h.otime, h.ctime, h.nsems, 0, 0};
		memcpy(H(arg), &g, sizeof g);
		return r;
	}
	case IPC_SET: {
		struct a64_semid64_ds g;
		if (lu_get(&t->proc->mem, &g, arg, sizeof g) < 0)
			return -EFAULT;
		struct host_semid64_ds h = {g.perm, g.otime, 0, g.ctime, 0, g.nsems, 0, 0};
		return lu_ret(syscall(SYS_semctl, id, num, cmd, &h));
	}
	case IPC_INFO:
	case SEM_INFO:
		if (W(t, arg, sizeof(struct seminfo)))
			return -EFAULT;
		break;
	case GETALL:
	case SETALL: {
		/* An array of nsems unsigned shorts: ask the size first. */
		struct host_semid64_ds h;
		if (syscall(SYS_semctl, id, 0, IPC_STAT, &h) < 0)
			return -errno;
		if (cmd == GETALL ? W(t, arg, h.nsems * 2) : R(t, arg, h.nsems * 2))
			return -EFAULT;
		break;
	}
	case IPC_RMID:
	case GETVAL:
	case SETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
		break;
	default:
		return -EINVAL;
	}
	return lu_ret(syscall(SYS_semctl, id, num, cmd, arg));
}

static long sys_msgctl(struct lu_thread *t, const uint64_t *a)
{
	int cmd = (int)a[1] & ~IPC_64_FLAG;
	switch (cmd) {
	case IPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY:
		if (W(t, a[2], sizeof(struct msqid_ds)))
			return -EFAULT;
		break;
	case IPC_INFO:
	case MSG_INFO:
		if (W(t, a[2], sizeof(struct msginfo)))
			return -EFAULT;
		break;
	case IPC_SET:
	case IPC_RMID:
		break;
	default:
		return -EINVAL;
	}
	return lu_ret(syscall(SYS_msgctl, (int)a[0], cmd, a[2]));
}

static long sys_msgrcv(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[1], 8 + a[2]))
		return -EFAULT;
	return SAFE(t, SYS_msgrcv, (int)a[0], a[1], a[2], (long)a[3], (int)a[4]);
}

static long sys_shmctl(struct lu_thread *t, const uint64_t *a)
{
	int cmd = (int)a[1] & ~IPC_64_FLAG;
	switch (cmd) {
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		if (W(t, a[2], sizeof(struct shmid_ds)))
			return -EFAULT;
		break;
	case IPC_INFO:
		if (W(t, a[2], sizeof(struct shminfo)))
			return -EFAULT;
		break;
	case SHM_INFO:
		if (W(t, a[2], sizeof(struct shm_info)))
			return -EFAULT;
		break;
	case IPC_SET:
	case IPC_RMID:
	case SHM_LOCK:
	case SHM_UNLOCK:
		break;
	default:
		return -EINVAL;
	}
	return lu_ret(syscall(SYS_shmctl, (int)a[0], cmd, a[2]));
}

static long sys_shmat(struct lu_thread *t, const uint64_t *a)
{
	struct lu_proc *p = t->proc;
	int id = (int)a[0], flg = (int)a[2];
	struct shmid_ds ds;
	if (syscall(SYS_shmctl, id, IPC_STAT, &ds) < 0)
		return -errno;
	uint64_t size = LU_PAGE_UP((uint64_t)ds.shm_segsz), addr = a[1];
	if (flg & SHM_RND)
		addr &= ~(uint64_t)(SHMLBA - 1);
	if (addr) {
		/* Only over free or guest memory, never the emulator's. */
		if (addr >= LU_VA_END || size > LU_VA_END - addr)
			return -EINVAL;
		bool all_guest = true;
		for (uint64_t q = addr; q < addr + size; q += LU_PAGE)
			all_guest &= (lu_pt_get(&p->mem, q) & PT_VALID) != 0;
		if (!all_guest)
			flg &= ~SHM_REMAP; /* then the host refuses what is taken */
	}
	pthread_mutex_lock(&p->mem.lock);
	size_t slot = 0;
	while (slot < sizeof p->shm / sizeof p->shm[0] && p->shm[slot].size)
		slot++;
	long r;
	if (slot == sizeof p->shm / sizeof p->shm[0]) {
		r = -EMFILE;
		goto out;
	}
	r = lu_ret((long)syscall(SYS_shmat, id, addr, flg));
	if (r < 0)
		goto out;
	int prot = PT_R | ((flg & SHM_RDONLY) ? 0 : PT_W) | ((flg & SHM_EXEC) ? PT_X : 0);
	lu_pt_set(&p->mem, (uint64_t)r, size, (uint8_t)(PT_VALID | prot));
	p->shm[slot] = (struct lu_shm){(uint64_t)r, size};
out:
	pthread_mutex_unlock(&p->mem.lock);
	return r;
}

static long sys_shmdt(struct lu_thread *t, const uint64_t *a)
{
	struct lu_proc *p = t->proc;
	pthread_mutex_lock(&p->mem.lock);
	long r = lu_ret(syscall(SYS_shmdt, a[0]));
	if (r == 0)
		for (size_t i = 0; i < sizeof p->shm / sizeof p->shm[0]; i++)
			if (p->shm[i].size && p->shm[i].addr == a[0]) {
				tb_invalidate(p->mem.tbs, a[0], p->shm[i].size);
				lu_pt_set(&p->mem, a[0], p->shm[i].size, 0);
				p->shm[i].size = 0;
			}
	pthread_mutex_unlock(&p->mem.lock);
	return r;
}

static long sys_mq_timedreceive(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[1], a[2]) || (a[3] && W(t, a[3], 4)))
		return -EFAULT;
	return SAFE(t, SYS_mq_timedreceive, (int)a[0], a[1], a[2], a[3], a[4]);
}

static long sys_mq_getsetattr(struct lu_thread *t, const uint64_t *a)
{
	if (a[2] && W(t, a[2], 64))
		return -EFAULT;
	return lu_ret(syscall(SYS_mq_getsetattr, (int)a[0], a[1], a[2]));
}

const struct lu_sysent lu_sys_ipc[] = {
	{A64_NR_semget, "semget", NULL, SYS_semget},
	{A64_NR_semctl, "semctl", sys_semctl, 0},
	{A64_NR_semop, "semop", NULL, SYS_semop},
	{A64_NR_semtimedop, "semtimedop", NULL, SYS_semtimedop},
	{A64_NR_msgget, "msgget", NULL, SYS_msgget},
	{A64_NR_msgctl, "msgctl", sys_msgctl, 0},
	{A64_NR_msgsnd, "msgsnd", NULL, SYS_msgsnd},
	{A64_NR_msgrcv, "msgrcv", sys_msgrcv, 0},
	{A64_NR_shmget, "shmget", NULL, SYS_shmget},
	{A64_NR_shmctl, "shmctl", sys_shmctl, 0},
	{A64_NR_shmat, "shmat", sys_shmat, 0},
	{A64_NR_shmdt, "shmdt", sys_shmdt, 0},
	{A64_NR_mq_open, "mq_open", NULL, SYS_mq_open},
	{A64_NR_mq_unlink, "mq_unlink", NULL, SYS_mq_unlink},
	{A64_NR_mq_timedsend, "mq_timedsend", NULL, SYS_mq_timedsend},
	{A64_NR_mq_timedreceive, "mq_timedreceive", sys_mq_timedreceive, 0},
	{A64_NR_mq_notify, "mq_notify", NULL, SYS_mq_notify},
	{A64_NR_mq_getsetattr, "mq_getsetattr", sys_mq_getsetattr, 0},
	{0, NULL, NULL, 0},
};
