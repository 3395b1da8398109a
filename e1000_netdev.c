// SPDX-License-Identifier: GPL-2.0
/*
 * e1k: the network interface - open/stop, interrupt, NAPI, link, reset.
 *
 * Bring-up (e1k_open) and tear-down (e1k_close) are mirror images:
 *
 *   e1k_open                          e1k_close
 *   1 allocate TX, RX descriptors,    8 destroy the page_pool, free
 *     the RX page_pool                  RX, TX descriptors
 *   2 program device, post RX bufs    7 unmap and free all buffers,
 *                                       netdev_reset_queue
 *   3 request_irq                     6 free_irq
 *   4 e1k_start:                      5 e1k_quiesce:
 *       napi_enable                       netif_tx_disable
 *       unmask interrupts                 clear RCTL.EN, TCTL.EN (QEMU
 *       set RCTL.EN, TCTL.EN                ignores CTRL.RST), wait
 *       wake the queue                    carrier off
 *       run the link check                napi_disable
 *                                         netif_tx_disable again
 *                                         mask (IMC), flush,
 *                                           synchronize_irq
 *                                         cancel the watchdog
 *
 * Step 4 enables NAPI before unmasking because an interrupt schedules NAPI;
 * step 5 disables NAPI first so no poll re-enables interrupts after the
 * mask, and stops transmit again after it, as a last poll may have woken
 * the queue.  Steps 6-8 run in process context with interrupts on and no lock
 * held, as dma_free_coherent() requires, and only once the device can no
 * longer touch the memory.  Open's error labels run the same steps.
 *
 * e1k_down() is steps 5 and 7, e1k_up() steps 2 and 4: they keep the
 * interrupt handler and the descriptor memory.  e1k_quiesce() runs once:
 * after a down by PCI error recovery, the close that follows skips it.
 *
 * Open resets the MAC and sets the link up (e1k_reset(): packet buffer
 * split, global reset, PHY setup) before step 2.  Under RTNL, the reset
 * task (TX hang, or the link lost with frames on the ring) and an MTU
 * change run e1k_down(), e1k_reset(), e1k_up(); suspend and resume run
 * the same steps on either side of the sleep, and a ring resize swaps in
 * memory allocated beforehand between e1k_down() and e1k_up().
 */
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/mii.h>
#include <linux/rtnetlink.h>
#include <linux/tcp.h>

#include "e1k.h"
#include "e1k_compat.h"

static void e1k_irq_enable(struct e1k_adapter *adapter)
{
	e1k_wr32(&adapter->hw, E1K_IMS, E1K_IMS_ENABLE_MASK);
}

/* Masking means waiting: once this returns no handler runs or will run. */
static void e1k_irq_disable(struct e1k_adapter *adapter)
{
	e1k_wr32(&adapter->hw, E1K_IMC, ~0U);
	e1k_flush(&adapter->hw);
	synchronize_irq(adapter->irq);
}

/* Fold the device's clear-on-read counters into hw_stats.  The watchdog
 * folds them every two seconds and every reader folds them first, so what
 * a reader reports is current; the lock keeps two folds from adding the
 * same counts twice and a reader from seeing half a fold.  A running
 * device only (@last aside): once __E1K_DOWN is set a reset may be under
 * way, and e1k_quiesce() has made the last fold, with @last.
 */
static void e1k_fold_hw_stats(struct e1k_adapter *adapter, bool last)
{
	lockdep_assert_held(&adapter->stats_lock);
	if (last || !test_bit(__E1K_DOWN, &adapter->state))
		e1k_update_hw_stats(&adapter->hw, &adapter->hw_stats);
}

static void e1k_update_stats(struct e1k_adapter *adapter, bool last)
{
	spin_lock_bh(&adapter->stats_lock);
	e1k_fold_hw_stats(adapter, last);
	spin_unlock_bh(&adapter->stats_lock);
}

/* Caller holds link_lock, with __E1K_DOWN clear.
 * Return: true if the link has just come up.
 */
