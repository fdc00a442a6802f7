/* ct/netcfg: a container's network as OpenVZ configures it: IP_ADDRESS, NETIF, NAMESERVER and
 * SEARCHDOMAIN in ROOT/conf/ID.conf; the live state of a running container in ROOT/run/ID/net
 * (what its supervisor and later `set` calls made); the instance's bridge and its address in
 * ROOT/vireo.conf (BRIDGE_ADDRESS). Links are made through src/net; /etc/resolv.conf inside is
 * reached only through openat2(RESOLVE_IN_ROOT). Holds an flock on the ROOT/run directory while
 * addresses are handed out or the bridge is made or removed.
 *
 * Model: the addresses live on the container's primary interface, the first NETIF entry on the
 * instance's bridge; when there is none, an implicit veth "eth0" is made for them (kept in the
 * live state only). The host end of every veth joins its bridge; the container gets a default
 * route through the bridge's address. A restore (criu.c) has the pairs of a checkpoint made
 * on the host first, their container ends under temporary names for CRIU to move in. An
 * address outside the bridge's subnet (only a container migrated here with --ignore-subnet has
 * one) gets a host route of its own (/32 on the bridge) while the container runs. */
#include "ct/ct-internal.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/parse.h"
#include "lib/util.h"
#include "net/net.h"

#define NET_MAX_IP 64
#define NET_MAX_IF 16
#define DEFAULT_BRIDGE "vireo0"
#define DEFAULT_BRIDGE_ADDRESS "10.88.0.1/16"
#define RESOLV_MAX (64u << 10)

struct netif {
	char ifname[IFNAMSIZ], host_ifname[IFNAMSIZ], bridge[IFNAMSIZ];
	uint8_t mac[NET_MAC_LEN], host_mac[NET_MAC_LEN];
	bool has_mac, has_host_mac;
};

struct netstate {
	pid_t owner; /* live state: the supervisor it belongs to (SUPERVISOR_PID), 0 unknown */
	size_t nip, nif;
	struct net_addr ip[NET_MAX_IP];
	struct netif ifs[NET_MAX_IF];
};

/* The instance's bridge: its name and gateway address. */
struct bridge {
	char name[IFNAMSIZ];
	struct net_addr gw;
	uint8_t mac[NET_MAC_LEN];
};

