/* net/link: bridges and veth pairs on the host, addresses, routes and a sysctl inside a
 * guest's network namespace, through libnl-route. Touches only network interfaces the caller
 * names and the guest namespace it hands over; enters that namespace for an instant (to bind a
 * netlink socket and open a sysctl) and always returns to the host's. */
#include "net/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_bridge.h>
#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct net {
	struct nl_sock *host;  /* bound to the host's namespace */
	struct nl_sock *guest; /* bound to the guest's, or NULL */
	int guest_ns;          /* fd of the guest's network namespace, or -1 */
	int ping_fd;           /* the guest's net.ipv4.ping_group_range, or -1 */
};

/* libnl's NLE_* codes as errno values, for callers that test them. */
static int nl_errno(int e)
{
	switch (-e < 0 ? e : -e) {
	case NLE_EXIST: return EEXIST;
	case NLE_NODEV:
	case NLE_OBJ_NOTFOUND: return ENODEV;
	case NLE_PERM: return EPERM;
	case NLE_BUSY: return EBUSY;
	case NLE_NOMEM: return ENOMEM;
	case NLE_INVAL: return EINVAL;
	case NLE_NOADDR: return EADDRNOTAVAIL;
	default: return EIO;
	}
}

static int nl_fail(struct vireo_err *err, int e, const char *what, const char *name)
{
	return verr(err, nl_errno(e), "%s %s: %s", what, name, nl_geterror(e));
}

int net_parse_addr(const char *s, struct net_addr *a, const char *what, struct vireo_err *err)
{
	char buf[32];
	memset(a, 0, sizeof *a);
	if (!s || strlen(s) >= sizeof buf)
		return verr(err, EINVAL, "invalid %s '%.40s': expected an IPv4 address A.B.C.D[/PREFIX]",
			    what, s ? s : "");
	if (strchr(s, ':'))
		return verr(err, EINVAL, "invalid %s '%.40s': only IPv4 addresses are supported", what, s);
	snprintf(buf, sizeof buf, "%s", s);
	char *slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		const char *p = slash + 1;
		unsigned v = 0;
		size_t n = strlen(p);
		if (n == 0 || n > 2 || (n == 2 && p[0] == '0'))
			goto bad_prefix;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				goto bad_prefix;
			v = v * 10 + (unsigned)(*p - '0');
		}
		if (v < 1 || v > 32)
			goto bad_prefix;
		a->prefix = (uint8_t)v;
	}
	/* inet_pton takes exactly four decimal parts, no leading zeros beyond a lone 0. */
	struct in_addr in;
	if (inet_pton(AF_INET, buf, &in) != 1)
		return verr(err, EINVAL, "invalid %s '%.40s': expected an IPv4 address A.B.C.D[/PREFIX]",
			    what, s);
	a->addr = in.s_addr;
	return 0;
bad_prefix:
	return verr(err, EINVAL, "invalid %s '%.40s': the prefix must be a number from 1 to 32", what, s);
}

void net_format_addr(const struct net_addr *a, bool with_prefix, char *buf, size_t size)
{
	char t[INET_ADDRSTRLEN];
	struct in_addr in = { a->addr };
	inet_ntop(AF_INET, &in, t, sizeof t);
	if (with_prefix && a->prefix)
		snprintf(buf, size, "%s/%u", t, a->prefix);
	else
		snprintf(buf, size, "%s", t);
}

static uint32_t mask_of(unsigned prefix)
{
	return prefix ? htonl(~0u << (32 - prefix)) : 0;
}

bool net_in_subnet(uint32_t addr, const struct net_addr *net)
{
	uint32_t m = mask_of(net->prefix);
	return (addr & m) == (net->addr & m);
}