static bool e1k_update_link(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	bool full_duplex = false;
	u32 speed = 0;
	bool up;

	up = e1k_link_up(&adapter->hw, &speed, &full_duplex);
	if (up == netif_carrier_ok(netdev))
		return false;
	if (up) {
		netif_info(adapter, link, netdev,
			   "NIC Link is Up %u Mbps %s Duplex\n",
			   speed, full_duplex ? "Full" : "Half");
		netif_carrier_on(netdev);
	} else {
		netif_info(adapter, link, netdev, "NIC Link is Down\n");
		netif_carrier_off(netdev);
	}
	return up;
}

/* The link is down and the TX ring has made no progress for a watchdog
 * interval: the device stops transmitting without a link, and the stack's
 * TX watchdog ignores a queue without carrier, so frames left on the ring
 * would stay there until the link returned.  Timed, not counted in runs:
 * a link change runs the watchdog at once.  Return: true if a reset
 * should flush them.
 */
static bool e1k_tx_stranded(struct e1k_adapter *adapter)
{
	struct e1k_ring *ring = &adapter->tx_ring;
	int ntc = READ_ONCE(ring->next_to_clean);

	if (netif_carrier_ok(adapter->netdev) ||
	    e1k_desc_unused(ring) + 1 == ring->count) {
		adapter->tx_stalled_ntc = -1;
		return false;
	}
	if (ntc != adapter->tx_stalled_ntc) {
		adapter->tx_stalled_ntc = ntc;
		adapter->tx_stalled_since = jiffies;
		return false;
	}
	return time_after_eq(jiffies, adapter->tx_stalled_since +
			     E1K_WATCHDOG_INTERVAL);
}

/* Runs every two seconds while the interface is up, and at once on a link
 * change interrupt.
 */
static void e1k_watchdog_task(struct work_struct *work)
{
	struct e1k_adapter *adapter = container_of(to_delayed_work(work),
						   struct e1k_adapter,
						   watchdog_task);

	bool came_up;

	spin_lock(&adapter->link_lock);
	if (test_bit(__E1K_DOWN, &adapter->state)) {
		spin_unlock(&adapter->link_lock);
		return;
	}
	came_up = e1k_update_link(adapter);
	spin_unlock(&adapter->link_lock);

	if (came_up) {
		mutex_lock(&adapter->phy_lock);
		e1k_config_fc(&adapter->hw);
		mutex_unlock(&adapter->phy_lock);
	}
	e1k_update_stats(adapter, false);

	if (e1k_tx_stranded(adapter)) {
		netdev_warn(adapter->netdev,
			    "link down with frames on the TX ring\n");
		schedule_work(&adapter->reset_task);
		return;
	}

	/* An interrupt makes NAPI run and retry any RX refill that failed
	 * for lack of memory, so the ring cannot stay empty.
	 */
	e1k_wr32(&adapter->hw, E1K_ICS, E1K_ICR_RXDMT0);

	schedule_delayed_work(&adapter->watchdog_task, E1K_WATCHDOG_INTERVAL);
}

/**
 * e1k_check_link - look at the link now, not at the next watchdog run
 * @adapter: the adapter
 *
 * For a negotiation just restarted: the link drop it causes raises no
 * interrupt on every device (QEMU's model signals only the link's return).
 */
void e1k_check_link(struct e1k_adapter *adapter)
{
	if (!test_bit(__E1K_DOWN, &adapter->state))
		mod_delayed_work(system_wq, &adapter->watchdog_task, 0);
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
	if (unlikely(test_bit(__E1K_TESTING, &adapter->state))) {
		WRITE_ONCE(adapter->test_icr, adapter->test_icr | icr);
		return IRQ_HANDLED;
	}

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
	/* netpoll, interrupts off: transmit completions only */
	if (unlikely(!budget))
		return 0;
	work_done = e1k_clean_rx_irq(&adapter->rx_ring, &adapter->tx_ring,
				     napi, budget);
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
	/* the device's context is unknown until the first one is written */
	ring->tx_csum_ctx = 0;
	e1k_wr32(hw, E1K_TIPG, E1K_TIPG_DEFAULT);
	e1k_wr32(hw, E1K_TIDV, 0);
	e1k_wr32(hw, E1K_TADV, 0);
	/* TCTL.EN is set by e1k_start() */
	e1k_wr32(hw, E1K_TCTL, E1K_TCTL_DEFAULT);
}