static uint64_t fnv64(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static bool default_instance(const struct ct_ctx *ctx)
{
	return !strcmp(ctx->instance, "vireo");
}

/* ROOT/vireo.conf's BRIDGE_ADDRESS, or the default: 10.88.0.1/16 for the default instance,
 * 10.(100+h%100).(h/100%256).1/24 from the instance's hash otherwise. */
static int bridge_get(const struct ct_ctx *ctx, struct bridge *b, struct vireo_err *err)
{
	char path[PATH_MAX], def[32];
	uint64_t h = fnv64(ctx->instance);
	memset(b, 0, sizeof *b);
	snprintf(b->name, sizeof b->name, "%s", default_instance(ctx) ? DEFAULT_BRIDGE : ctx->instance);
	if (default_instance(ctx))
		snprintf(def, sizeof def, "%s", DEFAULT_BRIDGE_ADDRESS);
	else
		snprintf(def, sizeof def, "10.%u.%u.1/24", (unsigned)(100 + h % 100),
			 (unsigned)(h / 100 % 256));
	b->mac[0] = 0x02;
	b->mac[1] = 0x76;
	for (int i = 2; i < NET_MAC_LEN; i++)
		b->mac[i] = (uint8_t)(h >> (8 * i));
	util_path(path, sizeof path, "%s/vireo.conf", ctx->root);
	const char *v = def;
	struct conf c = { 0 };
	if (access(path, F_OK) == 0) {
		int r = conf_load(&c, path, err);
		if (r < 0)
			return r;
		if (conf_get(&c, "BRIDGE_ADDRESS"))
			v = conf_get(&c, "BRIDGE_ADDRESS");
	}
	int r = net_parse_addr(v, &b->gw, "BRIDGE_ADDRESS", err);
	if (r == 0 && (!b->gw.prefix || b->gw.prefix > 30))
		r = verr(err, EINVAL, "%s: BRIDGE_ADDRESS=\"%s\" needs a prefix from 1 to 30", path, v);
	if (r < 0 && v != def)
		verr_wrap(err, "%s", path);
	conf_free(&c);
	return r;
}

/* --- the state's text forms --- */

static int ip_parse_list(const char *text, struct netstate *s, const char *where,
			 struct vireo_err *err)
{
	char *copy = strdup(text ? text : ""), *save = NULL;
	if (!copy)
		return verr(err, ENOMEM, "out of memory");
	int r = 0;
	for (char *t = strtok_r(copy, " \t", &save); t && r == 0; t = strtok_r(NULL, " \t", &save)) {
		if (s->nip == NET_MAX_IP)
			r = verr(err, E2BIG, "%s: more than %d addresses", where, NET_MAX_IP);
		else if (net_parse_addr(t, &s->ip[s->nip++], "address", err) < 0)
			r = verr_wrap(err, "%s: IP_ADDRESS", where);
	}
	free(copy);
	return r;
}

/* One "ifname=..,mac=..,host_ifname=..,host_mac=..,bridge=.." entry. */
static int netif_parse_kv(char *entry, struct netif *f, const char *where, struct vireo_err *err)
{
	char *save = NULL;
	memset(f, 0, sizeof *f);
	for (char *kv = strtok_r(entry, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		if (!eq)
			return verr(err, EINVAL, "%s: NETIF: '%.40s' is not KEY=VALUE", where, kv);
		*eq = '\0';
		const char *k = kv, *v = eq + 1;
		int r = 0;
		if (!strcmp(k, "ifname")) {
			if (!(r = net_valid_ifname(v, "interface name", err)))
				snprintf(f->ifname, sizeof f->ifname, "%s", v);
		} else if (!strcmp(k, "host_ifname")) {
			if (!(r = net_valid_ifname(v, "host interface name", err)))
				snprintf(f->host_ifname, sizeof f->host_ifname, "%s", v);
		} else if (!strcmp(k, "bridge")) {
			if (!(r = net_valid_ifname(v, "bridge name", err)))
				snprintf(f->bridge, sizeof f->bridge, "%s", v);
		} else if (!strcmp(k, "mac")) {
			r = net_parse_mac(v, f->mac, "MAC address", err);
			f->has_mac = r == 0;
		} else if (!strcmp(k, "host_mac")) {
			r = net_parse_mac(v, f->host_mac, "host MAC address", err);
			f->has_host_mac = r == 0;
		} /* other keys of OpenVZ's (mac_filter...) are kept in the file, not used */
		if (r < 0)
			return verr_wrap(err, "%s: NETIF", where);
	}
	if (!f->ifname[0] || !f->host_ifname[0])
		return verr(err, EINVAL, "%s: NETIF: an entry lacks ifname or host_ifname", where);
	return 0;
}

static int netif_parse_list(const char *text, struct netstate *s, const char *where,
			    struct vireo_err *err)
{
	char *copy = strdup(text ? text : ""), *save = NULL;
	if (!copy)
		return verr(err, ENOMEM, "out of memory");
	int r = 0;
	for (char *e = strtok_r(copy, ";", &save); e && r == 0; e = strtok_r(NULL, ";", &save)) {
		if (s->nif == NET_MAX_IF)
			r = verr(err, E2BIG, "%s: more than %d interfaces", where, NET_MAX_IF);
		else
			r = netif_parse_kv(e, &s->ifs[s->nif++], where, err);
	}
	free(copy);
	return r;
}

static int state_from_conf(const struct conf *c, struct netstate *s, const char *where,
			   struct vireo_err *err)
{
	memset(s, 0, sizeof *s);
	int r = ip_parse_list(conf_get(c, "IP_ADDRESS"), s, where, err);
	return r < 0 ? r : netif_parse_list(conf_get(c, "NETIF"), s, where, err);
}

/* The state's IP_ADDRESS and NETIF values; the caller frees both. */
static int state_format(const struct netstate *s, char **ips, char **ifs)
{
	size_t isz = s->nip * 20 + 1, fsz = s->nif * 160 + 1;
	*ips = calloc(1, isz);
	*ifs = calloc(1, fsz);
	if (!*ips || !*ifs) {
		free(*ips);
		free(*ifs);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->nip; i++) {
		char t[32];
		net_format_addr(&s->ip[i], true, t, sizeof t);
		snprintf(*ips + strlen(*ips), isz - strlen(*ips), "%s%s", i ? " " : "", t);
	}
	for (size_t i = 0; i < s->nif; i++) {
		const struct netif *f = &s->ifs[i];
		char *p = *ifs + strlen(*ifs), m[20];
		size_t left = fsz - strlen(*ifs);
		int n = snprintf(p, left, "%sifname=%s", i ? ";" : "", f->ifname);
		if (f->has_mac) {
			net_format_mac(f->mac, m, sizeof m);
			n += snprintf(p + n, left - (size_t)n, ",mac=%s", m);
		}
		n += snprintf(p + n, left - (size_t)n, ",host_ifname=%s", f->host_ifname);
		if (f->has_host_mac) {
			net_format_mac(f->host_mac, m, sizeof m);
			n += snprintf(p + n, left - (size_t)n, ",host_mac=%s", m);
		}
		if (f->bridge[0])
			snprintf(p + n, left - (size_t)n, ",bridge=%s", f->bridge);
	}
	return 0;
}

static int state_to_conf(const struct netstate *s, struct conf *c, struct vireo_err *err)
{
	char *ips, *ifs;
	if (state_format(s, &ips, &ifs) < 0)
		return verr(err, ENOMEM, "out of memory");
	int r = conf_set(c, "IP_ADDRESS", ips[0] ? ips : NULL);
	r |= conf_set(c, "NETIF", ifs[0] ? ifs : NULL);
	free(ips);
	free(ifs);
	return r ? verr(err, ENOMEM, "out of memory") : 0;
}

static void run_net_path(const struct ct_ctx *ctx, unsigned ctid, char *buf, size_t size)
{
	util_path(buf, size, "%s/run/%u/net", ctx->root, ctid);
}

/* The live state of a running container (empty when it has none). */
static int live_load(const struct ct_ctx *ctx, unsigned ctid, struct netstate *s,
		     struct vireo_err *err)
{
	char path[PATH_MAX];
	run_net_path(ctx, ctid, path, sizeof path);
	memset(s, 0, sizeof *s);
	if (access(path, F_OK) < 0)
		return 0;
	struct conf c;
	int r = conf_load(&c, path, err);
	if (r < 0)
		return r;
	r = state_from_conf(&c, s, path, err);
	const char *o = conf_get(&c, "SUPERVISOR_PID");
	s->owner = o ? (pid_t)atoi(o) : 0;
	conf_free(&c);
	return r;
}

static int live_save(const struct ct_ctx *ctx, unsigned ctid, const struct netstate *s,
		     struct vireo_err *err)
{
	char path[PATH_MAX];
	run_net_path(ctx, ctid, path, sizeof path);
	struct conf c = { 0 };
	char pid[24];
	snprintf(pid, sizeof pid, "%d", (int)s->owner);
	int r = state_to_conf(s, &c, err);
	if (r == 0 && conf_set(&c, "SUPERVISOR_PID", pid) < 0)
		r = verr(err, ENOMEM, "out of memory");
	if (r == 0)
		r = conf_save(&c, path, err);
	conf_free(&c);
	return r;
}

/* --- the model --- */

static const char *if_bridge(const struct netif *f, const struct bridge *b)
{
	return f->bridge[0] ? f->bridge : b->name;
}

/* The interface that carries the addresses, or NULL. */
static struct netif *primary(struct netstate *s, const struct bridge *b)
{
	for (size_t i = 0; i < s->nif; i++)
		if (!strcmp(if_bridge(&s->ifs[i], b), b->name))
			return &s->ifs[i];
	return NULL;
}

static struct netif *find_if(struct netstate *s, const char *ifname)
{
	for (size_t i = 0; i < s->nif; i++)
		if (!strcmp(s->ifs[i].ifname, ifname))
			return &s->ifs[i];
	return NULL;
}

static bool host_name_used(const struct netstate *s, const char *name)
{
	for (size_t i = 0; i < s->nif; i++)
		if (!strcmp(s->ifs[i].host_ifname, name))
			return true;
	return false;
}

/* veth<CTID>.<N> for the default instance, v<6 hex of the instance>.<CTID>.<N> otherwise;
 * a hashed name where those would not fit IFNAMSIZ. */
static void host_name_for(const struct ct_ctx *ctx, unsigned ctid, unsigned n, char *buf,
			  size_t size)
{
	char t[64];
	if (default_instance(ctx))
		snprintf(t, sizeof t, "veth%u.%u", ctid, n);
	else
		snprintf(t, sizeof t, "v%.6s.%u.%u", ctx->instance + 6, ctid, n);
	if (strlen(t) >= IFNAMSIZ) {
		char key[96];
		snprintf(key, sizeof key, "%s/%u/%u", ctx->instance, ctid, n);
		snprintf(t, sizeof t, "vh%012llx", (unsigned long long)(fnv64(key) & 0xffffffffffffull));
	}
	snprintf(buf, size, "%s", t);
}

/* The lowest host name veth..N free in both states. */
static void host_name_free(const struct ct_ctx *ctx, unsigned ctid, const struct netstate *a,
			   const struct netstate *b, char *buf, size_t size)
{
	for (unsigned n = 0;; n++) {
		host_name_for(ctx, ctid, n, buf, size);
		if (!host_name_used(a, buf) && (!b || !host_name_used(b, buf)))
			return;
	}
}

static void random_mac(uint8_t mac[NET_MAC_LEN])
{
	if (getrandom(mac, NET_MAC_LEN, 0) != NET_MAC_LEN)
		for (int i = 0; i < NET_MAC_LEN; i++)
			mac[i] = (uint8_t)rand();
	mac[0] = (uint8_t)((mac[0] & 0xfc) | 0x02); /* locally administered, unicast */
}

/* The live state gets the implicit interface when it has addresses but no primary. */
static int materialize(const struct ct_ctx *ctx, unsigned ctid, struct netstate *s,
		       const struct bridge *b, struct vireo_err *err)
{
	if (!s->nip || primary(s, b))
		return 0;
	if (s->nif == NET_MAX_IF)
		return verr(err, E2BIG, "container %u has too many interfaces", ctid);
	struct netif *f = &s->ifs[s->nif];
	memset(f, 0, sizeof *f);
	snprintf(f->ifname, sizeof f->ifname, "eth0");
	for (unsigned i = 1; find_if(s, f->ifname); i++)
		snprintf(f->ifname, sizeof f->ifname, "eth%u", i);
	host_name_free(ctx, ctid, s, NULL, f->host_ifname, sizeof f->host_ifname);
	/* A stable address across restarts, so neighbours' ARP caches stay right. */
	char key[96];
	snprintf(key, sizeof key, "%s/%u/%s", ctx->instance, ctid, f->ifname);
	uint64_t h = fnv64(key);
	f->mac[0] = 0x02;
	for (int i = 1; i < NET_MAC_LEN; i++)
		f->mac[i] = (uint8_t)(h >> (8 * i));
	f->has_mac = true;
	s->nif++;
	return 0;
}

/* --- other containers' addresses --- */

/* Fail when addr is held by another container of the instance: in its configuration
 * (with_conf) or live. */
static int addr_used_elsewhere(const struct ct_ctx *ctx, unsigned self, const struct netstate *want,
			       bool with_conf, struct vireo_err *err)
{
	char dir[PATH_MAX];
	static const char *const subdirs[] = { "conf", "run" };
	for (size_t d = with_conf ? 0 : 1; d < 2; d++) {
		util_path(dir, sizeof dir, "%s/%s", ctx->root, subdirs[d]);
		DIR *dh = opendir(dir);
		if (!dh)
			continue;
		struct dirent *de;
		while ((de = readdir(dh))) {
			unsigned id;
			char idbuf[16];
			size_t len = strcspn(de->d_name, ".");
			if (len == 0 || len >= sizeof idbuf)
				continue;
			memcpy(idbuf, de->d_name, len);
			idbuf[len] = '\0';
			if (parse_ctid(idbuf, &id, NULL) < 0 || id == self)
				continue;
			if (d == 0 && strcmp(de->d_name + len, ".conf"))
				continue;
			if (d == 1 && (de->d_name[len] || !ct_is_running(ctx, id)))
				continue;
			char path[PATH_MAX];
			if (d == 0)
				util_path(path, sizeof path, "%s/%s", dir, de->d_name);
			else
				run_net_path(ctx, id, path, sizeof path);
			struct conf c;
			if (access(path, F_OK) < 0 || conf_load(&c, path, NULL) < 0)
				continue;
			struct netstate other;
			memset(&other, 0, sizeof other);
			ip_parse_list(conf_get(&c, "IP_ADDRESS"), &other, path, NULL);
			conf_free(&c);
			for (size_t i = 0; i < want->nip; i++)
				for (size_t k = 0; k < other.nip; k++)
					if (want->ip[i].addr == other.ip[k].addr) {
						char t[32];
						closedir(dh);
						net_format_addr(&want->ip[i], false, t, sizeof t);
						return verr(err, EADDRINUSE,
							    "address %s is already used by container %u", t, id);
					}
		}
		closedir(dh);
	}
	return 0;
}

/* The instance's network lock: an flock on the ROOT/run directory itself, so taking it
 * creates nothing (a refused command leaves the instance as it was). */
static int net_lock(const struct ct_ctx *ctx, struct vireo_err *err)
{
	char path[PATH_MAX];
	util_path(path, sizeof path, "%s/run", ctx->root);
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return verr_sys(err, errno, "cannot open %s", path);
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			int e = errno;
			close(fd);
			return verr_sys(err, e, "cannot lock %s", path);
		}
	}
	return fd;
}

