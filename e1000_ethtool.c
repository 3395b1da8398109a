// SPDX-License-Identifier: GPL-2.0
/*
 * e1k: ethtool operations - settings, statistics, dumps and the self-test.
 *
 * Every operation runs in process context under RTNL, so none of them
 * races with open, close, a ring resize or another ethtool call.  The
 * watchdog runs without RTNL: what it shares with them (the PHY, CTRL's
 * flow control bits, the fc_* settings) is under phy_lock.
 */
#include <linux/delay.h>
#include <linux/ethtool.h>
#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/mii.h>
#include <linux/netdevice.h>
#include <linux/pci.h>

#include "e1k.h"

static void e1k_get_drvinfo(struct net_device *netdev,
			    struct ethtool_drvinfo *drvinfo)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	strscpy(drvinfo->driver, KBUILD_MODNAME, sizeof(drvinfo->driver));
	strscpy(drvinfo->bus_info, pci_name(adapter->pdev),
		sizeof(drvinfo->bus_info));
}

static u32 e1k_get_msglevel(struct net_device *netdev)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	return adapter->msg_enable;
}

static void e1k_set_msglevel(struct net_device *netdev, u32 level)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	adapter->msg_enable = level;
}

/* ---- link ---------------------------------------------------------------- */

static int e1k_get_link_ksettings(struct net_device *netdev,
				  struct ethtool_link_ksettings *cmd)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct e1k_hw *hw = &adapter->hw;
	u16 bmcr, adv, ctrl1000;
	bool full_duplex;
	u32 speed;
	int err;

	mutex_lock(&adapter->phy_lock);
	err = e1k_read_phy_reg(hw, MII_BMCR, &bmcr) ?:
	      e1k_read_phy_reg(hw, MII_ADVERTISE, &adv) ?:
	      e1k_read_phy_reg(hw, MII_CTRL1000, &ctrl1000);
	mutex_unlock(&adapter->phy_lock);
	if (err)
		return err;

	ethtool_link_ksettings_add_link_mode(cmd, supported, 10baseT_Half);
	ethtool_link_ksettings_add_link_mode(cmd, supported, 10baseT_Full);
	ethtool_link_ksettings_add_link_mode(cmd, supported, 100baseT_Half);
	ethtool_link_ksettings_add_link_mode(cmd, supported, 100baseT_Full);
	ethtool_link_ksettings_add_link_mode(cmd, supported, 1000baseT_Full);
	ethtool_link_ksettings_add_link_mode(cmd, supported, Autoneg);
	ethtool_link_ksettings_add_link_mode(cmd, supported, TP);
	ethtool_link_ksettings_add_link_mode(cmd, supported, Pause);
	ethtool_link_ksettings_add_link_mode(cmd, supported, Asym_Pause);

	mii_adv_mod_linkmode_adv_t(cmd->link_modes.advertising, adv);
	mii_ctrl1000_mod_linkmode_adv_t(cmd->link_modes.advertising, ctrl1000);
	ethtool_link_ksettings_add_link_mode(cmd, advertising, TP);
	if (bmcr & BMCR_ANENABLE)
		ethtool_link_ksettings_add_link_mode(cmd, advertising,
						     Autoneg);

	cmd->base.port = PORT_TP;
	cmd->base.phy_address = E1K_PHY_ADDR;
	cmd->base.autoneg = bmcr & BMCR_ANENABLE ? AUTONEG_ENABLE :
						   AUTONEG_DISABLE;
	if (netif_carrier_ok(netdev) &&
	    e1k_link_up(hw, &speed, &full_duplex)) {
		cmd->base.speed = speed;
		cmd->base.duplex = full_duplex ? DUPLEX_FULL : DUPLEX_HALF;
	} else {
		cmd->base.speed = SPEED_UNKNOWN;
		cmd->base.duplex = DUPLEX_UNKNOWN;
	}
	return 0;
}

/*
 * Restart autonegotiation and show the link drop it causes at once.
 * Caller holds phy_lock.
 */
