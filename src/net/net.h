/* net: the guest LAN: bridges and veth pairs on the host, addresses and routes inside a
 * guest's network namespace. Knows nothing of containers or VMs: callers name interfaces and
 * hand over a namespace. IPv4 only for now. Every function returns 0 or a negative errno and
 * fills err; none prints or exits. */
#ifndef VIREO_NET_H
#define VIREO_NET_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/err.h"

#define NET_MAC_LEN 6

/* An IPv4 address with its prefix length (addr in network byte order). */
struct net_addr {
	uint32_t addr;
	uint8_t prefix; /* 0 when the text had none */
};

/* "A.B.C.D" or "A.B.C.D/P" (P 1..32), strict dotted quad. what names it in messages. */
int net_parse_addr(const char *s, struct net_addr *a, const char *what, struct vireo_err *err);
/* "A.B.C.D" or "A.B.C.D/P" into buf (at least 19 bytes); the prefix only when with_prefix. */
void net_format_addr(const struct net_addr *a, bool with_prefix, char *buf, size_t size);
/* True when addr lies in the subnet of net (net->prefix bits). */
bool net_in_subnet(uint32_t addr, const struct net_addr *net);
/* "xx:xx:xx:xx:xx:xx", unicast, not all zero. */
int net_parse_mac(const char *s, uint8_t mac[NET_MAC_LEN], const char *what,
		  struct vireo_err *err);
void net_format_mac(const uint8_t mac[NET_MAC_LEN], char *buf, size_t size);
/* An interface name: 1..15 of [A-Za-z0-9_.-], not "." or "..". */
int net_valid_ifname(const char *s, const char *what, struct vireo_err *err);
/* An IPv4 or IPv6 address as text (for name servers). */
bool net_valid_ip_text(const char *s);

/* A handle on the host's network namespace and, optionally, one guest's. */
struct net;
/* guest_pidfd: a pidfd of a process in the guest's network namespace, or -1 for host only.
 * The caller must be single-threaded (the namespace is entered for an instant). */
int net_open(int guest_pidfd, struct net **out, struct vireo_err *err);
void net_close(struct net *n);

/* --- host side --- */
bool net_link_exists(struct net *n, const char *name);
/* Make sure bridge name exists, has gw as its address (and mac as its address unless NULL),
 * and is up. A new bridge is refused when an address of another host interface overlaps
 * gw's subnet. */
int net_bridge_ensure(struct net *n, const char *name, const struct net_addr *gw,
		      const uint8_t *mac, struct vireo_err *err);
/* Delete bridge name if it exists and has no ports left; *removed says whether it went. */
int net_bridge_remove_unused(struct net *n, const char *name, bool *removed,
			     struct vireo_err *err);
/* Add (replacing) or delete the host's route to addr/32 through dev, scope link: how a host
 * reaches a guest whose address lies outside dev's subnet. Deleting one not there is fine. */
int net_host_route(struct net *n, uint32_t addr, const char *dev, bool add, struct vireo_err *err);
/* Delete a host interface; one already gone is not an error. */
int net_link_del(struct net *n, const char *name, struct vireo_err *err);

struct net_veth {
	const char *ifname;      /* the guest's end, inside its namespace */
	const char *host_ifname; /* the host's end */
	const uint8_t *mac;      /* guest end's address, NULL: chosen by the kernel */
	const uint8_t *host_mac; /* host end's address, NULL: chosen by the kernel */
	const char *bridge;      /* host end joins it; NULL: none */
	bool host_down;          /* host end stays down (no traffic yet): net_link_up later */
};
/* Create a veth pair whose guest end is born in the guest's namespace (down; see
 * net_guest_up), host end up and on the bridge. Fails with -EEXIST when host_ifname exists.
 * With a host-only handle (net_open(-1)) the guest's end is made, down, on the host. */
int net_veth_add(struct net *n, const struct net_veth *v, struct vireo_err *err);
/* Bring the host's interface name up. */
int net_link_up(struct net *n, const char *name, struct vireo_err *err);

/* --- inside the guest's namespace (net_open with a pidfd) --- */
int net_guest_up(struct net *n, const char *ifname, struct vireo_err *err);
int net_guest_addr(struct net *n, const char *ifname, const struct net_addr *a, bool add,
		   struct vireo_err *err);
/* Default route via gw on ifname (replacing any). */
int net_guest_default_route(struct net *n, const char *ifname, uint32_t gw,
			    struct vireo_err *err);
/* net.ipv4.ping_group_range of the guest's namespace (host group ids). */
int net_guest_ping_group(struct net *n, unsigned lo, unsigned hi, struct vireo_err *err);

#endif