static void net_unlock(int fd)
{
	close(fd);
}

/* --- making the live state real --- */

/* The pair of f, its host end on its bridge; the guest's end is named ifname, in the guest's
 * namespace when n has one, else on the host. */
static int veth_pair(struct net *n, const struct netif *f, const char *ifname, bool host_down,
		     const struct bridge *b, struct vireo_err *err)
{
	const char *br = if_bridge(f, b);
	int r;
	if (!strcmp(br, b->name) && (r = net_bridge_ensure(n, b->name, &b->gw, b->mac, err)) < 0)
		return r;
	/* A veth whose namespace is still being torn down (a crashed supervisor) may linger. */
	for (int i = 0; i < 20 && net_link_exists(n, f->host_ifname); i++)
		usleep(50000);
	struct net_veth v = { .ifname = ifname, .host_ifname = f->host_ifname,
			      .mac = f->has_mac ? f->mac : NULL,
			      .host_mac = f->has_host_mac ? f->host_mac : NULL, .bridge = br,
			      .host_down = host_down };
	return net_veth_add(n, &v, err);
}

static int veth_make(const struct ct_ctx *ctx, struct net *n, const struct netif *f,
		     const struct bridge *b, struct vireo_err *err)
{
	(void)ctx;
	int r = veth_pair(n, f, f->ifname, false, b, err);
	return r < 0 ? r : net_guest_up(n, f->ifname, err);
}