static int e1k_restart_autoneg(struct e1k_adapter *adapter)
{
	int err = e1k_phy_restart_autoneg(&adapter->hw);

	if (!err)
		e1k_check_link(adapter);
	return err;
}

/* Pause bits of the advertisement, from the ethtool -A setting. */
static u16 e1k_pause_advertisement(const struct e1k_adapter *adapter)
{
	u8 cap = 0;

	if (adapter->fc_rx)
		cap |= FLOW_CTRL_RX;
	if (adapter->fc_tx)
		cap |= FLOW_CTRL_TX;
	return mii_advertise_flowctrl(cap);
}

static int e1k_set_link_ksettings(struct net_device *netdev,
				  const struct ethtool_link_ksettings *cmd)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	__ETHTOOL_DECLARE_LINK_MODE_MASK(advertising);
	struct ethtool_link_ksettings supported = {};
	struct e1k_hw *hw = &adapter->hw;
	u32 speed = cmd->base.speed;
	u16 adv, ctrl1000;
	int err;

	if (cmd->base.autoneg == AUTONEG_DISABLE) {
		/* 1000BASE-T cannot be forced: it needs autonegotiation */
		if ((speed != SPEED_10 && speed != SPEED_100) ||
		    (cmd->base.duplex != DUPLEX_HALF &&
		     cmd->base.duplex != DUPLEX_FULL))
			return -EINVAL;
		mutex_lock(&adapter->phy_lock);
		err = e1k_force_speed_duplex(hw, speed,
					     cmd->base.duplex == DUPLEX_FULL);
		mutex_unlock(&adapter->phy_lock);
		return err;
	}

	err = e1k_get_link_ksettings(netdev, &supported);
	if (err)
		return err;
	linkmode_and(advertising, cmd->link_modes.advertising,
		     supported.link_modes.supported);
	adv = linkmode_adv_to_mii_adv_t(advertising) &
	      ~(ADVERTISE_PAUSE_CAP | ADVERTISE_PAUSE_ASYM);
	if (!adv && !linkmode_test_bit(ETHTOOL_LINK_MODE_1000baseT_Full_BIT,
				       advertising))
		return -EINVAL;
	ctrl1000 = linkmode_adv_to_mii_ctrl1000_t(advertising);
	mutex_lock(&adapter->phy_lock);
	err = e1k_phy_setup_autoneg(hw, ADVERTISE_CSMA | adv |
				    e1k_pause_advertisement(adapter), ctrl1000);
	mutex_unlock(&adapter->phy_lock);
	if (!err)
		e1k_check_link(adapter);
	return err;
}

static int e1k_nway_reset(struct net_device *netdev)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	u16 bmcr;
	int err;

	mutex_lock(&adapter->phy_lock);
	err = e1k_read_phy_reg(&adapter->hw, MII_BMCR, &bmcr);
	if (!err && !(bmcr & BMCR_ANENABLE))
		err = -EINVAL;
	if (!err)
		err = e1k_restart_autoneg(adapter);
	mutex_unlock(&adapter->phy_lock);
	return err;
}

static void e1k_get_pauseparam(struct net_device *netdev,
			       struct ethtool_pauseparam *pause)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	pause->autoneg = adapter->fc_autoneg;
	pause->rx_pause = adapter->fc_rx;
	pause->tx_pause = adapter->fc_tx;
}

static int e1k_set_pauseparam(struct net_device *netdev,
			      struct ethtool_pauseparam *pause)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct e1k_hw *hw = &adapter->hw;
	u16 bmcr, adv;
	int err;

	mutex_lock(&adapter->phy_lock);
	err = e1k_read_phy_reg(hw, MII_BMCR, &bmcr) ?:
	      e1k_read_phy_reg(hw, MII_ADVERTISE, &adv);
	if (err)
		goto out;
	if (pause->autoneg && !(bmcr & BMCR_ANENABLE)) {
		err = -EINVAL;
		goto out;
	}

	adapter->fc_autoneg = pause->autoneg;
	adapter->fc_rx = pause->rx_pause;
	adapter->fc_tx = pause->tx_pause;
	adv &= ~(ADVERTISE_PAUSE_CAP | ADVERTISE_PAUSE_ASYM);
	err = e1k_write_phy_reg(hw, MII_ADVERTISE,
				adv | e1k_pause_advertisement(adapter));
	if (err)
		goto out;
	/* a negotiated setting takes effect when the link comes back */
	if (adapter->fc_autoneg)
		err = e1k_restart_autoneg(adapter);
	else
		e1k_config_fc(adapter);
