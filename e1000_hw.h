/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e1k: Intel 82540EM hardware layer.
 *
 * Register map, descriptor formats and the functions that drive the MAC,
 * the EEPROM and the PHY.  Nothing here knows about struct net_device: every
 * function takes a struct e1k_hw and plain values, so the layer can be read
 * (and tested) against the datasheet alone.
 */
#ifndef _E1K_HW_H_
#define _E1K_HW_H_

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/if_ether.h>
#include <linux/io.h>
#include <linux/types.h>

/* Device registers (offsets into BAR0) */
#define E1K_CTRL	0x00000	/* Device Control */
#define E1K_STATUS	0x00008	/* Device Status */
#define E1K_EECD	0x00010	/* EEPROM/Flash Control */
#define E1K_EERD	0x00014	/* EEPROM Read */
#define E1K_MDIC	0x00020	/* MDI Control */
#define E1K_ICR		0x000C0	/* Interrupt Cause Read (clear on read) */
#define E1K_ITR		0x000C4	/* Interrupt Throttling Rate */
#define E1K_ICS		0x000C8	/* Interrupt Cause Set */
#define E1K_IMS		0x000D0	/* Interrupt Mask Set/Read */
#define E1K_IMC		0x000D8	/* Interrupt Mask Clear */
#define E1K_RCTL	0x00100	/* RX Control */
#define E1K_TCTL	0x00400	/* TX Control */
#define E1K_TIPG	0x00410	/* TX Inter-packet Gap */
#define E1K_RDBAL	0x02800	/* RX ring registers: see E1K_RING_* */
#define E1K_RDTR	0x02820	/* RX Delay Timer */
#define E1K_RADV	0x0282C	/* RX Interrupt Absolute Delay Timer */
#define E1K_TDBAL	0x03800	/* TX ring registers: see E1K_RING_* */
#define E1K_TIDV	0x03820	/* TX Interrupt Delay Value */
#define E1K_TADV	0x0382C	/* TX Interrupt Absolute Delay Value */
/* Both descriptor rings' registers, as offsets from E1K_TDBAL/E1K_RDBAL */
#define E1K_RING_BAL	0x00	/* base address, low 32 bits */
#define E1K_RING_BAH	0x04	/* base address, high 32 bits */
#define E1K_RING_LEN	0x08	/* length in bytes */
#define E1K_RING_HEAD	0x10
#define E1K_RING_TAIL	0x18

#define E1K_MTA(n)	(0x05200 + 4 * (n))	/* Multicast Table Array */
#define E1K_RAL(n)	(0x05400 + 8 * (n))	/* Receive Address Low */
#define E1K_RAH(n)	(0x05404 + 8 * (n))	/* Receive Address High */
#define E1K_VFTA(n)	(0x05600 + 4 * (n))	/* VLAN Filter Table Array */
#define E1K_RAH_AV		BIT(31)	/* RAH: address valid */

/* Statistics registers: 32-bit, clear on read */
#define E1K_CRCERRS	0x04000	/* CRC Error Count */
#define E1K_ALGNERRC	0x04004	/* Alignment Error Count */
#define E1K_RXERRC	0x0400C	/* Receive Error Count */
#define E1K_MPC		0x04010	/* Missed Packets Count */
#define E1K_ECOL	0x04018	/* Excessive Collision Count */
#define E1K_LATECOL	0x04020	/* Late Collision Count */
#define E1K_COLC	0x04028	/* Collision Count */
#define E1K_MPRC	0x0407C	/* Multicast Packets Received Count */
#define E1K_RUC		0x040A4	/* Receive Undersize Count */
#define E1K_ROC		0x040AC	/* Receive Oversize Count */

#define E1K_MTA_ENTRIES		128	/* 4096-bit multicast hash table */
#define E1K_RAR_ENTRIES		16	/* exact unicast filters, 0 is ours */
#define E1K_VFTA_ENTRIES	128

