// SPDX-License-Identifier: GPL-2.0
/*
 * e1k: ethtool -t, the self-test.
 *
 * In upstream e1000's order: the link test first, before anything here
 * changes the link; then, offline, the register, EEPROM, interrupt and
 * loopback tests.  The offline tests have the device to themselves
 * (e1k_test_begin()): a running interface is stopped as by e1k_down(),
 * keeping its rings and interrupt handler, which then only records the
 * causes it sees.  The loopback test sends and receives on rings of its
 * own, in process context, never through the interface's transmit path.
 * e1k_test_end() resets the device and sets the link up again from the
 * settings it had, and a running interface is started again with its
 * rings, features, interrupt moderation and pause settings unchanged.
 */
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/iopoll.h>

#include "e1k.h"
#include "e1k_compat.h"

const char e1k_test_names[E1K_TESTS][ETH_GSTRING_LEN] = {
	"Register test  (offline)",
	"Eeprom test    (offline)",
	"Interrupt test (offline)",
	"Loopback test  (offline)",
	"Link test   (on/offline)",
};

/* Take the device from the interface: RTNL held.  A closed interface
 * gets the interrupt handler for the test.  Return: 0 or an errno.
 */
static int e1k_test_begin(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	int err;

	if (netif_running(netdev)) {
		e1k_down(adapter);
	} else {
		err = e1k_request_irq(adapter);
		if (err)
			return err;
	}
	/* under the lock ndo_set_rx_mode runs under, which then keeps off */
	netif_addr_lock_bh(netdev);
	set_bit(__E1K_TESTING, &adapter->state);
	netif_addr_unlock_bh(netdev);
	return 0;
}

/* Give it back, reset and with its link set up as configured. */
static void e1k_test_end(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;

	e1k_wr32(&adapter->hw, E1K_IMC, ~0U);
	e1k_flush(&adapter->hw);
	synchronize_irq(adapter->irq);
	netif_addr_lock_bh(netdev);
	clear_bit(__E1K_TESTING, &adapter->state);
	netif_addr_unlock_bh(netdev);
	e1k_reset(adapter);
	if (netif_running(netdev))
		e1k_up(adapter);
	else
		free_irq(adapter->irq, adapter);
}

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
	synchronize_irq(adapter->irq);
	return failed;
}

/* The loopback test's rings: room for every frame it sends (the probes
 * and the frames that count) without reclaiming any.
 */
#define E1K_LOOPBACK_RING	128
#define E1K_LOOPBACK_FRAMES	64
#define E1K_LOOPBACK_LEN	1024
#define E1K_LOOPBACK_PROBE_LEN	512
#define E1K_LOOPBACK_PROBES	30
#define E1K_LOOPBACK_TYPE	0x88B5	/* IEEE local experimental */
static_assert(E1K_LOOPBACK_PROBES + E1K_LOOPBACK_FRAMES < E1K_LOOPBACK_RING);

struct e1k_loopback {
	struct e1k_ring tx;
	struct e1k_ring rx;
};

static void e1k_loopback_ring_init(struct e1k_ring *ring,
				   struct e1k_adapter *adapter)
{
	ring->netdev = adapter->netdev;
	ring->dev = &adapter->pdev->dev;
	ring->count = E1K_LOOPBACK_RING;
}

/* Allocate the rings and point the device at them, RX filled. */
static int e1k_loopback_setup(struct e1k_adapter *adapter,
			      struct e1k_loopback *lb)
{
	struct e1k_hw *hw = &adapter->hw;
	int err;

	e1k_loopback_ring_init(&lb->tx, adapter);
	e1k_loopback_ring_init(&lb->rx, adapter);
	u64_stats_init(&lb->rx.rx_stats.syncp);
	err = e1k_ring_alloc(&lb->tx, sizeof(struct e1k_tx_buffer));
	if (err)
		return err;
	err = e1k_ring_alloc(&lb->rx, sizeof(struct e1k_rx_buffer));
	if (err)
		goto err_free_tx;
	err = e1k_rx_pool_create(&lb->rx, NULL);
	if (err)
		goto err_free_rx;

	lb->tx.tail = e1k_setup_ring(hw, E1K_TDBAL, lb->tx.dma,
				     lb->tx.count * sizeof(struct e1k_tx_desc));
	e1k_wr32(hw, E1K_TIPG, E1K_TIPG_DEFAULT);
	e1k_wr32(hw, E1K_TCTL, E1K_TCTL_DEFAULT | E1K_TCTL_EN);
	lb->rx.tail = e1k_setup_ring(hw, E1K_RDBAL, lb->rx.dma,
				     lb->rx.count * sizeof(struct e1k_rx_desc));
	e1k_rx_ring_populate(&lb->rx);
	/* every frame, whatever the address filters hold */
	e1k_rctl_update(adapter, ~0U, E1K_RCTL_EN | E1K_RCTL_UPE |
			E1K_RCTL_MPE | E1K_RCTL_BAM | E1K_RCTL_SZ_2048 |
			E1K_RCTL_SECRC);
	e1k_flush(hw);
	return 0;

err_free_rx:
	e1k_ring_free(&lb->rx);
err_free_tx:
	e1k_ring_free(&lb->tx);
	return err;
}

/* Stop the device, then unmap and free everything. */
static void e1k_loopback_teardown(struct e1k_adapter *adapter,
				  struct e1k_loopback *lb)
{
	u16 i;

