// SPDX-License-Identifier: GPL-2.0
/*
 * e1k: XDP - attaching a program, and frames redirected to the device.
 *
 * The receive path (e1k_clean_rx_irq()) is the same with a program or
 * without: every buffer comes from the RX ring's page_pool with
 * XDP_PACKET_HEADROOM in front of it, and XDP_TX maps what it sends for
 * the TX ring.  So a program is attached, replaced or detached by
 * swapping a pointer, up or down, with no ring rebuilt and no frame
 * lost; the NAPI poll reads it once per run, and an old program lives on
 * until RCU lets it go.
 *
 * XDP_TX, ndo_xdp_xmit and the stack share the one TX ring under the TX
 * queue lock (e1k_xdp_xmit_ring()).
 */
#include <linux/bpf.h>
#include <linux/filter.h>

#include "e1k.h"
#include "e1k_compat.h"

/**
 * e1k_xdp_mtu_ok - whether a program can receive every frame of an MTU
 * @mtu: the MTU
 * @prog: the program, or NULL
 *
 * A frame longer than a buffer spans descriptors: only a program that
 * declares multi-buffer support (loaded as xdp.frags) may see it.
 */
bool e1k_xdp_mtu_ok(unsigned int mtu, const struct bpf_prog *prog)
{
	return !prog || prog->aux->xdp_has_frags ||
	       mtu + VLAN_ETH_HLEN + ETH_FCS_LEN <= E1K_RX_BUFSZ;
}

static int e1k_xdp_setup(struct net_device *netdev, struct netdev_bpf *bpf)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct bpf_prog *old;

	if (!e1k_xdp_mtu_ok(netdev->mtu, bpf->prog)) {
		NL_SET_ERR_MSG_MOD(bpf->extack,
				   "MTU too large for one RX buffer: the program must support frags (xdp.frags)");
		return -EOPNOTSUPP;
	}
	old = xchg(&adapter->rx_ring.xdp_prog, bpf->prog);
	if (old)
		bpf_prog_put(old);
	netif_dbg(adapter, drv, netdev, "XDP program %s\n",
		  !bpf->prog ? "detached" : old ? "replaced" : "attached");
	return 0;
}

/* ndo_bpf, under RTNL */
int e1k_xdp(struct net_device *netdev, struct netdev_bpf *bpf)
{
	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return e1k_xdp_setup(netdev, bpf);
	default:
		return -EINVAL;
	}
}

/**
 * e1k_xdp_xmit - ndo_xdp_xmit: send frames redirected to this device
 * @netdev: the device
 * @n: how many frames
 * @frames: the frames
 * @flags: XDP_XMIT_FLUSH to ring the doorbell
 *
 * From any CPU's NAPI poll (a redirect map's flush), while the stack may
 * be transmitting on another.
 *
 * Return: how many frames were queued (the caller frees the rest), or a
 * negative errno with none queued.
 */
int e1k_xdp_xmit(struct net_device *netdev, int n, struct xdp_frame **frames,
		 u32 flags)
{
	struct netdev_queue *txq = netdev_get_tx_queue(netdev, 0);
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct e1k_ring *ring = &adapter->tx_ring;
	int sent;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;

	__netif_tx_lock(txq, smp_processor_id());
	/* e1k_quiesce() sets __E1K_DOWN before it takes this lock to stop
	 * transmit: past it, the ring is ours until the lock is dropped.
	 */
	if (unlikely(test_bit(__E1K_DOWN, &adapter->state))) {
		__netif_tx_unlock(txq);
		return -ENETDOWN;
	}
	for (sent = 0; sent < n; sent++)
		if (e1k_xdp_xmit_ring(ring, frames[sent], E1K_TX_XDP_XMIT))
			break;
	/* also for frames an earlier call queued without the flush */
	if (flags & XDP_XMIT_FLUSH)
		e1k_tx_kick(ring);

	u64_stats_update_begin(&ring->xmit_stats.syncp);
	u64_stats_add(&ring->xmit_stats.xdp_xmit, sent);
	u64_stats_add(&ring->xmit_stats.xdp_xmit_errors, n - sent);
	u64_stats_update_end(&ring->xmit_stats.syncp);
	__netif_tx_unlock(txq);
	return sent;
}
