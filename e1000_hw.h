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
#define E1K_CTRL_EXT	0x00018	/* Extended Device Control */
#define E1K_MDIC	0x00020	/* MDI Control */
#define E1K_FCAL	0x00028	/* Flow Control Address Low */
#define E1K_FCAH	0x0002C	/* Flow Control Address High */
#define E1K_FCT		0x00030	/* Flow Control Type */
#define E1K_VET		0x00038	/* VLAN Ether Type */
#define E1K_ICR		0x000C0	/* Interrupt Cause Read (clear on read) */
#define E1K_ITR		0x000C4	/* Interrupt Throttling Rate */
#define E1K_ICS		0x000C8	/* Interrupt Cause Set */
#define E1K_IMS		0x000D0	/* Interrupt Mask Set/Read */
#define E1K_IMC		0x000D8	/* Interrupt Mask Clear */
#define E1K_RCTL	0x00100	/* RX Control */
#define E1K_FCTTV	0x00170	/* Flow Control Transmit Timer Value */
#define E1K_TXCW	0x00178	/* TX Configuration Word */
#define E1K_RXCW	0x00180	/* RX Configuration Word */
#define E1K_TCTL	0x00400	/* TX Control */
#define E1K_TIPG	0x00410	/* TX Inter-packet Gap */
#define E1K_PBA		0x01000	/* Packet Buffer Allocation */
#define E1K_FCRTL	0x02160	/* Flow Control Receive Threshold Low */
#define E1K_FCRTH	0x02168	/* Flow Control Receive Threshold High */
#define E1K_RDBAL	0x02800	/* RX ring registers: see E1K_RING_* */
#define E1K_RDTR	0x02820	/* RX Delay Timer */
#define E1K_RADV	0x0282C	/* RX Interrupt Absolute Delay Timer */
#define E1K_RXCSUM	0x05000	/* RX Checksum Control */
#define E1K_TDBAL	0x03800	/* TX ring registers: see E1K_RING_* */
#define E1K_TIDV	0x03820	/* TX Interrupt Delay Value */
#define E1K_TADV	0x0382C	/* TX Interrupt Absolute Delay Value */
#define E1K_WUC		0x05800	/* Wakeup Control */
#define E1K_MANC	0x05820	/* Management Control */

/* The I/O BAR's window onto the registers: an offset, then its value. */
#define E1K_IOADDR	0x00
#define E1K_IODATA	0x04
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

/* Statistics registers: clear on read.  The octet counters are 64 bits in a
 * low/high pair; reading the high half clears both.
 */
