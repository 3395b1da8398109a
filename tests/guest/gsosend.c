// SPDX-License-Identifier: GPL-2.0
/*
 * gsosend IFNAME DSTMAC SRC6 DST6 BYTES MSS
 *
 * Sends one TCP/IPv6 frame carrying BYTES of payload through a packet
 * socket with a virtio_net_hdr that asks for segmentation at MSS (GSO
 * TCPV6). The stack hands it to the driver whole if the device has
 * tx-tcp6-segmentation on, and segments it in software if not: a way to
 * get an IPv6 TSO frame to the driver that does not depend on TCP's
 * sizing heuristics. The segments go to a closed port; the peer may
 * answer with a reset, which nobody reads.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define HDRS (sizeof(struct ether_header) + sizeof(struct ip6_hdr) + \
	      sizeof(struct tcphdr))

static int usage(void)
{
	fprintf(stderr, "usage: gsosend IFNAME DSTMAC SRC6 DST6 BYTES MSS\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct virtio_net_hdr vnet = { 0 };
	struct sockaddr_ll addr = { 0 };
	unsigned int mac[6], i;
	struct ether_header *eth;
	struct ip6_hdr *ip6;
	struct tcphdr *tcp;
	size_t bytes, mss;
	struct iovec iov[2];
	struct msghdr msg = { 0 };
	unsigned char *frame;
	int fd, on = 1;

	if (argc != 7 || sscanf(argv[2], "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1],
				&mac[2], &mac[3], &mac[4], &mac[5]) != 6)
		return usage();
	bytes = strtoul(argv[5], NULL, 0);
	mss = strtoul(argv[6], NULL, 0);
	if (!bytes || bytes > 60000 || !mss || mss >= bytes)
		return usage();

	frame = calloc(1, HDRS + bytes);
	if (!frame)
		return 1;
	eth = (struct ether_header *)frame;
	ip6 = (struct ip6_hdr *)(eth + 1);
	tcp = (struct tcphdr *)(ip6 + 1);

	for (i = 0; i < 6; i++)
		eth->ether_dhost[i] = mac[i];
	eth->ether_type = htons(ETHERTYPE_IPV6);
	ip6->ip6_flow = htonl(6 << 28);
	ip6->ip6_plen = htons(sizeof(*tcp) + bytes);
	ip6->ip6_nxt = IPPROTO_TCP;
	ip6->ip6_hlim = 64;
	if (inet_pton(AF_INET6, argv[3], &ip6->ip6_src) != 1 ||
	    inet_pton(AF_INET6, argv[4], &ip6->ip6_dst) != 1)
		return usage();
	tcp->th_sport = htons(40000);
	tcp->th_dport = htons(9);	/* discard: closed on the host */
	tcp->th_seq = htonl(1);
	tcp->th_off = sizeof(*tcp) / 4;
	tcp->th_flags = TH_ACK;
	tcp->th_win = htons(65535);
	memset(tcp + 1, 0xa5, bytes);

	vnet.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vnet.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	vnet.hdr_len = HDRS;
	vnet.gso_size = mss;
	vnet.csum_start = sizeof(*eth) + sizeof(*ip6);
	vnet.csum_offset = offsetof(struct tcphdr, th_sum);

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &on, sizeof(on))) {
		perror("gsosend: packet socket");
		return 1;
	}
	addr.sll_family = AF_PACKET;
	addr.sll_protocol = htons(ETH_P_IPV6);
	addr.sll_ifindex = if_nametoindex(argv[1]);
	if (!addr.sll_ifindex) {
		perror(argv[1]);
		return 1;
	}

	iov[0].iov_base = &vnet;
	iov[0].iov_len = sizeof(vnet);
	iov[1].iov_base = frame;
	iov[1].iov_len = HDRS + bytes;
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
