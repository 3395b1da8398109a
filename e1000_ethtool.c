// SPDX-License-Identifier: GPL-2.0
/*
 * e1k: ethtool operations.
 */
#include <linux/ethtool.h>
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

static void e1k_get_ringparam(struct net_device *netdev,
			      struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kernel_ring,
			      struct netlink_ext_ack *extack)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);

	ring->rx_max_pending = adapter->rx_ring.count;
	ring->tx_max_pending = adapter->tx_ring.count;
	ring->rx_pending = adapter->rx_ring.count;
	ring->tx_pending = adapter->tx_ring.count;
}

const struct ethtool_ops e1k_ethtool_ops = {
	.get_drvinfo		= e1k_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_msglevel		= e1k_get_msglevel,
	.set_msglevel		= e1k_set_msglevel,
	.get_ringparam		= e1k_get_ringparam,
};