#define E1K_CRCERRS	0x04000	/* CRC Error Count */
#define E1K_ALGNERRC	0x04004	/* Alignment Error Count */
#define E1K_SYMERRS	0x04008	/* Symbol Error Count */
#define E1K_RXERRC	0x0400C	/* Receive Error Count */
#define E1K_MPC		0x04010	/* Missed Packets Count */
#define E1K_SCC		0x04014	/* Single Collision Count */
#define E1K_ECOL	0x04018	/* Excessive Collision Count */
#define E1K_MCC		0x0401C	/* Multiple Collision Count */
#define E1K_LATECOL	0x04020	/* Late Collision Count */
#define E1K_COLC	0x04028	/* Collision Count */
#define E1K_DC		0x04030	/* Defer Count */
#define E1K_SEC		0x04038	/* Sequence Error Count */
#define E1K_RLEC	0x04040	/* Receive Length Error Count */
#define E1K_XONRXC	0x04048	/* XON Received Count */
#define E1K_XONTXC	0x0404C	/* XON Transmitted Count */
#define E1K_XOFFRXC	0x04050	/* XOFF Received Count */
#define E1K_XOFFTXC	0x04054	/* XOFF Transmitted Count */
#define E1K_FCRUC	0x04058	/* Flow Control Receive Unsupported Count */
#define E1K_PRC64	0x0405C	/* Packets Received (64 bytes) */
#define E1K_PRC127	0x04060	/* Packets Received (65-127 bytes) */
#define E1K_PRC255	0x04064	/* Packets Received (128-255 bytes) */
#define E1K_PRC511	0x04068	/* Packets Received (256-511 bytes) */
#define E1K_PRC1023	0x0406C	/* Packets Received (512-1023 bytes) */
#define E1K_PRC1522	0x04070	/* Packets Received (1024-1522 bytes) */
#define E1K_GPRC	0x04074	/* Good Packets Received Count */
#define E1K_BPRC	0x04078	/* Broadcast Packets Received Count */
#define E1K_MPRC	0x0407C	/* Multicast Packets Received Count */
#define E1K_GPTC	0x04080	/* Good Packets Transmitted Count */
#define E1K_GORCL	0x04088	/* Good Octets Received Count (pair) */
#define E1K_GOTCL	0x04090	/* Good Octets Transmitted Count (pair) */
#define E1K_RNBC	0x040A0	/* Receive No Buffers Count */
#define E1K_RUC		0x040A4	/* Receive Undersize Count */
#define E1K_RFC		0x040A8	/* Receive Fragment Count */
#define E1K_ROC		0x040AC	/* Receive Oversize Count */
#define E1K_RJC		0x040B0	/* Receive Jabber Count */
#define E1K_TORL	0x040C0	/* Total Octets Received (pair) */
#define E1K_TOTL	0x040C8	/* Total Octets Transmitted (pair) */
#define E1K_TPR		0x040D0	/* Total Packets Received */
#define E1K_TPT		0x040D4	/* Total Packets Transmitted */
#define E1K_PTC64	0x040D8	/* Packets Transmitted (64 bytes) */
#define E1K_PTC127	0x040DC	/* Packets Transmitted (65-127 bytes) */
#define E1K_PTC255	0x040E0	/* Packets Transmitted (128-255 bytes) */
#define E1K_PTC511	0x040E4	/* Packets Transmitted (256-511 bytes) */
#define E1K_PTC1023	0x040E8	/* Packets Transmitted (512-1023 bytes) */
#define E1K_PTC1522	0x040EC	/* Packets Transmitted (1024-1522 bytes) */
#define E1K_MPTC	0x040F0	/* Multicast Packets Transmitted Count */
#define E1K_BPTC	0x040F4	/* Broadcast Packets Transmitted Count */
#define E1K_TSCTC	0x040F8	/* TCP Segmentation Context Transmitted */
#define E1K_TSCTFC	0x040FC	/* TCP Segmentation Context Tx Fail */

#define E1K_MTA_ENTRIES		128	/* 4096-bit multicast hash table */
#define E1K_RAR_ENTRIES		16	/* exact unicast filters, 0 is ours */
#define E1K_VFTA_ENTRIES	128

/* CTRL */
#define E1K_CTRL_FD		BIT(0)	/* Full duplex */
#define E1K_CTRL_ASDE		BIT(5)	/* Auto-speed detection enable */
#define E1K_CTRL_SLU		BIT(6)	/* Set link up */
#define E1K_CTRL_ILOS		BIT(7)	/* Invert loss of signal */
#define E1K_CTRL_SPD_MASK	GENMASK(9, 8)	/* Forced speed */
#define E1K_CTRL_FRCSPD		BIT(11)	/* Force speed */
#define E1K_CTRL_FRCDPLX	BIT(12)	/* Force duplex */
#define E1K_CTRL_RST		BIT(26)	/* Global reset */
#define E1K_CTRL_RFCE		BIT(27)	/* Receive flow control enable */
#define E1K_CTRL_TFCE		BIT(28)	/* Transmit flow control enable */
#define E1K_CTRL_VME		BIT(30)	/* VLAN tag insert and strip */
#define E1K_CTRL_PHY_RST	BIT(31)	/* PHY reset */