/* Turn the live state old into new: interfaces, addresses, default route. */
/* Host routes (/32 on the bridge) for the addresses of new outside the bridge's subnet;
 * those of old that new lacks go. */
static int foreign_routes(struct net *n, const struct netstate *old, const struct netstate *new,
			  const struct bridge *b, struct vireo_err *err)
{
	for (size_t i = 0; i < old->nip; i++) {
		bool keep = false;
		for (size_t k = 0; k < new->nip; k++)
			keep |= new->ip[k].addr == old->ip[i].addr;
		if (!keep && !net_in_subnet(old->ip[i].addr, &b->gw))
			net_host_route(n, old->ip[i].addr, b->name, false, NULL);
	}
	for (size_t i = 0; i < new->nip; i++) {
		int r;
		if (!net_in_subnet(new->ip[i].addr, &b->gw) &&
		    (r = net_host_route(n, new->ip[i].addr, b->name, true, err)) < 0)
			return r;
	}
	return 0;
}

static int sync_live(const struct ct_ctx *ctx, struct net *n, struct netstate *old,
		     struct netstate *new, const struct bridge *b, struct vireo_err *err)
{
	int r;
	for (size_t i = 0; i < old->nif; i++) {
		struct netif *f = find_if(new, old->ifs[i].ifname);
		if (!f || strcmp(f->host_ifname, old->ifs[i].host_ifname))
			if ((r = net_link_del(n, old->ifs[i].host_ifname, err)) < 0)
				return r;
	}
	for (size_t i = 0; i < new->nif; i++) {
		struct netif *f = find_if(old, new->ifs[i].ifname);
		if (!f || strcmp(f->host_ifname, new->ifs[i].host_ifname))
			if ((r = veth_make(ctx, n, &new->ifs[i], b, err)) < 0)
				return r;
	}
	struct netif *po = primary(old, b), *pn = primary(new, b);
	if (!pn)
		return 0;
	bool fresh = !po || strcmp(po->ifname, pn->ifname) || strcmp(po->host_ifname, pn->host_ifname);
	for (size_t i = 0; !fresh && i < old->nip; i++) {
		bool keep = false;
		for (size_t k = 0; k < new->nip; k++)
			keep |= new->ip[k].addr == old->ip[i].addr && new->ip[k].prefix == old->ip[i].prefix;
		struct net_addr a = old->ip[i];
		if (!a.prefix)
			a.prefix = b->gw.prefix; /* as it was added */
		if (!keep && (r = net_guest_addr(n, pn->ifname, &a, false, err)) < 0)
			return r;
	}
	for (size_t i = 0; i < new->nip; i++) {
		struct net_addr a = new->ip[i];
		bool had = false;
		for (size_t k = 0; !fresh && k < old->nip; k++)
			had |= old->ip[k].addr == a.addr && old->ip[k].prefix == a.prefix;
		if (had)
			continue;
		if (!a.prefix)
			a.prefix = b->gw.prefix;
		if ((r = net_guest_addr(n, pn->ifname, &a, true, err)) < 0)
			return r;
	}
	/* The host reaches an address outside the bridge's subnet (a container migrated here
	 * with --ignore-subnet) through a route of its own to it. */
	if ((r = foreign_routes(n, old, new, b, err)) < 0)
		return r;
	/* Removing the last address took the route with it; a new one brings it back. */
	if (new->nip && (fresh || !old->nip))
		return net_guest_default_route(n, pn->ifname, b->gw.addr, err);
	return 0;
}

/* --- resolv.conf --- */

static bool line_is(const char *l, const char *word)
{
	size_t n = strlen(word);
	return !strncmp(l, word, n) && (l[n] == ' ' || l[n] == '\t');
}

static int resolv_write(const struct ct_ctx *ctx, const struct ct_config *cfg, const char *ns,
			const char *search, struct vireo_err *err)
{
	int etcfd = ct_etc_open(ctx, cfg, err);
	if (etcfd < 0)
		return etcfd;
	char *old = NULL, *out = NULL;
	struct stat st;
	int r = ct_etc_read(etcfd, "resolv.conf", &old, &st, err);
	if (r < 0)
		goto done;
	size_t cap = strlen(old) + (ns ? strlen(ns) * 2 : 0) + (search ? strlen(search) : 0) + 256;
	if (!(out = calloc(1, cap))) {
		r = verr(err, ENOMEM, "out of memory");
		goto done;
	}
	/* The search line and name servers first, then every other line as it was. */
	if (search && *search)
		snprintf(out + strlen(out), cap - strlen(out), "search %s\n", search);
	char *copy = strdup(ns ? ns : ""), *save = NULL;
	for (char *t = copy ? strtok_r(copy, " ", &save) : NULL; t; t = strtok_r(NULL, " ", &save))
		snprintf(out + strlen(out), cap - strlen(out), "nameserver %s\n", t);
	free(copy);
	for (char *l = old, *nl; l && *l; l = nl) {
		nl = strchr(l, '\n');
		nl = nl ? nl + 1 : l + strlen(l);
		bool drop = (ns && *ns && line_is(l, "nameserver")) ||
			    (search && *search && (line_is(l, "search") || line_is(l, "domain")));
		if (!drop)
			snprintf(out + strlen(out), cap - strlen(out), "%.*s", (int)(nl - l), l);
	}
	uid_t root_disk = cfg->userns && cfg->idmap == CT_IDMAP_SHIFT ? cfg->uidbase : 0;
	r = ct_etc_write(etcfd, "resolv.conf", out, &st, root_disk, root_disk, 0644, err);
done:
	free(old);
	free(out);
	close(etcfd);
	return r;
}

