// SPDX-License-Identifier: GPL-2.0
/*
 * e1k: the network interface - open/stop, interrupt, NAPI, link, reset.
 *
 * Bring-up (e1k_open) and tear-down (e1k_close) are mirror images:
 *
 *   e1k_open                          e1k_close
 *   1 allocate TX, RX descriptors     8 free RX, TX descriptors
 *   2 program device, post RX bufs    7 unmap and free all buffers,
 *                                       netdev_reset_queue
 *   3 request_irq                     6 free_irq
 *   4 e1k_start:                      5 e1k_quiesce:
 *       napi_enable                       netif_tx_disable
 *       unmask interrupts                 clear RCTL.EN, TCTL.EN (QEMU
 *       set RCTL.EN, TCTL.EN                ignores CTRL.RST), wait
 *       wake the queue                    carrier off
 *       run the link check                napi_disable
 *                                         mask (IMC), flush,
 *                                           synchronize_irq
 *                                         cancel the watchdog
 *
 * Step 4 enables NAPI before unmasking because an interrupt schedules NAPI;
 * step 5 disables NAPI first so no poll re-enables interrupts after the
 * mask.  Steps 6-8 run in process context with interrupts on and no lock
 * held, as dma_free_coherent() requires, and only once the device can no
 * longer touch the memory.  Open's error labels run the same steps.
 *
 * The reset task (TX timeout) runs steps 5 and 7, resets the MAC, then runs
 * steps 2 and 4, all under RTNL, keeping the interrupt handler and the
 * descriptor memory.
 */
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/rtnetlink.h>

#include "e1k.h"

static void e1k_irq_enable(struct e1k_adapter *adapter)
{
	e1k_wr32(&adapter->hw, E1K_IMS, E1K_IMS_ENABLE_MASK);
}

/* Masking means waiting: once this returns no handler runs or will run. */
static void e1k_irq_disable(struct e1k_adapter *adapter)
{
	e1k_wr32(&adapter->hw, E1K_IMC, ~0U);
	e1k_flush(&adapter->hw);
	synchronize_irq(adapter->pdev->irq);
}

static void e1k_update_stats(struct e1k_adapter *adapter)
{
	u64_stats_update_begin(&adapter->hw_stats_sync);
	e1k_update_hw_stats(&adapter->hw, &adapter->hw_stats);
	u64_stats_update_end(&adapter->hw_stats_sync);
}

/* Caller holds link_lock, with __E1K_DOWN clear. */
static void e1k_update_link(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	bool full_duplex = false;
	u32 speed = 0;
	bool up;

	up = e1k_link_up(&adapter->hw, &speed, &full_duplex);
	if (up == netif_carrier_ok(netdev))
		return;
	if (up) {
		netif_info(adapter, link, netdev,
			   "NIC Link is Up %u Mbps %s Duplex\n",
			   speed, full_duplex ? "Full" : "Half");
		netif_carrier_on(netdev);
	} else {
		netif_info(adapter, link, netdev, "NIC Link is Down\n");
		netif_carrier_off(netdev);
	}
}

/*
 * Runs every two seconds while the interface is up, and at once on a link
 * change interrupt.
 */
static void e1k_watchdog_task(struct work_struct *work)
{
	struct e1k_adapter *adapter = container_of(to_delayed_work(work),
						   struct e1k_adapter,
						   watchdog_task);

	spin_lock(&adapter->link_lock);
	if (test_bit(__E1K_DOWN, &adapter->state)) {
		spin_unlock(&adapter->link_lock);
		return;
	}
	e1k_update_link(adapter);
	spin_unlock(&adapter->link_lock);

	e1k_update_stats(adapter);

	/* An interrupt makes NAPI run and retry any RX refill that failed
	 * for lack of memory, so the ring cannot stay empty.
	 */
	e1k_wr32(&adapter->hw, E1K_ICS, E1K_ICR_RXDMT0);

	schedule_delayed_work(&adapter->watchdog_task, E1K_WATCHDOG_INTERVAL);
}

