// SPDX-License-Identifier: GPL-2.0
/*
 * xsktest: AF_XDP in copy mode (XDP_COPY), with libxdp's xsk API, for
 * tests/guest/xdp.sh.
 *
 *   xsktest rx IFACE COUNT TIMEOUT_S [QUEUE]
 *	Bind a socket to IFACE's RX queue QUEUE (default 0), put it in the
 *	XSKMAP "xsks" of the XDP program attached to IFACE (xdp_progs.c's
 *	xdp_xsk, attached beforehand: no program is loaded here), print
 *	"xsktest: ready", then receive until COUNT frames of the host's
 *	kind "xdp" (scripts/frames.py) have come, each checked byte for byte
 *	and in order. Frames of any other layout are counted, not judged.
 *	Fails on a frame that differs, on one out of order, or when COUNT
 *	have not come within TIMEOUT_S seconds.
 *   xsktest pkt IFACE COUNT TIMEOUT_S [jumbo]
 *	The same check of COUNT frames on an AF_PACKET socket (EtherType
 *	0x88b5): what an XDP program passed reached a socket intact. With
 *	"jumbo", the frames are the host's kind "xdpjumbo" (1515..9014 bytes).
 *   xsktest tx IFACE COUNT [TIMEOUT_S]
 *	Send COUNT frames through the TX ring of a socket bound to queue 0
 *	of IFACE and wait for their completions (default 60 s): frame SEQ
 *	goes from IFACE's MAC to 02:00:00:00:ee:ee under EtherType 0x88b6.
 *	scripts/frames.py check-xsk-tx finds them in nic0's capture.
 *
 * The frames' layout is scripts/frames.py's seq_frame(): frame SEQ is
 * 60 + SEQ * 397 % 1455 bytes long (1515 + SEQ * 397 % 7500 for
 * "xdpjumbo", magic "e1k-jmb "); after the Ethernet header come an
 * 8-byte magic and SEQ (big-endian), then byte k of the rest is
 * (SEQ + k) % 251.
 *
 * libxdp takes a lock under /run and needs bpffs at /sys/fs/bpf.
 */
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/if_xdp.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/xsk.h>

#define NUM_FRAMES	4096
#define FRAME_SIZE	XSK_UMEM__DEFAULT_FRAME_SIZE
#define RING_SIZE	2048
#define BATCH		64
#define MAX_FRAME	9014
#define MAGIC_LEN	8

static const unsigned char injector_mac[6] = { 2, 0, 0, 0, 0x06, 0x66 };
static const unsigned char sink_mac[6] = { 2, 0, 0, 0, 0xee, 0xee };
#define RX_TYPE		0x88b5	/* frames.py LOCAL_TYPE */
#define TX_TYPE		0x88b6	/* frames.py XSK_TX_TYPE */
static const char rx_magic[] = "e1k-xdp ";
static const char jumbo_magic[] = "e1k-jmb ";
static const char tx_magic[] = "e1k-xsk ";

static void *umem_area;
static struct xsk_umem *umem;
static struct xsk_ring_prod fill;
static struct xsk_ring_cons comp;
static struct xsk_ring_cons rx;
static struct xsk_ring_prod tx;
static struct xsk_socket *xsk;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("xsktest: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned int seq_len(uint32_t seq, const char *magic)
{
	if (magic == jumbo_magic)
		return 1515 + (unsigned int)((uint64_t)seq * 397 % 7500);
	return 60 + (unsigned int)((uint64_t)seq * 397 % 1455);
}

/* Frame SEQ of a sequence into buf; returns its length. */
static unsigned int seq_frame(unsigned char *buf, const unsigned char *dst,
			      const unsigned char *src, uint16_t type,
			      const char *magic, uint32_t seq)
{
	unsigned int len = seq_len(seq, magic), k, off = 14 + MAGIC_LEN + 4;
	uint16_t be_type = htons(type);
	uint32_t be_seq = htonl(seq);

	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	memcpy(buf + 12, &be_type, 2);
	memcpy(buf + 14, magic, MAGIC_LEN);
	memcpy(buf + 14 + MAGIC_LEN, &be_seq, 4);
	for (k = 0; off + k < len; k++)
		buf[off + k] = (seq + k) % 251;
	return len;
}

static void iface_mac(const char *ifname, unsigned char *mac)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		fail("cannot read the MAC address of %s: %s", ifname,
		     strerror(errno));
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
}