	e1k_hw_quiesce(&adapter->hw);
	for (i = 0; i < lb->tx.count; i++) {
		struct e1k_tx_buffer *buffer = &lb->tx.tx_buffer[i];

		if (!buffer->skb)
			continue;
		dma_unmap_single(lb->tx.dev, buffer->dma, buffer->len,
				 DMA_TO_DEVICE);
		kfree_skb(buffer->skb);
	}
	e1k_rx_ring_clean(&lb->rx);
	e1k_rx_pool_destroy(&lb->rx);
	e1k_ring_free(&lb->rx);
	e1k_ring_free(&lb->tx);
}

/* Send frame @n of @len bytes, its payload all @n, to ourselves. */
static int e1k_loopback_send(struct e1k_loopback *lb, const u8 *addr,
			     unsigned int n, unsigned int len)
{
	struct e1k_ring *ring = &lb->tx;
	u16 i = ring->next_to_use;
	struct e1k_tx_buffer *buffer = &ring->tx_buffer[i];
	struct e1k_tx_desc *desc = e1k_tx_desc(ring, i);
	struct sk_buff *skb;
	struct ethhdr *eth;
	dma_addr_t dma;

	if (!e1k_desc_unused(ring))
		return -ENOSPC;
	skb = alloc_skb(len, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	eth = skb_put(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, addr);
	ether_addr_copy(eth->h_source, addr);
	eth->h_proto = htons(E1K_LOOPBACK_TYPE);
	memset(skb_put(skb, len - ETH_HLEN), n, len - ETH_HLEN);
	dma = dma_map_single(ring->dev, skb->data, len, DMA_TO_DEVICE);
	if (dma_mapping_error(ring->dev, dma)) {
		kfree_skb(skb);
		return -ENOMEM;
	}
	buffer->skb = skb;
	buffer->dma = dma;
	buffer->len = len;

	desc->buffer_addr = cpu_to_le64(dma);
	desc->lower = cpu_to_le32(E1K_TXD_CMD_DEXT | E1K_TXD_DTYP_D |
				  E1K_TXD_CMD_IFCS | E1K_TXD_CMD_EOP |
				  E1K_TXD_CMD_RS | len);
	desc->upper = 0;
	ring->next_to_use = e1k_ring_next(ring, i);
	/* writel() orders the descriptor writes before the doorbell */
	writel(ring->next_to_use, ring->tail);
	return 0;
}

/* Frames of @len bytes received that came back intact and in order,
 * numbered from 0; frames of other lengths are passed over.
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
		dma_sync_single_for_cpu(ring->dev, buffer->dma, len,
					DMA_FROM_DEVICE);
		data = page_address(buffer->page) + E1K_RX_HEADROOM;
		if (data[ETH_HLEN] == good && data[len - 1] == good)
			good++;
	}
	return good;
}

/* PHY loopback at 1000 Mb/s full duplex.  QEMU drops, rather than
 * queues, a looped frame within a second of an RCTL write, so a probe
 * frame is sent every 100 ms until one comes back (for three seconds at
 * most) before the frames that count.
 */
static int e1k_test_loopback(struct e1k_adapter *adapter)
{
	const u8 *addr = adapter->netdev->dev_addr;
	struct e1k_hw *hw = &adapter->hw;
	struct e1k_loopback lb = {};
	unsigned int n, good = 0;
	int tries;

	if (e1k_loopback_setup(adapter, &lb))
		return 1;
	mutex_lock(&adapter->phy_lock);
	tries = e1k_phy_loopback(hw);
	mutex_unlock(&adapter->phy_lock);
	if (tries)
		goto out;

	for (tries = 0; tries < E1K_LOOPBACK_PROBES; tries++) {
		if (e1k_loopback_send(&lb, addr, 0, E1K_LOOPBACK_PROBE_LEN))
			goto out;
		msleep(100);
		if (e1k_loopback_check(&lb.rx, E1K_LOOPBACK_PROBE_LEN))
			break;
	}
	if (tries == E1K_LOOPBACK_PROBES)
		goto out;

	for (n = 0; n < E1K_LOOPBACK_FRAMES; n++)
		if (e1k_loopback_send(&lb, addr, n, E1K_LOOPBACK_LEN))
			break;
	/* two seconds at most for the frames to come back */
	for (tries = 0; tries < 200 && good < n; tries++) {
		usleep_range(10000, 12000);
		good = e1k_loopback_check(&lb.rx, E1K_LOOPBACK_LEN);
	}
out:
	e1k_loopback_teardown(adapter, &lb);
	return good == E1K_LOOPBACK_FRAMES ? 0 : 1;
}

/**
 * e1k_self_test - ethtool's self_test operation
 * @netdev: the interface; RTNL held
 * @test: the tests asked for, and where a failure is flagged
 * @data: a result per test, 0 for a pass, in the order of e1k_test_names
 */
void e1k_self_test(struct net_device *netdev, struct ethtool_test *test,
		   u64 *data)
{
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct e1k_hw *hw = &adapter->hw;
	bool full_duplex;
	u32 speed;
	int i;

	memset(data, 0, E1K_TESTS * sizeof(*data));
	data[E1K_TEST_LINK] = !e1k_link_up(hw, &speed, &full_duplex);
	if (test->flags & ETH_TEST_FL_OFFLINE) {
		if (e1k_test_begin(adapter)) {
			for (i = 0; i < E1K_TEST_LINK; i++)
				data[i] = 1;
		} else {
			data[E1K_TEST_REGISTERS] = e1k_test_registers(hw);
			data[E1K_TEST_EEPROM] =
				!!e1k_validate_eeprom_checksum(hw);
			data[E1K_TEST_INTERRUPT] = e1k_test_interrupt(adapter);
			data[E1K_TEST_LOOPBACK] = e1k_test_loopback(adapter);
			e1k_test_end(adapter);
		}
	}
	for (i = 0; i < E1K_TESTS; i++)
		if (data[i])
			test->flags |= ETH_TEST_FL_FAILED;
}