/* CTRL */
#define E1K_CTRL_FD		BIT(0)	/* Full duplex */
#define E1K_CTRL_ASDE		BIT(5)	/* Auto-speed detection enable */
#define E1K_CTRL_SLU		BIT(6)	/* Set link up */
#define E1K_CTRL_FRCSPD		BIT(11)	/* Force speed */
#define E1K_CTRL_FRCDPLX	BIT(12)	/* Force duplex */
#define E1K_CTRL_RST		BIT(26)	/* Global reset */
#define E1K_CTRL_PHY_RST	BIT(31)	/* PHY reset */

/* STATUS */
#define E1K_STATUS_FD		BIT(0)	/* Full duplex */
#define E1K_STATUS_LU		BIT(1)	/* Link up */
#define E1K_STATUS_SPEED_MASK	GENMASK(7, 6)
#define E1K_STATUS_SPEED_10	0
#define E1K_STATUS_SPEED_100	1

/* EERD */
#define E1K_EERD_START		BIT(0)
#define E1K_EERD_DONE		BIT(4)
#define E1K_EERD_ADDR_SHIFT	8
#define E1K_EERD_DATA_SHIFT	16

/* MDIC */
#define E1K_MDIC_DATA_MASK	GENMASK(15, 0)
#define E1K_MDIC_REG_SHIFT	16
#define E1K_MDIC_PHY_SHIFT	21
#define E1K_MDIC_OP_WRITE	BIT(26)
#define E1K_MDIC_OP_READ	BIT(27)
#define E1K_MDIC_READY		BIT(28)
#define E1K_MDIC_ERROR		BIT(30)
#define E1K_PHY_ADDR		1	/* the 82540EM's internal PHY */

/* Interrupt causes (ICR, ICS, IMS, IMC share the layout) */
#define E1K_ICR_TXDW		BIT(0)	/* TX descriptor written back */
#define E1K_ICR_LSC		BIT(2)	/* Link status change */
#define E1K_ICR_RXDMT0		BIT(4)	/* RX descriptor minimum threshold */
#define E1K_ICR_RXO		BIT(6)	/* RX overrun */
#define E1K_ICR_RXT0		BIT(7)	/* RX timer expired (frame received) */

/* RCTL */
#define E1K_RCTL_EN		BIT(1)	/* Enable */
#define E1K_RCTL_SBP		BIT(2)	/* Store bad packets */
#define E1K_RCTL_UPE		BIT(3)	/* Unicast promiscuous */
#define E1K_RCTL_MPE		BIT(4)	/* Multicast promiscuous */
#define E1K_RCTL_LPE		BIT(5)	/* Long packet enable */
#define E1K_RCTL_RDMTS_HALF	(0 << 8)	/* RXDMT0 at 1/2 ring free */
#define E1K_RCTL_MO_MASK	GENMASK(13, 12)	/* Multicast offset */
#define E1K_RCTL_BAM		BIT(15)	/* Broadcast accept */
#define E1K_RCTL_SZ_2048	(0 << 16)	/* with BSEX clear */
#define E1K_RCTL_VFE		BIT(18)	/* VLAN filter enable */
#define E1K_RCTL_SECRC		BIT(26)	/* Strip Ethernet CRC */

/* TCTL */
#define E1K_TCTL_EN		BIT(1)	/* Enable */
#define E1K_TCTL_PSP		BIT(3)	/* Pad short packets */
#define E1K_TCTL_CT_SHIFT	4	/* Collision threshold */
#define E1K_TCTL_COLD_SHIFT	12	/* Collision distance */
#define E1K_TCTL_RTLC		BIT(24)	/* Retransmit on late collision */
#define E1K_COLLISION_THRESHOLD	15
#define E1K_COLLISION_DISTANCE	63

/* TIPG for the copper 82540EM (IPGT, IPGR1, IPGR2) */
#define E1K_TIPG_DEFAULT	(8 | (8 << 10) | (6 << 20))

/* EEPROM layout */
#define E1K_EEPROM_MAC_ADDR	0x00	/* words 0-2 */
#define E1K_EEPROM_CHECKSUM_REG	0x3F	/* last word of the checksummed area */
#define E1K_EEPROM_SUM		0xBABA