/* Apply the interrupt moderation interval; does not sleep. */
void e1k_set_itr(struct e1k_adapter *adapter)
{
	e1k_wr32(&adapter->hw, E1K_ITR, adapter->itr_usecs * 1000 / 256);
}

/**
 * e1k_rctl_update - set or clear RCTL bits
 * @adapter: the adapter
 * @clear: bits to clear (~0U: all, for a new value)
 * @set: bits to set, after @clear
 *
 * Serialised with every other RCTL update by rctl_lock.
 */
void e1k_rctl_update(struct e1k_adapter *adapter, u32 clear, u32 set)
{
	struct e1k_hw *hw = &adapter->hw;

	spin_lock_bh(&adapter->rctl_lock);
	e1k_wr32(hw, E1K_RCTL, (e1k_rd32(hw, E1K_RCTL) & ~clear) | set);
	spin_unlock_bh(&adapter->rctl_lock);
}

static void e1k_configure_rx(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	struct e1k_ring *ring = &adapter->rx_ring;
	struct e1k_hw *hw = &adapter->hw;
	/* RCTL.SECRC stays clear, as upstream e1000 leaves it on every
	 * 8254x: the CRC arrives in the buffer and e1k_clean_rx_irq() trims
	 * it.  The chip counts its frame size histograms (PRC64..PRC1522)
	 * with the CRC either way; QEMU's model counts without it once it
	 * is stripped, 4 bytes short of the buckets.
	 */
	u32 rctl = E1K_RCTL_BAM | E1K_RCTL_SZ_2048 | E1K_RCTL_RDMTS_HALF;

	/* RCTL.EN stays clear until e1k_start(). */
	e1k_rctl_update(adapter, ~0U, 0);
	e1k_wr32(hw, E1K_RDTR, 0);
	e1k_wr32(hw, E1K_RADV, 0);
	e1k_set_itr(adapter);
	ring->tail = e1k_setup_ring(hw, E1K_RDBAL, ring->dma,
				    ring->count * sizeof(struct e1k_rx_desc));

	/* Frames longer than a buffer span descriptors; the length check
	 * in e1k_clean_rx_irq() holds them to the MTU (tag and CRC and all).
	 */
	ring->rx_max_frame = netdev->mtu + VLAN_ETH_HLEN + ETH_FCS_LEN;
	if (netdev->mtu > ETH_DATA_LEN)
		rctl |= E1K_RCTL_LPE;
	/* the filter bits follow, from e1k_set_rx_mode() */
	e1k_rctl_update(adapter, ~0U, rctl);
}

/* CTRL.VME both inserts tags on transmit and strips them on receive. */
static void e1k_vlan_mode(struct e1k_adapter *adapter,
			  netdev_features_t features)
{
	struct e1k_hw *hw = &adapter->hw;
	u32 ctrl = e1k_rd32(hw, E1K_CTRL);

	if (features & NETIF_F_HW_VLAN_CTAG_RX)
		ctrl |= E1K_CTRL_VME;
	else
		ctrl &= ~E1K_CTRL_VME;
	e1k_wr32(hw, E1K_CTRL, ctrl);
}

/* The filter table word holding @vid, as active_vlans says it should be. */
static u32 e1k_vfta_word(const struct e1k_adapter *adapter, u16 vid)
{
	unsigned int first = vid & ~0x1f, bit;
	u32 word = 0;

	for (bit = 0; bit < 32; bit++)
		if (test_bit(first + bit, adapter->active_vlans))
			word |= BIT(bit);
	return word;
}

static void e1k_vfta_restore(struct e1k_adapter *adapter)
{
	unsigned int i;

	for (i = 0; i < E1K_VFTA_ENTRIES; i++)
		e1k_wr32(&adapter->hw, E1K_VFTA(i),
			 e1k_vfta_word(adapter, i * 32));
}

static void e1k_set_rx_mode(struct net_device *netdev);

/* A change to what the receive filters depend on, under RTNL: recorded
 * under the locks ndo_set_rx_mode runs under, then applied.
 */