/* The fd of map id if it is the XSKMAP named "xsks", else -1. */
static int xsks_map_of(uint32_t id)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	int fd = bpf_map_get_fd_by_id(id);

	if (fd < 0)
		return -1;
	memset(&info, 0, sizeof(info));
	if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
	    info.type == BPF_MAP_TYPE_XSKMAP && !strcmp(info.name, "xsks"))
		return fd;
	close(fd);
	return -1;
}

/*
 * The map "xsks": the one of the program attached to the interface, or
 * else the newest of that name in the system.
 */
static int find_xsks_map(int ifindex)
{
	uint32_t prog_id = 0, id = 0, ids[32], len, i, best = 0;
	struct bpf_prog_info info;
	int fd, pfd;

	if (!bpf_xdp_query_id(ifindex, 0, &prog_id) && prog_id) {
		pfd = bpf_prog_get_fd_by_id(prog_id);
		memset(&info, 0, sizeof(info));
		info.nr_map_ids = 32;
		info.map_ids = (uint64_t)(uintptr_t)ids;
		len = sizeof(info);
		if (pfd >= 0 && !bpf_obj_get_info_by_fd(pfd, &info, &len)) {
			for (i = 0; i < info.nr_map_ids && i < 32; i++) {
				fd = xsks_map_of(ids[i]);
				if (fd >= 0) {
					close(pfd);
					return fd;
				}
			}
		}
		if (pfd >= 0)
			close(pfd);
	}
	while (!bpf_map_get_next_id(id, &id)) {
		fd = xsks_map_of(id);
		if (fd >= 0) {
			close(fd);
			best = id;
		}
	}
	return best ? xsks_map_of(best) : -1;
}

static void setup(const char *ifname, uint32_t queue, int want_rx)
{
	struct xsk_umem_config ucfg = {
		.fill_size = RING_SIZE,
		.comp_size = RING_SIZE,
		.frame_size = FRAME_SIZE,
		.frame_headroom = 0,
		.flags = 0,
	};
	struct xsk_socket_config cfg = {
		.rx_size = RING_SIZE,
		.tx_size = RING_SIZE,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.xdp_flags = 0,
		.bind_flags = XDP_COPY,
	};
	size_t size = (size_t)NUM_FRAMES * FRAME_SIZE;
	int err;

	if (posix_memalign(&umem_area, getpagesize(), size))
		fail("cannot allocate the UMEM");
	memset(umem_area, 0, size);
	err = xsk_umem__create(&umem, umem_area, size, &fill, &comp, &ucfg);
	if (err)
		fail("xsk_umem__create: %s", strerror(-err));
	err = xsk_socket__create(&xsk, ifname, queue, umem,
				 want_rx ? &rx : NULL, want_rx ? NULL : &tx,
				 &cfg);
	if (err)
		fail("xsk_socket__create(%s, queue %u, XDP_COPY): %s", ifname,
		     queue, strerror(-err));
}

/* Give the fill ring n buffers back (or first); addrs[i] chunk-aligned. */
static void refill(const uint64_t *addrs, unsigned int n)
{
	uint32_t idx;
	unsigned int i;

	while (xsk_ring_prod__reserve(&fill, n, &idx) != n)
		;
	for (i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&fill, idx + i) = addrs[i];
	xsk_ring_prod__submit(&fill, n);
}

/* What a receiver has seen of the host's sequence. */
struct seen {
	uint32_t got, bad, others;
};

/* Judge one received frame against the next of the sequence. */
static void check_frame(const unsigned char *p, uint32_t len,
			const unsigned char *mac, const char *magic,
			struct seen *c)
{
	static unsigned char want[MAX_FRAME];
	uint32_t seq, wlen;