out:
	mutex_unlock(&adapter->phy_lock);
	return err;
}

/* ---- rings and interrupt moderation ------------------------------------ */

static void e1k_get_ringparam(struct net_device *netdev,
			      struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kernel_ring,
			      struct netlink_ext_ack *extack)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	ring->rx_max_pending = E1K_MAX_RING;
	ring->tx_max_pending = E1K_MAX_RING;
	ring->rx_pending = adapter->rx_ring.count;
	ring->tx_pending = adapter->tx_ring.count;
}

static int e1k_set_ringparam(struct net_device *netdev,
			     struct ethtool_ringparam *ring,
			     struct kernel_ethtool_ringparam *kernel_ring,
			     struct netlink_ext_ack *extack)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	u32 tx_pending = ring->tx_pending, rx_pending = ring->rx_pending;
	u16 tx, rx;

	if (ring->rx_mini_pending || ring->rx_jumbo_pending)
		return -EINVAL;
	if (tx_pending < E1K_MIN_RING || tx_pending > E1K_MAX_RING ||
	    rx_pending < E1K_MIN_RING || rx_pending > E1K_MAX_RING) {
		NL_SET_ERR_MSG_MOD(extack, "rings hold 80 to 4096 descriptors");
		return -EINVAL;
	}
	/* the length registers take whole 128-byte blocks */
	tx = ALIGN(tx_pending, E1K_RING_MULTIPLE);
	rx = ALIGN(rx_pending, E1K_RING_MULTIPLE);
	if (tx == adapter->tx_ring.count && rx == adapter->rx_ring.count)
		return 0;
	return e1k_resize_rings(adapter, tx, rx);
}

static int e1k_get_coalesce(struct net_device *netdev,
			    struct ethtool_coalesce *ec,
			    struct kernel_ethtool_coalesce *kernel_coal,
			    struct netlink_ext_ack *extack)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	ec->rx_coalesce_usecs = adapter->itr_usecs;
	return 0;
}

static int e1k_set_coalesce(struct net_device *netdev,
			    struct ethtool_coalesce *ec,
			    struct kernel_ethtool_coalesce *kernel_coal,
			    struct netlink_ext_ack *extack)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	if (ec->rx_coalesce_usecs > E1K_MAX_ITR_USECS) {
		NL_SET_ERR_MSG_MOD(extack, "rx-usecs is at most 16776");
		return -EINVAL;
	}
	adapter->itr_usecs = ec->rx_coalesce_usecs;
	e1k_set_itr(adapter);
	return 0;
}

/* ---- statistics ------------------------------------------------------- */

static const char e1k_ring_stat_names[][ETH_GSTRING_LEN] = {
	"tx_queue_0_packets", "tx_queue_0_bytes", "tx_queue_0_restart",
	"tx_queue_0_busy", "tx_queue_0_dropped", "tx_queue_0_tso",
	"tx_queue_0_csum", "tx_queue_0_context_desc",
	"rx_queue_0_packets", "rx_queue_0_bytes", "rx_queue_0_dropped",
	"rx_queue_0_alloc_failed", "rx_queue_0_length_errors",
	"rx_queue_0_frame_errors",
};

#define E1K_RING_STATS	ARRAY_SIZE(e1k_ring_stat_names)

