// SPDX-License-Identifier: GPL-2.0
/*
 * e1k: descriptor rings - DMA memory, transmit and receive paths.
 *
 * Transmit publishes a frame to the completion side through
 * next_to_watch: the descriptors are written first, then smp_wmb(), then
 * next_to_watch.  The completion side reads next_to_watch, smp_rmb(), then
 * the descriptor's DD bit, so it never sees a done bit left over from the
 * slot's previous use.
 */
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/mm.h>

#include "e1k.h"

/**
 * e1k_ring_alloc - allocate a ring's descriptors and buffer array
 * @ring: ring with @count, @dev and @netdev set
 * @buffer_info_size: size of one e1k_tx_buffer or e1k_rx_buffer
 *
 * Process context.  Return: 0 or -ENOMEM, with nothing left allocated.
 */
int e1k_ring_alloc(struct e1k_ring *ring, size_t buffer_info_size)
{
	void *buffer_info;

	buffer_info = kvcalloc(ring->count, buffer_info_size, GFP_KERNEL);
	if (!buffer_info)
		return -ENOMEM;

	/* TX and RX descriptors are both 16 bytes (see e1000_hw.h) */
	ring->size = ALIGN(ring->count * sizeof(struct e1k_tx_desc), PAGE_SIZE);
	ring->desc = dma_alloc_coherent(ring->dev, ring->size, &ring->dma,
					GFP_KERNEL);
	if (!ring->desc) {
		kvfree(buffer_info);
		return -ENOMEM;
	}
	/* either member of the union: both are arrays of buffer info */
	ring->tx_buffer = buffer_info;
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	ring->rx_discard = false;
	return 0;
}

/**
 * e1k_ring_free - free what e1k_ring_alloc() allocated
 * @ring: a ring with no buffers left in it
 *
 * Process context, interrupts enabled, no lock held: dma_free_coherent()
 * requires it.  The device must no longer own any descriptor.
 */
void e1k_ring_free(struct e1k_ring *ring)
{
	/* makes a debug kernel report any caller breaking that rule */
	might_sleep();
	dma_free_coherent(ring->dev, ring->size, ring->desc, ring->dma);
	ring->desc = NULL;
	kvfree(ring->tx_buffer);
	ring->tx_buffer = NULL;
}

/* ---- transmit ---------------------------------------------------------- */

static void e1k_tx_buffer_unmap(struct e1k_ring *ring,
				struct e1k_tx_buffer *buffer)
{
	if (buffer->len) {
		dma_unmap_single(ring->dev, buffer->dma, buffer->len,
				 DMA_TO_DEVICE);
		buffer->len = 0;
	}
}

static void e1k_tx_kick(struct e1k_ring *ring)
{
	writel(ring->next_to_use, ring->tail);
}

/*
 * Stop the queue, then look again: the completion side may have freed
 * descriptors between our check and the stop, and it only wakes a queue
 * it sees stopped.  Pairs with the smp_mb() in e1k_clean_tx_irq().
 */
static void e1k_maybe_stop_tx(struct e1k_ring *ring, u16 needed)
{
	if (likely(e1k_desc_unused(ring) >= needed))
		return;

	netif_stop_queue(ring->netdev);
	/* the stop before the re-read of next_to_clean */
	smp_mb();
	if (likely(e1k_desc_unused(ring) < needed))
		return;

	netif_start_queue(ring->netdev);
}

/**
 * e1k_xmit_ring - queue one frame on a TX ring
 * @ring: the TX ring
 * @skb: the frame; linear (the driver does not advertise NETIF_F_SG)
 *
 * Called from ndo_start_xmit with BHs (possibly IRQs) off.
 *
 * Return: NETDEV_TX_OK, or NETDEV_TX_BUSY only if the queue was awake with
 * the ring full, which the stop-early logic makes impossible.
 */