int net_parse_mac(const char *s, uint8_t mac[NET_MAC_LEN], const char *what,
		  struct vireo_err *err)
{
	unsigned v[NET_MAC_LEN];
	char tail;
	if (!s || strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &tail) != 6)
		goto bad;
	for (int i = 0; i < 17; i++)
		if ((i % 3 == 2) != (s[i] == ':') ||
		    (i % 3 != 2 && !strchr("0123456789abcdefABCDEF", s[i])))
			goto bad;
	unsigned any = 0;
	for (int i = 0; i < NET_MAC_LEN; i++) {
		mac[i] = (uint8_t)v[i];
		any |= v[i];
	}
	if (!any || (mac[0] & 1))
		return verr(err, EINVAL, "invalid %s '%s': not a unicast address", what, s);
	return 0;
bad:
	return verr(err, EINVAL, "invalid %s '%.40s': expected XX:XX:XX:XX:XX:XX", what, s ? s : "");
}

void net_format_mac(const uint8_t mac[NET_MAC_LEN], char *buf, size_t size)
{
	snprintf(buf, size, "%02X:%02X:%02X:%02X:%02X:%02X", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
}

int net_valid_ifname(const char *s, const char *what, struct vireo_err *err)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n >= IFNAMSIZ)
		return verr(err, EINVAL, "invalid %s '%.40s': 1 to %d characters", what, s ? s : "",
			    IFNAMSIZ - 1);
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return verr(err, EINVAL, "invalid %s '%s'", what, s);
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("_.-", s[i])))
			return verr(err, EINVAL, "invalid %s '%.40s': only letters, digits, '_', '.' and '-'",
				    what, s);
	return 0;
}

bool net_valid_ip_text(const char *s)
{
	unsigned char b[16];
	return s && (inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1);
}

static struct nl_sock *sock_new(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	if (!sk)
		return NULL;
	if (nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

void net_close(struct net *n)
{
	if (!n)
		return;
	if (n->host)
		nl_socket_free(n->host);
	if (n->guest)
		nl_socket_free(n->guest);
	if (n->guest_ns >= 0)
		close(n->guest_ns);
	if (n->ping_fd >= 0)
		close(n->ping_fd);
	free(n);
}

int net_open(int guest_pidfd, struct net **out, struct vireo_err *err)
{
	struct net *n = calloc(1, sizeof *n);
	*out = NULL;
	if (!n)
		return verr(err, ENOMEM, "out of memory");
	n->guest_ns = n->ping_fd = -1;
	if (!(n->host = sock_new())) {
		net_close(n);
		return verr(err, EIO, "cannot open a netlink socket");
	}
	if (guest_pidfd >= 0) {
		int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (self < 0) {
			int e = errno;
			net_close(n);
			return verr_sys(err, e, "cannot open the host's network namespace");
		}
		if (setns(guest_pidfd, CLONE_NEWNET) < 0) {
			int e = errno;
			close(self);
			net_close(n);
			return verr_sys(err, e, "cannot enter the guest's network namespace");
		}
		n->guest = sock_new();
		n->guest_ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		n->ping_fd = open("/proc/sys/net/ipv4/ping_group_range", O_WRONLY | O_CLOEXEC);
		/* Removing a guest's first address must not take the others with it. */
		int ps = open("/proc/sys/net/ipv4/conf/all/promote_secondaries", O_WRONLY | O_CLOEXEC);
		if (ps >= 0) {
			(void)!write(ps, "1\n", 2);
			close(ps);
		}
		/* Back home; staying in the guest's namespace would be far worse than failing. */
		if (setns(self, CLONE_NEWNET) < 0)
			abort();
		close(self);
		if (!n->guest || n->guest_ns < 0) {
			net_close(n);
			return verr(err, EIO, "cannot open a netlink socket in the guest's namespace");
		}
	}
	*out = n;
	return 0;
}

/* The link called name in the namespace of sk, or NULL. */
static struct rtnl_link *link_get(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *l = NULL;
	if (rtnl_link_get_kernel(sk, 0, name, &l) < 0)
		return NULL;
	return l;
}

bool net_link_exists(struct net *n, const char *name)
{
	struct rtnl_link *l = link_get(n->host, name);
	if (l)
		rtnl_link_put(l);
	return l != NULL;
}

static int build_ip(uint32_t addr, unsigned prefix, struct nl_addr **out)
{
	*out = nl_addr_build(AF_INET, &addr, 4);
	if (!*out)
		return -NLE_NOMEM;
	nl_addr_set_prefixlen(*out, (int)prefix);
	return 0;
}

static int addr_change(struct nl_sock *sk, int ifindex, const struct net_addr *a, bool add)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = NULL, *bcast = NULL;
	int r = -NLE_NOMEM;
	if (!ra || build_ip(a->addr, a->prefix, &local) < 0)
		goto out;
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, AF_INET);
	if ((r = rtnl_addr_set_local(ra, local)) < 0)
		goto out;
	if (add && a->prefix < 31) {
		if ((r = build_ip(a->addr | ~mask_of(a->prefix), 32, &bcast)) < 0 ||
		    (r = rtnl_addr_set_broadcast(ra, bcast)) < 0)
			goto out;
	}
	r = add ? rtnl_addr_add(sk, ra, NLM_F_CREATE | NLM_F_EXCL) : rtnl_addr_delete(sk, ra, 0);
out:
	if (local)
		nl_addr_put(local);
	if (bcast)
		nl_addr_put(bcast);
	if (ra)
		rtnl_addr_put(ra);
	return r;
}