static void e1k_update_rx_filters(struct e1k_adapter *adapter,
				  bool vlan_filter)
{
	struct net_device *netdev = adapter->netdev;

	netif_addr_lock_bh(netdev);
	spin_lock(&adapter->rctl_lock);
	adapter->vlan_filter = vlan_filter;
	adapter->vlans_used = !bitmap_empty(adapter->active_vlans, VLAN_N_VID);
	spin_unlock(&adapter->rctl_lock);
	e1k_set_rx_mode(netdev);
	netif_addr_unlock_bh(netdev);
}

static int e1k_vlan_rx_add_vid(struct net_device *netdev, __be16 proto,
			       u16 vid)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	set_bit(vid, adapter->active_vlans);
	e1k_wr32(&adapter->hw, E1K_VFTA(vid >> 5), e1k_vfta_word(adapter, vid));
	e1k_update_rx_filters(adapter, adapter->vlan_filter);
	return 0;
}

static int e1k_vlan_rx_kill_vid(struct net_device *netdev, __be16 proto,
				u16 vid)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	clear_bit(vid, adapter->active_vlans);
	e1k_wr32(&adapter->hw, E1K_VFTA(vid >> 5), e1k_vfta_word(adapter, vid));
	e1k_update_rx_filters(adapter, adapter->vlan_filter);
	return 0;
}

/* Program everything but the enables; allocates nothing. */
static void e1k_configure(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;

	struct e1k_hw *hw = &adapter->hw;

	/* A hang may come from a lost bus-master enable: restore it. */
	pci_set_master(adapter->pdev);
	e1k_rar_set(hw, netdev->dev_addr, 0);
	e1k_wr32(hw, E1K_FCAL, E1K_FCAL_PAUSE);
	e1k_wr32(hw, E1K_FCAH, E1K_FCAH_PAUSE);
	e1k_wr32(hw, E1K_FCT, E1K_FCT_PAUSE);
	e1k_wr32(hw, E1K_FCTTV, E1K_FC_PAUSE_TIME);
	e1k_wr32(hw, E1K_VET, ETH_P_8021Q);
	mutex_lock(&adapter->phy_lock);
	e1k_vlan_mode(adapter, netdev->features);
	mutex_unlock(&adapter->phy_lock);
	e1k_vfta_restore(adapter);
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

	adapter->tx_stalled_ntc = -1;
	napi_enable(&adapter->napi);
	e1k_irq_enable(adapter);
	e1k_rctl_update(adapter, 0, E1K_RCTL_EN);
	e1k_wr32(hw, E1K_TCTL, e1k_rd32(hw, E1K_TCTL) | E1K_TCTL_EN);
	e1k_flush(hw);
	/* wake, not start: after a reset the qdisc may hold frames */
	netif_wake_queue(adapter->netdev);

	/* Carrier comes from the link check, now rather than in 2 s. */
	schedule_delayed_work(&adapter->watchdog_task, 0);
}

/* Step 5 of the table above; once only, until the next e1k_start(). */
static void e1k_quiesce(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	struct e1k_hw *hw = &adapter->hw;
	bool was_down;

	spin_lock(&adapter->link_lock);
	was_down = test_and_set_bit(__E1K_DOWN, &adapter->state);
	spin_unlock(&adapter->link_lock);
	if (was_down)
		return;

	netif_tx_disable(netdev);
	e1k_rctl_update(adapter, E1K_RCTL_EN, 0);
	e1k_wr32(hw, E1K_TCTL, e1k_rd32(hw, E1K_TCTL) & ~E1K_TCTL_EN);
	e1k_flush(hw);
	usleep_range(10000, 12000);	/* let a frame in flight land */
	netif_carrier_off(netdev);
	napi_disable(&adapter->napi);
	/* A poll that ran before __E1K_DOWN was seen may have woken the
	 * queue: with NAPI off for good, stop transmit once more, so that
	 * no xmit runs while the rings are emptied or swapped.
	 */
	netif_tx_disable(netdev);
	e1k_irq_disable(adapter);
	cancel_delayed_work_sync(&adapter->watchdog_task);
	e1k_update_stats(adapter, true);
}

static void e1k_clean_rings(struct e1k_adapter *adapter)
{
	e1k_rx_ring_clean(&adapter->rx_ring);
	e1k_tx_ring_clean(&adapter->tx_ring);
}