/* Flow control: the 802.3x PAUSE address and type; FCRTL's XON enable */
#define E1K_FCAL_PAUSE		0x00C28001
#define E1K_FCAH_PAUSE		0x0100
#define E1K_FCT_PAUSE		0x8808
#define E1K_FC_PAUSE_TIME	0xFFFF
#define E1K_FCRTL_XONE		BIT(31)
#define E1K_FCRT_MASK		GENMASK(15, 3)	/* 8-byte granularity */

/* PBA: KiB of the 64 KiB packet buffer given to receive; transmit gets the
 * rest.  48 KiB, or 40 KiB when a frame exceeds 8 KiB, leaving transmit
 * more of the FIFO for jumbo frames (upstream's split).
 */
#define E1K_PBA_RX_48K		48
#define E1K_PBA_RX_40K		40
#define E1K_PBA_JUMBO_FRAME	8192

/* MANC, WUC */
#define E1K_MANC_ARP_EN		BIT(13)	/* firmware answers ARP itself */

/* STATUS */
#define E1K_STATUS_FD		BIT(0)	/* Full duplex */
#define E1K_STATUS_LU		BIT(1)	/* Link up */
#define E1K_STATUS_SPEED_MASK	GENMASK(7, 6)
#define E1K_STATUS_SPEED_10	0
#define E1K_STATUS_SPEED_100	1
#define E1K_STATUS_SPEED_1000	2
#define E1K_STATUS_PCIX_MODE	BIT(13)	/* the bus runs PCI-X */

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

/* The 82540EM's PHY, a Marvell 88E1011: its own registers */
#define E1K_M88_PSCR		0x10	/* PHY Specific Control */
#define E1K_M88_PSCR_POL_REV_DIS	BIT(1)	/* no polarity correction */
#define E1K_M88_PSCR_MDIX_MASK	GENMASK(6, 5)	/* crossover */
#define E1K_M88_PSCR_MDI	0	/* ... MDI, fixed */
#define E1K_M88_PSCR_MDIX_AUTO	3	/* ... automatic MDI/MDI-X */
#define E1K_M88_PSCR_CRS_ON_TX	BIT(11)	/* assert CRS on transmit */
#define E1K_M88_EPSCR		0x14	/* Extended PHY Specific Control */
#define E1K_M88_EPSCR_TX_CLK_MASK	GENMASK(6, 4)
#define E1K_M88_EPSCR_TX_CLK_25	7	/* 25 MHz TX_CLK */
#define E1K_M88_EPSCR_DOWNSHIFT_MASK	GENMASK(11, 8)
#define E1K_M88_EPSCR_DOWNSHIFT_1X	0x0100	/* master 1x, slave 1x */
#define E1K_M88_TEST_ADDR	29	/* undocumented test registers */
#define E1K_M88_TEST_DATA	30
#define E1K_M88_REV_MASK	GENMASK(3, 0)	/* of MII_PHYSID2 */
#define E1K_M88_REV_4		4	/* earlier ones need TX_CLK set */

/* Interrupt causes (ICR, ICS, IMS, IMC share the layout) */
#define E1K_ICR_TXDW		BIT(0)	/* TX descriptor written back */
#define E1K_ICR_TXQE		BIT(1)	/* TX queue empty */
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
#define E1K_RCTL_CFIEN		BIT(19)	/* Canonical form indicator enable */
#define E1K_RCTL_SECRC		BIT(26)	/* Strip Ethernet CRC */

/* TCTL */
#define E1K_TCTL_EN		BIT(1)	/* Enable */
#define E1K_TCTL_PSP		BIT(3)	/* Pad short packets */
#define E1K_TCTL_CT_SHIFT	4	/* Collision threshold */
#define E1K_TCTL_COLD_SHIFT	12	/* Collision distance */
#define E1K_TCTL_RTLC		BIT(24)	/* Retransmit on late collision */
#define E1K_COLLISION_THRESHOLD	15
#define E1K_COLLISION_DISTANCE	63
#define E1K_TCTL_DEFAULT \
	(E1K_TCTL_PSP | E1K_TCTL_RTLC | \
	 (E1K_COLLISION_THRESHOLD << E1K_TCTL_CT_SHIFT) | \
	 (E1K_COLLISION_DISTANCE << E1K_TCTL_COLD_SHIFT))

