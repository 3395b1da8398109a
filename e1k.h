/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e1k: driver-wide definitions shared by the PCI, netdev and ethtool parts.
 */
#ifndef _E1K_H_
#define _E1K_H_

#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>

#include "e1000_hw.h"
#include "e1000_ring.h"

#define E1K_DEFAULT_MSG		(NETIF_MSG_DRV | NETIF_MSG_PROBE | \
				 NETIF_MSG_LINK | NETIF_MSG_IFUP | \
				 NETIF_MSG_IFDOWN)

/* Interrupt causes the driver handles. */
#define E1K_IMS_ENABLE_MASK	(E1K_ICR_RXT0 | E1K_ICR_TXDW | E1K_ICR_LSC | \
				 E1K_ICR_RXO | E1K_ICR_RXDMT0)

/* ITR counts 256 ns units: cap interrupts at 8000/s by default. */
#define E1K_DEFAULT_ITR		(1000000000 / (8000 * 256))

#define E1K_WATCHDOG_INTERVAL	(2 * HZ)

enum e1k_state_bits {
	__E1K_DOWN,	/* device quiesced; deferred work must not run */
};

struct e1k_adapter {
	struct net_device *netdev;
	struct pci_dev *pdev;
	struct e1k_hw hw;
	struct napi_struct napi;
	struct e1k_ring tx_ring;
	struct e1k_ring rx_ring;

	unsigned long state;
	/* orders carrier changes by the watchdog against __E1K_DOWN */
	spinlock_t link_lock;
	u32 msg_enable;
	u32 itr;

	struct delayed_work watchdog_task;	/* link, counters, RX refill */
	struct work_struct reset_task;		/* recovery from a TX hang */

	/* written by the watchdog, or by the quiesce after it is cancelled */
	struct e1k_hw_stats hw_stats;
	struct u64_stats_sync hw_stats_sync;

	/* scratch for ndo_set_rx_mode, serialised by the address lock */
	u32 mta_shadow[E1K_MTA_ENTRIES];
};

extern const struct ethtool_ops e1k_ethtool_ops;

void e1k_netdev_setup(struct e1k_adapter *adapter);
void e1k_netdev_teardown(struct e1k_adapter *adapter);

#endif /* _E1K_H_ */
