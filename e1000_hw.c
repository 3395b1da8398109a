// SPDX-License-Identifier: GPL-2.0
/*
 * e1k: Intel 82540EM hardware layer - MAC, EEPROM and PHY access.
 *
 * Every function here may sleep unless its comment says otherwise, and none
 * of them knows about the network stack.
 */
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/ethtool.h>
#include <linux/etherdevice.h>
#include <linux/iopoll.h>
#include <linux/mii.h>

#include "e1000_hw.h"

/* An EEPROM word read takes a few microseconds on hardware. */
#define E1K_EERD_POLL_US	5
#define E1K_EERD_TIMEOUT_US	10000
/* An MDIO frame is 64 bits at 2.5 MHz: ~26 us. */
#define E1K_MDIC_POLL_US	10
#define E1K_MDIC_TIMEOUT_US	2000

/**
 * e1k_hw_quiesce - stop all DMA and interrupts from the device
 * @hw: the device
 *
 * Masks every interrupt cause, clears RCTL.EN and TCTL.EN and waits for a
 * frame in flight to land.  A global reset is not enough for this: QEMU
 * ignores CTRL.RST, so the enables are cleared explicitly.  Pending causes
 * are cleared last so a shared interrupt line is left deasserted.
 */
void e1k_hw_quiesce(struct e1k_hw *hw)
{
	e1k_wr32(hw, E1K_IMC, ~0U);
	e1k_wr32(hw, E1K_RCTL, e1k_rd32(hw, E1K_RCTL) & ~E1K_RCTL_EN);
	e1k_wr32(hw, E1K_TCTL, e1k_rd32(hw, E1K_TCTL) & ~E1K_TCTL_EN);
	e1k_flush(hw);
	usleep_range(10000, 12000);
	e1k_rd32(hw, E1K_ICR);
}

/* A register write through the I/O BAR's address/data window. */
static void e1k_io_wr32(struct e1k_hw *hw, u32 reg, u32 val)
{
	iowrite32(reg, hw->io_addr + E1K_IOADDR);
	iowrite32(val, hw->io_addr + E1K_IODATA);
}

/**
 * e1k_hw_reset - put the MAC in a known state
 * @hw: the device
 *
 * Quiesces the device, issues a global reset for real silicon (which then
 * reloads its defaults from the EEPROM) and quiesces again, since the reset
 * may be a no-op (QEMU) or may leave causes pending.  The 82540 cannot
 * complete the memory write that sets CTRL.RST (the reset cuts off its
 * acknowledgment), so the write goes through the I/O BAR when there is
 * one.  Afterwards the management firmware no longer answers ARP on the
 * host's behalf, and no wake-up event is armed.
 */
void e1k_hw_reset(struct e1k_hw *hw)
{
	u32 ctrl;

	e1k_hw_quiesce(hw);
	/* the packet buffer split takes effect at the reset */
	if (hw->pba)
		e1k_wr32(hw, E1K_PBA, hw->pba);
	ctrl = e1k_rd32(hw, E1K_CTRL) | E1K_CTRL_RST;
	if (hw->io_addr)
		e1k_io_wr32(hw, E1K_CTRL, ctrl);
	else
		e1k_wr32(hw, E1K_CTRL, ctrl);
	/* The 82540EM needs ~3 ms after reset before it may be accessed. */
	usleep_range(5000, 6000);
	e1k_hw_quiesce(hw);
	e1k_wr32(hw, E1K_MANC, e1k_rd32(hw, E1K_MANC) & ~E1K_MANC_ARP_EN);
	e1k_wr32(hw, E1K_WUC, 0);
}

/**
 * e1k_setup_pba - size the packet buffer split and the flow control marks
 * @hw: the device; the split is written by the next e1k_hw_reset()
 * @max_frame: the largest frame received, FCS and VLAN tag included
 *
 * XOFF goes out once the receive buffer holds less than one more largest
 * frame, or is 90 % full, whichever comes first; XON 8 bytes below that.
 * Does not touch the device.
 */
