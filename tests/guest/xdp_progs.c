// SPDX-License-Identifier: GPL-2.0
/*
 * The XDP programs of the XDP tests (tests/guest/xdp.sh), built by
 * scripts/lib.sh (e1k_build_xdp) with clang -O2 -g -target bpf into
 * /guest/xdp_progs.o of the guest. They count nothing: the tests compare
 * the driver's own counters.
 *
 * iproute2 6.1 (libbpf 1.1) picks a program by section or by name:
 *   ip link set dev IF xdpdrv|xdpgeneric obj /guest/xdp_progs.o sec SECTION
 *   ip link set dev IF xdpdrv|xdpgeneric obj /guest/xdp_progs.o program NAME
 *
 *   section           program           verdict
 *   xdp               xdp_pass          XDP_PASS
 *   xdp/drop          xdp_drop          XDP_DROP
 *   xdp/aborted       xdp_aborted       XDP_ABORTED
 *   xdp/tx            xdp_tx            XDP_TX, the frame rewritten:
 *                                       destination = its source, source =
 *                                       02:00:00:00:0f:0f (scripts/frames.py
 *                                       check-xdp-tx)
 *   xdp/redirect      xdp_redirect      destination = 02:00:00:00:ee:ee,
 *                                       bpf_redirect() to
 *                                       the ifindex in redirect_cfg[0]
 *                                       (XDP_ABORTED while it is 0)
 *   xdp/viamap        xdp_devmap        destination = 02:00:00:00:ed:ed,
 *                                       bpf_redirect_map(tx_port, 0)
 *   xdp/unknown       xdp_unknown       42, an action no kernel knows
 *   xdp/xsk           xdp_xsk           bpf_redirect_map(xsks, RX queue),
 *                                       XDP_PASS if no socket is there
 *   xdp.frags         xdp_frags_pass    as xdp_pass, xdp_drop, xdp_tx and
 *                     xdp_frags_drop    xdp_redirect, for multi-buffer
 *                     xdp_frags_tx      frames: loaded with
 *                     xdp_frags_redirect BPF_F_XDP_HAS_FRAGS; select them by
 *                                       name ("program xdp_frags_tx"): the
 *                                       section gives the first only
 *                     xdp_frags_cpu     bpf_redirect_map(cpu_map, 0): to CPU 0's
 *                                       kthread, which passes the frame up
 *
 * Only the exact section "xdp.frags" gives a program BPF_F_XDP_HAS_FRAGS in
 * libbpf 1.1 ("xdp.frags/NAME" is no section it knows). The other section
 * names are not libbpf's either ("xdp/drop"): iproute2 sets the program
 * type itself, and xdp-loader takes them too; but "xdp/devmap" and
 * "xdp/cpumap" are libbpf's, for programs that run in those maps.
 *
 * Maps, set from the guest with bpftool:
 *   redirect_cfg  ARRAY, 1 x u32: the ifindex xdp_redirect and
 *                 xdp_frags_redirect send to
 *     bpftool map update name redirect_cfg key 0 0 0 0 value IFINDEX 0 0 0
 *   tx_port       DEVMAP, 1 entry: the device of xdp_devmap
 *     bpftool map update name tx_port key 0 0 0 0 value IFINDEX 0 0 0
 *   cpu_map       CPUMAP, 1 entry: CPU 0's queue (qsize, no program)
 *     bpftool map update name cpu_map key 0 0 0 0 value 192 0 0 0 0 0 0 0
 *   xsks          XSKMAP, 64 entries by RX queue: tests/guest/xsktest.c
 *                 inserts its socket
 * (bpftool takes the bytes little-endian: ifindex 3 is "3 0 0 0".)
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

/*
 * The source MAC of an XDP_TX'd frame, 02:00:00:00:0f:0f, and the
 * destination MAC of a redirected one, 02:00:00:00:ee:ee: locally
 * administered, 02:00:00:00 then LOW twice.
 */
#define TX_MARK_LOW 0x0f
#define SINK_LOW 0xee
#define SINK2_LOW 0xed

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} redirect_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tx_port SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpu_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

static __always_inline void set_mac(unsigned char *dst,
				    const unsigned char *src)
{
	__builtin_memcpy(dst, src, ETH_ALEN);
}

/* 02:00:00:00:LOW:LOW (no constant array: it would need a .rodata map). */
static __always_inline void set_test_mac(unsigned char *dst, __u8 low)
{
	dst[0] = 0x02;
	dst[1] = 0;
	dst[2] = 0;
	dst[3] = 0;
	dst[4] = low;
	dst[5] = low;
}

/*
 * The Ethernet header of the frame, if its first buffer holds one. A
 * multi-buffer frame always has its headers in the first.
 */
static __always_inline struct ethhdr *eth_of(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;

	if ((void *)(eth + 1) > (void *)(long)ctx->data_end)
		return NULL;
	return eth;
}

static __always_inline int tx_rewrite(struct xdp_md *ctx)
{
	struct ethhdr *eth = eth_of(ctx);

	if (!eth)
		return XDP_ABORTED;
	set_mac(eth->h_dest, eth->h_source);
	set_test_mac(eth->h_source, TX_MARK_LOW);
	return XDP_TX;
}

static __always_inline int sink_rewrite(struct xdp_md *ctx, __u8 low)
{
	struct ethhdr *eth = eth_of(ctx);

	if (!eth)
		return -1;
	set_test_mac(eth->h_dest, low);
	return 0;
}

static __always_inline int redirect_cfg_ifindex(struct xdp_md *ctx)
{
	__u32 key = 0, *ifindex;

	ifindex = bpf_map_lookup_elem(&redirect_cfg, &key);
	if (!ifindex || !*ifindex || sink_rewrite(ctx, SINK_LOW))
		return XDP_ABORTED;
	return bpf_redirect(*ifindex, 0);
}

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp/drop")
int xdp_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

SEC("xdp/aborted")
int xdp_aborted(struct xdp_md *ctx)
{
	return XDP_ABORTED;
}

SEC("xdp/tx")
int xdp_tx(struct xdp_md *ctx)
{
	return tx_rewrite(ctx);
}

SEC("xdp/redirect")
int xdp_redirect(struct xdp_md *ctx)
{
	return redirect_cfg_ifindex(ctx);
}

SEC("xdp/viamap")
int xdp_devmap(struct xdp_md *ctx)
{
	if (sink_rewrite(ctx, SINK2_LOW))
		return XDP_ABORTED;
	return bpf_redirect_map(&tx_port, 0, 0);
}

/* an action no kernel knows: the driver warns and counts it aborted */
SEC("xdp/unknown")
int xdp_unknown(struct xdp_md *ctx)
{
	return 42;
}

SEC("xdp/xsk")
int xdp_xsk(struct xdp_md *ctx)
{
	return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
}

SEC("xdp.frags")
int xdp_frags_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp.frags")
int xdp_frags_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

SEC("xdp.frags")
int xdp_frags_tx(struct xdp_md *ctx)
{
	return tx_rewrite(ctx);
}

SEC("xdp.frags")
int xdp_frags_redirect(struct xdp_md *ctx)
{
	return redirect_cfg_ifindex(ctx);
}

SEC("xdp.frags")
int xdp_frags_cpu(struct xdp_md *ctx)
{
	return bpf_redirect_map(&cpu_map, 0, 0);
}

char _license[] SEC("license") = "GPL";