static irqreturn_t e1k_intr(int irq, void *data)
{
	struct e1k_adapter *adapter = data;
	struct e1k_hw *hw = &adapter->hw;
	u32 icr;

	/* Reading ICR acknowledges every cause and deasserts the line. */
	icr = e1k_rd32(hw, E1K_ICR);
	if (unlikely(!icr || icr == ~0U))	/* not ours, or device gone */
		return IRQ_NONE;

	if ((icr & E1K_ICR_LSC) && !test_bit(__E1K_DOWN, &adapter->state))
		mod_delayed_work(system_wq, &adapter->watchdog_task, 0);

	if (likely(napi_schedule_prep(&adapter->napi))) {
		e1k_wr32(hw, E1K_IMC, ~0U);
		__napi_schedule(&adapter->napi);
	}
	return IRQ_HANDLED;
}

static int e1k_poll(struct napi_struct *napi, int budget)
{
	struct e1k_adapter *adapter = container_of(napi, struct e1k_adapter,
						   napi);
	int work_done;

	e1k_clean_tx_irq(&adapter->tx_ring, budget);
	work_done = e1k_clean_rx_irq(&adapter->rx_ring, napi, budget);
	if (work_done == budget)
		return budget;

	if (napi_complete_done(napi, work_done))
		e1k_irq_enable(adapter);
	return work_done;
}

static void e1k_configure_tx(struct e1k_adapter *adapter)
{
	struct e1k_ring *ring = &adapter->tx_ring;
	struct e1k_hw *hw = &adapter->hw;

	ring->tail = e1k_setup_ring(hw, E1K_TDBAL, ring->dma,
				    ring->count * sizeof(struct e1k_tx_desc));
	e1k_wr32(hw, E1K_TIPG, E1K_TIPG_DEFAULT);
	e1k_wr32(hw, E1K_TIDV, 0);
	e1k_wr32(hw, E1K_TADV, 0);
	/* TCTL.EN is set by e1k_start() */
	e1k_wr32(hw, E1K_TCTL, E1K_TCTL_PSP | E1K_TCTL_RTLC |
		 (E1K_COLLISION_THRESHOLD << E1K_TCTL_CT_SHIFT) |
		 (E1K_COLLISION_DISTANCE << E1K_TCTL_COLD_SHIFT));
}

static void e1k_configure_rx(struct e1k_adapter *adapter)
{
	struct e1k_ring *ring = &adapter->rx_ring;
	struct e1k_hw *hw = &adapter->hw;

	/* RCTL.EN stays clear until e1k_start(). */
	e1k_wr32(hw, E1K_RCTL, 0);
	e1k_wr32(hw, E1K_RDTR, 0);
	e1k_wr32(hw, E1K_RADV, 0);
	e1k_wr32(hw, E1K_ITR, adapter->itr);
	ring->tail = e1k_setup_ring(hw, E1K_RDBAL, ring->dma,
				    ring->count * sizeof(struct e1k_rx_desc));
	e1k_wr32(hw, E1K_RCTL, E1K_RCTL_BAM | E1K_RCTL_SZ_2048 |
		 E1K_RCTL_SECRC | E1K_RCTL_RDMTS_HALF);
}

static void e1k_set_rx_mode(struct net_device *netdev);

/* Program everything but the enables; allocates nothing. */
static void e1k_configure(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;

	/* A hang may come from a lost bus-master enable: restore it. */
	pci_set_master(adapter->pdev);
	e1k_rar_set(&adapter->hw, netdev->dev_addr, 0);
	e1k_configure_tx(adapter);
	e1k_configure_rx(adapter);

	netif_addr_lock_bh(netdev);
	e1k_set_rx_mode(netdev);
	netif_addr_unlock_bh(netdev);
}