/* Does an IPv4 address of a host interface other than skip overlap subnet? */
static int subnet_taken(struct nl_sock *sk, const struct net_addr *subnet, int skip,
			char *who, size_t size)
{
	struct nl_cache *addrs = NULL, *links = NULL;
	int r = rtnl_addr_alloc_cache(sk, &addrs);
	if (r < 0)
		return r;
	r = 0;
	for (struct nl_object *o = nl_cache_get_first(addrs); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)o;
		struct nl_addr *l = rtnl_addr_get_local(ra);
		if (rtnl_addr_get_family(ra) != AF_INET || !l || rtnl_addr_get_ifindex(ra) == skip)
			continue;
		uint32_t a;
		memcpy(&a, nl_addr_get_binary_addr(l), 4);
		struct net_addr theirs = { a, (uint8_t)rtnl_addr_get_prefixlen(ra) };
		struct net_addr ours = *subnet;
		/* Two subnets overlap when the shorter prefix contains the other's address. */
		bool overlap = theirs.prefix < ours.prefix ? net_in_subnet(ours.addr, &theirs)
							   : net_in_subnet(a, &ours);
		if (overlap) {
			char t[32];
			net_format_addr(&theirs, true, t, sizeof t);
			if (rtnl_link_alloc_cache(sk, AF_UNSPEC, &links) == 0) {
				char name[IFNAMSIZ] = "?";
				rtnl_link_i2name(links, rtnl_addr_get_ifindex(ra), name, sizeof name);
				snprintf(who, size, "%s (%s)", name, t);
				nl_cache_free(links);
			} else {
				snprintf(who, size, "%s", t);
			}
			r = 1;
			break;
		}
	}
	nl_cache_free(addrs);
	return r;
}