void e1k_setup_pba(struct e1k_hw *hw, unsigned int max_frame)
{
	u32 pba = max_frame > E1K_PBA_JUMBO_FRAME ? E1K_PBA_RX_40K :
						    E1K_PBA_RX_48K;
	u32 rx_bytes = pba * 1024;

	hw->pba = pba;
	hw->fc_high_water = min(rx_bytes * 9 / 10, rx_bytes - max_frame) &
			    E1K_FCRT_MASK;
	hw->fc_low_water = hw->fc_high_water - 8;
}

/**
 * e1k_read_eeprom - read words from the EEPROM through EERD
 * @hw: the device
 * @offset: first word
 * @words: number of words
 * @data: where the words go
 *
 * Return: 0, or -ETIMEDOUT if the device never reported a read done.
 */
int e1k_read_eeprom(struct e1k_hw *hw, u16 offset, u16 words, u16 *data)
{
	u32 eerd;
	u16 i;
	int err;

	for (i = 0; i < words; i++) {
		e1k_wr32(hw, E1K_EERD,
			 ((u32)(offset + i) << E1K_EERD_ADDR_SHIFT) |
			 E1K_EERD_START);
		err = readl_poll_timeout(hw->hw_addr + E1K_EERD, eerd,
					 eerd & E1K_EERD_DONE,
					 E1K_EERD_POLL_US,
					 E1K_EERD_TIMEOUT_US);
		if (err)
			return err;
		data[i] = eerd >> E1K_EERD_DATA_SHIFT;
	}
	return 0;
}

/**
 * e1k_validate_eeprom_checksum - check the EEPROM's own checksum
 * @hw: the device
 *
 * Words 0x00 to 0x3F, checksum word included, must add up to 0xBABA.
 *
 * Return: 0 if they do, -EIO if not, or the read's error.
 */
int e1k_validate_eeprom_checksum(struct e1k_hw *hw)
{
	u16 words[E1K_EEPROM_CHECKSUM_REG + 1];
	u16 sum = 0;
	int err, i;

	err = e1k_read_eeprom(hw, 0, ARRAY_SIZE(words), words);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(words); i++)
		sum += words[i];
	return sum == E1K_EEPROM_SUM ? 0 : -EIO;
}

/**
 * e1k_read_mac_addr - read the permanent address from the EEPROM
 * @hw: the device; the address goes to @hw->perm_addr
 *
 * Return: 0, -EADDRNOTAVAIL if the EEPROM holds no valid unicast address,
 * or the read's error.
 */
int e1k_read_mac_addr(struct e1k_hw *hw)
{
	u16 words[ETH_ALEN / 2];
	int err, i;

	err = e1k_read_eeprom(hw, E1K_EEPROM_MAC_ADDR, ARRAY_SIZE(words),
			      words);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		hw->perm_addr[2 * i] = words[i] & 0xff;
		hw->perm_addr[2 * i + 1] = words[i] >> 8;
	}
	return is_valid_ether_addr(hw->perm_addr) ? 0 : -EADDRNOTAVAIL;
}

/* One MDIO transaction with the internal PHY; returns the MDIC value. */
static int e1k_mdic(struct e1k_hw *hw, u32 cmd, u32 *mdic)
{
	int err;

	e1k_wr32(hw, E1K_MDIC, cmd | (E1K_PHY_ADDR << E1K_MDIC_PHY_SHIFT));
	err = readl_poll_timeout(hw->hw_addr + E1K_MDIC, *mdic,
				 *mdic & E1K_MDIC_READY, E1K_MDIC_POLL_US,
				 E1K_MDIC_TIMEOUT_US);
	if (err)
		return err;
	return *mdic & E1K_MDIC_ERROR ? -EIO : 0;
}

/**
 * e1k_read_phy_reg - read a register of the internal PHY through MDIC
 * @hw: the device
 * @reg: PHY register number (0-31)
 * @val: the value read
 *
 * Return: 0, -ETIMEDOUT, or -EIO if the PHY did not answer.
 */
