// SPDX-License-Identifier: GPL-2.0
/*
 * gsosend [-4] [-p SPORT] IFNAME DSTMAC SRC DST BYTES MSS
 *
 * Sends one TCP frame carrying BYTES of payload through a packet socket
 * with a virtio_net_hdr that asks for segmentation at MSS: TCP/IPv6 (GSO
 * TCPV6), or TCP/IPv4 (GSO TCPV4) with -4. The stack hands it to the
 * driver whole if the device has tcp-segmentation-offload (IPv4) or
 * tx-tcp6-segmentation (IPv6) on, and segments it in software if not: a
 * way to get a TSO frame to the driver that does not depend on TCP's
 * sizing heuristics.
 *
 * The frame goes from port SPORT (default 40000) to port 9, sequence
 * number 1, flags ACK, PSH and FIN (so only the last segment may carry
 * PSH and FIN), IPv4 ID 1000; payload byte k is k % 251. scripts/frames.py
 * check-tso judges the segments of the IPv4 frames in a capture. Nobody
 * listens on port 9; the peer may answer with a reset, which nobody reads.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_BYTES	60000
#define IP_ID		1000

static int usage(void)
{
	fprintf(stderr,
		"usage: gsosend [-4] [-p SPORT] IFNAME DSTMAC SRC DST BYTES MSS\n");
	return 2;
}

/* Ones' complement sum of len bytes, folded to 16 bits. */
static uint16_t csum_fold(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;

	for (; len > 1; len -= 2, p += 2)
		sum += (p[0] << 8) | p[1];
	if (len)
		sum += p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

int main(int argc, char **argv)
{
	struct virtio_net_hdr vnet = { 0 };
	struct sockaddr_ll addr = { 0 };
	unsigned int mac[6], i, sport = 40000;
	struct ifreq ifr = { 0 };
	size_t bytes, mss, iphdr, hdrs;
	struct msghdr msg = { 0 };
	struct ether_header *eth;
	unsigned char *frame, *l3;
	int fd, on = 1, opt, v4 = 0;
	struct iovec iov[2];
	struct tcphdr *tcp;
	uint32_t pseudo;

	while ((opt = getopt(argc, argv, "4p:")) != -1) {
		switch (opt) {
		case '4':
			v4 = 1;
			break;
		case 'p':
			sport = strtoul(optarg, NULL, 0);
			break;
		default:
			return usage();
		}
	}
	argv += optind - 1;
	if (argc - optind != 6 || !sport || sport > 65535 ||
	    sscanf(argv[2], "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1], &mac[2],
		   &mac[3], &mac[4], &mac[5]) != 6)
		return usage();
	bytes = strtoul(argv[5], NULL, 0);
	mss = strtoul(argv[6], NULL, 0);
	if (!bytes || bytes > MAX_BYTES || !mss || mss >= bytes)
		return usage();

	iphdr = v4 ? sizeof(struct iphdr) : sizeof(struct ip6_hdr);
	hdrs = sizeof(*eth) + iphdr + sizeof(*tcp);
	frame = calloc(1, hdrs + bytes);
	if (!frame)
		return 1;
	eth = (struct ether_header *)frame;
	l3 = (unsigned char *)(eth + 1);
	tcp = (struct tcphdr *)(l3 + iphdr);
	for (i = 0; i < 6; i++)
		eth->ether_dhost[i] = mac[i];

	if (v4) {
		struct iphdr *ip = (struct iphdr *)l3;

		eth->ether_type = htons(ETHERTYPE_IP);
		ip->version = 4;
		ip->ihl = sizeof(*ip) / 4;
		ip->tot_len = htons(sizeof(*ip) + sizeof(*tcp) + bytes);
		ip->id = htons(IP_ID);
		ip->frag_off = htons(IP_DF);
		ip->ttl = 64;
		ip->protocol = IPPROTO_TCP;
		if (inet_pton(AF_INET, argv[3], &ip->saddr) != 1 ||
		    inet_pton(AF_INET, argv[4], &ip->daddr) != 1)
			return usage();
		ip->check = htons(~csum_fold(ip, sizeof(*ip), 0) & 0xffff);
		pseudo = csum_fold(&ip->saddr, 8, IPPROTO_TCP +
				   sizeof(*tcp) + bytes);
	} else {
		struct ip6_hdr *ip6 = (struct ip6_hdr *)l3;

		eth->ether_type = htons(ETHERTYPE_IPV6);
		ip6->ip6_flow = htonl(6 << 28);
		ip6->ip6_plen = htons(sizeof(*tcp) + bytes);
		ip6->ip6_nxt = IPPROTO_TCP;
		ip6->ip6_hlim = 64;
		if (inet_pton(AF_INET6, argv[3], &ip6->ip6_src) != 1 ||
		    inet_pton(AF_INET6, argv[4], &ip6->ip6_dst) != 1)
			return usage();
		pseudo = csum_fold(&ip6->ip6_src, 32, IPPROTO_TCP +
				   sizeof(*tcp) + bytes);
	}
	tcp->th_sport = htons(sport);
	tcp->th_dport = htons(9);	/* discard: closed on the host */
	tcp->th_seq = htonl(1);
	tcp->th_off = sizeof(*tcp) / 4;
	tcp->th_flags = TH_ACK | TH_PUSH | TH_FIN;
	tcp->th_win = htons(65535);
	/* CHECKSUM_PARTIAL: the pseudo-header sum, completed by the device */
	tcp->th_sum = htons(pseudo);
	for (i = 0; i < bytes; i++)
		((unsigned char *)(tcp + 1))[i] = i % 251;

	vnet.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vnet.gso_type = v4 ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6;
	vnet.hdr_len = hdrs;
	vnet.gso_size = mss;
	vnet.csum_start = sizeof(*eth) + iphdr;
	vnet.csum_offset = offsetof(struct tcphdr, th_sum);

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &on, sizeof(on))) {
		perror("gsosend: packet socket");
		return 1;
	}
	strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		perror(argv[1]);
		return 1;
	}
	memcpy(eth->ether_shost, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	addr.sll_family = AF_PACKET;
	addr.sll_protocol = eth->ether_type;
	addr.sll_ifindex = if_nametoindex(argv[1]);
	if (!addr.sll_ifindex) {
		perror(argv[1]);
		return 1;
	}

	iov[0].iov_base = &vnet;
	iov[0].iov_len = sizeof(vnet);
	iov[1].iov_base = frame;
	iov[1].iov_len = hdrs + bytes;
	msg.msg_name = &addr;
	msg.msg_namelen = sizeof(addr);
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	if (sendmsg(fd, &msg, 0) < 0) {
		perror("gsosend: sendmsg");
		return 1;
	}
	close(fd);
	return 0;
}