int net_bridge_ensure(struct net *n, const char *name, const struct net_addr *gw,
		      const uint8_t *mac, struct vireo_err *err)
{
	struct rtnl_link *br = link_get(n->host, name);
	int r;
	if (!br) {
		char who[64];
		r = subnet_taken(n->host, gw, 0, who, sizeof who);
		if (r < 0)
			return nl_fail(err, r, "cannot read the addresses of", "the host");
		if (r > 0) {
			char t[32];
			net_format_addr(gw, true, t, sizeof t);
			return verr(err, EADDRINUSE,
				    "cannot create bridge %s with address %s: the subnet overlaps %s; "
				    "choose another BRIDGE_ADDRESS", name, t, who);
		}
		struct rtnl_link *nb = rtnl_link_alloc();
		if (!nb)
			return verr(err, ENOMEM, "out of memory");
		rtnl_link_set_name(nb, name);
		rtnl_link_set_type(nb, "bridge");
		struct nl_addr *lladdr = mac ? nl_addr_build(AF_LLC, mac, NET_MAC_LEN) : NULL;
		if (lladdr)
			rtnl_link_set_addr(nb, lladdr);
		r = rtnl_link_add(n->host, nb, NLM_F_CREATE | NLM_F_EXCL);
		if (lladdr)
			nl_addr_put(lladdr);
		rtnl_link_put(nb);
		if (r < 0 && r != -NLE_EXIST) /* a concurrent instance command may win */
			return nl_fail(err, r, "cannot create bridge", name);
		if (!(br = link_get(n->host, name)))
			return verr(err, ENODEV, "bridge %s vanished", name);
	}
	if (!rtnl_link_get_type(br) || strcmp(rtnl_link_get_type(br), "bridge")) {
		rtnl_link_put(br);
		return verr(err, EEXIST, "%s exists and is not a bridge", name);
	}
	int ifindex = rtnl_link_get_ifindex(br);
	/* The gateway address (an existing one is fine). */
	r = addr_change(n->host, ifindex, gw, true);
	if (r < 0 && r != -NLE_EXIST) {
		rtnl_link_put(br);
		return nl_fail(err, r, "cannot set the address of bridge", name);
	}
	if (!(rtnl_link_get_flags(br) & IFF_UP)) {
		struct rtnl_link *ch = rtnl_link_alloc();
		if (!ch) {
			rtnl_link_put(br);
			return verr(err, ENOMEM, "out of memory");
		}
		rtnl_link_set_flags(ch, IFF_UP);
		r = rtnl_link_change(n->host, br, ch, 0);
		rtnl_link_put(ch);
		if (r < 0) {
			rtnl_link_put(br);
			return nl_fail(err, r, "cannot bring up bridge", name);
		}
	}
	rtnl_link_put(br);
	return 0;
}

int net_bridge_remove_unused(struct net *n, const char *name, bool *removed,
			     struct vireo_err *err)
{
	*removed = false;
	struct rtnl_link *br = link_get(n->host, name);
	if (!br)
		return 0;
	int ifindex = rtnl_link_get_ifindex(br);
	bool is_bridge = rtnl_link_get_type(br) && !strcmp(rtnl_link_get_type(br), "bridge");
	rtnl_link_put(br);
	if (!is_bridge)
		return 0;
	struct nl_cache *links;
	int r = rtnl_link_alloc_cache(n->host, AF_UNSPEC, &links);
	if (r < 0)
		return nl_fail(err, r, "cannot list the ports of bridge", name);
	bool ports = false;
	for (struct nl_object *o = nl_cache_get_first(links); o && !ports; o = nl_cache_get_next(o))
		ports = rtnl_link_get_master((struct rtnl_link *)o) == ifindex;
	nl_cache_free(links);
	if (ports)
		return 0;
	r = net_link_del(n, name, err);
	*removed = r == 0;
	return r;
}

int net_link_del(struct net *n, const char *name, struct vireo_err *err)
{
	struct rtnl_link *l = rtnl_link_alloc();
	if (!l)
		return verr(err, ENOMEM, "out of memory");
	rtnl_link_set_name(l, name);
	int r = rtnl_link_delete(n->host, l);
	rtnl_link_put(l);
	if (r < 0 && nl_errno(r) != ENODEV)
		return nl_fail(err, r, "cannot delete interface", name);
	return 0;
}

/* The host's interface name: onto the bridge master (0: leave it), up if up. */
static int link_set(struct net *n, const char *name, int master, bool up, struct vireo_err *err)
{
	if (!master && !up)
		return 0;
	struct rtnl_link *cur = link_get(n->host, name), *ch = rtnl_link_alloc();
	int r;
	if (!cur || !ch) {
		r = verr(err, ENODEV, "interface %s vanished", name);
	} else {
		if (master)
			rtnl_link_set_master(ch, master);
		if (up)
			rtnl_link_set_flags(ch, IFF_UP);
		r = rtnl_link_change(n->host, cur, ch, 0);
		if (r < 0)
			r = nl_fail(err, r, up ? "cannot bring up interface" : "cannot set up interface",
				    name);
	}
	if (cur)
		rtnl_link_put(cur);
	if (ch)
		rtnl_link_put(ch);
	return r;
}