int e1k_read_phy_reg(struct e1k_hw *hw, u32 reg, u16 *val)
{
	u32 mdic;
	int err;

	err = e1k_mdic(hw, (reg << E1K_MDIC_REG_SHIFT) | E1K_MDIC_OP_READ,
		       &mdic);
	if (!err)
		*val = mdic & E1K_MDIC_DATA_MASK;
	return err;
}

/**
 * e1k_write_phy_reg - write a register of the internal PHY through MDIC
 * @hw: the device
 * @reg: PHY register number (0-31)
 * @val: the value to write
 *
 * Return: 0, -ETIMEDOUT, or -EIO if the PHY did not answer.
 */
int e1k_write_phy_reg(struct e1k_hw *hw, u32 reg, u16 val)
{
	u32 mdic;

	return e1k_mdic(hw, (reg << E1K_MDIC_REG_SHIFT) | E1K_MDIC_OP_WRITE |
			val, &mdic);
}

/**
 * e1k_update_phy_reg - read-modify-write a register of the internal PHY
 * @hw: the device
 * @reg: PHY register number (0-31)
 * @clear: bits to clear
 * @set: bits to set, after @clear
 *
 * Return: 0, or the MDIC error of the read or the write.
 */
int e1k_update_phy_reg(struct e1k_hw *hw, u32 reg, u16 clear, u16 set)
{
	u16 val;
	int err;

	err = e1k_read_phy_reg(hw, reg, &val);
	if (err)
		return err;
	return e1k_write_phy_reg(hw, reg, (val & ~clear) | set);
}

/**
 * e1k_init_link_config - the link a device starts with
 * @hw: the device
 *
 * Autonegotiation of every mode but 1000BASE-T half duplex (which the
 * 82540EM does not do), and symmetric pause.
 */
void e1k_init_link_config(struct e1k_hw *hw)
{
	hw->link = (struct e1k_link_config) {
		.autoneg = true,
		.advertise = ADVERTISE_10HALF | ADVERTISE_10FULL |
			     ADVERTISE_100HALF | ADVERTISE_100FULL,
		.ctrl1000 = ADVERTISE_1000FULL,
		.forced_speed = SPEED_100,
		.forced_full_duplex = true,
		.fc_autoneg = true,
		.fc_rx = true,
		.fc_tx = true,
	};
}

/**
 * e1k_pause_advertisement - MII_ADVERTISE's pause bits for the settings
 * @hw: the device
 *
 * Return: ADVERTISE_PAUSE_CAP and ADVERTISE_PAUSE_ASYM as 802.3 Annex 28B
 * encodes the flow control asked for.
 */
u16 e1k_pause_advertisement(const struct e1k_hw *hw)
{
	u8 cap = 0;

	if (hw->link.fc_rx)
		cap |= FLOW_CTRL_RX;
	if (hw->link.fc_tx)
		cap |= FLOW_CTRL_TX;
	return mii_advertise_flowctrl(cap);
}

/**
 * e1k_phy_restart_autoneg - (re)start autonegotiation in the PHY
 * @hw: the device
 *
 * The link goes down until the new negotiation completes.
 *
 * Return: 0 or the MDIC error.
 */
int e1k_phy_restart_autoneg(struct e1k_hw *hw)
{
	return e1k_update_phy_reg(hw, MII_BMCR,
				  BMCR_ISOLATE | BMCR_PDOWN | BMCR_LOOPBACK,
				  BMCR_ANENABLE | BMCR_ANRESTART);
}

/* A PHY software reset; the PHY clears BMCR_RESET when it is done. */
static int e1k_phy_reset(struct e1k_hw *hw, u16 bmcr)
{
	int err, tries;

	err = e1k_write_phy_reg(hw, MII_BMCR, bmcr | BMCR_RESET);
	for (tries = 0; !err && tries < 50; tries++) {
		err = e1k_read_phy_reg(hw, MII_BMCR, &bmcr);
		if (!err && !(bmcr & BMCR_RESET))
			return 0;
		usleep_range(1000, 2000);
	}
	return err ?: -ETIMEDOUT;
}