static void e1k_start(struct e1k_adapter *adapter)
{
	struct e1k_hw *hw = &adapter->hw;

	spin_lock(&adapter->link_lock);
	clear_bit(__E1K_DOWN, &adapter->state);
	spin_unlock(&adapter->link_lock);

	napi_enable(&adapter->napi);
	e1k_irq_enable(adapter);
	e1k_wr32(hw, E1K_RCTL, e1k_rd32(hw, E1K_RCTL) | E1K_RCTL_EN);
	e1k_wr32(hw, E1K_TCTL, e1k_rd32(hw, E1K_TCTL) | E1K_TCTL_EN);
	e1k_flush(hw);
	/* wake, not start: after a reset the qdisc may hold frames */
	netif_wake_queue(adapter->netdev);

	/* Carrier comes from the link check, now rather than in 2 s. */
	schedule_delayed_work(&adapter->watchdog_task, 0);
}

static void e1k_quiesce(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	struct e1k_hw *hw = &adapter->hw;

	spin_lock(&adapter->link_lock);
	set_bit(__E1K_DOWN, &adapter->state);
	spin_unlock(&adapter->link_lock);

	netif_tx_disable(netdev);
	e1k_wr32(hw, E1K_RCTL, e1k_rd32(hw, E1K_RCTL) & ~E1K_RCTL_EN);
	e1k_wr32(hw, E1K_TCTL, e1k_rd32(hw, E1K_TCTL) & ~E1K_TCTL_EN);
	e1k_flush(hw);
	usleep_range(10000, 12000);	/* let a frame in flight land */
	netif_carrier_off(netdev);
	napi_disable(&adapter->napi);
	e1k_irq_disable(adapter);
	cancel_delayed_work_sync(&adapter->watchdog_task);
	e1k_update_stats(adapter);
}

static void e1k_clean_rings(struct e1k_adapter *adapter)
{
	e1k_rx_ring_clean(&adapter->rx_ring);
	e1k_tx_ring_clean(&adapter->tx_ring);
}

static int e1k_open(struct net_device *netdev)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct e1k_ring *rx_ring = &adapter->rx_ring;
	int err;

	err = e1k_ring_alloc(&adapter->tx_ring, sizeof(struct e1k_tx_buffer));
	if (err)
		return err;
	err = e1k_ring_alloc(rx_ring, sizeof(struct e1k_rx_buffer));
	if (err)
		goto err_free_tx;

	e1k_configure(adapter);
	if (e1k_rx_ring_fill(rx_ring, e1k_desc_unused(rx_ring))) {
		err = -ENOMEM;
		goto err_clean_rings;
	}

	err = request_irq(adapter->pdev->irq, e1k_intr, IRQF_SHARED,
			  netdev->name, adapter);
	if (err) {
		netif_err(adapter, ifup, netdev, "request_irq %d failed: %d\n",
			  adapter->pdev->irq, err);
		goto err_clean_rings;
	}

	e1k_start(adapter);
	return 0;

err_clean_rings:
	e1k_clean_rings(adapter);
	e1k_ring_free(rx_ring);
err_free_tx:
	e1k_ring_free(&adapter->tx_ring);
	return err;
}

static int e1k_close(struct net_device *netdev)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	e1k_quiesce(adapter);
	free_irq(adapter->pdev->irq, adapter);
	e1k_clean_rings(adapter);
	e1k_ring_free(&adapter->rx_ring);
	e1k_ring_free(&adapter->tx_ring);
	return 0;
}

static void e1k_reset_task(struct work_struct *work)
{
	struct e1k_adapter *adapter = container_of(work, struct e1k_adapter,
						   reset_task);
	struct e1k_ring *rx_ring = &adapter->rx_ring;

	rtnl_lock();
	if (netif_running(adapter->netdev)) {
		netdev_warn(adapter->netdev, "TX hang: resetting the device\n");
		e1k_quiesce(adapter);
		e1k_clean_rings(adapter);
		/* A hung TX engine on silicon needs the global reset;
		 * e1k_configure() then restores everything it cleared.
		 */
		e1k_hw_reset(&adapter->hw);
		e1k_setup_link(&adapter->hw);
		e1k_configure(adapter);
		/* A shortfall is retried by NAPI once memory returns. */
		e1k_rx_ring_fill(rx_ring, e1k_desc_unused(rx_ring));
		e1k_start(adapter);
	}
	rtnl_unlock();
}