/* --- what start, stop, set and destroy call --- */

int ct_net_start(const struct ct_ctx *ctx, const struct ct_config *cfg, int pidfd,
		 struct vireo_err *err)
{
	char where[PATH_MAX];
	ct_path(ctx, cfg->ctid, CT_PATH_CONF, where, sizeof where);
	const char *ns = conf_get(&cfg->raw, "NAMESERVER"), *sd = conf_get(&cfg->raw, "SEARCHDOMAIN");
	int r;
	if (((ns && *ns) || (sd && *sd)) && (r = resolv_write(ctx, cfg, ns, sd, err)) < 0)
		return r;
	struct netstate want, none;
	memset(&none, 0, sizeof none);
	if ((r = state_from_conf(&cfg->raw, &want, where, err)) < 0)
		return r;
	if (!want.nip && !want.nif)
		return 0;
	struct bridge b;
	if ((r = bridge_get(ctx, &b, err)) < 0)
		return r;
	int lk = net_lock(ctx, err);
	if (lk < 0)
		return lk;
	struct net *n = NULL;
	if ((r = addr_used_elsewhere(ctx, cfg->ctid, &want, false, err)) < 0 ||
	    (r = materialize(ctx, cfg->ctid, &want, &b, err)) < 0 ||
	    (r = net_open(pidfd, &n, err)) < 0)
		goto out;
	if ((r = sync_live(ctx, n, &none, &want, &b, err)) < 0) {
		sync_live(ctx, n, &want, &none, &b, NULL);
		goto out;
	}
	/* ping without a raw socket, for every user inside (as on an OpenVZ host). */
	if (cfg->userns)
		r = net_guest_ping_group(n, cfg->uidbase, cfg->uidbase + CT_UIDS - 1, err);
	else
		r = net_guest_ping_group(n, 0, 2147483647u, err);
	want.owner = getpid();
	if (r == 0)
		r = live_save(ctx, cfg->ctid, &want, err);
	if (r < 0)
		sync_live(ctx, n, &want, &none, &b, NULL);
out:
	net_close(n);
	net_unlock(lk);
	return r;
}

void ct_net_stop(const struct ct_ctx *ctx, unsigned ctid)
{
	char path[PATH_MAX];
	struct netstate s;
	run_net_path(ctx, ctid, path, sizeof path);
	if (access(path, F_OK) < 0)
		return;
	struct net *n;
	/* Only the supervisor that made them: a file a crashed one left names links that went
	 * with its namespace, and their names may have been reused since. */
	if (live_load(ctx, ctid, &s, NULL) == 0 && s.owner == getpid() &&
	    net_open(-1, &n, NULL) == 0) {
		/* Deleting the host end takes the pair: no waiting for the namespace to die. */
		for (size_t i = 0; i < s.nif; i++)
			net_link_del(n, s.ifs[i].host_ifname, NULL);
		struct netstate none;
		struct bridge b;
		memset(&none, 0, sizeof none);
		if (bridge_get(ctx, &b, NULL) == 0)
			foreign_routes(n, &s, &none, &b, NULL);
		net_close(n);
	}
	unlink(path);
}

/* --- restore (criu.c): the pairs exist before CRIU brings the tree back --- */

/* The host name of a container's end until CRIU moves it in ("vr" + a hash). */
static void restore_tmp_name(const struct ct_ctx *ctx, const char *host_ifname, char *buf,
			     size_t size)
{
	char key[96];
	snprintf(key, sizeof key, "restore/%s/%s", ctx->instance, host_ifname);
	snprintf(buf, size, "vr%012llx", (unsigned long long)(fnv64(key) & 0xffffffffffffull));
}

int ct_net_restore_links(const struct ct_ctx *ctx, unsigned ctid, const char *text, size_t len,
			 char **moves, struct vireo_err *err)
{
	static const char where[] = "the checkpoint's vireo-net.conf";
	struct conf c = { 0 };
	struct netstate s;
	*moves = NULL;
	int r = conf_parse(&c, text, len, where, err);
	if (r < 0)
		return r;
	r = state_from_conf(&c, &s, where, err);
	conf_free(&c);
	if (r < 0)
		return r;
	struct bridge b;
	if ((r = bridge_get(ctx, &b, err)) < 0)
		return r;
	/* An address outside the bridge's subnet (migrate --ignore-subnet checked it) gets its
	 * host route below; migrate-recv then points the default route at this bridge. */
	size_t cap = s.nif * (2 * IFNAMSIZ + 16) + 1, made = 0;
	char *out = calloc(1, cap);
	if (!out)
		return verr(err, ENOMEM, "out of memory");
	int lk = net_lock(ctx, err);
	if (lk < 0) {
		free(out);
		return lk;
	}
	struct net *n = NULL;
	if ((r = addr_used_elsewhere(ctx, ctid, &s, false, err)) < 0 ||
	    (r = net_open(-1, &n, err)) < 0)
		goto out;
	for (; made < s.nif; made++) {
		const struct netif *f = &s.ifs[made];
		char tmp[IFNAMSIZ];
		restore_tmp_name(ctx, f->host_ifname, tmp, sizeof tmp);
		net_link_del(n, tmp, NULL); /* one a killed restore left behind */
		/* The host end stays down until the tree is back (ct_net_restore_up): until CRIU has
		 * restored the namespace's firewall, with its own lock, a peer's packet reaching
		 * the address before its socket is back would be answered with a reset. */
		if ((r = veth_pair(n, f, tmp, true, &b, err)) < 0)
			break;
		size_t used = strlen(out);
		snprintf(out + used, cap - used, "netdev[%s]:%s\n", f->ifname, tmp);
	}
	struct netstate none;
	memset(&none, 0, sizeof none);
	if (r == 0)
		r = foreign_routes(n, &none, &s, &b, err);
	/* Recorded as this supervisor's: a failed restore and a later stop delete them. */
	s.owner = getpid();
	if (r == 0)
		r = live_save(ctx, ctid, &s, err);
	if (r < 0) {
		for (size_t i = 0; i < made; i++)
			net_link_del(n, s.ifs[i].host_ifname, NULL);
		foreign_routes(n, &s, &none, &b, NULL);
	}
out:
	net_close(n);
	net_unlock(lk);
	if (r < 0)
		free(out);
	else
		*moves = out;
	return r;
}

