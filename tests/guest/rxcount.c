// SPDX-License-Identifier: GPL-2.0
/*
 * rxcount [-p] [-s SRCMAC] [-t SECONDS] IFNAME
 *	Counts the frames IFNAME receives from when it prints "ready TOKEN"
 *	(its sockets are open) until SIGTERM, or SECONDS (default 60). For
 *	each barrier frame carrying TOKEN it prints "barrier SEQ" at once.
 *	At the end it prints:
 *	  frames N          frames from SRCMAC (default: the host's injector,
 *	                    02:00:00:00:06:66), barriers not counted
 *	  untagged N        of those, without a VLAN tag
 *	  vlan VID N        of those, with VLAN ID VID (stripped by the
 *	                    device or not)
 *	  others N          frames from anyone else, barriers not counted
 *	  barriers N        barriers with TOKEN
 *	  lost N            frames the sockets had no room for
 *	Exits 0 if a barrier came and no frame was lost.
 *	-p: passive: sockets only for the types the kernel handles anyway
 *	(ARP, which the barrier is, IPv4, IPv6), so that frames of a type
 *	nobody handles are still dropped by the stack and counted in
 *	rx_dropped (a socket for every type would take them).
 *
 * rxcount -b IFNAME DSTMAC TOKEN SEQ
 *	Sends the barrier TOKEN SEQ (SEQ: 4 hex digits) from IFNAME to DSTMAC.
 *
 * A barrier (scripts/frames.py barrier()) is an ARP reply for protocol
 * 0x88B5, which the kernel's ARP code discards without counting it
 * anywhere, carrying "e1k-barrier TOKEN SEQ" after the ARP body. Once it
 * is seen, every frame sent before it on the same path has been
 * received, or lost.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LOCAL_TYPE	0x88b5
#define MARK		"e1k-barrier "
#define MARK_LEN	(sizeof(MARK) - 1)
#define TOKEN_LEN	8
#define SEQ_LEN		4
#define ARP_BODY	28
#define TAIL		(ETH_HLEN + ARP_BODY + MARK_LEN)
#define BARRIER_LEN	((int)(TAIL + TOKEN_LEN + 1 + SEQ_LEN))
#define MAX_VID		4096

static unsigned int per_vid[MAX_VID];
static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: rxcount [-p] [-s SRCMAC] [-t SECONDS] IFNAME\n"
		"       rxcount -b IFNAME DSTMAC TOKEN SEQ\n");
	return 2;
}

static int parse_mac(const char *s, unsigned char *mac)
{
	unsigned int b[ETH_ALEN];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != ETH_ALEN)
		return -1;
	for (i = 0; i < ETH_ALEN; i++)
		mac[i] = b[i];
	return 0;
}

static int ifindex_of(const char *name)
{
	int index = if_nametoindex(name);

	if (!index)
		perror(name);
	return index;
}

static int send_barrier(const char *ifname, const char *dstmac,
			const char *token, const char *seq)
{
	static const unsigned char arp[8] = {
		0, 1, LOCAL_TYPE >> 8, LOCAL_TYPE & 0xff, ETH_ALEN, 4, 0, 2
	};
	unsigned char f[BARRIER_LEN] = { 0 }, dst[ETH_ALEN];
	struct sockaddr_ll addr = { 0 };
	struct ifreq ifr = { 0 };
	int fd;

	if (parse_mac(dstmac, dst) || strlen(token) != TOKEN_LEN ||
	    strlen(seq) != SEQ_LEN)
		return usage();
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("rxcount: packet socket");
		return 1;
	}
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		perror(ifname);
		return 1;
	}
	/* Ethernet, then the ARP reply: sender the source, target dst */
	memcpy(f, dst, ETH_ALEN);
	memcpy(f + ETH_ALEN, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	f[12] = ETH_P_ARP >> 8;
	f[13] = ETH_P_ARP & 0xff;
	memcpy(f + ETH_HLEN, arp, sizeof(arp));
	memcpy(f + ETH_HLEN + 8, f + ETH_ALEN, ETH_ALEN);
	memcpy(f + ETH_HLEN + 18, dst, ETH_ALEN);
	memcpy(f + ETH_HLEN + ARP_BODY, MARK, MARK_LEN);
	memcpy(f + TAIL, token, TOKEN_LEN);
	f[TAIL + TOKEN_LEN] = ' ';
	memcpy(f + TAIL + TOKEN_LEN + 1, seq, SEQ_LEN);

	addr.sll_family = AF_PACKET;
	addr.sll_ifindex = ifindex_of(ifname);
	addr.sll_halen = ETH_ALEN;
	memcpy(addr.sll_addr, dst, ETH_ALEN);
	if (!addr.sll_ifindex)
		return 1;
	if (sendto(fd, f, sizeof(f), 0, (struct sockaddr *)&addr,
		   sizeof(addr)) != sizeof(f)) {
		perror("rxcount: sendto");
		return 1;
	}
	close(fd);
	return 0;
}

static int is_barrier(const unsigned char *f, ssize_t len, const char *token)
{
	return len >= BARRIER_LEN && f[12] == ETH_P_ARP >> 8 &&
	       f[13] == (ETH_P_ARP & 0xff) &&
	       f[ETH_HLEN + 2] == LOCAL_TYPE >> 8 &&
	       f[ETH_HLEN + 3] == (LOCAL_TYPE & 0xff) &&
	       !memcmp(f + ETH_HLEN + ARP_BODY, MARK, MARK_LEN) &&
	       !memcmp(f + TAIL, token, TOKEN_LEN);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * Open a packet socket for protocol on ifindex, with room for a few
 * thousand frames however slowly this task runs; -1 on error.
 */
static int open_socket(int ifindex, int protocol)
{
	struct sockaddr_ll addr = { 0 };
	int fd, on = 1, size = 32 << 20;

	addr.sll_family = AF_PACKET;
	addr.sll_protocol = htons(protocol);
	addr.sll_ifindex = ifindex;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, addr.sll_protocol);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &on, sizeof(on))) {
		perror("rxcount: packet socket");
		return -1;
	}
	return fd;
}