static netdev_tx_t e1k_start_xmit(struct sk_buff *skb,
				  struct net_device *netdev)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	return e1k_xmit_ring(&adapter->tx_ring, skb);
}

static void e1k_tx_timeout(struct net_device *netdev, unsigned int txqueue)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	schedule_work(&adapter->reset_task);
}

/* Called with the address list lock held, BHs off. */
static void e1k_set_rx_mode(struct net_device *netdev)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct e1k_hw *hw = &adapter->hw;
	u32 *mta = adapter->mta_shadow;
	struct netdev_hw_addr *ha;
	unsigned int rar = 1;
	u32 old_rctl, rctl;

	old_rctl = e1k_rd32(hw, E1K_RCTL);
	rctl = old_rctl & ~(E1K_RCTL_UPE | E1K_RCTL_MPE);
	if (netdev->flags & IFF_PROMISC)
		rctl |= E1K_RCTL_UPE | E1K_RCTL_MPE;
	if (netdev->flags & IFF_ALLMULTI)
		rctl |= E1K_RCTL_MPE;
	/* More secondary unicast addresses than filters: go promiscuous. */
	if (netdev_uc_count(netdev) > E1K_RAR_ENTRIES - 1)
		rctl |= E1K_RCTL_UPE;

	if (!(rctl & E1K_RCTL_UPE))
		netdev_for_each_uc_addr(ha, netdev)
			e1k_rar_set(hw, ha->addr, rar++);
	for (; rar < E1K_RAR_ENTRIES; rar++)
		e1k_rar_clear(hw, rar);

	memset(mta, 0, sizeof(adapter->mta_shadow));
	netdev_for_each_mc_addr(ha, netdev) {
		u32 hash = e1k_mta_hash(ha->addr);

		mta[hash >> 5] |= BIT(hash & 0x1f);
	}
	e1k_mta_write(hw, mta);

	/* QEMU's model stops receiving for a second after any RCTL write,
	 * so a multicast list change must not rewrite an unchanged RCTL.
	 */
	if (rctl != old_rctl)
		e1k_wr32(hw, E1K_RCTL, rctl);
}

static int e1k_set_mac_address(struct net_device *netdev, void *p)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	int err;

	err = eth_prepare_mac_addr_change(netdev, p);
	if (err)
		return err;
	eth_commit_mac_addr_change(netdev, p);
	e1k_rar_set(&adapter->hw, netdev->dev_addr, 0);
	return 0;
}