/**
 * e1k_down - stop the device and empty its rings, keeping IRQ and memory
 * @adapter: a running adapter; RTNL held
 */
void e1k_down(struct e1k_adapter *adapter)
{
	e1k_quiesce(adapter);
	e1k_clean_rings(adapter);
}

/**
 * e1k_up - program the device and start it again after e1k_down()
 * @adapter: the adapter; RTNL held
 *
 * A shortfall of receive buffers is retried by NAPI once memory returns.
 */
void e1k_up(struct e1k_adapter *adapter)
{
	e1k_configure(adapter);
	e1k_rx_ring_populate(&adapter->rx_ring);
	e1k_start(adapter);
}

/**
 * e1k_request_irq - install the interrupt handler
 * @adapter: the adapter
 *
 * The line is remembered for free_irq(): once PCI error recovery has
 * disabled the device, pdev->irq may read 0.
 *
 * Return: 0 or request_irq()'s error.
 */
int e1k_request_irq(struct e1k_adapter *adapter)
{
	int err;

	err = request_irq(adapter->pdev->irq, e1k_intr, IRQF_SHARED,
			  adapter->netdev->name, adapter);
	if (!err)
		adapter->irq = adapter->pdev->irq;
	return err;
}

/**
 * e1k_reset - reset the MAC and set the link up, for the current MTU
 * @adapter: the adapter, quiesced; RTNL held
 *
 * The packet buffer split takes effect at the global reset, so it is
 * written first; then the PHY and the MAC's link settings, pause
 * advertisement included, from hw.link.
 */
void e1k_reset(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	struct e1k_hw *hw = &adapter->hw;
	int err;

	e1k_setup_pba(hw, netdev->mtu + VLAN_ETH_HLEN + ETH_FCS_LEN);
	e1k_hw_reset(hw);
	mutex_lock(&adapter->phy_lock);
	err = e1k_setup_link(hw);
	mutex_unlock(&adapter->phy_lock);
	if (err)
		netif_err(adapter, hw, netdev, "PHY setup failed: %d\n", err);
}

int e1k_open(struct net_device *netdev)
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
	err = e1k_rx_pool_create(rx_ring, &adapter->napi);
	if (err)
		goto err_free_rx;

	e1k_reset(adapter);
	e1k_configure(adapter);
	if (e1k_rx_ring_populate(rx_ring)) {
		err = -ENOMEM;
		goto err_clean_rings;
	}

	err = e1k_request_irq(adapter);
	if (err) {
		netif_err(adapter, ifup, netdev, "request_irq %d failed: %d\n",
			  adapter->pdev->irq, err);
		goto err_clean_rings;
	}

	e1k_start(adapter);
	return 0;

err_clean_rings:
	e1k_clean_rings(adapter);
	e1k_rx_pool_destroy(rx_ring);
err_free_rx:
	e1k_ring_free(rx_ring);
err_free_tx:
	e1k_ring_free(&adapter->tx_ring);
	return err;
}

/* Also the end of a device that PCI error recovery took down (e1k_down())
 * and then gave up on: steps 6-8 still run, e1k_quiesce() does nothing.
 * A second call finds nothing left to free.
 */
int e1k_close(struct net_device *netdev)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	if (!adapter->tx_ring.desc)
		return 0;
	e1k_quiesce(adapter);
	free_irq(adapter->irq, adapter);
	e1k_clean_rings(adapter);
	e1k_rx_pool_destroy(&adapter->rx_ring);
	e1k_ring_free(&adapter->rx_ring);
	e1k_ring_free(&adapter->tx_ring);
	return 0;
}