/* The M88 PHY's own settings, taking effect at its next reset: CRS
 * asserted on transmit too (half duplex needs it), polarity correction,
 * and automatic MDI/MDI-X crossover, which the M88 supports only while
 * negotiating (a forced speed needs a fixed MDI).  Revisions before 4
 * also need their TX clock set to 25 MHz, and downshift after one failed
 * gigabit attempt, as master or slave.
 */
static int e1k_m88_setup(struct e1k_hw *hw)
{
	u16 mdix = hw->link.autoneg ? E1K_M88_PSCR_MDIX_AUTO : E1K_M88_PSCR_MDI;
	u16 id2;
	int err;

	err = e1k_update_phy_reg(hw, E1K_M88_PSCR,
				 E1K_M88_PSCR_POL_REV_DIS |
				 E1K_M88_PSCR_MDIX_MASK,
				 E1K_M88_PSCR_CRS_ON_TX |
				 FIELD_PREP(E1K_M88_PSCR_MDIX_MASK, mdix)) ?:
	      e1k_read_phy_reg(hw, MII_PHYSID2, &id2);
	if (err || FIELD_GET(E1K_M88_REV_MASK, id2) >= E1K_M88_REV_4)
		return err;
	return e1k_update_phy_reg(hw, E1K_M88_EPSCR,
				  E1K_M88_EPSCR_TX_CLK_MASK |
				  E1K_M88_EPSCR_DOWNSHIFT_MASK,
				  E1K_M88_EPSCR_DOWNSHIFT_1X |
				  FIELD_PREP(E1K_M88_EPSCR_TX_CLK_MASK,
					     E1K_M88_EPSCR_TX_CLK_25));
}

/**
 * e1k_phy_loopback - loop what the MAC sends back to it in the PHY
 * @hw: the device
 *
 * The PHY is forced to 1000 Mb/s full duplex, without negotiation and
 * with a fixed MDI (the M88 needs its crossover settled by a reset
 * first), and the MAC forced to match, ignoring the loss of signal that
 * a PHY in loopback reports.  e1k_setup_link() undoes it all, unless
 * hw->link.loopback keeps the loop.
 *
 * Return: 0 or the MDIC error.
 */
int e1k_phy_loopback(struct e1k_hw *hw)
{
	u32 ctrl;
	int err;

	err = e1k_update_phy_reg(hw, E1K_M88_PSCR, E1K_M88_PSCR_MDIX_MASK,
				 FIELD_PREP(E1K_M88_PSCR_MDIX_MASK,
					    E1K_M88_PSCR_MDI)) ?:
	      e1k_phy_reset(hw, BMCR_SPEED1000 | BMCR_FULLDPLX) ?:
	      e1k_write_phy_reg(hw, MII_BMCR, BMCR_LOOPBACK | BMCR_SPEED1000 |
				BMCR_FULLDPLX);
	if (err)
		return err;
	/* The M88's receiver off, through its undocumented test registers
	 * (as upstream e1000 does), so that a link partner plugged in cannot
	 * start a negotiation meanwhile.  Best effort: not every model of
	 * the PHY has them (QEMU's answers with an MDIC error).
	 */
	e1k_write_phy_reg(hw, E1K_M88_TEST_ADDR, 0x001F);
	e1k_write_phy_reg(hw, E1K_M88_TEST_DATA, 0x8FFC);
	e1k_write_phy_reg(hw, E1K_M88_TEST_ADDR, 0x001A);
	e1k_write_phy_reg(hw, E1K_M88_TEST_DATA, 0x8FF0);

	ctrl = e1k_rd32(hw, E1K_CTRL);
	ctrl &= ~(E1K_CTRL_ASDE | E1K_CTRL_SPD_MASK);
	ctrl |= E1K_CTRL_SLU | E1K_CTRL_FRCSPD | E1K_CTRL_FRCDPLX |
		FIELD_PREP(E1K_CTRL_SPD_MASK, E1K_STATUS_SPEED_1000) |
		E1K_CTRL_FD | E1K_CTRL_ILOS;
	e1k_wr32(hw, E1K_CTRL, ctrl);
	e1k_flush(hw);
	return 0;
}

