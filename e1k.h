/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e1k: driver-wide definitions shared by the PCI, netdev and ethtool parts.
 */
#ifndef _E1K_H_
#define _E1K_H_

#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/interrupt.h>
#include <linux/mutex.h>
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

/* Interrupt moderation: at least this many microseconds between two
 * interrupts (ITR counts 256 ns units in 16 bits).  The first interrupt
 * after a quiet spell is not delayed, so an idle ping sees no latency.
 */
#define E1K_DEFAULT_ITR_USECS	250
#define E1K_MAX_ITR_USECS	(0xFFFF * 256 / 1000)

/* The largest frame the 82540EM takes is 16128 bytes (with a VLAN tag). */
#define E1K_MAX_MTU		(16128 - VLAN_ETH_HLEN)

#define E1K_WATCHDOG_INTERVAL	(2 * HZ)

enum e1k_state_bits {
	__E1K_DOWN,	/* device quiesced; deferred work must not run */
	__E1K_TESTING,	/* self-test: the interrupt handler only records */
};

struct e1k_adapter {
	struct net_device *netdev;
	struct pci_dev *pdev;
	struct e1k_hw hw;
	struct napi_struct napi;
	struct e1k_ring tx_ring;
	struct e1k_ring rx_ring;

	unsigned long state;
	unsigned int irq;	/* the line e1k_request_irq() took */
	/* orders carrier changes by the watchdog against __E1K_DOWN */
	spinlock_t link_lock;
	u32 msg_enable;
	u32 itr_usecs;

	/* The PHY (MDIC), the CTRL register's link, flow control and VLAN
	 * bits, and hw.link.  The watchdog takes it for its flow control
	 * update; the paths that set the link up or change it (open, reset,
	 * resume, ethtool, features) take it under RTNL.  It sleeps: MDIC
	 * is polled.
	 */
	struct mutex phy_lock;

	/* RCTL's read-modify-writes: ndo_set_rx_mode runs under the address
	 * list lock alone (a multicast join from softirq), the others under
	 * RTNL.  Without it a filter update could write back the enable bit
	 * that e1k_quiesce() has just cleared.  (e1k_hw_reset()'s own
	 * RMW runs on a device already quiesced: it can lose only filter
	 * bits, which e1k_up() programs again.)  The filter inputs below are
	 * written under it too, and read by ndo_set_rx_mode.
	 */
	spinlock_t rctl_lock;
	bool vlan_filter;	/* NETIF_F_HW_VLAN_CTAG_FILTER is on */
	bool vlans_used;	/* some VLAN ID is in the filter table */

	/* the link down with frames on the TX ring: next_to_clean then (-1
	 * if not so), and since when; see e1k_tx_stranded()
	 */
	int tx_stalled_ntc;
	unsigned long tx_stalled_since;

	struct delayed_work watchdog_task;	/* link, counters, RX refill */
	struct work_struct reset_task;		/* recovery from a TX hang */

	/* the device's clear-on-read counters, summed; see e1k_fold_hw_stats */
	struct e1k_hw_stats hw_stats;
	spinlock_t stats_lock;	/* folding into and reading hw_stats */

	u32 test_icr;		/* causes seen during the self-test */

	/* scratch for ndo_set_rx_mode, serialised by the address lock */
	u32 mta_shadow[E1K_MTA_ENTRIES];
	/* VLAN IDs in the filter table, restored after a reset; RTNL */
	unsigned long active_vlans[BITS_TO_LONGS(VLAN_N_VID)];
};

extern const struct ethtool_ops e1k_ethtool_ops;

/* e1000_netdev.c: the interface's life cycle */
void e1k_netdev_setup(struct e1k_adapter *adapter);
void e1k_netdev_teardown(struct e1k_adapter *adapter);
int e1k_open(struct net_device *netdev);
int e1k_close(struct net_device *netdev);
void e1k_reset(struct e1k_adapter *adapter);
int e1k_request_irq(struct e1k_adapter *adapter);
void e1k_down(struct e1k_adapter *adapter);
void e1k_up(struct e1k_adapter *adapter);
int e1k_resize_rings(struct e1k_adapter *adapter, u16 tx_count,
		     u16 rx_count);
void e1k_set_itr(struct e1k_adapter *adapter);
void e1k_rctl_update(struct e1k_adapter *adapter, u32 clear, u32 set);
void e1k_check_link(struct e1k_adapter *adapter);
void e1k_get_hw_stats(struct e1k_adapter *adapter,
		      struct e1k_hw_stats *stats);

/* e1000_xdp.c */
bool e1k_xdp_mtu_ok(unsigned int mtu, const struct bpf_prog *prog);
int e1k_xdp(struct net_device *netdev, struct netdev_bpf *bpf);
int e1k_xdp_xmit(struct net_device *netdev, int n, struct xdp_frame **frames,
		 u32 flags);

/* e1000_ethtool.c */
int e1k_mii_ioctl(struct net_device *netdev, struct ifreq *ifr, int cmd);

/* e1000_selftest.c: ethtool -t; the results in the order of the names */
enum e1k_test {
	E1K_TEST_REGISTERS,
	E1K_TEST_EEPROM,
	E1K_TEST_INTERRUPT,
	E1K_TEST_LOOPBACK,
	E1K_TEST_LINK,
	E1K_TESTS
};

extern const char e1k_test_names[E1K_TESTS][ETH_GSTRING_LEN];
void e1k_self_test(struct net_device *netdev, struct ethtool_test *test,
		   u64 *data);

#endif /* _E1K_H_ */