static void e1k_reset_task(struct work_struct *work)
{
	struct e1k_adapter *adapter = container_of(work, struct e1k_adapter,
						   reset_task);
	struct net_device *netdev = adapter->netdev;

	rtnl_lock();
	/* not while suspended: resume reprograms the device anyway */
	if (netif_running(netdev) && netif_device_present(netdev)) {
		netdev_warn(netdev, "TX hang: resetting the device\n");
		e1k_down(adapter);
		e1k_reset(adapter);
		e1k_up(adapter);
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

/* Called with the address list lock held, BHs off.  Promiscuous mode
 * turns VLAN filtering off too, so that a capture or a bridge sees frames
 * of every VLAN; otherwise the filter table applies while filtering is on
 * and some VLAN is in use.  Not while the self-test owns the device:
 * e1k_up() afterwards programs the filters again.
 */
static void e1k_set_rx_mode(struct net_device *netdev)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct e1k_hw *hw = &adapter->hw;
	u32 *mta = adapter->mta_shadow;
	struct netdev_hw_addr *ha;
	unsigned int rar = 1;
	u32 old_rctl, rctl;

	if (test_bit(__E1K_TESTING, &adapter->state))
		return;

	if (netdev_uc_count(netdev) <= E1K_RAR_ENTRIES - 1 &&
	    !(netdev->flags & IFF_PROMISC))
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

	spin_lock(&adapter->rctl_lock);
	old_rctl = e1k_rd32(hw, E1K_RCTL);
	rctl = old_rctl & ~(E1K_RCTL_UPE | E1K_RCTL_MPE | E1K_RCTL_VFE);
	if (netdev->flags & IFF_PROMISC) {
		rctl |= E1K_RCTL_UPE | E1K_RCTL_MPE;
	} else {
		if (netdev->flags & IFF_ALLMULTI)
			rctl |= E1K_RCTL_MPE;
		/* more secondary unicast addresses than filters */
		if (netdev_uc_count(netdev) > E1K_RAR_ENTRIES - 1)
			rctl |= E1K_RCTL_UPE;
		if (adapter->vlan_filter && adapter->vlans_used)
			rctl |= E1K_RCTL_VFE;
	}
	/* QEMU's model stops receiving for a second after any RCTL write,
	 * so a multicast list change must not rewrite an unchanged RCTL.
	 */
	if (rctl != old_rctl)
		e1k_wr32(hw, E1K_RCTL, rctl);
	spin_unlock(&adapter->rctl_lock);
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

/* The packet buffer split and the flow control marks follow the MTU.  An
 * XDP program must be able to take the frames of the new one.
 */
static int e1k_change_mtu(struct net_device *netdev, int new_mtu)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	if (!e1k_xdp_mtu_ok(new_mtu, adapter->rx_ring.xdp_prog)) {
		netif_err(adapter, drv, netdev,
			  "MTU %d spans RX buffers: the XDP program must support frags\n",
			  new_mtu);
		return -EINVAL;
	}

	netif_info(adapter, drv, netdev, "MTU %u -> %d\n", netdev->mtu,
		   new_mtu);
	if (!netif_running(netdev)) {
		netdev->mtu = new_mtu;
		return 0;
	}
	e1k_down(adapter);
	netdev->mtu = new_mtu;
	e1k_reset(adapter);
	e1k_up(adapter);
	return 0;
}

/**
 * e1k_resize_rings - change the number of descriptors of both rings
 * @adapter: the adapter; RTNL held
 * @tx_count: TX descriptors, a multiple of E1K_RING_MULTIPLE
 * @rx_count: RX descriptors, likewise
 *
 * On a running interface the new rings are allocated first: if that
 * fails, the interface goes on with the old ones.
 *
 * Return: 0 or -ENOMEM.
 */
int e1k_resize_rings(struct e1k_adapter *adapter, u16 tx_count, u16 rx_count)
{
	struct e1k_ring *tx_ring = &adapter->tx_ring;
	struct e1k_ring *rx_ring = &adapter->rx_ring;
	struct e1k_ring new_tx = *tx_ring, new_rx = *rx_ring;
	int err;

	if (!netif_running(adapter->netdev)) {
		tx_ring->count = tx_count;
		rx_ring->count = rx_count;
		return 0;
	}

	new_tx.count = tx_count;
	new_rx.count = rx_count;
	err = e1k_ring_alloc(&new_tx, sizeof(struct e1k_tx_buffer));
	if (err)
		return err;
	err = e1k_ring_alloc(&new_rx, sizeof(struct e1k_rx_buffer));
	if (err) {
		e1k_ring_free(&new_tx);
		return err;
	}

	e1k_down(adapter);
	e1k_ring_swap_mem(tx_ring, &new_tx);
	e1k_ring_swap_mem(rx_ring, &new_rx);
	/* the old memory; the device no longer owns it */
	e1k_ring_free(&new_rx);
	e1k_ring_free(&new_tx);
	e1k_up(adapter);
	return 0;
}

/* One bit, CTRL.VME, turns on tag insertion and stripping together. */
static netdev_features_t e1k_fix_features(struct net_device *netdev,
					  netdev_features_t features)
{
	netdev_features_t vlan = NETIF_F_HW_VLAN_CTAG_RX |
				 NETIF_F_HW_VLAN_CTAG_TX;
	netdev_features_t changed = (features ^ netdev->features) & vlan;

	if (changed == NETIF_F_HW_VLAN_CTAG_RX ||
	    changed == NETIF_F_HW_VLAN_CTAG_TX) {
		if (features & changed)
			features |= vlan;
		else
			features &= ~vlan;
	}
	return features;
}

static int e1k_set_features(struct net_device *netdev,
			    netdev_features_t features)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	netdev_features_t changed = features ^ netdev->features;
	struct e1k_hw *hw = &adapter->hw;
	int err;

	/* Loopback in the PHY (e1k_phy_loopback()): what the MAC sends
	 * comes back to it, and nothing reaches the wire.  It lasts across
	 * resets, and turning it off sets the link up as configured.
	 */
	if (changed & NETIF_F_LOOPBACK) {
		mutex_lock(&adapter->phy_lock);
		hw->link.loopback = !!(features & NETIF_F_LOOPBACK);
		err = e1k_setup_link(hw);
		if (err) {
			/* the core keeps the old feature: so does the PHY,
			 * as far as it still answers
			 */
			hw->link.loopback = !hw->link.loopback;
			e1k_setup_link(hw);
		}
		mutex_unlock(&adapter->phy_lock);
		if (err)
			return err;
		e1k_check_link(adapter);
	}
	if (changed & NETIF_F_HW_VLAN_CTAG_RX) {
		mutex_lock(&adapter->phy_lock);
		e1k_vlan_mode(adapter, features);
		mutex_unlock(&adapter->phy_lock);
	}
	if (changed & NETIF_F_HW_VLAN_CTAG_FILTER)
		e1k_update_rx_filters(adapter,
				      features & NETIF_F_HW_VLAN_CTAG_FILTER);
	return 0;
}