/* The VLAN ID of a received frame, or MAX_VID if it has no tag. */
static unsigned int vlan_of(struct msghdr *msg, const unsigned char *f,
			    ssize_t len)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		struct tpacket_auxdata *aux;

		if (c->cmsg_level != SOL_PACKET ||
		    c->cmsg_type != PACKET_AUXDATA)
			continue;
		aux = (struct tpacket_auxdata *)CMSG_DATA(c);
		if (aux->tp_status & TP_STATUS_VLAN_VALID)
			return aux->tp_vlan_tci & 0xfff;
	}
	if (len >= ETH_HLEN + 4 && f[12] == 0x81 && f[13] == 0x00)
		return ((f[14] << 8) | f[15]) & 0xfff;
	return MAX_VID;
}

int main(int argc, char **argv)
{
	static const int passive_types[] = { ETH_P_ARP, ETH_P_IP, ETH_P_IPV6 };
	unsigned char src[ETH_ALEN] = { 2, 0, 0, 0, 6, 0x66 };
	unsigned int frames = 0, untagged = 0, others = 0, barriers = 0;
	int opt, passive = 0, seconds = 60, ifindex, nfds, i;
	union {
		struct cmsghdr cmsg;
		char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} control;
	unsigned int lost = 0, rnd, vid;
	struct sigaction sa = { 0 };
	sigset_t block, unblocked;
	struct pollfd pfd[3];
	unsigned char f[128];
	struct iovec iov = { f, sizeof(f) };
	char token[TOKEN_LEN + 1];
	struct sockaddr_ll from;
	long long deadline;
	ssize_t len;

	if (argc == 6 && !strcmp(argv[1], "-b"))
		return send_barrier(argv[2], argv[3], argv[4], argv[5]);
	while ((opt = getopt(argc, argv, "ps:t:")) != -1) {
		switch (opt) {
		case 'p':
			passive = 1;
			break;
		case 's':
			if (parse_mac(optarg, src))
				return usage();
			break;
		case 't':
			seconds = atoi(optarg);
			break;
		default:
			return usage();
		}
	}
	if (optind != argc - 1 || seconds <= 0)
		return usage();

	if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd)) {
		perror("rxcount: getrandom");
		return 1;
	}
	snprintf(token, sizeof(token), "%08x", rnd);
	/* SIGTERM ends the count; it is let in only while ppoll() waits */
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &unblocked);

	ifindex = ifindex_of(argv[optind]);
	if (!ifindex)
		return 1;
	nfds = passive ? 3 : 1;
	for (i = 0; i < nfds; i++) {
		pfd[i].fd = open_socket(ifindex, passive ? passive_types[i] :
							   ETH_P_ALL);
		pfd[i].events = POLLIN;
		if (pfd[i].fd < 0)
			return 1;
	}
	printf("ready %s\n", token);
	fflush(stdout);

	deadline = now_ms() + seconds * 1000LL;
	for (;;) {
		long long left = deadline - now_ms();
		struct timespec ts = { left / 1000, left % 1000 * 1000000 };
		int ready = 0;

		/* after SIGTERM, what is queued still counts */
		if (!stop && left > 0)
			ready = ppoll(pfd, nfds, &ts, &unblocked);
		for (i = 0; i < nfds; i++) {
			struct msghdr msg = {
				.msg_name = &from, .msg_namelen = sizeof(from),
				.msg_iov = &iov, .msg_iovlen = 1,
				.msg_control = &control,
				.msg_controllen = sizeof(control),
			};

			len = recvmsg(pfd[i].fd, &msg, MSG_DONTWAIT);
			if (len < 0) {
				if (errno == EAGAIN || errno == EINTR)
					continue;
				perror("rxcount: recvmsg");
				return 1;
			}
			ready = 1;
			if (from.sll_pkttype == PACKET_OUTGOING ||
			    len < ETH_HLEN)
				continue;
			if (is_barrier(f, len, token)) {
				barriers++;
				printf("barrier %.*s\n", SEQ_LEN,
				       f + TAIL + TOKEN_LEN + 1);
				fflush(stdout);
				continue;
			}
			if (memcmp(f + ETH_ALEN, src, ETH_ALEN)) {
				others++;
				continue;
			}
			frames++;
			vid = vlan_of(&msg, f, len);
			if (vid == MAX_VID)
				untagged++;
			else
				per_vid[vid]++;
		}
		/* done once signalled, or late, and nothing is left */
		if ((stop || deadline - now_ms() <= 0) && ready <= 0)
			break;
	}

	for (i = 0; i < nfds; i++) {
		struct tpacket_stats st;
		socklen_t stlen = sizeof(st);

		if (!getsockopt(pfd[i].fd, SOL_PACKET, PACKET_STATISTICS, &st,
				&stlen))
			lost += st.tp_drops;
	}
	printf("frames %u\nuntagged %u\n", frames, untagged);
	for (vid = 0; vid < MAX_VID; vid++)
		if (per_vid[vid])
			printf("vlan %u %u\n", vid, per_vid[vid]);
	printf("others %u\nbarriers %u\nlost %u\n", others, barriers, lost);
	return barriers && !lost ? 0 : 1;
}
