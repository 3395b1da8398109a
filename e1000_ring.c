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
#include <linux/bpf_trace.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/filter.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/mm.h>
#include <linux/tcp.h>

#include "e1k.h"
#include "e1k_compat.h"

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
	ring->tx_csum_ctx = 0;
	ring->tx_last_tso = false;
	ring->rx_xdp.data = NULL;
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

/**
 * e1k_ring_swap_mem - exchange two rings' memory, keeping everything else
 * @ring: a ring in use, quiesced and empty
 * @other: a ring from e1k_ring_alloc() with another count
 *
 * A ring resize allocates the new memory first, so that a failure leaves
 * the interface as it was; then the two are swapped and @other, now
 * holding the old memory, is freed.
 */
void e1k_ring_swap_mem(struct e1k_ring *ring, struct e1k_ring *other)
{
	swap(ring->desc, other->desc);
	swap(ring->tx_buffer, other->tx_buffer);
	swap(ring->dma, other->dma);
	swap(ring->size, other->size);
	swap(ring->count, other->count);
}

/* ---- transmit ---------------------------------------------------------- */

static void e1k_tx_buffer_unmap(struct e1k_ring *ring,
				struct e1k_tx_buffer *buffer)
{
	if (!buffer->len)
		return;
	if (buffer->mapped_page)
		dma_unmap_page(ring->dev, buffer->dma, buffer->len,
			       DMA_TO_DEVICE);
	else
		dma_unmap_single(ring->dev, buffer->dma, buffer->len,
				 DMA_TO_DEVICE);
	buffer->len = 0;
}

/* Stop the queue, then look again: the completion side may have freed
 * descriptors between our check and the stop, and it only wakes a queue
 * it sees stopped.  Pairs with the smp_mb() in e1k_clean_tx_irq().
 * Return: true if the queue stays stopped.
 */
static bool e1k_maybe_stop_tx(struct e1k_ring *ring, u16 needed)
{
	if (likely(e1k_desc_unused(ring) >= needed))
		return false;

	netif_stop_queue(ring->netdev);
	/* the stop before the re-read of next_to_clean */
	smp_mb();
	if (likely(e1k_desc_unused(ring) < needed))
		return true;

	netif_start_queue(ring->netdev);
	return false;
}

/* Data bytes per descriptor.  In a TSO frame at most four times the MSS:
 * the device checks for FIFO room by estimating a buffer's segments as
 * its length over the MSS, rounded up, capped at 4 (upstream e1000's
 * max_per_txd).  A power of two, so that counting is a shift.
 */
static unsigned int e1k_tx_chunk_shift(const struct sk_buff *skb)
{
	unsigned int mss = skb_shinfo(skb)->gso_size;

	if (skb_is_gso(skb) && mss < E1K_MAX_PER_TXD / 4)
		return ilog2(mss * 4);
	return ilog2(E1K_MAX_PER_TXD);
}

static unsigned int e1k_txd_count(unsigned int len, unsigned int shift)
{
	return (len + BIT(shift) - 1) >> shift;
}

/**
 * e1k_tx_desc_count - descriptors a frame takes, at most
 * @skb: the frame
 *
 * Return: a data descriptor per chunk of each buffer, a context descriptor
 * and one for the sentinel split.
 */
unsigned int e1k_tx_desc_count(const struct sk_buff *skb)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);
	unsigned int shift = e1k_tx_chunk_shift(skb);
	unsigned int f, count = e1k_txd_count(skb_headlen(skb), shift) + 2;

	for (f = 0; f < shinfo->nr_frags; f++)
		count += e1k_txd_count(skb_frag_size(&shinfo->frags[f]), shift);
	return count;
}

static void e1k_tx_context(struct e1k_ring *ring, u16 i, u8 ipcss, u8 ipcso,
			   u16 ipcse, u8 tucss, u8 tucso, u32 cmd_and_length,
			   u8 hdr_len, u16 mss)
{
	struct e1k_tx_context_desc *ctx = (void *)e1k_tx_desc(ring, i);

	ctx->ipcss = ipcss;
	ctx->ipcso = ipcso;
	ctx->ipcse = cpu_to_le16(ipcse);
	ctx->tucss = tucss;
	ctx->tucso = tucso;
	ctx->tucse = 0;		/* to the end of the frame */
	ctx->cmd_and_length = cpu_to_le32(E1K_TXD_CMD_DEXT | cmd_and_length);
	ctx->status = 0;
	ctx->hdr_len = hdr_len;
	ctx->mss = cpu_to_le16(mss);
}

/* Segmentation: the device cuts the payload into MSS pieces and fixes up
 * every copy of the headers.  It adds each segment's length to the TCP
 * pseudo-header sum, so the sum placed here leaves the length out, and the
 * IP length fields are zeroed.  Return: the data descriptors' POPTS.
 */
static u32 e1k_tx_tso(struct e1k_ring *ring, struct sk_buff *skb, u16 i,
		      struct e1k_tx_buffer *first)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);
	unsigned int l3 = skb_network_offset(skb);
	unsigned int l4 = skb_transport_offset(skb);
	unsigned int hdr_len = skb_tcp_all_headers(skb);
	u32 tucmd = E1K_TXD_CMD_TSE | E1K_TXD_TUCMD_TCP;
	u32 popts = E1K_TXD_POPTS_TXSM;
	u8 ipcso = 0;
	u16 ipcse = 0;

	if (shinfo->gso_type & SKB_GSO_TCPV4) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = 0;
		iph->check = 0;
		tcp_hdr(skb)->check = ~csum_tcpudp_magic(iph->saddr,
							 iph->daddr, 0,
							 IPPROTO_TCP, 0);
		tucmd |= E1K_TXD_TUCMD_IP;
		ipcso = l3 + offsetof(struct iphdr, check);
		ipcse = l4 - 1;
		popts |= E1K_TXD_POPTS_IXSM;
	}

	e1k_tx_context(ring, i, l3, ipcso, ipcse, l4,
		       l4 + offsetof(struct tcphdr, check),
		       tucmd | (skb->len - hdr_len), hdr_len, shinfo->gso_size);
	/* the device's one context now holds this, not a checksum one */
	ring->tx_csum_ctx = 0;

	/* the stack's count; never 0, but a bad one must not wrap */
	first->gso_segs = shinfo->gso_segs ?: 1;
	first->bytecount += (first->gso_segs - 1) * hdr_len;
	return popts;
}

