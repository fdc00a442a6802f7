/* emu/linux-user/sys-net: sockets. Addresses, msghdr, mmsghdr, iovec, cmsg and the socket
 * options are laid out alike on arm64 and x86-64 (both asm-generic/socket.h, 64-bit): calls
 * pass through once their output buffers are checked to be the guest's.
 * Touches: the guest buffers it is given. */
#include "emu/linux-user/sys.h"

#include <errno.h>
#include <limits.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/* A (sockaddr *, socklen_t *) pair the kernel writes back: *len readable and writable, then
 * *len bytes of address. */
static long check_addr_out(struct lu_thread *t, uint64_t addr, uint64_t lenp)
{
	if (!addr)
		return 0;
	uint32_t len;
	if (W(t, lenp, 4) || lu_get(&t->proc->mem, &len, lenp, 4) < 0)
		return -EFAULT;
	if ((int32_t)len < 0)
		return -EINVAL;
	if (len && W(t, addr, len))
		return -EFAULT;
	return 0;
}

static long sys_socketpair(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[3], 8))
		return -EFAULT;
	return lu_ret(syscall(SYS_socketpair, (int)a[0], (int)a[1], (int)a[2], a[3]));
}

static long sys_accept4(struct lu_thread *t, const uint64_t *a)
{
	long rc = check_addr_out(t, a[1], a[2]);
	return rc ? rc : SAFE(t, SYS_accept4, (int)a[0], a[1], a[2], (int)a[3]);
}

static long sys_accept(struct lu_thread *t, const uint64_t *a)
{
	long rc = check_addr_out(t, a[1], a[2]);
	return rc ? rc : SAFE(t, SYS_accept, (int)a[0], a[1], a[2]);
}

static long sys_getsockname(struct lu_thread *t, const uint64_t *a)
{
	long rc = check_addr_out(t, a[1], a[2]);
	return rc ? rc : lu_ret(syscall(SYS_getsockname, (int)a[0], a[1], a[2]));
}

static long sys_getpeername(struct lu_thread *t, const uint64_t *a)
{
	long rc = check_addr_out(t, a[1], a[2]);
	return rc ? rc : lu_ret(syscall(SYS_getpeername, (int)a[0], a[1], a[2]));
}

static long sys_recvfrom(struct lu_thread *t, const uint64_t *a)
{
	uint64_t n = lu_access_prefix(&t->proc->mem, a[1], a[2], PT_W);
	if (a[2] && !n)
		return -EFAULT;
	long rc = check_addr_out(t, a[4], a[5]);
	return rc ? rc : SAFE(t, SYS_recvfrom, (int)a[0], a[1], n, (int)a[3], a[4], a[5]);
}

static long sys_getsockopt(struct lu_thread *t, const uint64_t *a)
{
	long rc = check_addr_out(t, a[3], a[4]);
	return rc ? rc : lu_ret(syscall(SYS_getsockopt, (int)a[0], (int)a[1], (int)a[2], a[3], a[4]));
}

/* A msghdr the kernel fills: name, every iovec buffer, control, and the header's own
 * msg_namelen/msg_controllen/msg_flags. */
static long check_msg_out(struct lu_thread *t, uint64_t m)
{
	if (W(t, m, sizeof(struct msghdr)))
		return -EFAULT;
	const struct msghdr *h = H(m);
	if (h->msg_name && h->msg_namelen && W(t, (uint64_t)(uintptr_t)h->msg_name, h->msg_namelen))
		return -EFAULT;
	if (h->msg_iovlen > IOV_MAX)
		return -EMSGSIZE;
	if (h->msg_iovlen && R(t, (uint64_t)(uintptr_t)h->msg_iov, h->msg_iovlen * sizeof(struct iovec)))
		return -EFAULT;
	for (size_t i = 0; i < h->msg_iovlen; i++)
		if (W(t, (uint64_t)(uintptr_t)h->msg_iov[i].iov_base, h->msg_iov[i].iov_len))
			return -EFAULT;
	if (h->msg_control && h->msg_controllen &&
	    W(t, (uint64_t)(uintptr_t)h->msg_control, h->msg_controllen))
		return -EFAULT;
	return 0;
}

static long sys_recvmsg(struct lu_thread *t, const uint64_t *a)
{
	long rc = check_msg_out(t, a[1]);
	return rc ? rc : SAFE(t, SYS_recvmsg, (int)a[0], a[1], (int)a[2]);
}

static long sys_recvmmsg(struct lu_thread *t, const uint64_t *a)
{
	unsigned n = (unsigned)a[2];
	if (n > 1024)
		n = 1024; /* UIO_MAXIOV, as the kernel */
	if (W(t, a[1], (uint64_t)n * sizeof(struct mmsghdr)))
		return -EFAULT;
	for (unsigned i = 0; i < n; i++) {
		long rc = check_msg_out(t, a[1] + i * sizeof(struct mmsghdr));
		if (rc)
			return rc;
	}
	if (a[4] && W(t, a[4], 16))
		return -EFAULT;
	return SAFE(t, SYS_recvmmsg, (int)a[0], a[1], n, (int)a[3], a[4]);
}

static long sys_sendmmsg(struct lu_thread *t, const uint64_t *a)
{
	unsigned n = (unsigned)a[2];
	if (n > 1024)
		n = 1024;
	/* msg_len of each entry is written back. */
	if (W(t, a[1], (uint64_t)n * sizeof(struct mmsghdr)))
		return -EFAULT;
	return SAFE(t, SYS_sendmmsg, (int)a[0], a[1], n, (int)a[3]);
}

const struct lu_sysent lu_sys_net[] = {
	{A64_NR_socket, "socket", NULL, SYS_socket},
	{A64_NR_socketpair, "socketpair", sys_socketpair, 0},
	{A64_NR_bind, "bind", NULL, SYS_bind},
	{A64_NR_listen, "listen", NULL, SYS_listen},
	{A64_NR_accept, "accept", sys_accept, 0},
	{A64_NR_accept4, "accept4", sys_accept4, 0},
	{A64_NR_connect, "connect", NULL, SYS_connect},
	{A64_NR_getsockname, "getsockname", sys_getsockname, 0},
	{A64_NR_getpeername, "getpeername", sys_getpeername, 0},
	{A64_NR_sendto, "sendto", NULL, SYS_sendto},
	{A64_NR_recvfrom, "recvfrom", sys_recvfrom, 0},
	{A64_NR_setsockopt, "setsockopt", NULL, SYS_setsockopt},
	{A64_NR_getsockopt, "getsockopt", sys_getsockopt, 0},
	{A64_NR_shutdown, "shutdown", NULL, SYS_shutdown},
	{A64_NR_sendmsg, "sendmsg", NULL, SYS_sendmsg},
	{A64_NR_recvmsg, "recvmsg", sys_recvmsg, 0},
	{A64_NR_sendmmsg, "sendmmsg", sys_sendmmsg, 0},
	{A64_NR_recvmmsg, "recvmmsg", sys_recvmmsg, 0},
	{0, NULL, NULL, 0},
};