/* In the order of enum e1k_hw_stat. */
static const char e1k_hw_stat_names[E1K_HW_STATS][ETH_GSTRING_LEN] = {
	"hw_rx_good_packets", "hw_tx_good_packets", "hw_rx_good_bytes",
	"hw_tx_good_bytes", "hw_rx_broadcast", "hw_rx_multicast",
	"hw_tx_broadcast", "hw_tx_multicast", "hw_rx_total_packets",
	"hw_tx_total_packets", "hw_rx_total_bytes", "hw_tx_total_bytes",
	"hw_rx_missed", "hw_rx_no_buffer", "hw_rx_undersize",
	"hw_rx_fragments", "hw_rx_oversize", "hw_rx_jabber",
	"hw_rx_length_errors", "hw_rx_crc_errors", "hw_rx_align_errors",
	"hw_rx_symbol_errors", "hw_rx_errors", "hw_rx_sequence_errors",
	"hw_tx_single_collisions", "hw_tx_multi_collisions",
	"hw_tx_excessive_collisions", "hw_tx_late_collisions",
	"hw_collisions", "hw_tx_deferred", "hw_rx_xon", "hw_tx_xon",
	"hw_rx_xoff", "hw_tx_xoff", "hw_rx_fc_unsupported",
	"hw_tx_tso_contexts", "hw_tx_tso_context_failed",
};

enum e1k_test {
	E1K_TEST_REGISTERS,
	E1K_TEST_EEPROM,
	E1K_TEST_INTERRUPT,
	E1K_TEST_LOOPBACK,
	E1K_TEST_LINK,
	E1K_TESTS
};

static const char e1k_test_names[E1K_TESTS][ETH_GSTRING_LEN] = {
	"Register test  (offline)",
	"Eeprom test    (offline)",
	"Interrupt test (offline)",
	"Loopback test  (offline)",
	"Link test   (on/offline)",
};

static int e1k_get_sset_count(struct net_device *netdev, int sset)
{
	switch (sset) {
	case ETH_SS_STATS:
		return E1K_RING_STATS + E1K_HW_STATS;
	case ETH_SS_TEST:
		return E1K_TESTS;
	default:
		return -EOPNOTSUPP;
	}
}

static void e1k_get_strings(struct net_device *netdev, u32 sset, u8 *data)
{
	switch (sset) {
	case ETH_SS_STATS:
		memcpy(data, e1k_ring_stat_names, sizeof(e1k_ring_stat_names));
		memcpy(data + sizeof(e1k_ring_stat_names), e1k_hw_stat_names,
		       sizeof(e1k_hw_stat_names));
		break;
	case ETH_SS_TEST:
		memcpy(data, e1k_test_names, sizeof(e1k_test_names));
		break;
	}
}

static void e1k_get_ethtool_stats(struct net_device *netdev,
				  struct ethtool_stats *stats, u64 *data)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	const struct e1k_ring *tx = &adapter->tx_ring;
	const struct e1k_ring *rx = &adapter->rx_ring;
	struct e1k_hw_stats hw;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&tx->tx_stats.syncp);
		data[0] = u64_stats_read(&tx->tx_stats.packets);
		data[1] = u64_stats_read(&tx->tx_stats.bytes);
		data[2] = u64_stats_read(&tx->tx_stats.restart_queue);
	} while (u64_stats_fetch_retry(&tx->tx_stats.syncp, start));
	do {
		start = u64_stats_fetch_begin(&tx->xmit_stats.syncp);
		data[3] = u64_stats_read(&tx->xmit_stats.busy);
		data[4] = u64_stats_read(&tx->xmit_stats.dropped);
		data[5] = u64_stats_read(&tx->xmit_stats.tso);
		data[6] = u64_stats_read(&tx->xmit_stats.csum);
		data[7] = u64_stats_read(&tx->xmit_stats.context);
	} while (u64_stats_fetch_retry(&tx->xmit_stats.syncp, start));
	do {
		start = u64_stats_fetch_begin(&rx->rx_stats.syncp);
		data[8] = u64_stats_read(&rx->rx_stats.packets);
		data[9] = u64_stats_read(&rx->rx_stats.bytes);
		data[10] = u64_stats_read(&rx->rx_stats.dropped);
		data[11] = u64_stats_read(&rx->rx_stats.alloc_failed);
		data[12] = u64_stats_read(&rx->rx_stats.length_errors);
		data[13] = u64_stats_read(&rx->rx_stats.frame_errors);
	} while (u64_stats_fetch_retry(&rx->rx_stats.syncp, start));

	e1k_get_hw_stats(adapter, &hw);
	memcpy(data + E1K_RING_STATS, hw.stat, sizeof(hw.stat));
}