/* A checksum context is written only when it differs from the last one. */
#define E1K_TX_CSUM_CTX_VALID	BIT(31)

/* Return: whether a context descriptor was written at @i. */
static bool e1k_tx_csum(struct e1k_ring *ring, struct sk_buff *skb, u16 i)
{
	unsigned int css = skb_checksum_start_offset(skb);
	unsigned int cso = css + skb->csum_offset;
	u32 key = E1K_TX_CSUM_CTX_VALID | css | cso << 8;

	if (ring->tx_csum_ctx == key)
		return false;
	e1k_tx_context(ring, i, 0, 0, 0, css, cso, 0, 0, 0);
	ring->tx_csum_ctx = key;
	return true;
}

/* Write the data descriptors of one mapped buffer from slot @i, a chunk
 * of at most 2^@shift bytes each.  With @sentinel, the buffer's last 4
 * bytes get a descriptor of their own: the 8254x errata (upstream e1000's
 * "sentinel") have the device write a TSO frame's descriptors back, or
 * those of the linear frame after one, before it has fetched all of the
 * data, unless the data ends that way.
 * Return: the slot after the last descriptor; *@desc is the last one.
 */
static u16 e1k_tx_put_buffer(struct e1k_ring *ring, u16 i, dma_addr_t dma,
			     unsigned int size, u32 lower, u32 upper,
			     unsigned int shift, bool sentinel,
			     struct e1k_tx_desc **desc)
{
	while (size) {
		unsigned int chunk = min(size, 1U << shift);

		if (sentinel && chunk == size && size > 8)
			chunk -= 4;
		*desc = e1k_tx_desc(ring, i);
		(*desc)->buffer_addr = cpu_to_le64(dma);
		(*desc)->lower = cpu_to_le32(lower | chunk);
		(*desc)->upper = cpu_to_le32(upper);
		dma += chunk;
		size -= chunk;
		i = e1k_ring_next(ring, i);
	}
	return i;
}

/* Map the linear part and each fragment from slot @i (see
 * e1k_tx_put_buffer(); @sentinel applies to the last buffer).
 * Return: the slot after the last descriptor, or -ENOMEM with every
 * mapping made here undone.
 */
static int e1k_tx_map(struct e1k_ring *ring, struct sk_buff *skb, u16 i,
		      u32 lower, u32 upper, unsigned int shift, bool sentinel,
		      struct e1k_tx_desc **eop)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);
	unsigned int f, size = skb_headlen(skb);
	struct e1k_tx_desc *desc = NULL;
	u16 start = i;
	dma_addr_t dma;

	dma = dma_map_single(ring->dev, skb->data, size, DMA_TO_DEVICE);
	for (f = 0; ; f++) {
		struct e1k_tx_buffer *buffer = &ring->tx_buffer[i];
		bool last = f == shinfo->nr_frags;

		if (unlikely(dma_mapping_error(ring->dev, dma)))
			goto unwind;
		buffer->dma = dma;
		buffer->len = size;
		buffer->mapped_page = f > 0;
		i = e1k_tx_put_buffer(ring, i, dma, size, lower, upper, shift,
				      sentinel && last, &desc);
		if (last)
			break;
		size = skb_frag_size(&shinfo->frags[f]);
		dma = skb_frag_dma_map(ring->dev, &shinfo->frags[f], 0, size,
				       DMA_TO_DEVICE);
	}

	desc->lower |= cpu_to_le32(E1K_TXD_CMD_EOP | E1K_TXD_CMD_RS);
	*eop = desc;
	return i;

unwind:
	for (; start != i; start = e1k_ring_next(ring, start))
		e1k_tx_buffer_unmap(ring, &ring->tx_buffer[start]);
	return -ENOMEM;
}

static void e1k_xmit_stat(struct e1k_ring *ring, u64_stats_t *stat)
{
	u64_stats_update_begin(&ring->xmit_stats.syncp);
	u64_stats_inc(stat);
	u64_stats_update_end(&ring->xmit_stats.syncp);
}

/**
 * e1k_xmit_ring - queue one frame on a TX ring
 * @ring: the TX ring
 * @skb: the frame
 *
 * Called from ndo_start_xmit with BHs (possibly IRQs) off.  The features
 * the frame may use (checksum, TSO, VLAN tag) are those of the net_device,
 * checked by e1k_features_check().
 *
 * Return: NETDEV_TX_OK, or NETDEV_TX_BUSY only if the queue was awake with
 * too few descriptors free, which the stop-early logic makes impossible.
 */