static void e1k_get_stats64(struct net_device *netdev,
			    struct rtnl_link_stats64 *stats)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct e1k_ring *tx_ring = &adapter->tx_ring;
	struct e1k_ring *rx_ring = &adapter->rx_ring;
	u64 length_errors, frame_errors;
	struct e1k_hw_stats hw;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&rx_ring->rx_stats.syncp);
		stats->rx_packets = u64_stats_read(&rx_ring->rx_stats.packets);
		stats->rx_bytes = u64_stats_read(&rx_ring->rx_stats.bytes);
		stats->rx_dropped =
			u64_stats_read(&rx_ring->rx_stats.alloc_failed);
		length_errors =
			u64_stats_read(&rx_ring->rx_stats.length_errors);
		frame_errors = u64_stats_read(&rx_ring->rx_stats.frame_errors);
	} while (u64_stats_fetch_retry(&rx_ring->rx_stats.syncp, start));

	do {
		start = u64_stats_fetch_begin(&tx_ring->tx_stats.syncp);
		stats->tx_packets = u64_stats_read(&tx_ring->tx_stats.packets);
		stats->tx_bytes = u64_stats_read(&tx_ring->tx_stats.bytes);
	} while (u64_stats_fetch_retry(&tx_ring->tx_stats.syncp, start));

	do {
		start = u64_stats_fetch_begin(&tx_ring->xmit_stats.syncp);
		stats->tx_dropped =
			u64_stats_read(&tx_ring->xmit_stats.dropped);
	} while (u64_stats_fetch_retry(&tx_ring->xmit_stats.syncp, start));

	do {
		start = u64_stats_fetch_begin(&adapter->hw_stats_sync);
		hw = adapter->hw_stats;
	} while (u64_stats_fetch_retry(&adapter->hw_stats_sync, start));

	stats->rx_length_errors = length_errors + hw.ruc + hw.roc;
	stats->rx_crc_errors = hw.crcerrs;
	stats->rx_frame_errors = frame_errors + hw.algnerrc;
	stats->rx_missed_errors = hw.mpc;
	stats->rx_errors = stats->rx_length_errors + stats->rx_crc_errors +
			   stats->rx_frame_errors + hw.rxerrc;
	stats->multicast = hw.mprc;
	stats->collisions = hw.colc;
	stats->tx_aborted_errors = hw.ecol;
	stats->tx_window_errors = hw.latecol;
	stats->tx_errors = hw.ecol + hw.latecol;
}

static const struct net_device_ops e1k_netdev_ops = {
	.ndo_open		= e1k_open,
	.ndo_stop		= e1k_close,
	.ndo_start_xmit		= e1k_start_xmit,
	.ndo_get_stats64	= e1k_get_stats64,
	.ndo_set_rx_mode	= e1k_set_rx_mode,
	.ndo_set_mac_address	= e1k_set_mac_address,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_tx_timeout		= e1k_tx_timeout,
};

static void e1k_ring_init(struct e1k_ring *ring,
			  struct e1k_adapter *adapter, u16 count)
{
	ring->netdev = adapter->netdev;
	ring->dev = &adapter->pdev->dev;
	ring->count = count;
}

/**
 * e1k_netdev_setup - prepare a probed device's net_device for registration
 * @adapter: the adapter, with @netdev, @pdev and the MAC address set
 *
 * Undone by e1k_netdev_teardown().
 */
void e1k_netdev_setup(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;

	netdev->netdev_ops = &e1k_netdev_ops;
	netdev->ethtool_ops = &e1k_ethtool_ops;
	netdev->watchdog_timeo = 5 * HZ;
	netdev->priv_flags |= IFF_UNICAST_FLT | IFF_LIVE_ADDR_CHANGE;

	e1k_ring_init(&adapter->tx_ring, adapter, E1K_DEFAULT_TXD);
	e1k_ring_init(&adapter->rx_ring, adapter, E1K_DEFAULT_RXD);
	u64_stats_init(&adapter->tx_ring.tx_stats.syncp);
	u64_stats_init(&adapter->tx_ring.xmit_stats.syncp);
	u64_stats_init(&adapter->rx_ring.rx_stats.syncp);
	u64_stats_init(&adapter->hw_stats_sync);
	adapter->itr = E1K_DEFAULT_ITR;

	set_bit(__E1K_DOWN, &adapter->state);
	spin_lock_init(&adapter->link_lock);
	INIT_DELAYED_WORK(&adapter->watchdog_task, e1k_watchdog_task);
	INIT_WORK(&adapter->reset_task, e1k_reset_task);
	netif_napi_add(netdev, &adapter->napi, e1k_poll);
	netif_carrier_off(netdev);
}

/**
 * e1k_netdev_teardown - undo e1k_netdev_setup() after unregister_netdev()
 * @adapter: the adapter
 */
void e1k_netdev_teardown(struct e1k_adapter *adapter)
{
	netif_napi_del(&adapter->napi);
	/* A TX timeout may have queued a reset; it finds the device down. */
	cancel_work_sync(&adapter->reset_task);
}