/* The context descriptor holds offsets and the header length in bytes:
 * frames whose checksum or headers lie further in are left to software.
 * So is a GSO frame that would take more descriptors than the queue keeps
 * free for one frame, as a small MSS can make it (see e1k_tx_desc_count()).
 */
static netdev_features_t e1k_features_check(struct sk_buff *skb,
					    struct net_device *netdev,
					    netdev_features_t features)
{
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return features;
	if (skb_checksum_start_offset(skb) + skb->csum_offset > U8_MAX)
		return features & ~(NETIF_F_CSUM_MASK | NETIF_F_GSO_MASK);
	if (skb_is_gso(skb) &&
	    (skb_tcp_all_headers(skb) > U8_MAX ||
	     e1k_tx_desc_count(skb) > E1K_TX_DESC_NEEDED))
		return features & ~NETIF_F_GSO_MASK;
	return features;
}

#ifdef CONFIG_NET_POLL_CONTROLLER
/* netconsole and friends, with interrupts off: schedule NAPI as the
 * interrupt would, for netpoll to run it.  Not disable_irq(): it waits for
 * a handler in progress, which may be the code that is printing.
 */
static void e1k_netpoll(struct net_device *netdev)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	if (napi_schedule_prep(&adapter->napi)) {
		e1k_wr32(&adapter->hw, E1K_IMC, ~0U);
		__napi_schedule_irqoff(&adapter->napi);
	}
}
#endif

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
		stats->rx_dropped = u64_stats_read(&rx_ring->rx_stats.dropped);
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

	e1k_get_hw_stats(adapter, &hw);

	stats->rx_length_errors = length_errors + hw.stat[E1K_STAT_RUC] +
				  hw.stat[E1K_STAT_ROC];
	stats->rx_crc_errors = hw.stat[E1K_STAT_CRCERRS];
	stats->rx_frame_errors = frame_errors + hw.stat[E1K_STAT_ALGNERRC];
	stats->rx_missed_errors = hw.stat[E1K_STAT_MPC];
	stats->rx_errors = stats->rx_length_errors + stats->rx_crc_errors +
			   stats->rx_frame_errors + hw.stat[E1K_STAT_RXERRC];
	stats->multicast = hw.stat[E1K_STAT_MPRC];
	stats->collisions = hw.stat[E1K_STAT_COLC];
	stats->tx_aborted_errors = hw.stat[E1K_STAT_ECOL];
	stats->tx_window_errors = hw.stat[E1K_STAT_LATECOL];
	stats->tx_errors = hw.stat[E1K_STAT_ECOL] + hw.stat[E1K_STAT_LATECOL];
}