/* ---- register and EEPROM dumps --------------------------------------- */

static int e1k_get_regs_len(struct net_device *netdev)
{
	return e1k_dump_regs_count * sizeof(u32);
}

static void e1k_get_regs(struct net_device *netdev, struct ethtool_regs *regs,
			 void *p)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	u32 *buf = p;
	unsigned int i;

	regs->version = 1;
	for (i = 0; i < e1k_dump_regs_count; i++)
		buf[i] = e1k_rd32(&adapter->hw, e1k_dump_regs[i]);
}

static int e1k_get_eeprom_len(struct net_device *netdev)
{
	return E1K_EEPROM_WORDS * sizeof(u16);
}

static int e1k_get_eeprom(struct net_device *netdev,
			  struct ethtool_eeprom *eeprom, u8 *bytes)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct pci_dev *pdev = adapter->pdev;
	u16 words[E1K_EEPROM_WORDS];
	int err, i;

	/* the core checks offset and len against get_eeprom_len() */
	eeprom->magic = pdev->vendor | (pdev->device << 16);
	err = e1k_read_eeprom(&adapter->hw, 0, E1K_EEPROM_WORDS, words);
	if (err)
		return err;
	for (i = 0; i < E1K_EEPROM_WORDS; i++)
		cpu_to_le16s(&words[i]);
	memcpy(bytes, (u8 *)words + eeprom->offset, eeprom->len);
	return 0;
}

/* ---- offline self-test ---------------------------------------------- */

/* Read-write registers, and the bits of each that hold what is written. */
static const struct {
	u32 reg;
	u32 mask;
} e1k_test_regs[] = {
	{ E1K_RDBAL + E1K_RING_BAH, 0xFFFFFFFF },
	{ E1K_TDBAL + E1K_RING_BAH, 0xFFFFFFFF },
	{ E1K_RDTR, 0x0000FFFF },
	{ E1K_RADV, 0x0000FFFF },
	{ E1K_TADV, 0x0000FFFF },
	{ E1K_ITR, 0x0000FFFF },
	{ E1K_VET, 0x0000FFFF },
	{ E1K_MTA(0), 0xFFFFFFFF },
	{ E1K_VFTA(0), 0xFFFFFFFF },
};

static int e1k_test_registers(struct e1k_hw *hw)
{
	static const u32 patterns[] = {
		0x5A5A5A5A, 0xA5A5A5A5, 0x00000000, 0xFFFFFFFF
	};
	unsigned int r, p;

	for (r = 0; r < ARRAY_SIZE(e1k_test_regs); r++) {
		u32 reg = e1k_test_regs[r].reg, mask = e1k_test_regs[r].mask;
		u32 saved = e1k_rd32(hw, reg);
		bool ok = true;

		for (p = 0; p < ARRAY_SIZE(patterns) && ok; p++) {
			e1k_wr32(hw, reg, patterns[p] & mask);
			ok = (e1k_rd32(hw, reg) & mask) == (patterns[p] & mask);
		}
		e1k_wr32(hw, reg, saved);
		if (!ok)
			return 1;
	}
	return 0;
}

/* Each cause, set through ICS while unmasked, must reach e1k_intr(). */
static int e1k_test_interrupt(struct e1k_adapter *adapter)
{
	static const u32 causes[] = {
		E1K_ICR_TXDW, E1K_ICR_LSC, E1K_ICR_RXDMT0, E1K_ICR_RXO,
		E1K_ICR_RXT0
	};
	struct e1k_hw *hw = &adapter->hw;
	unsigned int c;
	int failed = 0;

	for (c = 0; c < ARRAY_SIZE(causes) && !failed; c++) {
		u32 seen;

		WRITE_ONCE(adapter->test_icr, 0);
		e1k_wr32(hw, E1K_IMS, causes[c]);
		e1k_wr32(hw, E1K_ICS, causes[c]);
		e1k_flush(hw);
		/* up to a second: a virtual CPU may be slow to take it */
		if (read_poll_timeout(READ_ONCE, seen, seen & causes[c],
				      1000, USEC_PER_SEC, false,
				      adapter->test_icr))
			failed = 1;
		e1k_wr32(hw, E1K_IMC, ~0U);
		e1k_flush(hw);
	}
	synchronize_irq(adapter->pdev->irq);
	return failed;
}