/**
 * e1k_setup_link - program the PHY and the MAC from @hw->link
 * @hw: the device
 *
 * With autonegotiation, the MAC follows the speed and duplex the PHY
 * resolves; the PHY advertises the configured modes and pause bits and
 * negotiates anew.  Otherwise both are forced to the configured 10 or
 * 100 Mb/s.  The PHY is reset either way, as its own settings require.
 * The link goes down until it is established again.  CTRL.ILOS, which
 * loopback sets to see a link, is cleared: a copper PHY's link signal is
 * not inverted.  With @hw->link.loopback (NETIF_F_LOOPBACK) the PHY loops
 * instead, and the other settings wait until it is turned off.
 *
 * Return: 0 or the MDIC error.
 */
int e1k_setup_link(struct e1k_hw *hw)
{
	const struct e1k_link_config *cfg = &hw->link;
	u32 ctrl = e1k_rd32(hw, E1K_CTRL);
	u16 bmcr = 0;
	int err;

	if (cfg->loopback)
		return e1k_phy_loopback(hw);
	ctrl &= ~(E1K_CTRL_ASDE | E1K_CTRL_FRCSPD | E1K_CTRL_FRCDPLX |
		  E1K_CTRL_SPD_MASK | E1K_CTRL_FD | E1K_CTRL_PHY_RST |
		  E1K_CTRL_ILOS);
	ctrl |= E1K_CTRL_SLU;
	if (cfg->autoneg) {
		ctrl |= E1K_CTRL_ASDE;
		bmcr = BMCR_ANENABLE;
	} else {
		ctrl |= E1K_CTRL_FRCSPD | E1K_CTRL_FRCDPLX;
		if (cfg->forced_speed == SPEED_100) {
			ctrl |= FIELD_PREP(E1K_CTRL_SPD_MASK,
					   E1K_STATUS_SPEED_100);
			bmcr |= BMCR_SPEED100;
		}
		if (cfg->forced_full_duplex) {
			ctrl |= E1K_CTRL_FD;
			bmcr |= BMCR_FULLDPLX;
		}
	}
	e1k_wr32(hw, E1K_CTRL, ctrl);
	e1k_flush(hw);

	err = e1k_m88_setup(hw) ?: e1k_phy_reset(hw, bmcr);
	/* after a reset with a forced speed the M88 reverts its own
	 * settings (TX clock, CRS on transmit): they are written again
	 */
	if (err || !cfg->autoneg)
		return err ?: e1k_m88_setup(hw);
	return e1k_write_phy_reg(hw, MII_ADVERTISE,
				 ADVERTISE_CSMA | cfg->advertise |
				 e1k_pause_advertisement(hw)) ?:
	       e1k_write_phy_reg(hw, MII_CTRL1000, cfg->ctrl1000) ?:
	       e1k_phy_restart_autoneg(hw);
}

/**
 * e1k_phy_loopback_off - take the PHY out of a loopback left on
 * @hw: the device, quiesced, for good (remove, shutdown)
 *
 * NETIF_F_LOOPBACK lives in the PHY, which a MAC reset leaves alone: the
 * driver bound next, or the firmware after a reboot, would find it looping
 * with its receiver off.  A device gone from the bus fails the MDIC
 * accesses at once.
 */
void e1k_phy_loopback_off(struct e1k_hw *hw)
{
	if (!hw->link.loopback)
		return;
	hw->link.loopback = false;
	e1k_setup_link(hw);
}