/* TIPG for the copper 82540EM (IPGT, IPGR1, IPGR2) */
#define E1K_TIPG_DEFAULT	(8 | (8 << 10) | (6 << 20))

/* EEPROM layout */
#define E1K_EEPROM_MAC_ADDR	0x00	/* words 0-2 */
#define E1K_EEPROM_CHECKSUM_REG	0x3F	/* last word of the checksummed area */
#define E1K_EEPROM_SUM		0xBABA
#define E1K_EEPROM_WORDS	64	/* the 82540EM's 93C46 */

/* Transmit descriptors.  The driver writes only the extended formats: a
 * data descriptor per buffer, preceded by a context descriptor when the
 * device must checksum or segment the frame.
 *
 * Data descriptor: lower = length (19:0), DTYP (23:20), DCMD (31:24);
 * upper = status (7:0), POPTS (15:8), VLAN tag (31:16).
 */
struct e1k_tx_desc {
	__le64 buffer_addr;
	__le32 lower;
	__le32 upper;
};

static_assert(sizeof(struct e1k_tx_desc) == 16);

#define E1K_TXD_LEN_MASK	GENMASK(19, 0)
#define E1K_TXD_DTYP_D		BIT(20)	/* data, with DEXT; 0 = context */
#define E1K_TXD_CMD_EOP		BIT(24)	/* End of packet */
#define E1K_TXD_CMD_IFCS	BIT(25)	/* Insert FCS */
#define E1K_TXD_CMD_TSE		BIT(26)	/* TCP segmentation enable */
#define E1K_TXD_CMD_RS		BIT(27)	/* Report status (set DD) */
#define E1K_TXD_CMD_DEXT	BIT(29)	/* Extended descriptor */
#define E1K_TXD_CMD_VLE		BIT(30)	/* Insert the VLAN tag */
#define E1K_TXD_STAT_DD		BIT(0)	/* upper: descriptor done */
#define E1K_TXD_POPTS_IXSM	BIT(8)	/* upper: insert IPv4 checksum */
#define E1K_TXD_POPTS_TXSM	BIT(9)	/* upper: insert TCP/UDP checksum */
#define E1K_TXD_VLAN_SHIFT	16

/* Context descriptor: where the IP and TCP/UDP checksums start, are stored
 * and end (0 = to the end of the frame), and for segmentation the header
 * length and MSS.  The device keeps one context until the next one.
 */
struct e1k_tx_context_desc {
	u8 ipcss;
	u8 ipcso;
	__le16 ipcse;
	u8 tucss;
	u8 tucso;
	__le16 tucse;
	__le32 cmd_and_length;	/* payload length (19:0), TUCMD */
	u8 status;
	u8 hdr_len;
	__le16 mss;
};

static_assert(sizeof(struct e1k_tx_context_desc) == 16);

#define E1K_TXD_TUCMD_TCP	BIT(24)	/* the L4 header is TCP */
#define E1K_TXD_TUCMD_IP	BIT(25)	/* the L3 header is IPv4 */

