/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e1k: descriptor rings and their DMA buffers.
 *
 * A ring is a block of coherent DMA memory holding descriptors, plus an
 * array saying which buffer each descriptor carries.  The driver owns the
 * descriptors from next_to_clean up to (not including) next_to_use; the
 * device owns the rest up to the tail register.  One slot always stays
 * empty so that head == tail means "empty" to the device.
 *
 * Who writes what:
 *   TX next_to_use   ndo_start_xmit, ndo_xdp_xmit, XDP_TX in the NAPI
 *                    poll: all under the TX queue lock
 *   TX next_to_clean NAPI poll; read locklessly by the others
 *   RX both          NAPI poll (or open/reset with NAPI disabled)
 */
#ifndef _E1K_RING_H_
#define _E1K_RING_H_

#include <linux/bpf.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/u64_stats_sync.h>
#include <net/xdp.h>

#include "e1000_hw.h"

#define E1K_DEFAULT_TXD		256
#define E1K_DEFAULT_RXD		256

#define E1K_MIN_RING		80
#define E1K_MAX_RING		4096
#define E1K_RING_MULTIPLE	8	/* RDLEN/TDLEN: 128-byte multiples */

/* The most descriptors a frame may take, and so the room the queue keeps
 * free: a context descriptor, the sentinel split of the last buffer, and
 * the buffers (the linear part and each fragment) split at E1K_MAX_PER_TXD
 * bytes.  A GSO frame holds at most GSO_LEGACY_MAX_SIZE bytes (the device
 * does not advertise a larger tso_max_size); one whose small MSS would
 * need more descriptors is segmented by the stack (e1k_features_check()).
 */
#define E1K_TX_DESC_NEEDED \
	(DIV_ROUND_UP(GSO_LEGACY_MAX_SIZE, E1K_MAX_PER_TXD) + \
	 MAX_SKB_FRAGS + 3)
#define E1K_TX_WAKE_THRESHOLD	(2 * E1K_TX_DESC_NEEDED)
static_assert(E1K_TX_WAKE_THRESHOLD < E1K_MIN_RING);

/* RX buffers: a page each, from the ring's page_pool, which recycles it
 * (mapped only while posted: see e1k_rx_ring_fill()).  The device writes
 * at E1K_RX_HEADROOM, room an XDP program may grow the frame into (and
 * struct xdp_frame fits in); the skb_shared_info of build_skb(), or of a
 * multi-buffer xdp_buff, sits at the end of the page.
 */
#define E1K_RX_BUFSZ		2048	/* matches RCTL.BSIZE */
#define E1K_RX_HEADROOM		(XDP_PACKET_HEADROOM + NET_IP_ALIGN)
#define E1K_RX_TRUESIZE		PAGE_SIZE
static_assert(E1K_RX_HEADROOM + E1K_RX_BUFSZ +
	      SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) <=
	      E1K_RX_TRUESIZE);

/* What a TX slot's frame is, and so how completion frees it. */
enum e1k_tx_type {
	E1K_TX_SKB,		/* from the stack: BQL, napi_consume_skb() */
	E1K_TX_XDP_TX,		/* XDP_TX: pages of our RX page_pool, not
				 * mapped here
				 */
	E1K_TX_XDP_XMIT,	/* ndo_xdp_xmit: mapped here, returned to
				 * its owner
				 */
};

/* One per descriptor; a frame's first slot also carries the frame. */
struct e1k_tx_buffer {
	union {				/* first slot of a frame only */
		struct sk_buff *skb;
		struct xdp_frame *xdpf;
	};
	/* the frame's last descriptor; NULL while the slot is free */
	struct e1k_tx_desc *next_to_watch;
	dma_addr_t dma;
	u32 len;			/* mapped length, 0 when not mapped */
	u32 bytecount;			/* bytes on the wire */
	u16 gso_segs;
	u8 type;			/* enum e1k_tx_type */
	bool mapped_page;		/* a fragment: dma_unmap_page() */
};

struct e1k_rx_buffer {
	struct page *page;		/* NULL when empty */
	dma_addr_t dma;			/* of the buffer, while posted */
};

/* Written by the NAPI poll only. */
struct e1k_tx_stats {
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t restart_queue;	/* queue woken by completions */
	struct u64_stats_sync syncp;
};

/* Written under the TX queue lock: by ndo_start_xmit and ndo_xdp_xmit. */
struct e1k_xmit_stats {
	u64_stats_t dropped;		/* padding or DMA mapping failed */
	u64_stats_t busy;		/* returned NETDEV_TX_BUSY */
	u64_stats_t tso;		/* frames segmented by the device */
	u64_stats_t csum;		/* frames checksummed by the device */
	u64_stats_t context;		/* context descriptors written */
	u64_stats_t xdp_xmit;		/* frames from ndo_xdp_xmit */
	u64_stats_t xdp_xmit_errors;	/* of those, not queued */
	struct u64_stats_sync syncp;
};

