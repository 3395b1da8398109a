// SPDX-License-Identifier: GPL-2.0
/*
 * e1k: ethtool operations - settings, statistics, dumps - and the MII
 * ioctls.  The self-test is in e1000_selftest.c.
 *
 * Every operation runs in process context under RTNL, so none of them
 * races with open, close, a ring resize or another ethtool call.  The
 * watchdog runs without RTNL: what it shares with them (the PHY, CTRL's
 * link and flow control bits, hw.link) is under phy_lock.
 */
#include <linux/ethtool.h>
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

	/* every mode of the 10/100 and the 1000BASE-T registers */
	mii_adv_mod_linkmode_adv_t(cmd->link_modes.supported,
				   ADVERTISE_ALL | ADVERTISE_PAUSE_CAP |
				   ADVERTISE_PAUSE_ASYM);
	mii_ctrl1000_mod_linkmode_adv_t(cmd->link_modes.supported,
					ADVERTISE_1000FULL);
	linkmode_set_bit(ETHTOOL_LINK_MODE_Autoneg_BIT,
			 cmd->link_modes.supported);
	ethtool_link_ksettings_add_link_mode(cmd, supported, TP);

	mii_adv_mod_linkmode_adv_t(cmd->link_modes.advertising, adv);
	mii_ctrl1000_mod_linkmode_adv_t(cmd->link_modes.advertising, ctrl1000);
	ethtool_link_ksettings_add_link_mode(cmd, advertising, TP);
	if (bmcr & BMCR_ANENABLE)
		linkmode_set_bit(ETHTOOL_LINK_MODE_Autoneg_BIT,
				 cmd->link_modes.advertising);

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

/* Restart autonegotiation and show the link drop it causes at once.
 * Caller holds phy_lock.
 */
static int e1k_restart_autoneg(struct e1k_adapter *adapter)
{
	int err = e1k_phy_restart_autoneg(&adapter->hw);

	if (!err)
		e1k_check_link(adapter);
	return err;
}

/* Program the link from hw.link, as changed by the caller under phy_lock. */
static int e1k_apply_link(struct e1k_adapter *adapter)
{
	int err;

	lockdep_assert_held(&adapter->phy_lock);
	err = e1k_setup_link(&adapter->hw);
	if (!err)
		e1k_check_link(adapter);
	return err;
}

static int e1k_set_link_ksettings(struct net_device *netdev,
				  const struct ethtool_link_ksettings *cmd)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct e1k_link_config *cfg = &adapter->hw.link;
	__ETHTOOL_DECLARE_LINK_MODE_MASK(advertising);
	struct ethtool_link_ksettings supported = {};
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
		cfg->autoneg = false;
		cfg->forced_speed = speed;
		cfg->forced_full_duplex = cmd->base.duplex == DUPLEX_FULL;
		/* pause can only be forced without negotiation */
		cfg->fc_autoneg = false;
		err = e1k_apply_link(adapter);
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
	ctrl1000 = linkmode_adv_to_mii_ctrl1000_t(advertising);
	if (!adv && !(ctrl1000 & ADVERTISE_1000FULL))
		return -EINVAL;
	mutex_lock(&adapter->phy_lock);
	cfg->autoneg = true;
	cfg->advertise = adv & ~ADVERTISE_CSMA;
	cfg->ctrl1000 = ctrl1000;
	err = e1k_apply_link(adapter);
	mutex_unlock(&adapter->phy_lock);
	return err;
}

static int e1k_nway_reset(struct net_device *netdev)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	int err;

	if (!adapter->hw.link.autoneg)
		return -EINVAL;
	if (adapter->hw.link.loopback)	/* the PHY is looping frames back */
		return -EBUSY;
	mutex_lock(&adapter->phy_lock);
	err = e1k_restart_autoneg(adapter);
	mutex_unlock(&adapter->phy_lock);
	return err;
}

static void e1k_get_pauseparam(struct net_device *netdev,
			       struct ethtool_pauseparam *pause)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	const struct e1k_link_config *cfg = &adapter->hw.link;

	pause->autoneg = cfg->fc_autoneg;
	pause->rx_pause = cfg->fc_rx;
	pause->tx_pause = cfg->fc_tx;
}

