/* tests/unit/test-net: net's parsers: IPv4 addresses with prefixes, subnets, MACs, interface
 * names, name server addresses. */
#include <arpa/inet.h>
#include <string.h>

#include "check.h"
#include "net/net.h"

static bool addr_ok(const char *s, const char *want_ip, unsigned want_prefix)
{
	struct vireo_err err = { 0 };
	struct net_addr a;
	if (net_parse_addr(s, &a, "address", &err) < 0)
		return false;
	struct in_addr in;
	inet_pton(AF_INET, want_ip, &in);
	return a.addr == in.s_addr && a.prefix == want_prefix;
}

static bool addr_bad(const char *s, const char *needle)
{
	struct vireo_err err = { 0 };
	struct net_addr a;
	int r = net_parse_addr(s, &a, "address", &err);
	return r < 0 && r == -err.code && strstr(err.msg, needle) && !strchr(err.msg, '\n');
}

static void test_addr(void)
{
	CHECK(addr_ok("10.1.2.3", "10.1.2.3", 0));
	CHECK(addr_ok("10.1.2.3/24", "10.1.2.3", 24));
	CHECK(addr_ok("0.0.0.0/1", "0.0.0.0", 1));
	CHECK(addr_ok("255.255.255.255/32", "255.255.255.255", 32));
	CHECK(addr_bad("10.1.2.300", "expected an IPv4 address"));
	CHECK(addr_bad("10.1.2", "expected an IPv4 address"));
	CHECK(addr_bad("", "expected an IPv4 address"));
	CHECK(addr_bad(NULL, "expected an IPv4 address"));
	CHECK(addr_bad("10.1.2.3 ", "expected an IPv4 address"));
	CHECK(addr_bad(" 10.1.2.3", "expected an IPv4 address"));
	CHECK(addr_bad("010.1.2.3", "expected an IPv4 address"));
	CHECK(addr_bad("10.1.2.3/0", "prefix"));
	CHECK(addr_bad("10.1.2.3/33", "prefix"));
	CHECK(addr_bad("10.1.2.3/", "prefix"));
	CHECK(addr_bad("10.1.2.3/08", "prefix"));
	CHECK(addr_bad("10.1.2.3/+8", "prefix"));
	CHECK(addr_bad("10.1.2.3/8/8", "prefix"));
	CHECK(addr_bad("10.1.2.3/999999999999", "prefix"));
	CHECK(addr_bad("::1", "only IPv4"));
	CHECK(addr_bad("2001:db8::1/64", "only IPv4"));
	char big[100];
	memset(big, '1', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK(addr_bad(big, "expected an IPv4 address"));

	struct net_addr a;
	char buf[32];
	net_parse_addr("192.0.2.7/24", &a, "address", NULL);
	net_format_addr(&a, true, buf, sizeof buf);
	CHECK(!strcmp(buf, "192.0.2.7/24"));
	net_format_addr(&a, false, buf, sizeof buf);
	CHECK(!strcmp(buf, "192.0.2.7"));
	net_parse_addr("192.0.2.7", &a, "address", NULL);
	net_format_addr(&a, true, buf, sizeof buf);
	CHECK(!strcmp(buf, "192.0.2.7"));
}

static uint32_t ip(const char *s)
{
	struct in_addr in;
	inet_pton(AF_INET, s, &in);
	return in.s_addr;
}

static void test_subnet(void)
{
	struct net_addr n;
	net_parse_addr("10.88.0.1/16", &n, "x", NULL);
	CHECK(net_in_subnet(ip("10.88.255.254"), &n));
	CHECK(net_in_subnet(ip("10.88.0.0"), &n));
	CHECK(!net_in_subnet(ip("10.89.0.1"), &n));
	CHECK(!net_in_subnet(ip("11.88.0.1"), &n));
	net_parse_addr("10.1.2.129/25", &n, "x", NULL);
	CHECK(net_in_subnet(ip("10.1.2.200"), &n));
	CHECK(!net_in_subnet(ip("10.1.2.100"), &n));
	net_parse_addr("10.1.2.3/32", &n, "x", NULL);
	CHECK(net_in_subnet(ip("10.1.2.3"), &n));
	CHECK(!net_in_subnet(ip("10.1.2.4"), &n));
}

static bool mac_ok(const char *s, const uint8_t *want)
{
	uint8_t m[NET_MAC_LEN];
	return net_parse_mac(s, m, "MAC", NULL) == 0 && !memcmp(m, want, NET_MAC_LEN);
}

static bool mac_bad(const char *s, const char *needle)
{
	struct vireo_err err = { 0 };
	uint8_t m[NET_MAC_LEN];
	return net_parse_mac(s, m, "MAC", &err) < 0 && strstr(err.msg, needle);
}

static void test_mac(void)
{
	static const uint8_t a[] = { 0x02, 0x11, 0x22, 0xaa, 0xbb, 0xcc };
	CHECK(mac_ok("02:11:22:aa:bb:cc", a));
	CHECK(mac_ok("02:11:22:AA:BB:CC", a));
	CHECK(mac_bad("02:11:22:aa:bb", "expected"));
	CHECK(mac_bad("02:11:22:aa:bb:cc:dd", "expected"));
	CHECK(mac_bad("02-11-22-aa-bb-cc", "expected"));
	CHECK(mac_bad("02:11:22:aa:bb:cg", "expected"));
	CHECK(mac_bad(" 2:11:22:aa:bb:cc", "expected"));
	CHECK(mac_bad("+2:11:22:aa:bb:cc", "expected"));
	CHECK(mac_bad("", "expected"));
	CHECK(mac_bad(NULL, "expected"));
	CHECK(mac_bad("01:00:5e:00:00:01", "not a unicast"));
	CHECK(mac_bad("ff:ff:ff:ff:ff:ff", "not a unicast"));
	CHECK(mac_bad("00:00:00:00:00:00", "not a unicast"));
	char buf[20];
	net_format_mac(a, buf, sizeof buf);
	CHECK(!strcmp(buf, "02:11:22:AA:BB:CC"));
}

static void test_ifname(void)
{
	CHECK(net_valid_ifname("eth0", "n", NULL) == 0);
	CHECK(net_valid_ifname("veth101.0", "n", NULL) == 0);
	CHECK(net_valid_ifname("a_b-c.d", "n", NULL) == 0);
	CHECK(net_valid_ifname("123456789012345", "n", NULL) == 0);
	CHECK(net_valid_ifname("1234567890123456", "n", NULL) < 0);
	CHECK(net_valid_ifname("", "n", NULL) < 0);
	CHECK(net_valid_ifname(NULL, "n", NULL) < 0);
	CHECK(net_valid_ifname(".", "n", NULL) < 0);
	CHECK(net_valid_ifname("..", "n", NULL) < 0);
	CHECK(net_valid_ifname("a/b", "n", NULL) < 0);
	CHECK(net_valid_ifname("a b", "n", NULL) < 0);
	CHECK(net_valid_ifname("a:b", "n", NULL) < 0);
	CHECK(net_valid_ifname("a,b", "n", NULL) < 0);
	CHECK(net_valid_ifname("a;b", "n", NULL) < 0);
	CHECK(net_valid_ifname("a=b", "n", NULL) < 0);
	CHECK(net_valid_ifname("a\nb", "n", NULL) < 0);

	CHECK(net_valid_ip_text("192.0.2.1"));
	CHECK(net_valid_ip_text("2001:db8::53"));
	CHECK(!net_valid_ip_text("192.0.2.1.5"));
	CHECK(!net_valid_ip_text("example.org"));
	CHECK(!net_valid_ip_text(""));
	CHECK(!net_valid_ip_text(NULL));
}

int main(void)
{
	test_addr();
	test_subnet();
	test_mac();
	test_ifname();
	return check_done();
}