int net_link_up(struct net *n, const char *name, struct vireo_err *err)
{
	return link_set(n, name, 0, true, err);
}

int net_veth_add(struct net *n, const struct net_veth *v, struct vireo_err *err)
{
	int master = 0;
	if (v->bridge) {
		struct rtnl_link *br = link_get(n->host, v->bridge);
		if (!br)
			return verr(err, ENODEV, "bridge %s does not exist", v->bridge);
		bool is_bridge = rtnl_link_get_type(br) && !strcmp(rtnl_link_get_type(br), "bridge");
		master = rtnl_link_get_ifindex(br);
		rtnl_link_put(br);
		if (!is_bridge)
			return verr(err, EINVAL, "%s is not a bridge", v->bridge);
	}
	struct rtnl_link *host = rtnl_link_veth_alloc();
	if (!host)
		return verr(err, ENOMEM, "out of memory");
	struct rtnl_link *guest = rtnl_link_veth_get_peer(host);
	struct nl_addr *hm = NULL, *gm = NULL;
	int r;
	rtnl_link_set_name(host, v->host_ifname);
	rtnl_link_set_name(guest, v->ifname);
	if (v->host_mac && (hm = nl_addr_build(AF_LLC, v->host_mac, NET_MAC_LEN)))
		rtnl_link_set_addr(host, hm);
	if (v->mac && (gm = nl_addr_build(AF_LLC, v->mac, NET_MAC_LEN)))
		rtnl_link_set_addr(guest, gm);
	/* The guest's end is born in its namespace: it never appears on the host. Without a
	 * guest namespace it stays on the host, for someone else to move (a restore). */
	if (n->guest)
		rtnl_link_set_ns_fd(guest, n->guest_ns);
	r = rtnl_link_add(n->host, host, NLM_F_CREATE | NLM_F_EXCL);
	if (r < 0) {
		r = nl_errno(r) == EEXIST
			    ? verr(err, EEXIST, "cannot create interface %s: it already exists",
				   v->host_ifname)
			    : nl_fail(err, r, "cannot create interface", v->host_ifname);
		goto out;
	}
	/* Then the host's end joins the bridge and comes up (unless asked to wait). */
	r = link_set(n, v->host_ifname, master, !v->host_down, err);
	if (r < 0)
		net_link_del(n, v->host_ifname, NULL);
out:
	if (hm)
		nl_addr_put(hm);
	if (gm)
		nl_addr_put(gm);
	rtnl_link_put(guest);
	rtnl_link_put(host);
	return r;
}

static int guest_ifindex(struct net *n, const char *ifname, struct vireo_err *err)
{
	if (!n->guest)
		return verr(err, EINVAL, "no guest namespace");
	struct rtnl_link *l = link_get(n->guest, ifname);
	if (!l)
		return verr(err, ENODEV, "the guest has no interface %s", ifname);
	int i = rtnl_link_get_ifindex(l);
	rtnl_link_put(l);
	return i;
}

int net_guest_up(struct net *n, const char *ifname, struct vireo_err *err)
{
	if (!n->guest)
		return verr(err, EINVAL, "no guest namespace");
	struct rtnl_link *l = link_get(n->guest, ifname), *ch = rtnl_link_alloc();
	int r;
	if (!l || !ch) {
		r = verr(err, ENODEV, "the guest has no interface %s", ifname);
	} else {
		rtnl_link_set_flags(ch, IFF_UP);
		r = rtnl_link_change(n->guest, l, ch, 0);
		if (r < 0)
			r = nl_fail(err, r, "cannot bring up the guest's", ifname);
	}
	if (l)
		rtnl_link_put(l);
	if (ch)
		rtnl_link_put(ch);
	return r;
}