#define E1K_LOOPBACK_FRAMES	64
#define E1K_LOOPBACK_LEN	1024
#define E1K_LOOPBACK_PROBE_LEN	512
#define E1K_LOOPBACK_PROBES	30
#define E1K_LOOPBACK_TYPE	0x88B5	/* IEEE local experimental */

/*
 * Send frame @n of @len bytes, its payload all @n, as netpoll does: BHs
 * off, the TX queue's lock held, and through netdev_start_xmit(), which
 * sets the per-CPU xmit_more state that e1k_xmit_ring() reads.
 * Return: 0 if sent.
 */
static int e1k_loopback_send(struct e1k_adapter *adapter, unsigned int n,
			     unsigned int len)
{
	struct net_device *netdev = adapter->netdev;
	struct netdev_queue *txq = netdev_get_tx_queue(netdev, 0);
	struct sk_buff *skb;
	struct ethhdr *eth;
	netdev_tx_t ret;
	u8 *payload;

	skb = netdev_alloc_skb(netdev, len);
	if (!skb)
		return -ENOMEM;
	eth = skb_put(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, netdev->dev_addr);
	ether_addr_copy(eth->h_source, netdev->dev_addr);
	eth->h_proto = htons(E1K_LOOPBACK_TYPE);
	payload = skb_put(skb, len - ETH_HLEN);
	memset(payload, n, len - ETH_HLEN);
	__netif_tx_lock_bh(txq);
	ret = netdev_start_xmit(skb, netdev, txq, false);
	__netif_tx_unlock_bh(txq);
	if (ret != NETDEV_TX_OK) {
		dev_kfree_skb(skb);
		return -EBUSY;
	}
	return 0;
}

/*
 * Frames of @len bytes received on the RX ring that came back intact and
 * in order, numbered from 0; frames of other lengths are passed over.
 */
static unsigned int e1k_loopback_check(struct e1k_ring *ring,
				       unsigned int len)
{
	unsigned int good = 0;
	u16 i;

	for (i = 0; i < ring->next_to_use; i++) {
		struct e1k_rx_desc *desc = e1k_rx_desc(ring, i);
		struct e1k_rx_buffer *buffer = &ring->rx_buffer[i];
		const u8 *data;

		if (!(READ_ONCE(desc->status) & E1K_RXD_STAT_DD))
			break;
		dma_rmb();
		if (le16_to_cpu(desc->length) != len)
			continue;
		dma_sync_single_for_cpu(ring->dev, buffer->dma,
					E1K_RX_BUFSZ, DMA_FROM_DEVICE);
		data = buffer->data + E1K_RX_HEADROOM;
		if (data[ETH_HLEN] == good && data[len - 1] == good)
			good++;
	}
	return good;
}

/*
 * PHY loopback: the frames the MAC sends come straight back to it.  QEMU
 * drops, rather than queues, a looped frame within a second of an RCTL
 * write, so a probe frame is sent every 100 ms until one comes back (for
 * three seconds at most) before the frames that count.
 */