netdev_tx_t e1k_xmit_ring(struct e1k_ring *ring, struct sk_buff *skb)
{
	struct netdev_queue *txq = netdev_get_tx_queue(ring->netdev, 0);
	u32 lower = E1K_TXD_CMD_DEXT | E1K_TXD_DTYP_D | E1K_TXD_CMD_IFCS;
	u32 upper = 0, csum_ctx = ring->tx_csum_ctx;
	bool tso = skb_is_gso(skb), sentinel;
	struct e1k_tx_buffer *first;
	struct e1k_tx_desc *eop;
	bool kick;
	int next;
	u16 i;

	if (unlikely(e1k_maybe_stop_tx(ring, e1k_tx_desc_count(skb)))) {
		e1k_xmit_stat(ring, &ring->xmit_stats.busy);
		return NETDEV_TX_BUSY;
	}

	/* Short frames are padded here, with zeros, not by the device
	 * (TCTL.PSP) from whatever follows the data in memory.
	 */
	if (eth_skb_pad(skb))
		goto dropped;	/* eth_skb_pad() freed the skb */

	i = ring->next_to_use;
	first = &ring->tx_buffer[i];
	first->skb = skb;
	first->type = E1K_TX_SKB;
	first->bytecount = skb->len;
	first->gso_segs = 1;

	if (skb_vlan_tag_present(skb)) {
		lower |= E1K_TXD_CMD_VLE;
		upper |= (u32)skb_vlan_tag_get(skb) << E1K_TXD_VLAN_SHIFT;
	}
	if (tso) {
		if (skb_cow_head(skb, 0))
			goto drop_skb;
		upper |= e1k_tx_tso(ring, skb, i, first);
		lower |= E1K_TXD_CMD_TSE;
		i = e1k_ring_next(ring, i);
		e1k_xmit_stat(ring, &ring->xmit_stats.tso);
		e1k_xmit_stat(ring, &ring->xmit_stats.context);
	} else if (skb->ip_summed == CHECKSUM_PARTIAL) {
		if (e1k_tx_csum(ring, skb, i)) {
			i = e1k_ring_next(ring, i);
			e1k_xmit_stat(ring, &ring->xmit_stats.context);
		}
		upper |= E1K_TXD_POPTS_TXSM;
		e1k_xmit_stat(ring, &ring->xmit_stats.csum);
	}

	sentinel = tso || (ring->tx_last_tso && !skb->data_len);
	next = e1k_tx_map(ring, skb, i, lower, upper, e1k_tx_chunk_shift(skb),
			  sentinel, &eop);
	if (unlikely(next < 0))
		goto drop_skb;
	/* a fragmented frame keeps the workaround for the next linear one */
	ring->tx_last_tso = tso || (ring->tx_last_tso && skb->data_len);

	kick = __netdev_tx_sent_queue(txq, first->bytecount,
				      netdev_xmit_more());
	skb_tx_timestamp(skb);

	/* Descriptors first, then hand the frame to the completion side. */
	smp_wmb();
	WRITE_ONCE(first->next_to_watch, eop);
	WRITE_ONCE(ring->next_to_use, next);

	e1k_maybe_stop_tx(ring, E1K_TX_DESC_NEEDED);
	/* writel() orders the descriptor writes before the doorbell. */
	if (kick || netif_xmit_stopped(txq))
		e1k_tx_kick(ring);
	return NETDEV_TX_OK;

drop_skb:
	/* A context written at the first slot never reaches the device. */
	ring->tx_csum_ctx = csum_ctx;
	first->skb = NULL;
	dev_kfree_skb_any(skb);
dropped:
	e1k_xmit_stat(ring, &ring->xmit_stats.dropped);
	/* Frames queued earlier with xmit_more still need their doorbell. */
	if (!netdev_xmit_more())
		e1k_tx_kick(ring);
	return NETDEV_TX_OK;
}

/* Short frames are padded with zeros here, as e1k_xmit_ring() pads
 * skbs, if the frame's buffer has the room.  Return: 0 or -EINVAL.
 */
static int e1k_xdp_pad(struct xdp_frame *xdpf)
{
	void *end = (void *)xdpf + xdpf->frame_sz -
		    SKB_DATA_ALIGN(sizeof(struct skb_shared_info));

	if (xdpf->data + ETH_ZLEN > end)
		return -EINVAL;
	memset(xdpf->data + xdpf->len, 0, ETH_ZLEN - xdpf->len);
	xdpf->len = ETH_ZLEN;
	return 0;
}

/**
 * e1k_xdp_xmit_ring - queue an XDP frame on the TX ring
 * @ring: the TX ring; the caller holds the TX queue lock
 * @xdpf: the frame, linear or multi-buffer
 * @type: E1K_TX_XDP_TX (from our RX ring) or E1K_TX_XDP_XMIT
 *
 * Each buffer is mapped here, whoever's it is: RX buffers are unmapped
 * once received (see e1k_rx_add_buffer()).
 * The descriptors the stack's queue keeps free for one skb stay free (see
 * e1k_maybe_stop_tx()): XDP never makes the stack's next frame find the
 * ring full.  No doorbell: the caller rings it once for a batch
 * (e1k_tx_kick()).  Not counted in BQL, which the stack's queue alone
 * feeds.
 *
 * Return: 0, or -ENOSPC, -EINVAL (too short to pad) or -ENOMEM (mapping),
 * the frame then still the caller's.
 */
int e1k_xdp_xmit_ring(struct e1k_ring *ring, struct xdp_frame *xdpf,
		      enum e1k_tx_type type)
{
	struct skb_shared_info *sinfo = xdp_get_shared_info_from_frame(xdpf);
	u32 lower = E1K_TXD_CMD_DEXT | E1K_TXD_DTYP_D | E1K_TXD_CMD_IFCS;
	unsigned int shift = ilog2(E1K_MAX_PER_TXD);
	unsigned int f, nr_frags = 0, size = xdpf->len, needed;
	struct e1k_tx_buffer *first;
	struct e1k_tx_desc *desc = NULL;
	struct page *page;
	u16 i, start;
	bool sentinel;