int net_guest_addr(struct net *n, const char *ifname, const struct net_addr *a, bool add,
		   struct vireo_err *err)
{
	int i = guest_ifindex(n, ifname, err);
	if (i < 0)
		return i;
	int r = addr_change(n->guest, i, a, add);
	if (r < 0 && !(add && r == -NLE_EXIST) && !(!add && nl_errno(r) == EADDRNOTAVAIL)) {
		char t[32];
		net_format_addr(a, true, t, sizeof t);
		return verr(err, nl_errno(r), "cannot %s address %s %s %s: %s",
			    add ? "add" : "remove", t, add ? "to" : "from", ifname, nl_geterror(r));
	}
	return 0;
}

int net_guest_default_route(struct net *n, const char *ifname, uint32_t gw,
			    struct vireo_err *err)
{
	int i = guest_ifindex(n, ifname, err);
	if (i < 0)
		return i;
	struct rtnl_route *rt = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = NULL, *via = NULL;
	int r = -NLE_NOMEM;
	if (!rt || !nh || build_ip(0, 0, &dst) < 0 || build_ip(gw, 32, &via) < 0)
		goto out;
	rtnl_route_set_family(rt, AF_INET);
	rtnl_route_set_table(rt, RT_TABLE_MAIN);
	rtnl_route_set_protocol(rt, RTPROT_STATIC);
	rtnl_route_set_scope(rt, RT_SCOPE_UNIVERSE);
	rtnl_route_set_dst(rt, dst);
	rtnl_route_nh_set_ifindex(nh, i);
	rtnl_route_nh_set_gateway(nh, via);
	/* On-link even when the guest's own prefix does not cover the gateway. */
	rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
	rtnl_route_add_nexthop(rt, nh);
	nh = NULL; /* owned by the route now */
	r = rtnl_route_add(n->guest, rt, NLM_F_CREATE | NLM_F_REPLACE);
out:
	if (dst)
		nl_addr_put(dst);
	if (via)
		nl_addr_put(via);
	if (nh)
		rtnl_route_nh_free(nh);
	if (rt)
		rtnl_route_put(rt);
	if (r < 0)
		return nl_fail(err, r, "cannot add the default route on", ifname);
	return 0;
}

int net_guest_ping_group(struct net *n, unsigned lo, unsigned hi, struct vireo_err *err)
{
	char buf[32];
	if (n->ping_fd < 0)
		return verr(err, ENOENT, "the guest has no net.ipv4.ping_group_range");
	int len = snprintf(buf, sizeof buf, "%u %u\n", lo, hi);
	if (pwrite(n->ping_fd, buf, (size_t)len, 0) != len)
		return verr_sys(err, errno, "cannot set net.ipv4.ping_group_range in the guest");
	return 0;
}

int net_host_route(struct net *n, uint32_t addr, const char *dev, bool add, struct vireo_err *err)
{
	struct rtnl_link *l = link_get(n->host, dev);
	if (!l)
		return add ? verr(err, ENODEV, "no interface %s on the host", dev) : 0;
	int idx = rtnl_link_get_ifindex(l);
	rtnl_link_put(l);
	struct rtnl_route *rt = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = NULL;
	int r = -NLE_NOMEM;
	if (!rt || !nh || build_ip(addr, 32, &dst) < 0)
		goto out;
	rtnl_route_set_family(rt, AF_INET);
	rtnl_route_set_table(rt, RT_TABLE_MAIN);
	rtnl_route_set_protocol(rt, RTPROT_STATIC);
	rtnl_route_set_scope(rt, RT_SCOPE_LINK);
	rtnl_route_set_dst(rt, dst);
	rtnl_route_nh_set_ifindex(nh, idx);
	rtnl_route_add_nexthop(rt, nh);
	nh = NULL; /* owned by the route now */
	if (add)
		r = rtnl_route_add(n->host, rt, NLM_F_CREATE | NLM_F_REPLACE);
	else if ((r = rtnl_route_delete(n->host, rt, 0)) == -NLE_OBJ_NOTFOUND)
		r = 0;
out:
	if (dst)
		nl_addr_put(dst);
	if (nh)
		rtnl_route_nh_free(nh);
	if (rt)
		rtnl_route_put(rt);
	if (r < 0)
		return nl_fail(err, r, add ? "cannot add a host route through" :
					     "cannot remove a host route through", dev);
	return 0;
}