/**
 * e1k_config_fc - program flow control for the link now up
 * @hw: the device
 *
 * With pause autonegotiation, the result is resolved from both ends'
 * advertisements (IEEE 802.3 Annex 28B); otherwise the forced setting
 * applies, in full duplex only.  XOFF and XON go out at the marks
 * e1k_setup_pba() set, and only when sending pause frames.
 */
void e1k_config_fc(struct e1k_hw *hw)
{
	bool rx = hw->link.fc_rx, tx = hw->link.fc_tx;
	u16 bmcr, lcl, rmt;
	u32 ctrl;

	/* PAUSE frames exist in full duplex only */
	if (!(e1k_rd32(hw, E1K_STATUS) & E1K_STATUS_FD)) {
		rx = false;
		tx = false;
	} else if (hw->link.fc_autoneg &&
	    !e1k_read_phy_reg(hw, MII_BMCR, &bmcr) && (bmcr & BMCR_ANENABLE) &&
	    !e1k_read_phy_reg(hw, MII_ADVERTISE, &lcl) &&
	    !e1k_read_phy_reg(hw, MII_LPA, &rmt)) {
		u8 fc = mii_resolve_flowctrl_fdx(lcl, rmt);

		rx = fc & FLOW_CTRL_RX;
		tx = fc & FLOW_CTRL_TX;
	}

	ctrl = e1k_rd32(hw, E1K_CTRL) & ~(E1K_CTRL_RFCE | E1K_CTRL_TFCE);
	if (rx)
		ctrl |= E1K_CTRL_RFCE;
	if (tx)
		ctrl |= E1K_CTRL_TFCE;
	e1k_wr32(hw, E1K_CTRL, ctrl);
	e1k_wr32(hw, E1K_FCRTL, tx ? E1K_FCRTL_XONE | hw->fc_low_water : 0);
	e1k_wr32(hw, E1K_FCRTH, tx ? hw->fc_high_water : 0);
}

/**
 * e1k_setup_ring - point a descriptor ring's registers at memory; no sleep
 * @hw: the device
 * @base: E1K_TDBAL or E1K_RDBAL
 * @dma: bus address of the descriptors
 * @len: bytes of descriptors, a multiple of 128
 *
 * Head and tail start at 0: the ring is empty.
 *
 * Return: the tail register, the ring's doorbell.
 */
u8 __iomem *e1k_setup_ring(struct e1k_hw *hw, u32 base, dma_addr_t dma,
			   u32 len)
{
	e1k_wr32(hw, base + E1K_RING_BAL, lower_32_bits(dma));
	e1k_wr32(hw, base + E1K_RING_BAH, upper_32_bits(dma));
	e1k_wr32(hw, base + E1K_RING_LEN, len);
	e1k_wr32(hw, base + E1K_RING_HEAD, 0);
	e1k_wr32(hw, base + E1K_RING_TAIL, 0);
	return hw->hw_addr + base + E1K_RING_TAIL;
}

/**
 * e1k_link_up - read the link state the MAC sees; does not sleep
 * @hw: the device
 * @speed: in Mb/s, set when the link is up
 * @full_duplex: set when the link is up
 *
 * Return: true if the link is up.
 */
bool e1k_link_up(struct e1k_hw *hw, u32 *speed, bool *full_duplex)
{
	u32 status = e1k_rd32(hw, E1K_STATUS);

	if (!(status & E1K_STATUS_LU))
		return false;
	switch (FIELD_GET(E1K_STATUS_SPEED_MASK, status)) {
	case E1K_STATUS_SPEED_10:
		*speed = 10;
		break;
	case E1K_STATUS_SPEED_100:
		*speed = 100;
		break;
	default:
		*speed = 1000;
		break;
	}
	*full_duplex = status & E1K_STATUS_FD;
	return true;
}

/**
 * e1k_rar_set - program an exact-match receive address; does not sleep
 * @hw: the device
 * @addr: the unicast address
 * @index: receive address register, 0 being the device's own address
 */