netdev_tx_t e1k_xmit_ring(struct e1k_ring *ring, struct sk_buff *skb)
{
	struct netdev_queue *txq = netdev_get_tx_queue(ring->netdev, 0);
	struct e1k_tx_buffer *first;
	struct e1k_tx_desc *desc;
	unsigned int len;
	dma_addr_t dma;
	bool kick;
	u16 i;

	if (unlikely(e1k_desc_unused(ring) < E1K_TX_DESC_NEEDED)) {
		netif_tx_stop_queue(txq);
		netdev_err_once(ring->netdev,
				"TX ring full with the queue awake\n");
		return NETDEV_TX_BUSY;
	}

	/* Short frames are padded here, with zeros, not by the device
	 * (TCTL.PSP) from whatever follows the data in memory.
	 */
	if (eth_skb_pad(skb))
		goto dropped;	/* eth_skb_pad() freed the skb */

	len = skb_headlen(skb);
	dma = dma_map_single(ring->dev, skb->data, len, DMA_TO_DEVICE);
	if (unlikely(dma_mapping_error(ring->dev, dma))) {
		dev_kfree_skb_any(skb);
		goto dropped;
	}

	i = ring->next_to_use;
	first = &ring->tx_buffer[i];
	first->skb = skb;
	first->dma = dma;
	first->len = len;
	first->bytecount = skb->len;
	first->gso_segs = 1;

	desc = e1k_tx_desc(ring, i);
	desc->buffer_addr = cpu_to_le64(dma);
	desc->length = cpu_to_le16(len);
	desc->cso = 0;
	desc->cmd = E1K_TXD_CMD_EOP | E1K_TXD_CMD_IFCS | E1K_TXD_CMD_RS;
	desc->status = 0;
	desc->css = 0;
	desc->special = 0;

	kick = __netdev_tx_sent_queue(txq, first->bytecount,
				      netdev_xmit_more());
	skb_tx_timestamp(skb);

	/* Descriptor first, then hand the frame to the completion side. */
	smp_wmb();
	WRITE_ONCE(first->next_to_watch, desc);
	WRITE_ONCE(ring->next_to_use, e1k_ring_next(ring, i));

	e1k_maybe_stop_tx(ring, E1K_TX_DESC_NEEDED);
	/* writel() orders the descriptor writes before the doorbell. */
	if (kick || netif_xmit_stopped(txq))
		e1k_tx_kick(ring);
	return NETDEV_TX_OK;

dropped:
	u64_stats_update_begin(&ring->xmit_stats.syncp);
	u64_stats_inc(&ring->xmit_stats.dropped);
	u64_stats_update_end(&ring->xmit_stats.syncp);
	/* Frames queued earlier with xmit_more still need their doorbell. */
	if (!netdev_xmit_more())
		e1k_tx_kick(ring);
	return NETDEV_TX_OK;
}

/**
 * e1k_clean_tx_irq - reclaim transmitted frames
 * @ring: the TX ring
 * @napi_budget: the poll's budget, 0 from netpoll
 *
 * Not bounded by the budget: at most one ring's worth of work.
 */
void e1k_clean_tx_irq(struct e1k_ring *ring, int napi_budget)
{
	struct e1k_adapter *adapter = netdev_priv(ring->netdev);
	unsigned int packets = 0, bytes = 0;
	u16 i = ring->next_to_clean;

	for (;;) {
		struct e1k_tx_buffer *first = &ring->tx_buffer[i];
		struct e1k_tx_desc *eop = READ_ONCE(first->next_to_watch);
		struct e1k_tx_desc *desc;
		struct sk_buff *skb;

		if (!eop)
			break;
		/* next_to_watch before the descriptor it points at */
		smp_rmb();
		if (!(READ_ONCE(eop->status) & E1K_TXD_STAT_DD))
			break;

		first->next_to_watch = NULL;
		skb = first->skb;
		first->skb = NULL;
		packets += first->gso_segs;
		bytes += first->bytecount;
		do {
			desc = e1k_tx_desc(ring, i);
			e1k_tx_buffer_unmap(ring, &ring->tx_buffer[i]);
			i = e1k_ring_next(ring, i);
		} while (desc != eop);
		napi_consume_skb(skb, napi_budget);
	}

	if (!packets)
		return;

	WRITE_ONCE(ring->next_to_clean, i);
	netdev_completed_queue(ring->netdev, packets, bytes);

	u64_stats_update_begin(&ring->tx_stats.syncp);
	u64_stats_add(&ring->tx_stats.packets, packets);
	u64_stats_add(&ring->tx_stats.bytes, bytes);
	u64_stats_update_end(&ring->tx_stats.syncp);

	/* No carrier test here: a queue stopped before a link loss must
	 * still wake once the ring drains, or it would stay stopped after
	 * the link returns until a TX timeout reset it.
	 */
	if (e1k_desc_unused(ring) >= E1K_TX_WAKE_THRESHOLD) {
		/* Publish next_to_clean before testing the queue state;
		 * pairs with the smp_mb() in e1k_maybe_stop_tx().
		 */
		smp_mb();
		if (netif_queue_stopped(ring->netdev) &&
		    !test_bit(__E1K_DOWN, &adapter->state))
			netif_wake_queue(ring->netdev);
	}
}