	if (xdp_frame_has_frags(xdpf))
		nr_frags = sinfo->nr_frags;
	/* the sentinel split, then each buffer's chunks */
	needed = 1 + e1k_txd_count(size, shift);
	for (f = 0; f < nr_frags; f++)
		needed += e1k_txd_count(skb_frag_size(&sinfo->frags[f]), shift);
	if (unlikely(e1k_desc_unused(ring) < needed + E1K_TX_DESC_NEEDED))
		return -ENOSPC;
	if (unlikely(xdp_get_frame_len(xdpf) < ETH_ZLEN) &&
	    (nr_frags || e1k_xdp_pad(xdpf)))
		return -EINVAL;
	size = xdpf->len;

	/* as e1k_xmit_ring() decides it for a linear frame */
	sentinel = ring->tx_last_tso && !nr_frags;
	i = ring->next_to_use;
	start = i;
	first = &ring->tx_buffer[i];
	page = virt_to_page(xdpf->data);
	for (f = 0; ; f++) {
		struct e1k_tx_buffer *buffer = &ring->tx_buffer[i];
		bool last = f == nr_frags;
		unsigned int offset;
		dma_addr_t dma;

		if (f == 0) {
			offset = offset_in_page(xdpf->data);
		} else {
			page = skb_frag_page(&sinfo->frags[f - 1]);
			offset = skb_frag_off(&sinfo->frags[f - 1]);
			size = skb_frag_size(&sinfo->frags[f - 1]);
		}
		dma = dma_map_page(ring->dev, page, offset, size,
				   DMA_TO_DEVICE);
		if (unlikely(dma_mapping_error(ring->dev, dma)))
			goto unwind;
		buffer->dma = dma;
		buffer->len = size;
		buffer->mapped_page = true;
		i = e1k_tx_put_buffer(ring, i, dma, size, lower, 0, shift,
				      sentinel && last, &desc);
		if (last)
			break;
	}
	desc->lower |= cpu_to_le32(E1K_TXD_CMD_EOP | E1K_TXD_CMD_RS);
	ring->tx_last_tso = ring->tx_last_tso && nr_frags;

	first->xdpf = xdpf;
	first->type = type;
	first->bytecount = xdp_get_frame_len(xdpf);
	first->gso_segs = 1;
	/* Descriptors first, then hand the frame to the completion side. */
	smp_wmb();
	WRITE_ONCE(first->next_to_watch, desc);
	WRITE_ONCE(ring->next_to_use, i);
	/* the stack's TX watchdog: the queue is making progress */
	txq_trans_cond_update(netdev_get_tx_queue(ring->netdev, 0));
	return 0;

unwind:
	for (; start != i; start = e1k_ring_next(ring, start))
		e1k_tx_buffer_unmap(ring, &ring->tx_buffer[start]);
	return -ENOMEM;
}

/**
 * e1k_clean_tx_irq - reclaim transmitted frames
 * @ring: the TX ring
 * @napi_budget: the poll's budget, 0 from netpoll
 *
 * Not bounded by the budget: at most one ring's worth of work.  netpoll
 * (budget 0, perhaps with interrupts off) stops at the first XDP frame:
 * returning one to a page_pool takes BH locks outside softirq, for the
 * NAPI poll or process context only.  (So under an XDP flood netconsole
 * may find the ring full until the next poll.)
 */
void e1k_clean_tx_irq(struct e1k_ring *ring, int napi_budget)
{
	struct e1k_adapter *adapter = netdev_priv(ring->netdev);
	unsigned int packets = 0, bytes = 0, bql_bytes = 0;
	u16 i = ring->next_to_clean;

	for (;;) {
		struct e1k_tx_buffer *first = &ring->tx_buffer[i];
		struct e1k_tx_desc *eop = READ_ONCE(first->next_to_watch);
		struct e1k_tx_desc *desc;

		if (!eop)
			break;
		/* next_to_watch before the descriptor it points at */
		smp_rmb();
		if (!(le32_to_cpu(READ_ONCE(eop->upper)) & E1K_TXD_STAT_DD))
			break;
		if (unlikely(!napi_budget) && first->type != E1K_TX_SKB)
			break;

		first->next_to_watch = NULL;
		packets += first->gso_segs;
		bytes += first->bytecount;
		do {
			desc = e1k_tx_desc(ring, i);
			e1k_tx_buffer_unmap(ring, &ring->tx_buffer[i]);
			i = e1k_ring_next(ring, i);
		} while (desc != eop);

		if (likely(first->type == E1K_TX_SKB)) {
			bql_bytes += first->bytecount;
			napi_consume_skb(first->skb, napi_budget);
		} else if (first->type == E1K_TX_XDP_TX) {
			xdp_return_frame_rx_napi(first->xdpf);
		} else {
			xdp_return_frame(first->xdpf);
		}
		first->skb = NULL;
	}

	if (!packets)
		return;

	WRITE_ONCE(ring->next_to_clean, i);
	/* BQL counts the stack's frames alone; it ignores the packet count */
	netdev_completed_queue(ring->netdev, packets, bql_bytes);

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
		    !test_bit(__E1K_DOWN, &adapter->state)) {
			netif_wake_queue(ring->netdev);
			u64_stats_update_begin(&ring->tx_stats.syncp);
			u64_stats_inc(&ring->tx_stats.restart_queue);
			u64_stats_update_end(&ring->tx_stats.syncp);
		}
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
		if (buffer->type == E1K_TX_SKB)
			dev_kfree_skb_any(buffer->skb);
		else if (buffer->xdpf)
			xdp_return_frame(buffer->xdpf);
		buffer->skb = NULL;
		buffer->type = E1K_TX_SKB;
		buffer->next_to_watch = NULL;
	}
	netdev_reset_queue(ring->netdev);
	memset(ring->desc, 0, ring->size);
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	ring->tx_csum_ctx = 0;
	ring->tx_last_tso = false;
}

/* ---- receive ----------------------------------------------------------- */