/* Negotiated pause takes effect once the link is negotiated again with
 * the new advertisement; a forced one at once, and it is advertised at
 * the next negotiation.
 */
static int e1k_set_pauseparam(struct net_device *netdev,
			      struct ethtool_pauseparam *pause)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct e1k_link_config *cfg = &adapter->hw.link;
	struct e1k_hw *hw = &adapter->hw;
	int err;

	mutex_lock(&adapter->phy_lock);
	if (pause->autoneg && !cfg->autoneg) {
		err = -EINVAL;
		goto out;
	}
	cfg->fc_autoneg = pause->autoneg;
	cfg->fc_rx = pause->rx_pause;
	cfg->fc_tx = pause->tx_pause;
	if (cfg->fc_autoneg) {
		err = e1k_apply_link(adapter);
		goto out;
	}
	err = e1k_update_phy_reg(hw, MII_ADVERTISE,
				 ADVERTISE_PAUSE_CAP | ADVERTISE_PAUSE_ASYM,
				 e1k_pause_advertisement(hw));
	if (!err)
		e1k_config_fc(hw);
out:
	mutex_unlock(&adapter->phy_lock);
	return err;
}

/* SIOCGMIIPHY and SIOCGMIIREG, for mii-tool and friends: reads only.  A
 * write would change the PHY behind hw.link, which the next link setup
 * would undo.  Under RTNL.
 */
int e1k_mii_ioctl(struct net_device *netdev, struct ifreq *ifr, int cmd)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct mii_ioctl_data *mii = if_mii(ifr);
	int err;

	switch (cmd) {
	case SIOCGMIIPHY:
		mii->phy_id = E1K_PHY_ADDR;
		fallthrough;
	case SIOCGMIIREG:
		if (mii->phy_id != E1K_PHY_ADDR)
			return -EINVAL;
		mutex_lock(&adapter->phy_lock);
		err = e1k_read_phy_reg(&adapter->hw, mii->reg_num & 0x1f,
				       &mii->val_out);
		mutex_unlock(&adapter->phy_lock);
		return err;
	default:
		return -EOPNOTSUPP;
	}
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
	"tx_queue_0_xdp_xmit", "tx_queue_0_xdp_xmit_errors",
	"rx_queue_0_packets", "rx_queue_0_bytes", "rx_queue_0_dropped",
	"rx_queue_0_alloc_failed", "rx_queue_0_length_errors",
	"rx_queue_0_frame_errors",
	"rx_queue_0_xdp_pass", "rx_queue_0_xdp_drop", "rx_queue_0_xdp_tx",
	"rx_queue_0_xdp_redirect", "rx_queue_0_xdp_aborted",
	"rx_queue_0_xdp_tx_errors", "rx_queue_0_xdp_redirect_errors",
};

#define E1K_RING_STATS	ARRAY_SIZE(e1k_ring_stat_names)
/* the data[] indices of e1k_get_ethtool_stats() */
static_assert(E1K_RING_STATS == 23);

/* The device counters -S shows, in the order of enum e1k_hw_stat.  The
 * frame size histograms that follow them there are reported only in the
 * standard RMON group (e1k_get_rmon_stats()).
 */
#define E1K_HW_STATS_SHOWN	E1K_STAT_PRC64