	if (len < 26 || memcmp(p + 6, injector_mac, 6) ||
	    memcmp(p + 14, magic, MAGIC_LEN)) {
		c->others++;
		return;
	}
	memcpy(&seq, p + 22, 4);
	seq = ntohl(seq);
	wlen = seq_frame(want, mac, injector_mac, RX_TYPE, magic, c->got);
	if (seq != c->got || len != wlen || memcmp(p, want, wlen)) {
		if (c->bad++ < 5)
			printf("# xsktest: frame %u: %u bytes, sequence number %u, differs from frame %u as sent (%u bytes)\n",
			       c->got, len, seq, c->got, wlen);
	}
	c->got++;
}

static int do_rx(const char *ifname, uint32_t count, double timeout,
		 uint32_t queue)
{
	unsigned char mac[6];
	uint64_t addrs[BATCH];
	struct seen c = { 0 };
	uint32_t idx, i, n;
	int ifindex = if_nametoindex(ifname), map_fd, err;
	double deadline;
	struct pollfd pfd;

	if (!ifindex)
		fail("no interface %s", ifname);
	iface_mac(ifname, mac);
	setup(ifname, queue, 1);
	for (i = 0; i < RING_SIZE; i += BATCH) {
		for (n = 0; n < BATCH; n++)
			addrs[n] = (uint64_t)(i + n) * FRAME_SIZE;
		refill(addrs, BATCH);
	}
	map_fd = find_xsks_map(ifindex);
	if (map_fd < 0)
		fail("no XSKMAP named xsks: is xdp_xsk attached to %s?",
		     ifname);
	err = xsk_socket__update_xskmap(xsk, map_fd);
	if (err)
		fail("xsk_socket__update_xskmap: %s", strerror(-err));
	printf("xsktest: ready, %s queue %u\n", ifname, queue);
	fflush(stdout);

	pfd.fd = xsk_socket__fd(xsk);
	pfd.events = POLLIN;
	deadline = now() + timeout;
	while (c.got < count && now() < deadline) {
		n = xsk_ring_cons__peek(&rx, BATCH, &idx);
		if (!n) {
			poll(&pfd, 1, 100);
			continue;
		}
		for (i = 0; i < n; i++) {
			const struct xdp_desc *d =
				xsk_ring_cons__rx_desc(&rx, idx + i);
			const unsigned char *p =
				xsk_umem__get_data(umem_area, d->addr);

			addrs[i] = d->addr - d->addr % FRAME_SIZE;
			check_frame(p, d->len, mac, rx_magic, &c);
		}
		xsk_ring_cons__release(&rx, n);
		refill(addrs, n);
	}
	printf("xsktest rx: %u of %u frames in %.1f s, %u differ, %u other frames\n",
	       c.got, count, timeout - (deadline - now()), c.bad, c.others);
	xsk_socket__delete(xsk);
	xsk_umem__delete(umem);
	return c.got == count && !c.bad ? 0 : 1;
}

static int do_pkt(const char *ifname, uint32_t count, double timeout,
		  const char *magic)
{
	static unsigned char buf[MAX_FRAME + 1];
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(RX_TYPE),
		.sll_ifindex = if_nametoindex(ifname),
	};
	struct seen c = { 0 };
	unsigned char mac[6];
	struct pollfd pfd;
	double deadline;
	int fd, rcvbuf = 8 << 20;
	ssize_t n;

	if (!sll.sll_ifindex)
		fail("no interface %s", ifname);
	iface_mac(ifname, mac);
	fd = socket(AF_PACKET, SOCK_RAW, htons(RX_TYPE));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		fail("packet socket on %s: %s", ifname, strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	printf("xsktest: ready, %s packet socket\n", ifname);
	fflush(stdout);

	pfd.fd = fd;
	pfd.events = POLLIN;
	deadline = now() + timeout;
	while (c.got < count && now() < deadline) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			poll(&pfd, 1, 100);
			continue;
		}
		check_frame(buf, n > MAX_FRAME ? MAX_FRAME + 1 : n, mac,
			    magic, &c);
	}
	printf("xsktest pkt: %u of %u frames in %.1f s, %u differ, %u other frames\n",
	       c.got, count, timeout - (deadline - now()), c.bad, c.others);
	close(fd);
	return c.got == count && !c.bad ? 0 : 1;
}