/**
 * e1k_rx_pool_create - the page_pool of an RX ring, and its xdp_rxq_info
 * @ring: the RX ring
 * @napi: the NAPI context the ring is received in; NULL for the
 *	self-test's ring, which runs no XDP program
 *
 * Process context.  Undone by e1k_rx_pool_destroy().
 * Return: 0 or a negative errno, with nothing left allocated.
 */
int e1k_rx_pool_create(struct e1k_ring *ring, struct napi_struct *napi)
{
	/* Pages only: e1k maps a buffer while the device owns it (see
	 * e1k_rx_ring_fill()).
	 */
	struct page_pool_params pp = {
		/* the recycling ring holds any ring size's buffers */
		.pool_size = E1K_MAX_RING,
		.nid = dev_to_node(ring->dev),
	};
	int err;

	ring->rx_pool = page_pool_create(&pp);
	if (IS_ERR(ring->rx_pool)) {
		err = PTR_ERR(ring->rx_pool);
		ring->rx_pool = NULL;
		return err;
	}
	if (!napi)
		return 0;

	/* a fragment's tail is its page's: bpf_xdp_adjust_tail() may grow it */
	err = __xdp_rxq_info_reg(&ring->xdp_rxq, ring->netdev, 0,
				 napi->napi_id, E1K_RX_TRUESIZE);
	if (err)
		goto err_destroy;
	err = xdp_rxq_info_reg_mem_model(&ring->xdp_rxq, MEM_TYPE_PAGE_POOL,
					 ring->rx_pool);
	if (err)
		goto err_unreg;
	return 0;

err_unreg:
	xdp_rxq_info_unreg(&ring->xdp_rxq);
err_destroy:
	page_pool_destroy(ring->rx_pool);
	ring->rx_pool = NULL;
	return err;
}

/**
 * e1k_rx_pool_destroy - undo e1k_rx_pool_create()
 * @ring: the RX ring, with every buffer given back (e1k_rx_ring_clean())
 *
 * Pages still out (in skbs the stack holds, in frames redirected
 * elsewhere) return to the pool later; it goes once the last one does.
 */
void e1k_rx_pool_destroy(struct e1k_ring *ring)
{
	/* drops the reference the memory model took on the pool */
	if (xdp_rxq_info_is_reg(&ring->xdp_rxq))
		xdp_rxq_info_unreg(&ring->xdp_rxq);
	page_pool_destroy(ring->rx_pool);
	ring->rx_pool = NULL;
}

/* Give a page back to the pool; @allow_direct: from the NAPI poll, whose
 * lockless cache may take it.
 */
static void e1k_rx_page_put(struct e1k_ring *ring, struct page *page,
			    bool allow_direct)
{
	page_pool_put_full_page(ring->rx_pool, page, allow_direct);
}

/* Unmap a posted buffer the CPU will not read, and give its page back. */
static void e1k_rx_buffer_put(struct e1k_ring *ring,
			      struct e1k_rx_buffer *buffer, bool allow_direct)
{
	dma_unmap_page_attrs(ring->dev, buffer->dma, E1K_RX_BUFSZ,
			     DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
	e1k_rx_page_put(ring, buffer->page, allow_direct);
	buffer->page = NULL;
}

/* Give back every page of the frame being received, and end it. */
static void e1k_rx_frame_free(struct e1k_ring *ring, struct xdp_buff *xdp,
			      bool allow_direct)
{
	struct skb_shared_info *sinfo = xdp_get_shared_info_from_buff(xdp);
	unsigned int f;

	if (xdp_buff_has_frags(xdp))
		for (f = 0; f < sinfo->nr_frags; f++)
			e1k_rx_page_put(ring, skb_frag_page(&sinfo->frags[f]),
					allow_direct);
	e1k_rx_page_put(ring, virt_to_page(xdp->data_hard_start),
			allow_direct);
	xdp->data = NULL;
}

/* Take up to @count (at most e1k_desc_unused()) pages from the ring's
 * page_pool into the free slots from next_to_use, for e1k_rx_ring_post();
 * from the NAPI poll or with BHs off.  Return: how many it took.
 */
static u16 e1k_rx_ring_take_pages(struct e1k_ring *ring, u16 count)
{
	u16 i = ring->next_to_use, n;

	for (n = 0; n < count; n++) {
		struct page *page = page_pool_dev_alloc_pages(ring->rx_pool);

		if (unlikely(!page))
			break;
		ring->rx_buffer[i].page = page;
		i = e1k_ring_next(ring, i);
	}
	return n;
}

/* Give the device the @n pages taken from next_to_use on.
 *
 * The ring's page_pool recycles the pages; e1k maps each buffer itself,
 * for as long as the device owns it, and not the pool for the page's
 * life.  A page the stack holds is then not mapped: under Linux 6.1 a
 * pool keeps its mappings until such pages come back, which may be after
 * the device is gone (reported by DMA-API debugging at unbind, unsafe
 * behind an IOMMU; page_pool itself unmaps them at destroy since 6.15).
 *
 * Return: how many were posted; the pages of the others (a mapping
 * failed) went back to the pool.
 */
static u16 e1k_rx_ring_post(struct e1k_ring *ring, u16 n, bool allow_direct)
{
	u16 i = ring->next_to_use, posted;

	for (posted = 0; posted < n; posted++) {
		struct e1k_rx_buffer *buffer = &ring->rx_buffer[i];
		struct e1k_rx_desc *desc = e1k_rx_desc(ring, i);
		dma_addr_t dma;

		dma = dma_map_page(ring->dev, buffer->page, E1K_RX_HEADROOM,
				   E1K_RX_BUFSZ, DMA_FROM_DEVICE);
		if (unlikely(dma_mapping_error(ring->dev, dma)))
			break;
		buffer->dma = dma;

		desc->buffer_addr = cpu_to_le64(dma);
		desc->length = 0;
		desc->csum = 0;
		desc->status = 0;	/* clear DD from the slot's last use */
		desc->errors = 0;
		desc->special = 0;
		i = e1k_ring_next(ring, i);
	}

	if (ring->next_to_use != i) {
		ring->next_to_use = i;
		/* writel() orders the descriptor writes before the tail. */
		writel(i, ring->tail);
	}
	/* no slot beyond next_to_use keeps a page */
	for (; posted < n; n--) {
		e1k_rx_page_put(ring, ring->rx_buffer[i].page, allow_direct);
		ring->rx_buffer[i].page = NULL;
		i = e1k_ring_next(ring, i);
	}
	return posted;
}

/* Refill from the NAPI poll.  Return: how many buffers are missing. */
static unsigned int e1k_rx_ring_fill(struct e1k_ring *ring, u16 count)
{
	return count - e1k_rx_ring_post(ring,
					e1k_rx_ring_take_pages(ring, count),
					true);
}

/* A refill fell short; the watchdog's periodic interrupt retries it. */
static void e1k_rx_alloc_failed(struct e1k_ring *ring)
{
	u64_stats_update_begin(&ring->rx_stats.syncp);
	u64_stats_inc(&ring->rx_stats.alloc_failed);
	u64_stats_update_end(&ring->rx_stats.syncp);
}

/**
 * e1k_rx_ring_populate - post a buffer in every free slot, NAPI disabled
 * @ring: the RX ring
 *
 * Process context (open, reset, the self-test), NAPI disabled, so nothing
 * else uses the ring's page_pool.  The pages are taken with BHs off: the
 * pool's allocation path, and its ring's consumer lock, are otherwise
 * taken in softirq only (lockdep would see both).  They are mapped with
 * BHs on, as the driver did before the pool: a mapping's bookkeeping
 * (DMA-API debugging's, for one) may allocate, and may then fall back on
 * what sleepable code preloaded.  A shortfall is counted with BHs off, as
 * any update of the ring's counters outside NAPI must be: a reader in
 * softirq on this CPU must never find it half done, and on 32-bit the
 * writer must not be preempted in it (u64_stats_sync).
 *
 * Return: how many buffers could not be allocated (0 on full success).
 */
unsigned int e1k_rx_ring_populate(struct e1k_ring *ring)
{
	u16 count = e1k_desc_unused(ring), taken;
	unsigned int missing;

	local_bh_disable();
	taken = e1k_rx_ring_take_pages(ring, count);
	local_bh_enable();
	missing = count - e1k_rx_ring_post(ring, taken, false);
	if (unlikely(missing)) {
		local_bh_disable();
		e1k_rx_alloc_failed(ring);
		local_bh_enable();
	}
	return missing;
}

/* Add a filled buffer of @len bytes to the frame being received: the first
 * is the xdp_buff's own, the others its fragments.  Return: false if the
 * buffer had to be given back, the frame to be dropped.
 */
static bool e1k_rx_add_buffer(struct e1k_ring *ring, struct xdp_buff *xdp,
			      struct e1k_rx_buffer *buffer, u16 len, bool eop)
{
	struct page *page = buffer->page;
	struct skb_shared_info *sinfo;