static const char e1k_hw_stat_names[E1K_HW_STATS_SHOWN][ETH_GSTRING_LEN] = {
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

static int e1k_get_sset_count(struct net_device *netdev, int sset)
{
	switch (sset) {
	case ETH_SS_STATS:
		return E1K_RING_STATS + E1K_HW_STATS_SHOWN;
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
		data[8] = u64_stats_read(&tx->xmit_stats.xdp_xmit);
		data[9] = u64_stats_read(&tx->xmit_stats.xdp_xmit_errors);
	} while (u64_stats_fetch_retry(&tx->xmit_stats.syncp, start));
	do {
		start = u64_stats_fetch_begin(&rx->rx_stats.syncp);
		data[10] = u64_stats_read(&rx->rx_stats.packets);
		data[11] = u64_stats_read(&rx->rx_stats.bytes);
		data[12] = u64_stats_read(&rx->rx_stats.dropped);
		data[13] = u64_stats_read(&rx->rx_stats.alloc_failed);
		data[14] = u64_stats_read(&rx->rx_stats.length_errors);
		data[15] = u64_stats_read(&rx->rx_stats.frame_errors);
		data[16] = u64_stats_read(&rx->rx_stats.xdp_pass);
		data[17] = u64_stats_read(&rx->rx_stats.xdp_drop);
		data[18] = u64_stats_read(&rx->rx_stats.xdp_tx);
		data[19] = u64_stats_read(&rx->rx_stats.xdp_redirect);
		data[20] = u64_stats_read(&rx->rx_stats.xdp_aborted);
		data[21] = u64_stats_read(&rx->rx_stats.xdp_tx_errors);
		data[22] = u64_stats_read(&rx->rx_stats.xdp_redirect_errors);
	} while (u64_stats_fetch_retry(&rx->rx_stats.syncp, start));

	e1k_get_hw_stats(adapter, &hw);
	memcpy(data + E1K_RING_STATS, hw.stat,
	       E1K_HW_STATS_SHOWN * sizeof(hw.stat[0]));
}

/* The standard groups (ethtool -S --groups, ethtool -I -a): the same
 * device counters, under the names IEEE 802.3 and RMON (RFC 2819) give
 * them.  What the 82540EM does not count is left unset.
 */
/* PAUSE frames: an XON is one with a zero quanta, so both count. */
static u64 e1k_tx_pause_frames(const struct e1k_hw_stats *hw)
{
	return hw->stat[E1K_STAT_XONTXC] + hw->stat[E1K_STAT_XOFFTXC];
}

static u64 e1k_rx_pause_frames(const struct e1k_hw_stats *hw)
{
	return hw->stat[E1K_STAT_XONRXC] + hw->stat[E1K_STAT_XOFFRXC];
}

static void e1k_get_pause_stats(struct net_device *netdev,
				struct ethtool_pause_stats *pause)
{
	struct e1k_hw_stats hw;

	e1k_get_hw_stats(netdev_priv(netdev), &hw);
	pause->tx_pause_frames = e1k_tx_pause_frames(&hw);
	pause->rx_pause_frames = e1k_rx_pause_frames(&hw);
}

static void e1k_get_eth_phy_stats(struct net_device *netdev,
				  struct ethtool_eth_phy_stats *phy)
{
	struct e1k_hw_stats hw;

	e1k_get_hw_stats(netdev_priv(netdev), &hw);
	/* frames with RX_ER from the PHY; SYMERRS counts in SerDes mode only */
	phy->SymbolErrorDuringCarrier = hw.stat[E1K_STAT_RXERRC];
}

static void e1k_get_eth_mac_stats(struct net_device *netdev,
				  struct ethtool_eth_mac_stats *mac)
{
	struct e1k_hw_stats hw;

	e1k_get_hw_stats(netdev_priv(netdev), &hw);
	mac->FramesTransmittedOK = hw.stat[E1K_STAT_GPTC];
	mac->SingleCollisionFrames = hw.stat[E1K_STAT_SCC];
	mac->MultipleCollisionFrames = hw.stat[E1K_STAT_MCC];
	mac->FramesReceivedOK = hw.stat[E1K_STAT_GPRC];
	mac->FrameCheckSequenceErrors = hw.stat[E1K_STAT_CRCERRS];
	mac->AlignmentErrors = hw.stat[E1K_STAT_ALGNERRC];
	mac->OctetsTransmittedOK = hw.stat[E1K_STAT_GOTC];
	mac->FramesWithDeferredXmissions = hw.stat[E1K_STAT_DC];
	mac->LateCollisions = hw.stat[E1K_STAT_LATECOL];
	mac->FramesAbortedDueToXSColls = hw.stat[E1K_STAT_ECOL];
	mac->OctetsReceivedOK = hw.stat[E1K_STAT_GORC];
	/* frames missed for want of room in the packet buffer */
	mac->FramesLostDueToIntMACRcvError = hw.stat[E1K_STAT_MPC];
	mac->MulticastFramesXmittedOK = hw.stat[E1K_STAT_MPTC];
	mac->BroadcastFramesXmittedOK = hw.stat[E1K_STAT_BPTC];
	mac->MulticastFramesReceivedOK = hw.stat[E1K_STAT_MPRC];
	mac->BroadcastFramesReceivedOK = hw.stat[E1K_STAT_BPRC];
	mac->FrameTooLongErrors = hw.stat[E1K_STAT_ROC];
}

static void e1k_get_eth_ctrl_stats(struct net_device *netdev,
				   struct ethtool_eth_ctrl_stats *ctrl)
{
	struct e1k_hw_stats hw;

	e1k_get_hw_stats(netdev_priv(netdev), &hw);
	/* the only MAC control frames the 82540EM sends are PAUSE frames */
	ctrl->MACControlFramesTransmitted = e1k_tx_pause_frames(&hw);
	ctrl->MACControlFramesReceived = e1k_rx_pause_frames(&hw) +
					 hw.stat[E1K_STAT_FCRUC];
	ctrl->UnsupportedOpcodesReceived = hw.stat[E1K_STAT_FCRUC];
}

/* The PRC and PTC histograms' buckets, in bytes from address to CRC.  The
 * last one counts up to the longest frame the device takes: 1522 bytes,
 * or 16384 with long frames on (RCTL.LPE, for an MTU above 1500).
 */
#define E1K_RMON_RANGES(max)						\
	{ { 64, 64 }, { 65, 127 }, { 128, 255 }, { 256, 511 },		\
	  { 512, 1023 }, { 1024, max }, {} }

static const struct ethtool_rmon_hist_range e1k_rmon_ranges[] =
	E1K_RMON_RANGES(1522);
static const struct ethtool_rmon_hist_range e1k_rmon_ranges_jumbo[] =
	E1K_RMON_RANGES(16384);

static_assert(ARRAY_SIZE(e1k_rmon_ranges) - 1 ==
	      E1K_STAT_PTC64 - E1K_STAT_PRC64);
static_assert(ARRAY_SIZE(e1k_rmon_ranges) - 1 <= ETHTOOL_RMON_HIST_MAX);
/* the histograms come last, after the counters -S shows */
static_assert(E1K_STAT_PTC1522 + 1 == E1K_HW_STATS);

static void e1k_get_rmon_stats(struct net_device *netdev,
			       struct ethtool_rmon_stats *rmon,
			       const struct ethtool_rmon_hist_range **ranges)
{
	struct e1k_hw_stats hw;
	unsigned int i;

	e1k_get_hw_stats(netdev_priv(netdev), &hw);
	rmon->undersize_pkts = hw.stat[E1K_STAT_RUC];
	rmon->oversize_pkts = hw.stat[E1K_STAT_ROC];
	rmon->fragments = hw.stat[E1K_STAT_RFC];
	rmon->jabbers = hw.stat[E1K_STAT_RJC];
	for (i = 0; i < ARRAY_SIZE(e1k_rmon_ranges) - 1; i++) {
		rmon->hist[i] = hw.stat[E1K_STAT_PRC64 + i];
		rmon->hist_tx[i] = hw.stat[E1K_STAT_PTC64 + i];
	}
	*ranges = netdev->mtu > ETH_DATA_LEN ? e1k_rmon_ranges_jumbo :
					       e1k_rmon_ranges;
}

/* ---- register and EEPROM dumps --------------------------------------- */

/* Version 2: each register as a pair of words, its offset and value. */
static int e1k_get_regs_len(struct net_device *netdev)
{
	return e1k_dump_regs_count * 2 * sizeof(u32);
}

static void e1k_get_regs(struct net_device *netdev, struct ethtool_regs *regs,
			 void *p)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	u32 *buf = p;
	unsigned int i;

	regs->version = 2;
	for (i = 0; i < e1k_dump_regs_count; i++) {
		*buf++ = e1k_dump_regs[i];
		*buf++ = e1k_rd32(&adapter->hw, e1k_dump_regs[i]);
	}
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
	.get_pause_stats	= e1k_get_pause_stats,
	.get_eth_phy_stats	= e1k_get_eth_phy_stats,
	.get_eth_mac_stats	= e1k_get_eth_mac_stats,
	.get_eth_ctrl_stats	= e1k_get_eth_ctrl_stats,
	.get_rmon_stats		= e1k_get_rmon_stats,
	.get_regs_len		= e1k_get_regs_len,
	.get_regs		= e1k_get_regs,
	.get_eeprom_len		= e1k_get_eeprom_len,
	.get_eeprom		= e1k_get_eeprom,
	.self_test		= e1k_self_test,
};