static int do_tx(const char *ifname, uint32_t count, double timeout)
{
	unsigned char mac[6];
	uint64_t free_addrs[NUM_FRAMES];
	uint32_t nfree = 0, sent = 0, done = 0, idx, i, n;
	unsigned int kicks_failed = 0;
	double deadline;
	int fd;

	if (!if_nametoindex(ifname))
		fail("no interface %s", ifname);
	iface_mac(ifname, mac);
	setup(ifname, 0, 0);
	for (i = 0; i < NUM_FRAMES; i++)
		free_addrs[nfree++] = (uint64_t)i * FRAME_SIZE;
	fd = xsk_socket__fd(xsk);
	deadline = now() + timeout;
	while (done < count && now() < deadline) {
		int progress = 0;

		n = count - sent;
		if (n > BATCH)
			n = BATCH;
		if (n > nfree)
			n = nfree;
		if (n && xsk_ring_prod__reserve(&tx, n, &idx) == n) {
			for (i = 0; i < n; i++) {
				struct xdp_desc *d =
					xsk_ring_prod__tx_desc(&tx, idx + i);

				d->addr = free_addrs[--nfree];
				d->len = seq_frame(xsk_umem__get_data(umem_area,
								      d->addr),
						   sink_mac, mac, TX_TYPE,
						   tx_magic, sent++);
				d->options = 0;
			}
			xsk_ring_prod__submit(&tx, n);
			progress = 1;
		}
		/* copy mode transmits only when asked, a batch per call */
		if (sent > done &&
		    sendto(fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 &&
		    errno != EAGAIN && errno != EBUSY && errno != ENOBUFS &&
		    kicks_failed++ < 5)
			printf("# xsktest: sendto: %s\n", strerror(errno));
		n = xsk_ring_cons__peek(&comp, BATCH, &idx);
		for (i = 0; i < n; i++)
			free_addrs[nfree++] =
				*xsk_ring_cons__comp_addr(&comp, idx + i);
		if (n) {
			xsk_ring_cons__release(&comp, n);
			done += n;
			progress = 1;
		}
		if (!progress)
			usleep(1000);
	}
	printf("xsktest tx: %u of %u frames sent, %u completed in %.1f s\n",
	       sent, count, done, timeout - (deadline - now()));
	xsk_socket__delete(xsk);
	xsk_umem__delete(umem);
	return done == count ? 0 : 1;
}

static uint32_t number(const char *s, const char *what)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v > UINT32_MAX)
		fail("bad %s '%s'", what, s);
	return v;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 5 && argc <= 6 && !strcmp(argv[1], "rx"))
		return do_rx(argv[2], number(argv[3], "count"),
			     number(argv[4], "timeout"),
			     argc == 6 ? number(argv[5], "queue") : 0);
	if (argc >= 5 && argc <= 6 && !strcmp(argv[1], "pkt"))
		return do_pkt(argv[2], number(argv[3], "count"),
			      number(argv[4], "timeout"),
			      argc == 6 && !strcmp(argv[5], "jumbo") ?
			      jumbo_magic : rx_magic);
	if (argc >= 4 && argc <= 5 && !strcmp(argv[1], "tx"))
		return do_tx(argv[2], number(argv[3], "count"),
			     argc == 5 ? number(argv[4], "timeout") : 60);
	fprintf(stderr, "usage: xsktest rx IFACE COUNT TIMEOUT_S [QUEUE]\n"
		"       xsktest pkt IFACE COUNT TIMEOUT_S [jumbo]\n"
		"       xsktest tx IFACE COUNT [TIMEOUT_S]\n");
	return 2;
}