void e1k_rar_set(struct e1k_hw *hw, const u8 *addr, unsigned int index)
{
	u32 ral = addr[0] | (addr[1] << 8) | (addr[2] << 16) |
		  ((u32)addr[3] << 24);
	u32 rah = addr[4] | (addr[5] << 8) | E1K_RAH_AV;

	/* Invalidate the entry first so no half-written address matches. */
	e1k_wr32(hw, E1K_RAH(index), 0);
	e1k_wr32(hw, E1K_RAL(index), ral);
	e1k_wr32(hw, E1K_RAH(index), rah);
	e1k_flush(hw);
}

/**
 * e1k_rar_clear - disable an exact-match receive address; does not sleep
 * @hw: the device
 * @index: receive address register
 */
void e1k_rar_clear(struct e1k_hw *hw, unsigned int index)
{
	e1k_wr32(hw, E1K_RAH(index), 0);
	e1k_wr32(hw, E1K_RAL(index), 0);
}

/**
 * e1k_mta_hash - bit of the multicast table an address selects
 * @addr: multicast address
 *
 * With RCTL.MO = 0 the hash is bits 47:36 of the address.
 *
 * Return: a bit number from 0 to 4095.
 */
u32 e1k_mta_hash(const u8 *addr)
{
	return ((addr[4] >> 4) | ((u32)addr[5] << 4)) & 0xfff;
}

/**
 * e1k_mta_write - load the whole multicast hash table; does not sleep
 * @hw: the device
 * @mta: E1K_MTA_ENTRIES words
 */
void e1k_mta_write(struct e1k_hw *hw, const u32 *mta)
{
	int i;

	for (i = 0; i < E1K_MTA_ENTRIES; i++)
		e1k_wr32(hw, E1K_MTA(i), mta[i]);
	e1k_flush(hw);
}

/* Where each counter of enum e1k_hw_stat lives; pairs are marked. */
static const struct {
	u16 reg;
	bool pair;	/* 64 bits: low, then high (which clears both) */
} e1k_stat_regs[E1K_HW_STATS] = {
	[E1K_STAT_GPRC]		= { E1K_GPRC },
	[E1K_STAT_GPTC]		= { E1K_GPTC },
	[E1K_STAT_GORC]		= { E1K_GORCL, true },
	[E1K_STAT_GOTC]		= { E1K_GOTCL, true },
	[E1K_STAT_BPRC]		= { E1K_BPRC },
	[E1K_STAT_MPRC]		= { E1K_MPRC },
	[E1K_STAT_BPTC]		= { E1K_BPTC },
	[E1K_STAT_MPTC]		= { E1K_MPTC },
	[E1K_STAT_TPR]		= { E1K_TPR },
	[E1K_STAT_TPT]		= { E1K_TPT },
	[E1K_STAT_TOR]		= { E1K_TORL, true },
	[E1K_STAT_TOT]		= { E1K_TOTL, true },
	[E1K_STAT_MPC]		= { E1K_MPC },
	[E1K_STAT_RNBC]		= { E1K_RNBC },
	[E1K_STAT_RUC]		= { E1K_RUC },
	[E1K_STAT_RFC]		= { E1K_RFC },
	[E1K_STAT_ROC]		= { E1K_ROC },
	[E1K_STAT_RJC]		= { E1K_RJC },
	[E1K_STAT_RLEC]		= { E1K_RLEC },
	[E1K_STAT_CRCERRS]	= { E1K_CRCERRS },
	[E1K_STAT_ALGNERRC]	= { E1K_ALGNERRC },
	[E1K_STAT_SYMERRS]	= { E1K_SYMERRS },
	[E1K_STAT_RXERRC]	= { E1K_RXERRC },
	[E1K_STAT_SEC]		= { E1K_SEC },
	[E1K_STAT_SCC]		= { E1K_SCC },
	[E1K_STAT_MCC]		= { E1K_MCC },
	[E1K_STAT_ECOL]		= { E1K_ECOL },
	[E1K_STAT_LATECOL]	= { E1K_LATECOL },
	[E1K_STAT_COLC]		= { E1K_COLC },
	[E1K_STAT_DC]		= { E1K_DC },
	[E1K_STAT_XONRXC]	= { E1K_XONRXC },
	[E1K_STAT_XONTXC]	= { E1K_XONTXC },
	[E1K_STAT_XOFFRXC]	= { E1K_XOFFRXC },
	[E1K_STAT_XOFFTXC]	= { E1K_XOFFTXC },
	[E1K_STAT_FCRUC]	= { E1K_FCRUC },
	[E1K_STAT_TSCTC]	= { E1K_TSCTC },
	[E1K_STAT_TSCTFC]	= { E1K_TSCTFC },
	[E1K_STAT_PRC64]	= { E1K_PRC64 },
	[E1K_STAT_PRC127]	= { E1K_PRC127 },
	[E1K_STAT_PRC255]	= { E1K_PRC255 },
	[E1K_STAT_PRC511]	= { E1K_PRC511 },
	[E1K_STAT_PRC1023]	= { E1K_PRC1023 },
	[E1K_STAT_PRC1522]	= { E1K_PRC1522 },
	[E1K_STAT_PTC64]	= { E1K_PTC64 },
	[E1K_STAT_PTC127]	= { E1K_PTC127 },
	[E1K_STAT_PTC255]	= { E1K_PTC255 },
	[E1K_STAT_PTC511]	= { E1K_PTC511 },
	[E1K_STAT_PTC1023]	= { E1K_PTC1023 },
	[E1K_STAT_PTC1522]	= { E1K_PTC1522 },
};