/**
 * e1k_tx_ring_clean - drop every frame still on a quiesced TX ring
 * @ring: the TX ring; the device and NAPI are stopped
 */
void e1k_tx_ring_clean(struct e1k_ring *ring)
{
	u16 i;

	for (i = 0; i < ring->count; i++) {
		struct e1k_tx_buffer *buffer = &ring->tx_buffer[i];

		e1k_tx_buffer_unmap(ring, buffer);
		dev_kfree_skb_any(buffer->skb);
		buffer->skb = NULL;
		buffer->next_to_watch = NULL;
	}
	netdev_reset_queue(ring->netdev);
	memset(ring->desc, 0, ring->size);
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
}

/* ---- receive ----------------------------------------------------------- */

static void e1k_rx_buffer_free(struct e1k_ring *ring,
			       struct e1k_rx_buffer *buffer)
{
	dma_unmap_single(ring->dev, buffer->dma, E1K_RX_BUFSZ,
			 DMA_FROM_DEVICE);
	skb_free_frag(buffer->data);
	buffer->data = NULL;
}

/**
 * e1k_rx_ring_fill - give the device up to @count empty buffers
 * @ring: the RX ring
 * @count: how many; at most e1k_desc_unused()
 *
 * Return: how many could not be allocated (0 on full success).  A shortfall
 * is counted; the watchdog's periodic interrupt makes NAPI retry it.
 */
unsigned int e1k_rx_ring_fill(struct e1k_ring *ring, u16 count)
{
	u16 i = ring->next_to_use;

	while (count) {
		struct e1k_rx_buffer *buffer = &ring->rx_buffer[i];
		struct e1k_rx_desc *desc = e1k_rx_desc(ring, i);
		dma_addr_t dma;
		void *data;

		data = netdev_alloc_frag(E1K_RX_FRAG_SIZE);
		if (unlikely(!data))
			break;
		dma = dma_map_single(ring->dev, data + E1K_RX_HEADROOM,
				     E1K_RX_BUFSZ, DMA_FROM_DEVICE);
		if (unlikely(dma_mapping_error(ring->dev, dma))) {
			skb_free_frag(data);
			break;
		}
		buffer->data = data;
		buffer->dma = dma;

		desc->buffer_addr = cpu_to_le64(dma);
		desc->length = 0;
		desc->csum = 0;
		desc->status = 0;	/* clear DD from the slot's last use */
		desc->errors = 0;
		desc->special = 0;

		i = e1k_ring_next(ring, i);
		count--;
	}

	if (unlikely(count)) {
		u64_stats_update_begin(&ring->rx_stats.syncp);
		u64_stats_inc(&ring->rx_stats.alloc_failed);
		u64_stats_update_end(&ring->rx_stats.syncp);
	}
	if (ring->next_to_use != i) {
		ring->next_to_use = i;
		/* writel() orders the descriptor writes before the tail. */
		writel(i, ring->tail);
	}
	return count;
}