/* Upstream's limit for one data descriptor's buffer on the 8254x. */
#define E1K_MAX_PER_TXD		4096

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
#define E1K_RXD_STAT_VP		BIT(3)	/* VLAN tag stripped into special */
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
enum e1k_hw_stat {
	E1K_STAT_GPRC, E1K_STAT_GPTC, E1K_STAT_GORC, E1K_STAT_GOTC,
	E1K_STAT_BPRC, E1K_STAT_MPRC, E1K_STAT_BPTC, E1K_STAT_MPTC,
	E1K_STAT_TPR, E1K_STAT_TPT, E1K_STAT_TOR, E1K_STAT_TOT,
	E1K_STAT_MPC, E1K_STAT_RNBC, E1K_STAT_RUC, E1K_STAT_RFC,
	E1K_STAT_ROC, E1K_STAT_RJC, E1K_STAT_RLEC, E1K_STAT_CRCERRS,
	E1K_STAT_ALGNERRC, E1K_STAT_SYMERRS, E1K_STAT_RXERRC, E1K_STAT_SEC,
	E1K_STAT_SCC, E1K_STAT_MCC, E1K_STAT_ECOL, E1K_STAT_LATECOL,
	E1K_STAT_COLC, E1K_STAT_DC, E1K_STAT_XONRXC, E1K_STAT_XONTXC,
	E1K_STAT_XOFFRXC, E1K_STAT_XOFFTXC, E1K_STAT_FCRUC, E1K_STAT_TSCTC,
	E1K_STAT_TSCTFC,
	/* the frame size histograms: 64, 65-127, ..., 1024-1522 bytes */
	E1K_STAT_PRC64, E1K_STAT_PRC127, E1K_STAT_PRC255, E1K_STAT_PRC511,
	E1K_STAT_PRC1023, E1K_STAT_PRC1522,
	E1K_STAT_PTC64, E1K_STAT_PTC127, E1K_STAT_PTC255, E1K_STAT_PTC511,
	E1K_STAT_PTC1023, E1K_STAT_PTC1522,
	E1K_HW_STATS
};

struct e1k_hw_stats {
	u64 stat[E1K_HW_STATS];
};

/* The link as it is to be: every link setup (probe, open, reset, resume,
 * ethtool) programs the PHY and the MAC from this, pause advertisement
 * included.
 */
struct e1k_link_config {
	bool autoneg;
	u16 advertise;		/* MII_ADVERTISE 10/100 modes, pause aside */
	u16 ctrl1000;		/* MII_CTRL1000 1000BASE-T modes */
	u16 forced_speed;	/* 10 or 100 Mb/s, without autoneg */
	bool forced_full_duplex;
	/* flow control: resolved from both ends' pause bits, or forced */
	bool fc_autoneg;
	bool fc_rx;
	bool fc_tx;
	bool loopback;		/* PHY loopback instead (NETIF_F_LOOPBACK) */
};

struct e1k_hw {
	u8 __iomem *hw_addr;
	u8 __iomem *io_addr;	/* the I/O BAR, for the reset; may be NULL */
	struct e1k_link_config link;
	/* PBA, and FCRTH and FCRTL: from the largest frame (e1k_setup_pba) */
	u32 pba;
	u32 fc_high_water;
	u32 fc_low_water;
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
int e1k_write_phy_reg(struct e1k_hw *hw, u32 reg, u16 val);
int e1k_update_phy_reg(struct e1k_hw *hw, u32 reg, u16 clear, u16 set);
void e1k_init_link_config(struct e1k_hw *hw);
void e1k_setup_pba(struct e1k_hw *hw, unsigned int max_frame);
u16 e1k_pause_advertisement(const struct e1k_hw *hw);
int e1k_setup_link(struct e1k_hw *hw);
void e1k_phy_loopback_off(struct e1k_hw *hw);
int e1k_phy_restart_autoneg(struct e1k_hw *hw);
int e1k_phy_loopback(struct e1k_hw *hw);
void e1k_config_fc(struct e1k_hw *hw);
u8 __iomem *e1k_setup_ring(struct e1k_hw *hw, u32 base, dma_addr_t dma,
			   u32 len);
bool e1k_link_up(struct e1k_hw *hw, u32 *speed, bool *full_duplex);
void e1k_rar_set(struct e1k_hw *hw, const u8 *addr, unsigned int index);
void e1k_rar_clear(struct e1k_hw *hw, unsigned int index);
u32 e1k_mta_hash(const u8 *addr);
void e1k_mta_write(struct e1k_hw *hw, const u32 *mta);
void e1k_update_hw_stats(struct e1k_hw *hw, struct e1k_hw_stats *stats);
extern const u32 e1k_dump_regs[];
extern const unsigned int e1k_dump_regs_count;

#endif /* _E1K_HW_H_ */
