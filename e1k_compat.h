/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e1k: what differs between the kernels e1k builds against - Debian 12's
 * 6.1 (and its PREEMPT_RT flavour) and Debian's 6.12 LTS - in one place.
 * The in-tree patch series, for 6.1, needs none of it.
 */
#ifndef _E1K_COMPAT_H_
#define _E1K_COMPAT_H_

#include <linux/netdevice.h>
#include <net/xdp.h>

/* The E1K_HAVE_ macros come from the Makefile, which looks for the
 * headers that tell the kernels apart.
 */

/* 6.6 split <net/page_pool.h> in two. */
#ifdef E1K_HAVE_PAGE_POOL_HELPERS
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif

/* 6.3 has drivers declare their XDP features, in the netdev family's
 * new UAPI header; the redirect maps check NDO_XMIT before sending to a
 * device.  6.1 asks nothing.
 */
static inline void e1k_set_xdp_features(struct net_device *netdev)
{
#ifdef E1K_HAVE_XDP_FEATURES
	xdp_set_features_flag(netdev, NETDEV_XDP_ACT_BASIC |
			      NETDEV_XDP_ACT_REDIRECT |
			      NETDEV_XDP_ACT_NDO_XMIT |
			      NETDEV_XDP_ACT_RX_SG |
			      NETDEV_XDP_ACT_NDO_XMIT_SG);
#endif
}

#endif /* _E1K_COMPAT_H_ */