/**
 * e1k_clean_rx_irq - pass received frames up the stack, then refill
 * @ring: the RX ring
 * @napi: the NAPI context frames are received in
 * @budget: most descriptors to process
 *
 * Frames that span descriptors (larger than E1K_RX_BUFSZ), frames longer
 * than E1K_RX_MAX_FRAME or shorter than a header, and frames with error
 * bits are dropped and counted.
 *
 * Return: descriptors processed, at most @budget.
 */
int e1k_clean_rx_irq(struct e1k_ring *ring, struct napi_struct *napi,
		     int budget)
{
	unsigned int packets = 0, bytes = 0;
	unsigned int length_errors = 0, frame_errors = 0, alloc_failed = 0;
	u16 i = ring->next_to_clean;
	int done = 0;

	/* Only slots up to next_to_use hold buffers. The slots beyond, left
	 * empty by a failed refill, still carry the DD bit of their last use.
	 */
	while (done < budget && i != ring->next_to_use) {
		struct e1k_rx_desc *desc = e1k_rx_desc(ring, i);
		struct e1k_rx_buffer *buffer = &ring->rx_buffer[i];
		struct sk_buff *skb;
		u8 status, errors;
		bool eop;
		u16 len;

		status = READ_ONCE(desc->status);
		if (!(status & E1K_RXD_STAT_DD))
			break;
		/* The rest of the descriptor only after DD. */
		dma_rmb();
		len = le16_to_cpu(desc->length);
		errors = desc->errors;

		i = e1k_ring_next(ring, i);
		done++;

		/* A frame larger than a buffer spans descriptors: drop all
		 * of its pieces, counting the frame once.
		 */
		eop = status & E1K_RXD_STAT_EOP;
		if (unlikely(ring->rx_discard || !eop)) {
			if (!ring->rx_discard)
				length_errors++;
			ring->rx_discard = !eop;
			e1k_rx_buffer_free(ring, buffer);
			continue;
		}
		if (unlikely(errors & E1K_RXD_ERR_FRAME)) {
			frame_errors++;
			e1k_rx_buffer_free(ring, buffer);
			continue;
		}
		if (unlikely(len < ETH_HLEN || len > E1K_RX_MAX_FRAME)) {
			length_errors++;
			e1k_rx_buffer_free(ring, buffer);
			continue;
		}

		dma_unmap_single(ring->dev, buffer->dma, E1K_RX_BUFSZ,
				 DMA_FROM_DEVICE);
		skb = napi_build_skb(buffer->data, E1K_RX_FRAG_SIZE);
		if (unlikely(!skb)) {
			alloc_failed++;
			skb_free_frag(buffer->data);
			buffer->data = NULL;
			continue;
		}
		buffer->data = NULL;
		skb_reserve(skb, E1K_RX_HEADROOM);
		__skb_put(skb, len);
		skb->protocol = eth_type_trans(skb, ring->netdev);
		napi_gro_receive(napi, skb);
		packets++;
		bytes += len;
	}
	ring->next_to_clean = i;

	u64_stats_update_begin(&ring->rx_stats.syncp);
	u64_stats_add(&ring->rx_stats.packets, packets);
	u64_stats_add(&ring->rx_stats.bytes, bytes);
	u64_stats_add(&ring->rx_stats.length_errors, length_errors);
	u64_stats_add(&ring->rx_stats.frame_errors, frame_errors);
	u64_stats_add(&ring->rx_stats.alloc_failed, alloc_failed);
	u64_stats_update_end(&ring->rx_stats.syncp);

	/* Also retries a shortfall left by an earlier failed allocation. */
	e1k_rx_ring_fill(ring, e1k_desc_unused(ring));
	return done;
}

/**
 * e1k_rx_ring_clean - free every buffer on a quiesced RX ring
 * @ring: the RX ring; the device and NAPI are stopped
 */
void e1k_rx_ring_clean(struct e1k_ring *ring)
{
	u16 i;

	for (i = 0; i < ring->count; i++)
		if (ring->rx_buffer[i].data)
			e1k_rx_buffer_free(ring, &ring->rx_buffer[i]);
	memset(ring->desc, 0, ring->size);
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	ring->rx_discard = false;
}