/**
 * e1k_get_hw_stats - a current, consistent copy of the device counters
 * @adapter: the adapter
 * @stats: where the copy goes
 */
void e1k_get_hw_stats(struct e1k_adapter *adapter, struct e1k_hw_stats *stats)
{
	spin_lock_bh(&adapter->stats_lock);
	e1k_fold_hw_stats(adapter, false);
	*stats = adapter->hw_stats;
	spin_unlock_bh(&adapter->stats_lock);
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
	.ndo_change_mtu		= e1k_change_mtu,
	.ndo_fix_features	= e1k_fix_features,
	.ndo_set_features	= e1k_set_features,
	.ndo_features_check	= e1k_features_check,
	.ndo_vlan_rx_add_vid	= e1k_vlan_rx_add_vid,
	.ndo_vlan_rx_kill_vid	= e1k_vlan_rx_kill_vid,
	.ndo_eth_ioctl		= e1k_mii_ioctl,
	.ndo_bpf		= e1k_xdp,
	.ndo_xdp_xmit		= e1k_xdp_xmit,
#ifdef CONFIG_NET_POLL_CONTROLLER
	.ndo_poll_controller	= e1k_netpoll,
#endif
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

	netdev_features_t offloads = NETIF_F_SG | NETIF_F_HW_CSUM |
				     NETIF_F_TSO;

	netdev->netdev_ops = &e1k_netdev_ops;
	netdev->ethtool_ops = &e1k_ethtool_ops;
	netdev->watchdog_timeo = 5 * HZ;
	netdev->priv_flags |= IFF_UNICAST_FLT | IFF_LIVE_ADDR_CHANGE;

	/* No NETIF_F_RXCSUM: QEMU's model does not emulate it, so it could
	 * not be tested here.  No NETIF_F_TSO6: upstream offers it on none of
	 * the 8254x family, and the one model of it at hand, QEMU's, writes
	 * an IPv6 payload length into each segment that no peer accepts.
	 * NETIF_F_HIGHDMA, which probe sets with a 64-bit DMA mask, stays.
	 */
	netdev->hw_features = offloads | NETIF_F_HW_VLAN_CTAG_RX |
			      NETIF_F_HW_VLAN_CTAG_TX |
			      NETIF_F_HW_VLAN_CTAG_FILTER;
	netdev->features |= netdev->hw_features;
	/* available, off until asked for */
	netdev->hw_features |= NETIF_F_LOOPBACK;
	netdev->vlan_features |= offloads;
	netdev->min_mtu = ETH_MIN_MTU;
	netdev->max_mtu = E1K_MAX_MTU;
	e1k_set_xdp_features(netdev);

	e1k_ring_init(&adapter->tx_ring, adapter, E1K_DEFAULT_TXD);
	e1k_ring_init(&adapter->rx_ring, adapter, E1K_DEFAULT_RXD);
	u64_stats_init(&adapter->tx_ring.tx_stats.syncp);
	u64_stats_init(&adapter->tx_ring.xmit_stats.syncp);
	u64_stats_init(&adapter->rx_ring.rx_stats.syncp);
	spin_lock_init(&adapter->stats_lock);
	mutex_init(&adapter->phy_lock);
	spin_lock_init(&adapter->rctl_lock);
	adapter->vlan_filter = true;
	adapter->itr_usecs = E1K_DEFAULT_ITR_USECS;
	e1k_init_link_config(&adapter->hw);

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
	mutex_destroy(&adapter->phy_lock);
}