static int e1k_test_loopback(struct e1k_adapter *adapter)
{
	struct e1k_ring *rx_ring = &adapter->rx_ring;
	struct e1k_hw *hw = &adapter->hw;
	unsigned int n, good = 0;
	u16 bmcr;
	int tries;

	if (e1k_read_phy_reg(hw, MII_BMCR, &bmcr))
		return 1;
	e1k_wr32(hw, E1K_RCTL, e1k_rd32(hw, E1K_RCTL) | E1K_RCTL_UPE |
		 E1K_RCTL_MPE);
	if (e1k_rx_ring_populate(rx_ring) ||
	    e1k_write_phy_reg(hw, MII_BMCR, BMCR_LOOPBACK | BMCR_FULLDPLX |
			      BMCR_SPEED1000))
		goto out;
	e1k_wr32(hw, E1K_RCTL, e1k_rd32(hw, E1K_RCTL) | E1K_RCTL_EN);
	e1k_wr32(hw, E1K_TCTL, e1k_rd32(hw, E1K_TCTL) | E1K_TCTL_EN);

	for (tries = 0; tries < E1K_LOOPBACK_PROBES; tries++) {
		if (e1k_loopback_send(adapter, 0, E1K_LOOPBACK_PROBE_LEN))
			goto out;
		msleep(100);
		/* NAPI is off: reclaim the probes, or they fill a small ring */
		local_bh_disable();
		e1k_clean_tx_irq(&adapter->tx_ring, 0);
		local_bh_enable();
		if (e1k_loopback_check(rx_ring, E1K_LOOPBACK_PROBE_LEN))
			break;
	}
	if (tries == E1K_LOOPBACK_PROBES)
		goto out;

	for (n = 0; n < E1K_LOOPBACK_FRAMES; n++)
		if (e1k_loopback_send(adapter, n, E1K_LOOPBACK_LEN))
			break;
	/* two seconds at most for the frames to come back */
	for (tries = 0; tries < 200 && good < n; tries++) {
		usleep_range(10000, 12000);
		good = e1k_loopback_check(rx_ring, E1K_LOOPBACK_LEN);
	}
out:
	e1k_hw_quiesce(hw);
	e1k_write_phy_reg(hw, MII_BMCR, bmcr);
	return good == E1K_LOOPBACK_FRAMES ? 0 : 1;
}

/* The offline tests have the device to themselves: see e1k_test_begin(). */
static void e1k_self_test(struct net_device *netdev, struct ethtool_test *test,
			  u64 *data)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct e1k_hw *hw = &adapter->hw;
	bool full_duplex;
	u32 speed;
	int i;

	memset(data, 0, E1K_TESTS * sizeof(*data));
	if (test->flags & ETH_TEST_FL_OFFLINE) {
		if (e1k_test_begin(adapter))
			goto failed;
		data[E1K_TEST_REGISTERS] = e1k_test_registers(hw);
		data[E1K_TEST_EEPROM] = !!e1k_validate_eeprom_checksum(hw);
		data[E1K_TEST_INTERRUPT] = e1k_test_interrupt(adapter);
		e1k_configure(adapter);
		data[E1K_TEST_LOOPBACK] = e1k_test_loopback(adapter);
		e1k_test_end(adapter);
	}
	data[E1K_TEST_LINK] = !e1k_link_up(hw, &speed, &full_duplex);
	goto done;

failed:
	for (i = 0; i < E1K_TEST_LINK; i++)
		data[i] = 1;
done:
	for (i = 0; i < E1K_TESTS; i++)
		if (data[i])
			test->flags |= ETH_TEST_FL_FAILED;
}

const struct ethtool_ops e1k_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_RX_USECS,
	.get_drvinfo		= e1k_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= e1k_get_link_ksettings,
	.set_link_ksettings	= e1k_set_link_ksettings,
	.nway_reset		= e1k_nway_reset,
	.get_pauseparam		= e1k_get_pauseparam,
	.set_pauseparam		= e1k_set_pauseparam,
	.get_msglevel		= e1k_get_msglevel,
	.set_msglevel		= e1k_set_msglevel,
	.get_ringparam		= e1k_get_ringparam,
	.set_ringparam		= e1k_set_ringparam,
	.get_coalesce		= e1k_get_coalesce,
	.set_coalesce		= e1k_set_coalesce,
	.get_sset_count		= e1k_get_sset_count,
	.get_strings		= e1k_get_strings,
	.get_ethtool_stats	= e1k_get_ethtool_stats,
	.get_regs_len		= e1k_get_regs_len,
	.get_regs		= e1k_get_regs,
	.get_eeprom_len		= e1k_get_eeprom_len,
	.get_eeprom		= e1k_get_eeprom,
	.self_test		= e1k_self_test,
};