/**
 * e1k_update_hw_stats - fold the device's clear-on-read counters into @stats
 * @hw: the device
 * @stats: 64-bit totals; the caller serialises updates; does not sleep
 *
 * A device that has left the bus reads all ones: nothing is added then.
 */
void e1k_update_hw_stats(struct e1k_hw *hw, struct e1k_hw_stats *stats)
{
	int i;

	if (e1k_rd32(hw, E1K_STATUS) == ~0U)
		return;

	for (i = 0; i < E1K_HW_STATS; i++) {
		u32 reg = e1k_stat_regs[i].reg;
		u64 val = e1k_rd32(hw, reg);

		if (e1k_stat_regs[i].pair)
			val |= (u64)e1k_rd32(hw, reg + 4) << 32;
		stats->stat[i] += val;
	}
}

/* The registers an ethtool register dump shows, none clear-on-read. */
const u32 e1k_dump_regs[] = {
	E1K_CTRL, E1K_STATUS, E1K_EECD, E1K_CTRL_EXT, E1K_FCAL, E1K_FCAH,
	E1K_FCT, E1K_VET, E1K_ITR, E1K_IMS, E1K_RCTL, E1K_FCTTV, E1K_TXCW,
	E1K_RXCW, E1K_TCTL, E1K_TIPG, E1K_PBA, E1K_FCRTL, E1K_FCRTH,
	E1K_RDBAL + E1K_RING_BAL, E1K_RDBAL + E1K_RING_BAH,
	E1K_RDBAL + E1K_RING_LEN, E1K_RDBAL + E1K_RING_HEAD,
	E1K_RDBAL + E1K_RING_TAIL, E1K_RDTR, E1K_RADV,
	E1K_TDBAL + E1K_RING_BAL, E1K_TDBAL + E1K_RING_BAH,
	E1K_TDBAL + E1K_RING_LEN, E1K_TDBAL + E1K_RING_HEAD,
	E1K_TDBAL + E1K_RING_TAIL, E1K_TIDV, E1K_TADV, E1K_RXCSUM,
	E1K_RAL(0), E1K_RAH(0), E1K_WUC, E1K_MANC,
};

const unsigned int e1k_dump_regs_count = ARRAY_SIZE(e1k_dump_regs);