/* Written by the NAPI poll, or in process context while NAPI is disabled
 * (open, reset), with BHs off then: on 32-bit a reader must never find a
 * writer preempted in its update (see e1k_rx_ring_populate()).
 */
struct e1k_rx_stats {
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t dropped;		/* frames: no memory for their skb */
	u64_stats_t alloc_failed;	/* refills short of buffers */
	u64_stats_t length_errors;	/* runt, longer than the MTU or than
					 * the buffer
					 */
	u64_stats_t frame_errors;	/* error bits in the descriptor */
	/* what the XDP program said; a failed TX or redirect counts in
	 * its own errors, not in xdp_tx or xdp_redirect
	 */
	u64_stats_t xdp_pass;
	u64_stats_t xdp_drop;
	u64_stats_t xdp_tx;
	u64_stats_t xdp_redirect;
	u64_stats_t xdp_aborted;
	u64_stats_t xdp_tx_errors;
	u64_stats_t xdp_redirect_errors;
	struct u64_stats_sync syncp;
};

struct e1k_ring {
	struct net_device *netdev;
	struct device *dev;		/* for the DMA API */
	void *desc;			/* descriptor memory */
	u8 __iomem *tail;		/* TDT or RDT */
	union {
		struct e1k_tx_buffer *tx_buffer;
		struct e1k_rx_buffer *rx_buffer;
	};
	dma_addr_t dma;			/* bus address of desc */
	unsigned int size;		/* bytes of descriptor memory */
	u16 count;			/* descriptors */
	u16 next_to_use;
	u16 next_to_clean;
	/* TX: the checksum context the device holds, 0 if unknown */
	u32 tx_csum_ctx;
	/* TX: the last frame was a TSO one (see e1k_tx_map()) */
	bool tx_last_tso;
	/* RX: the frame being received (rx_xdp.data is NULL between
	 * frames), spanning descriptors with a jumbo MTU
	 */
	struct xdp_buff rx_xdp;
	u16 rx_max_frame;		/* the longest frame accepted */
	bool rx_discard;		/* dropping the rest of a frame */
	/* RX: buffers, and the XDP program (NULL: none); see e1000_xdp.c */
	struct page_pool *rx_pool;
	struct bpf_prog *xdp_prog;
	struct xdp_rxq_info xdp_rxq;
	union {
		struct {
			struct e1k_tx_stats tx_stats;
			struct e1k_xmit_stats xmit_stats;
		};
		struct e1k_rx_stats rx_stats;
	};
};

static inline struct e1k_tx_desc *e1k_tx_desc(const struct e1k_ring *ring,
					      u16 i)
{
	return &((struct e1k_tx_desc *)ring->desc)[i];
}

static inline struct e1k_rx_desc *e1k_rx_desc(const struct e1k_ring *ring,
					      u16 i)
{
	return &((struct e1k_rx_desc *)ring->desc)[i];
}

static inline u16 e1k_ring_next(const struct e1k_ring *ring, u16 i)
{
	return ++i == ring->count ? 0 : i;
}

/* Free descriptors; safe against a concurrent TX clean. */
static inline u16 e1k_desc_unused(const struct e1k_ring *ring)
{
	u16 ntc = READ_ONCE(ring->next_to_clean);
	u16 ntu = READ_ONCE(ring->next_to_use);

	return (ntc > ntu ? 0 : ring->count) + ntc - ntu - 1;
}

int e1k_ring_alloc(struct e1k_ring *ring, size_t buffer_info_size);
void e1k_ring_free(struct e1k_ring *ring);
void e1k_ring_swap_mem(struct e1k_ring *ring, struct e1k_ring *other);

unsigned int e1k_tx_desc_count(const struct sk_buff *skb);
netdev_tx_t e1k_xmit_ring(struct e1k_ring *ring, struct sk_buff *skb);
void e1k_clean_tx_irq(struct e1k_ring *ring, int napi_budget);
void e1k_tx_ring_clean(struct e1k_ring *ring);

int e1k_xdp_xmit_ring(struct e1k_ring *ring, struct xdp_frame *xdpf,
		      enum e1k_tx_type type);

/**
 * e1k_tx_kick - hand the device what is queued up to next_to_use
 * @ring: the TX ring; the caller holds the TX queue lock
 *
 * Under the lock, so that the device never sees the tail go back: the
 * stack, ndo_xdp_xmit and XDP_TX all queue frames on this ring.
 * writel() orders the descriptor writes before the doorbell.
 */
static inline void e1k_tx_kick(struct e1k_ring *ring)
{
	writel(ring->next_to_use, ring->tail);
}

int e1k_rx_pool_create(struct e1k_ring *ring, struct napi_struct *napi);
void e1k_rx_pool_destroy(struct e1k_ring *ring);
unsigned int e1k_rx_ring_populate(struct e1k_ring *ring);
int e1k_clean_rx_irq(struct e1k_ring *ring, struct e1k_ring *tx_ring,
		     struct napi_struct *napi, int budget);
void e1k_rx_ring_clean(struct e1k_ring *ring);

#endif /* _E1K_RING_H_ */