	/* what the device wrote, then the buffer is the CPU's */
	dma_sync_single_for_cpu(ring->dev, buffer->dma,
				min_t(u16, len, E1K_RX_BUFSZ), DMA_FROM_DEVICE);
	dma_unmap_page_attrs(ring->dev, buffer->dma, E1K_RX_BUFSZ,
			     DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
	buffer->page = NULL;

	/* Trust no length: the device never stores more than a buffer, and
	 * fills every buffer of a frame but its last.  A short one in the
	 * middle would leave less than a header in front, or a fragment
	 * smaller than the CRC the last one's trim assumes.
	 */
	if (unlikely(len > E1K_RX_BUFSZ || (!eop && len != E1K_RX_BUFSZ)))
		goto drop;

	if (!xdp->data) {
		xdp_init_buff(xdp, E1K_RX_TRUESIZE, &ring->xdp_rxq);
		xdp_prepare_buff(xdp, page_address(page), E1K_RX_HEADROOM, len,
				 true);
		net_prefetch(xdp->data);
		return true;
	}

	/* A frame longer than the MTU allows is not assembled any further. */
	sinfo = xdp_get_shared_info_from_buff(xdp);
	if (!xdp_buff_has_frags(xdp)) {
		sinfo->nr_frags = 0;
		sinfo->xdp_frags_size = 0;
		xdp_buff_set_frags_flag(xdp);
	}
	if (unlikely(xdp_get_buff_len(xdp) + len > ring->rx_max_frame ||
		     sinfo->nr_frags == MAX_SKB_FRAGS))
		goto drop;
	__skb_fill_page_desc_noacc(sinfo, sinfo->nr_frags++, page,
				   E1K_RX_HEADROOM, len);
	sinfo->xdp_frags_size += len;
	if (page_is_pfmemalloc(page))
		xdp_buff_set_frag_pfmemalloc(xdp);
	return true;

drop:
	e1k_rx_page_put(ring, page, true);
	return false;
}

/* Trim the CRC the device leaves at a frame's end (see
 * e1k_configure_rx()): off the last buffer, and off the one before where
 * the last holds no more than the CRC, or part of it.  The frame holds
 * more than a header and a CRC.
 */
static void e1k_rx_trim_crc(struct e1k_ring *ring, struct xdp_buff *xdp)
{
	struct skb_shared_info *sinfo = xdp_get_shared_info_from_buff(xdp);
	unsigned int trim = ETH_FCS_LEN;
	skb_frag_t *frag;

	if (!xdp_buff_has_frags(xdp)) {
		xdp->data_end -= trim;
		return;
	}
	frag = &sinfo->frags[sinfo->nr_frags - 1];
	if (skb_frag_size(frag) <= trim) {
		trim -= skb_frag_size(frag);
		sinfo->xdp_frags_size -= skb_frag_size(frag);
		e1k_rx_page_put(ring, skb_frag_page(frag), true);
		if (!--sinfo->nr_frags) {
			xdp_buff_clear_frags_flag(xdp);
			xdp->data_end -= trim;
			return;
		}
		frag--;
	}
	skb_frag_size_sub(frag, trim);
	sinfo->xdp_frags_size -= trim;
}

/* An skb around the frame's buffers, which return to the pool with it. */
static struct sk_buff *e1k_rx_build_skb(struct xdp_buff *xdp)
{
	struct skb_shared_info *sinfo = xdp_get_shared_info_from_buff(xdp);
	unsigned int metasize = xdp->data - xdp->data_meta;
	unsigned int nr_frags = 0, frags_size = 0;
	struct sk_buff *skb;