int ct_net_restore_up(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err)
{
	struct netstate s;
	int r = live_load(ctx, ctid, &s, err);
	if (r < 0 || !s.nif)
		return r;
	struct net *n = NULL;
	if ((r = net_open(-1, &n, err)) < 0)
		return r;
	for (size_t i = 0; i < s.nif && r == 0; i++)
		r = net_link_up(n, s.ifs[i].host_ifname, err);
	net_close(n);
	return r;
}

/* Does a configuration or live state put an interface on the instance's bridge? */
static bool uses_bridge(const struct conf *c, const struct bridge *b)
{
	struct netstate s;
	if (state_from_conf(c, &s, "", NULL) < 0)
		return true; /* unreadable: keep the bridge */
	return s.nip || primary(&s, b);
}

void ct_net_destroy(const struct ct_ctx *ctx)
{
	struct bridge b;
	if (bridge_get(ctx, &b, NULL) < 0)
		return;
	int lk = net_lock(ctx, NULL);
	if (lk < 0)
		return;
	char dir[PATH_MAX];
	util_path(dir, sizeof dir, "%s/conf", ctx->root);
	bool used = false;
	DIR *dh = opendir(dir);
	struct dirent *de;
	while (dh && !used && (de = readdir(dh))) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".conf") || de->d_name[0] == '.')
			continue;
		char path[PATH_MAX];
		struct conf c;
		util_path(path, sizeof path, "%s/%s", dir, de->d_name);
		if (conf_load(&c, path, NULL) < 0)
			continue;
		used = uses_bridge(&c, &b);
		conf_free(&c);
	}
	if (dh)
		closedir(dh);
	struct net *n;
	if (!used && net_open(-1, &n, NULL) == 0) {
		bool removed;
		net_bridge_remove_unused(n, b.name, &removed, NULL);
		net_close(n);
	}
	net_unlock(lk);
}

void ct_net_list_ip(const struct ct_ctx *ctx, const struct ct_config *cfg, bool running,
		    char *buf, size_t size)
{
	struct netstate s;
	buf[0] = '\0';
	if (running) {
		if (live_load(ctx, cfg->ctid, &s, NULL) < 0)
			return;
	} else if (state_from_conf(&cfg->raw, &s, "", NULL) < 0) {
		return;
	}
	for (size_t i = 0; i < s.nip; i++) {
		char t[32];
		size_t used = strlen(buf);
		net_format_addr(&s.ip[i], false, t, sizeof t);
		if (used + strlen(t) + 2 > size)
			break;
		snprintf(buf + used, size - used, "%s%s", i ? " " : "", t);
	}
}

/* --- set --- */

bool ct_net_opts_any(const struct ct_net_opts *o)
{
	return o->n_ipadd || o->n_ipdel || o->n_nameserver || o->n_searchdomain || o->n_netif_add ||
	       o->n_netif_del;
}

/* A --netif_add spec: NAME[,MAC,HOST_IFNAME,HOST_MAC,BRIDGE], empty fields allowed. */
static int netif_spec(const char *spec, struct netif *f, struct vireo_err *err)
{
	char buf[256], *fields[5] = { 0 };
	memset(f, 0, sizeof *f);
	if (strlen(spec) >= sizeof buf)
		return verr(err, EINVAL, "invalid --netif_add '%.40s...': too long", spec);
	snprintf(buf, sizeof buf, "%s", spec);
	size_t nf = 0;
	for (char *p = buf; p; nf++) {
		if (nf == 5)
			return verr(err, EINVAL,
				    "invalid --netif_add '%.60s': expected NAME[,MAC,HOST_IFNAME,HOST_MAC,BRIDGE]",
				    spec);
		fields[nf] = p;
		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
	}
	int r;
	if ((r = net_valid_ifname(fields[0], "interface name", err)) < 0)
		return r;
	snprintf(f->ifname, sizeof f->ifname, "%s", fields[0]);
	if (fields[1] && *fields[1]) {
		if ((r = net_parse_mac(fields[1], f->mac, "MAC address", err)) < 0)
			return r;
		f->has_mac = true;
	}
	if (fields[2] && *fields[2]) {
		if ((r = net_valid_ifname(fields[2], "host interface name", err)) < 0)
			return r;
		snprintf(f->host_ifname, sizeof f->host_ifname, "%s", fields[2]);
	}
	if (fields[3] && *fields[3]) {
		if ((r = net_parse_mac(fields[3], f->host_mac, "host MAC address", err)) < 0)
			return r;
		f->has_host_mac = true;
	}
	if (fields[4] && *fields[4]) {
		if ((r = net_valid_ifname(fields[4], "bridge name", err)) < 0)
			return r;
		snprintf(f->bridge, sizeof f->bridge, "%s", fields[4]);
	}
	return 0;
}