/* Legacy transmit descriptor */
struct e1k_tx_desc {
	__le64 buffer_addr;
	__le16 length;
	u8 cso;		/* checksum offset */
	u8 cmd;
	u8 status;	/* written back by the device */
	u8 css;		/* checksum start */
	__le16 special;
};

static_assert(sizeof(struct e1k_tx_desc) == 16);

#define E1K_TXD_CMD_EOP		BIT(0)	/* End of packet */
#define E1K_TXD_CMD_IFCS	BIT(1)	/* Insert FCS */
#define E1K_TXD_CMD_RS		BIT(3)	/* Report status (set DD) */
#define E1K_TXD_STAT_DD		BIT(0)	/* Descriptor done */

/* Legacy receive descriptor */
struct e1k_rx_desc {
	__le64 buffer_addr;
	__le16 length;	/* written back: bytes stored in the buffer */
	__le16 csum;
	u8 status;
	u8 errors;
	__le16 special;
};

static_assert(sizeof(struct e1k_rx_desc) == 16);

#define E1K_RXD_STAT_DD		BIT(0)	/* Descriptor done */
#define E1K_RXD_STAT_EOP	BIT(1)	/* End of packet */
#define E1K_RXD_ERR_CE		BIT(0)	/* CRC or alignment error */
#define E1K_RXD_ERR_SE		BIT(1)	/* Symbol error */
#define E1K_RXD_ERR_SEQ		BIT(2)	/* Sequence error */
#define E1K_RXD_ERR_CXE		BIT(4)	/* Carrier extension error */
#define E1K_RXD_ERR_RXE		BIT(7)	/* RX data error */
#define E1K_RXD_ERR_FRAME	(E1K_RXD_ERR_CE | E1K_RXD_ERR_SE | \
				 E1K_RXD_ERR_SEQ | E1K_RXD_ERR_CXE | \
				 E1K_RXD_ERR_RXE)

/* Descriptor rings: the length register takes a multiple of 128 bytes */
#define E1K_RING_ALIGN_DESC	8

/* Counters the device keeps and clears on read, accumulated to 64 bits. */
struct e1k_hw_stats {
	u64 crcerrs;
	u64 algnerrc;
	u64 rxerrc;
	u64 mpc;
	u64 ecol;
	u64 latecol;
	u64 colc;
	u64 mprc;
	u64 ruc;
	u64 roc;
};

struct e1k_hw {
	u8 __iomem *hw_addr;
	u8 perm_addr[ETH_ALEN];	/* from the EEPROM, or random */
};

static inline u32 e1k_rd32(struct e1k_hw *hw, u32 reg)
{
	return readl(hw->hw_addr + reg);
}

static inline void e1k_wr32(struct e1k_hw *hw, u32 reg, u32 val)
{
	writel(val, hw->hw_addr + reg);
}

/* Force posted writes out to the device. */
static inline void e1k_flush(struct e1k_hw *hw)
{
	e1k_rd32(hw, E1K_STATUS);
}

void e1k_hw_quiesce(struct e1k_hw *hw);
void e1k_hw_reset(struct e1k_hw *hw);
int e1k_read_eeprom(struct e1k_hw *hw, u16 offset, u16 words, u16 *data);
int e1k_validate_eeprom_checksum(struct e1k_hw *hw);
int e1k_read_mac_addr(struct e1k_hw *hw);
int e1k_read_phy_reg(struct e1k_hw *hw, u32 reg, u16 *val);
void e1k_setup_link(struct e1k_hw *hw);
u8 __iomem *e1k_setup_ring(struct e1k_hw *hw, u32 base, dma_addr_t dma,
			   u32 len);
bool e1k_link_up(struct e1k_hw *hw, u32 *speed, bool *full_duplex);
void e1k_rar_set(struct e1k_hw *hw, const u8 *addr, unsigned int index);
void e1k_rar_clear(struct e1k_hw *hw, unsigned int index);
u32 e1k_mta_hash(const u8 *addr);
void e1k_mta_write(struct e1k_hw *hw, const u32 *mta);
void e1k_update_hw_stats(struct e1k_hw *hw, struct e1k_hw_stats *stats);

#endif /* _E1K_HW_H_ */