	/* build_skb() clears what a multi-buffer xdp_buff keeps there */
	if (unlikely(xdp_buff_has_frags(xdp))) {
		nr_frags = sinfo->nr_frags;
		frags_size = sinfo->xdp_frags_size;
	}
	skb = napi_build_skb(xdp->data_hard_start, xdp->frame_sz);
	if (unlikely(!skb))
		return NULL;
	skb_reserve(skb, xdp->data - xdp->data_hard_start);
	__skb_put(skb, xdp->data_end - xdp->data);
	if (metasize)
		skb_metadata_set(skb, metasize);
	if (nr_frags)
		xdp_update_skb_shared_info(skb, nr_frags, frags_size,
					   nr_frags * E1K_RX_TRUESIZE,
					   xdp_buff_is_frag_pfmemalloc(xdp));
	skb_mark_for_recycle(skb);
	return skb;
}

/* What the end of a poll must push out (e1k_rx_xdp_flush()). */
enum {
	E1K_XDP_FLUSH_TX	= BIT(0),
	E1K_XDP_FLUSH_REDIRECT	= BIT(1),
};

/* What a poll counts, added to the ring's counters once at its end. */
struct e1k_rx_counts {
	unsigned int packets, bytes, dropped, length_errors, frame_errors;
	unsigned int xdp_pass, xdp_drop, xdp_tx, xdp_redirect, xdp_aborted;
	unsigned int xdp_tx_errors, xdp_redirect_errors;
};

/* XDP_TX: the frame goes back out of the TX ring, which it shares with
 * the stack and with ndo_xdp_xmit; the doorbell rings once per poll.
 */
static bool e1k_rx_xdp_tx(struct e1k_ring *tx_ring, struct xdp_buff *xdp)
{
	struct netdev_queue *txq = netdev_get_tx_queue(tx_ring->netdev, 0);
	struct xdp_frame *xdpf = xdp_convert_buff_to_frame(xdp);
	int err;

	if (unlikely(!xdpf))
		return false;
	__netif_tx_lock(txq, smp_processor_id());
	err = e1k_xdp_xmit_ring(tx_ring, xdpf, E1K_TX_XDP_TX);
	__netif_tx_unlock(txq);
	return !err;
}

/* Run the program on a whole frame.  Return: true if it is to be passed
 * to the stack; otherwise the frame is gone (sent, redirected or given
 * back) and *@flush says what the end of the poll must push out.
 */
static bool e1k_rx_run_xdp(struct e1k_ring *ring, struct e1k_ring *tx_ring,
			   struct bpf_prog *prog, struct xdp_buff *xdp,
			   struct e1k_rx_counts *c, unsigned int *flush)
{
	u32 act = bpf_prog_run_xdp(prog, xdp);

	switch (act) {
	case XDP_PASS:
		c->xdp_pass++;
		return true;
	case XDP_TX:
		if (unlikely(!e1k_rx_xdp_tx(tx_ring, xdp))) {
			c->xdp_tx_errors++;
			goto exception;
		}
		c->xdp_tx++;
		*flush |= E1K_XDP_FLUSH_TX;
		break;
	case XDP_REDIRECT:
		/* a broadcast may have queued copies before failing */
		*flush |= E1K_XDP_FLUSH_REDIRECT;
		if (unlikely(xdp_do_redirect(ring->netdev, xdp, prog))) {
			c->xdp_redirect_errors++;
			goto exception;
		}
		c->xdp_redirect++;
		break;
	default:
		bpf_warn_invalid_xdp_action(ring->netdev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		c->xdp_aborted++;
exception:
		trace_xdp_exception(ring->netdev, prog, act);
		e1k_rx_frame_free(ring, xdp, true);
		break;
	case XDP_DROP:
		c->xdp_drop++;
		e1k_rx_frame_free(ring, xdp, true);
		break;
	}
	xdp->data = NULL;
	return false;
}

static void e1k_rx_counts_add(struct e1k_ring *ring,
			      const struct e1k_rx_counts *c)
{
	struct e1k_rx_stats *s = &ring->rx_stats;

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->packets, c->packets);
	u64_stats_add(&s->bytes, c->bytes);
	u64_stats_add(&s->length_errors, c->length_errors);
	u64_stats_add(&s->frame_errors, c->frame_errors);
	u64_stats_add(&s->dropped, c->dropped);
	u64_stats_add(&s->xdp_pass, c->xdp_pass);
	u64_stats_add(&s->xdp_drop, c->xdp_drop);
	u64_stats_add(&s->xdp_tx, c->xdp_tx);
	u64_stats_add(&s->xdp_redirect, c->xdp_redirect);
	u64_stats_add(&s->xdp_aborted, c->xdp_aborted);
	u64_stats_add(&s->xdp_tx_errors, c->xdp_tx_errors);
	u64_stats_add(&s->xdp_redirect_errors, c->xdp_redirect_errors);
	u64_stats_update_end(&s->syncp);
}

/* The end of a poll that sent or redirected frames: XDP_TX's doorbell,
 * under the lock every writer of the tail takes, and the redirect maps'
 * flush.
 */
static void e1k_rx_xdp_flush(struct e1k_ring *tx_ring, unsigned int flush)
{
	struct netdev_queue *txq = netdev_get_tx_queue(tx_ring->netdev, 0);

	if (flush & E1K_XDP_FLUSH_TX) {
		__netif_tx_lock(txq, smp_processor_id());
		e1k_tx_kick(tx_ring);
		__netif_tx_unlock(txq);
	}
	if (flush & E1K_XDP_FLUSH_REDIRECT)
		xdp_do_flush();
}

/**
 * e1k_clean_rx_irq - receive frames, through the XDP program if there is
 * one and to the stack, then refill
 * @ring: the RX ring
 * @tx_ring: the TX ring, for XDP_TX
 * @napi: the NAPI context frames are received in
 * @budget: most descriptors to process
 *
 * One path for every frame: its buffers make an xdp_buff (multi-buffer
 * when it spans descriptors, with a jumbo MTU), the program if any runs
 * on it, and an skb is built around the same pages for the stack.
 * Frames longer than rx_max_frame or shorter than a header and a CRC,
 * descriptors claiming more than a buffer, and frames with error bits are
 * dropped and counted once each.  The CRC the device leaves at a frame's
 * end is trimmed before the program sees the frame.  rx_packets and
 * rx_bytes count every frame received whole, whatever the program does
 * with it; a frame that gets no skb counts in rx_dropped instead.
 *
 * Return: descriptors processed, at most @budget.
 */
int e1k_clean_rx_irq(struct e1k_ring *ring, struct e1k_ring *tx_ring,
		     struct napi_struct *napi, int budget)
{
	struct bpf_prog *prog = READ_ONCE(ring->xdp_prog);
	struct xdp_buff *xdp = &ring->rx_xdp;
	struct e1k_rx_counts c = {};
	unsigned int flush = 0;
	u16 i = ring->next_to_clean;
	int done = 0;