int ct_net_check_opts(const struct ct_net_opts *o, struct vireo_err *err)
{
	struct net_addr a;
	struct netif f;
	int r;
	for (size_t i = 0; i < o->n_ipadd; i++)
		if ((r = net_parse_addr(o->ipadd[i], &a, "--ipadd address", err)) < 0)
			return r;
	for (size_t i = 0; i < o->n_ipdel; i++)
		if (strcmp(o->ipdel[i], "all") &&
		    (r = net_parse_addr(o->ipdel[i], &a, "--ipdel address", err)) < 0)
			return r;
	for (size_t i = 0; i < o->n_nameserver; i++)
		if (!net_valid_ip_text(o->nameserver[i]))
			return verr(err, EINVAL, "invalid --nameserver '%.60s': expected an IP address",
				    o->nameserver[i]);
	for (size_t i = 0; i < o->n_searchdomain; i++)
		if (parse_hostname(o->searchdomain[i], NULL) < 0)
			return verr(err, EINVAL, "invalid --searchdomain '%.60s': expected a domain name",
				    o->searchdomain[i]);
	for (size_t i = 0; i < o->n_netif_add; i++)
		if ((r = netif_spec(o->netif_add[i], &f, err)) < 0)
			return r;
	for (size_t i = 0; i < o->n_netif_del; i++)
		if (strcmp(o->netif_del[i], "all") &&
		    (r = net_valid_ifname(o->netif_del[i], "--netif_del interface name", err)) < 0)
			return r;
	return 0;
}

/* Apply the options to one state (the configuration or the live one). A lenient state (the
 * live one when --save makes the configuration the authority) skips what it already has or
 * lacks instead of failing. */
static int apply_opts(const struct ct_net_opts *o, const struct netif *adds, unsigned ctid,
		      struct netstate *s, const struct bridge *b, bool lenient,
		      struct vireo_err *err)
{
	for (size_t i = 0; i < o->n_netif_del; i++) {
		if (!strcmp(o->netif_del[i], "all")) {
			s->nif = 0;
			continue;
		}
		struct netif *f = find_if(s, o->netif_del[i]);
		if (!f && lenient)
			continue;
		if (!f)
			return verr(err, ENOENT, "container %u has no interface %s", ctid, o->netif_del[i]);
		memmove(f, f + 1, (size_t)(s->ifs + s->nif - (f + 1)) * sizeof *f);
		s->nif--;
	}
	for (size_t i = 0; i < o->n_netif_add; i++) {
		if (lenient && (find_if(s, adds[i].ifname) || host_name_used(s, adds[i].host_ifname)))
			continue;
		if (find_if(s, adds[i].ifname))
			return verr(err, EEXIST, "container %u already has interface %s", ctid,
				    adds[i].ifname);
		if (host_name_used(s, adds[i].host_ifname))
			return verr(err, EEXIST, "container %u already uses host interface %s", ctid,
				    adds[i].host_ifname);
		if (s->nif == NET_MAX_IF)
			return verr(err, E2BIG, "container %u: at most %d interfaces", ctid, NET_MAX_IF);
		s->ifs[s->nif++] = adds[i];
	}
	for (size_t i = 0; i < o->n_ipdel; i++) {
		if (!strcmp(o->ipdel[i], "all")) {
			s->nip = 0;
			continue;
		}
		struct net_addr a;
		net_parse_addr(o->ipdel[i], &a, "address", NULL);
		size_t k = 0;
		while (k < s->nip && s->ip[k].addr != a.addr)
			k++;
		if (k == s->nip && lenient)
			continue;
		if (k == s->nip)
			return verr(err, ENOENT, "container %u has no address %s", ctid, o->ipdel[i]);
		memmove(&s->ip[k], &s->ip[k + 1], (s->nip - k - 1) * sizeof s->ip[0]);
		s->nip--;
	}
	for (size_t i = 0; i < o->n_ipadd; i++) {
		struct net_addr a;
		net_parse_addr(o->ipadd[i], &a, "address", NULL);
		char t[32], g[32];
		net_format_addr(&a, false, t, sizeof t);
		bool dup = false;
		for (size_t k = 0; k < s->nip; k++)
			dup |= s->ip[k].addr == a.addr;
		if (dup && lenient)
			continue;
		if (dup)
			return verr(err, EEXIST, "container %u already has address %s", ctid, t);
		net_format_addr(&b->gw, true, g, sizeof g);
		uint32_t host = a.addr & ~htonl(~0u << (32 - b->gw.prefix));
		if (!net_in_subnet(a.addr, &b->gw))
			return verr(err, EINVAL,
				    "address %s is not in the subnet of bridge %s (%s); set "
				    "BRIDGE_ADDRESS in the instance's vireo.conf to change it", t, b->name, g);
		if (a.addr == b->gw.addr || host == 0 || host == ~htonl(~0u << (32 - b->gw.prefix)))
			return verr(err, EINVAL, "address %s is the gateway, network or broadcast "
				    "address of bridge %s (%s)", t, b->name, g);
		if (s->nip == NET_MAX_IP)
			return verr(err, E2BIG, "container %u: at most %d addresses", ctid, NET_MAX_IP);
		s->ip[s->nip++] = a;
	}
	return 0;
}

static int join_list(const char *const *v, size_t n, char **out)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	*out = calloc(1, len);
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		snprintf(*out + strlen(*out), len - strlen(*out), "%s%s", i ? " " : "", v[i]);
	return 0;
}