	/* Only slots up to next_to_use hold buffers. The slots beyond, left
	 * empty by a failed refill, still carry the DD bit of their last use.
	 */
	while (done < budget && i != ring->next_to_use) {
		struct e1k_rx_buffer *buffer = &ring->rx_buffer[i];
		struct e1k_rx_desc *desc = e1k_rx_desc(ring, i);
		struct sk_buff *skb;
		unsigned int len;
		u8 status, errors;
		u16 tci;
		bool eop;

		status = READ_ONCE(desc->status);
		if (!(status & E1K_RXD_STAT_DD))
			break;
		/* The rest of the descriptor only after DD. */
		dma_rmb();
		len = le16_to_cpu(desc->length);
		errors = desc->errors;
		tci = le16_to_cpu(desc->special);

		i = e1k_ring_next(ring, i);
		done++;
		eop = status & E1K_RXD_STAT_EOP;

		if (unlikely(ring->rx_discard)) {
			e1k_rx_buffer_put(ring, buffer, true);
			ring->rx_discard = !eop;
			continue;
		}
		if (unlikely(!e1k_rx_add_buffer(ring, xdp, buffer, len, eop))) {
			if (xdp->data)
				e1k_rx_frame_free(ring, xdp, true);
			c.length_errors++;
			ring->rx_discard = !eop;
			continue;
		}
		if (!eop)
			continue;

		/* The error bits are valid in a frame's last descriptor. */
		len = xdp_get_buff_len(xdp);
		if (unlikely(errors & E1K_RXD_ERR_FRAME)) {
			c.frame_errors++;
			e1k_rx_frame_free(ring, xdp, true);
			continue;
		}
		if (unlikely(len < ETH_HLEN + ETH_FCS_LEN ||
			     len > ring->rx_max_frame)) {
			c.length_errors++;
			e1k_rx_frame_free(ring, xdp, true);
			continue;
		}
		e1k_rx_trim_crc(ring, xdp);
		c.bytes += len - ETH_FCS_LEN;

		if (prog && !e1k_rx_run_xdp(ring, tx_ring, prog, xdp, &c,
					    &flush)) {
			c.packets++;
			continue;
		}

		skb = e1k_rx_build_skb(xdp);
		if (unlikely(!skb)) {
			c.dropped++;
			c.bytes -= len - ETH_FCS_LEN;
			e1k_rx_frame_free(ring, xdp, true);
			continue;
		}
		xdp->data = NULL;
		c.packets++;
		if (status & E1K_RXD_STAT_VP)
			__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), tci);
		skb->protocol = eth_type_trans(skb, ring->netdev);
		napi_gro_receive(napi, skb);
	}
	ring->next_to_clean = i;

	if (flush)
		e1k_rx_xdp_flush(tx_ring, flush);
	e1k_rx_counts_add(ring, &c);

	/* Also retries a shortfall left by an earlier failed allocation. */
	if (unlikely(e1k_rx_ring_fill(ring, e1k_desc_unused(ring))))
		e1k_rx_alloc_failed(ring);
	return done;
}

/**
 * e1k_rx_ring_clean - give every buffer of a quiesced RX ring back
 * @ring: the RX ring; the device and NAPI are stopped
 */
void e1k_rx_ring_clean(struct e1k_ring *ring)
{
	u16 i;

	if (ring->rx_xdp.data)
		e1k_rx_frame_free(ring, &ring->rx_xdp, false);
	for (i = 0; i < ring->count; i++) {
		if (ring->rx_buffer[i].page)
			e1k_rx_buffer_put(ring, &ring->rx_buffer[i], false);
	}
	memset(ring->desc, 0, ring->size);
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	ring->rx_discard = false;
}