int ct_net_set(const struct ct_ctx *ctx, struct ct_config *cfg, const struct ct_net_opts *o,
	       bool running, bool save, struct vireo_err *err)
{
	char where[PATH_MAX];
	unsigned ctid = cfg->ctid;
	ct_path(ctx, ctid, CT_PATH_CONF, where, sizeof where);
	int r;
	/* Every spec parsed once, so the live state and the configuration get the same MACs
	 * and host names. */
	struct netif adds[NET_MAX_IF];
	if (o->n_netif_add > NET_MAX_IF)
		return verr(err, E2BIG, "at most %d --netif_add", NET_MAX_IF);
	struct bridge b;
	if ((r = bridge_get(ctx, &b, err)) < 0)
		return r;
	struct netstate conf_s, live_old, live_new;
	if ((r = state_from_conf(&cfg->raw, &conf_s, where, err)) < 0)
		return r;
	if (running && (r = live_load(ctx, ctid, &live_old, err)) < 0)
		return r;
	if (!running)
		memset(&live_old, 0, sizeof live_old);
	for (size_t i = 0; i < o->n_netif_add; i++) {
		netif_spec(o->netif_add[i], &adds[i], NULL);
		if (!adds[i].has_mac) {
			random_mac(adds[i].mac);
			adds[i].has_mac = true;
		}
		if (!adds[i].has_host_mac) {
			random_mac(adds[i].host_mac);
			adds[i].has_host_mac = true;
		}
		if (!adds[i].host_ifname[0]) {
			struct netstate both = conf_s;
			for (size_t k = 0; k < i; k++)
				if (both.nif < NET_MAX_IF)
					both.ifs[both.nif++] = adds[k];
			host_name_free(ctx, ctid, &both, &live_old, adds[i].host_ifname,
				       sizeof adds[i].host_ifname);
		}
		if (adds[i].bridge[0] && !strcmp(adds[i].bridge, b.name))
			adds[i].bridge[0] = '\0'; /* the instance's bridge is the default */
	}
	int lk = net_lock(ctx, err);
	if (lk < 0)
		return lk;
	struct net *n = NULL;
	char *ns = NULL, *sd = NULL;
	struct netstate conf_new = conf_s;
	live_new = live_old;
	if (save && (r = apply_opts(o, adds, ctid, &conf_new, &b, false, err)) < 0)
		goto out;
	if (running && (r = apply_opts(o, adds, ctid, &live_new, &b, save, err)) < 0)
		goto out;
	/* Addresses new to this container must be free in the whole instance. */
	struct netstate added;
	memset(&added, 0, sizeof added);
	for (size_t i = 0; i < o->n_ipadd; i++)
		net_parse_addr(o->ipadd[i], &added.ip[added.nip++], "address", NULL);
	if ((r = addr_used_elsewhere(ctx, ctid, &added, true, err)) < 0)
		goto out;
	if ((o->n_nameserver && join_list(o->nameserver, o->n_nameserver, &ns) < 0) ||
	    (o->n_searchdomain && join_list(o->searchdomain, o->n_searchdomain, &sd) < 0)) {
		r = verr(err, ENOMEM, "out of memory");
		goto out;
	}
	if (save) {
		if ((r = state_to_conf(&conf_new, &cfg->raw, err)) < 0)
			goto out;
		if ((ns && conf_set(&cfg->raw, "NAMESERVER", ns) < 0) ||
		    (sd && conf_set(&cfg->raw, "SEARCHDOMAIN", sd) < 0)) {
			r = verr(err, ENOMEM, "out of memory");
			goto out;
		}
	}
	if (running && (o->n_ipadd || o->n_ipdel || o->n_netif_add || o->n_netif_del)) {
		struct ct_runstate rs;
		int pidfd = ct_init_pidfd(ctx, ctid, &rs, err);
		if (pidfd < 0) {
			r = pidfd;
			goto out;
		}
		live_new.owner = live_old.owner = rs.supervisor_pid;
		r = materialize(ctx, ctid, &live_new, &b, err);
		if (r == 0)
			r = net_open(pidfd, &n, err);
		close(pidfd);
		if (r == 0)
			r = sync_live(ctx, n, &live_old, &live_new, &b, err);
		if (r == 0 && !live_old.nif && live_new.nif)
			r = net_guest_ping_group(n, cfg->userns ? cfg->uidbase : 0,
						 cfg->userns ? cfg->uidbase + CT_UIDS - 1 : 2147483647u, err);
		/* What was made is recorded even after a failure, so stop removes it. */
		int r2 = live_save(ctx, ctid, r == 0 ? &live_new : &live_old, r == 0 ? err : NULL);
		if (r == 0)
			r = r2;
		if (r < 0)
			goto out;
	}
	if ((ns || sd) && (r = resolv_write(ctx, cfg, ns, sd, err)) < 0)
		goto out;
out:
	free(ns);
	free(sd);
	net_close(n);
	net_unlock(lk);
	return r;
}

int ct_net_check_incoming(const struct ct_ctx *ctx, unsigned ctid, const char *ips,
			  bool any_subnet, struct vireo_err *err)
{
	struct bridge b;
	int r = bridge_get(ctx, &b, err);
	if (r < 0)
		return r;
	struct netstate want;
	memset(&want, 0, sizeof want);
	char *copy = strdup(ips), *save = NULL;
	if (!copy)
		return verr(err, ENOMEM, "out of memory");
	for (char *t = strtok_r(copy, ",", &save); t && r == 0; t = strtok_r(NULL, ",", &save)) {
		struct net_addr a;
		char g[32];
		net_format_addr(&b.gw, true, g, sizeof g);
		if (net_parse_addr(t, &a, "address", err) < 0)
			r = -EINVAL;
		else if (a.addr == b.gw.addr)
			r = verr(err, EADDRINUSE, "address %s of container %u is the address of bridge %s "
				 "(%s) here", t, ctid, b.name, g);
		else if (!any_subnet && !net_in_subnet(a.addr, &b.gw))
			r = verr(err, EADDRNOTAVAIL, "address %s of container %u is not in the subnet of "
				 "bridge %s (%s): it would be unreachable there (--ignore-subnet moves it "
				 "anyway)", t, ctid, b.name, g);
		else if (want.nip < NET_MAX_IP)
			want.ip[want.nip++] = a;
	}
	free(copy);
	return r < 0 ? r : addr_used_elsewhere(ctx, ctid, &want, true, err);
}

int ct_net_adopt(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err)
{
	struct netstate s, none;
	struct bridge b;
	memset(&none, 0, sizeof none);
	if (live_load(ctx, ctid, &s, NULL) < 0 || !s.nip)
		return 0;
	int r = bridge_get(ctx, &b, err);
	if (r < 0)
		return r;
	struct netif *pn = primary(&s, &b);
	struct ct_runstate rs;
	int pidfd = ct_init_pidfd(ctx, ctid, &rs, err);
	if (pidfd < 0)
		return pidfd;
	int lk = net_lock(ctx, err);
	if (lk < 0) {
		close(pidfd);
		return lk;
	}
	struct net *n = NULL;
	if ((r = net_open(pidfd, &n, err)) == 0 && pn)
		r = net_guest_default_route(n, pn->ifname, b.gw.addr, err);
	if (r == 0)
		r = foreign_routes(n, &none, &s, &b, err);
	net_close(n);
	net_unlock(lk);
	close(pidfd);
	return r;
}
