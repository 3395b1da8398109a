// SPDX-License-Identifier: GPL-2.0
/*
 * e1k: driver for the Intel 82540EM Gigabit Ethernet controller - PCI
 * probe and remove, module glue.
 *
 * Probe acquires, in order, and remove releases in the reverse order:
 *
 *   pci_enable_device           pci_disable_device
 *   pci_request_selected_regions
 *     (memory and I/O BARs)     pci_release_selected_regions
 *   alloc_etherdev              free_netdev
 *   pci_iomap BAR0, I/O BAR     pci_iounmap both
 *   DMA mask                    -
 *   e1k_hw_reset                e1k_hw_reset (leave the MAC quiet)
 *   pci_set_master              pci_clear_master
 *   EEPROM: checksum, address   -
 *   e1k_netdev_setup            e1k_netdev_teardown
 *   link setup                  -
 *   register_netdev             unregister_netdev
 *
 * Bus mastering is enabled only after the reset, so a device left running
 * by a previous owner cannot DMA into memory we no longer own.  PCI error
 * recovery may have disabled the device before remove runs: remove then
 * leaves it disabled.
 */
#include <linux/etherdevice.h>
#include <linux/mii.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>

#include "e1k.h"

static int debug = -1;
module_param(debug, int, 0);
MODULE_PARM_DESC(debug, "message level: N enables the lowest N of the NETIF_MSG classes (0-31), -1 the default ones");

static const struct pci_device_id e1k_pci_tbl[] = {
	{ PCI_VDEVICE(INTEL, 0x100E) },	/* 82540EM */
	{ }
};
MODULE_DEVICE_TABLE(pci, e1k_pci_tbl);

/* A bad EEPROM leaves the device usable, with a random address. */
static void e1k_init_mac_addr(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	struct e1k_hw *hw = &adapter->hw;
	const char *what = "checksum";
	int err;

	err = e1k_validate_eeprom_checksum(hw);
	if (!err) {
		what = "MAC address";
		err = e1k_read_mac_addr(hw);
	}
	if (err) {
		dev_err(&adapter->pdev->dev,
			"EEPROM %s is invalid (%d), using a random MAC address\n",
			what, err);
		eth_hw_addr_random(netdev);
		return;
	}
	eth_hw_addr_set(netdev, hw->perm_addr);
	ether_addr_copy(netdev->perm_addr, hw->perm_addr);
}

/* The I/O BAR, for the reset (see e1k_hw_reset()): the 82540EM's is the
 * first I/O BAR after BAR0.  Return: its number, or -1 if there is none.
 */
static int e1k_io_bar(struct pci_dev *pdev)
{
	int bar;

	for (bar = 1; bar < PCI_STD_NUM_BARS; bar++)
		if (pci_resource_len(pdev, bar) &&
		    (pci_resource_flags(pdev, bar) & IORESOURCE_IO))
			return bar;
	return -1;
}

/* 64-bit DMA only on a PCI-X bus: on conventional PCI, the 8254x family
 * can hang its transmit engine on the dual address cycles that addresses
 * above 4 GiB take (upstream e1000 does the same).  Return: 0 or an errno.
 */
static int e1k_set_dma_mask(struct e1k_adapter *adapter)
{
	struct pci_dev *pdev = adapter->pdev;
	struct net_device *netdev = adapter->netdev;

	if ((e1k_rd32(&adapter->hw, E1K_STATUS) & E1K_STATUS_PCIX_MODE) &&
	    !dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64))) {
		netdev->features |= NETIF_F_HIGHDMA;
		netdev->vlan_features |= NETIF_F_HIGHDMA;
		return 0;
	}
	return dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
}

static int e1k_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	int bars = pci_select_bars(pdev, IORESOURCE_MEM | IORESOURCE_IO);
	int io_bar = e1k_io_bar(pdev);
	struct e1k_adapter *adapter;
	struct net_device *netdev;
	struct e1k_hw *hw;
	u16 phy_id1 = 0, phy_id2 = 0;
	int err;

	err = pci_enable_device(pdev);
	if (err)
		return err;

	err = pci_request_selected_regions(pdev, bars, KBUILD_MODNAME);
	if (err)
		goto err_disable_device;

	netdev = alloc_etherdev(sizeof(*adapter));
	if (!netdev) {
		err = -ENOMEM;
		goto err_release_regions;
	}
	SET_NETDEV_DEV(netdev, &pdev->dev);
	pci_set_drvdata(pdev, netdev);
	adapter = netdev_priv(netdev);
	adapter->netdev = netdev;
	adapter->pdev = pdev;
	adapter->msg_enable = netif_msg_init(debug, E1K_DEFAULT_MSG);
	hw = &adapter->hw;

	hw->hw_addr = pci_iomap(pdev, 0, 0);
	if (!hw->hw_addr) {
		err = -EIO;
		goto err_free_netdev;
	}
	if (io_bar >= 0) {
		hw->io_addr = pci_iomap(pdev, io_bar, 0);
		if (!hw->io_addr) {
			err = -EIO;
			goto err_unmap_mem;
		}
	}

	err = e1k_set_dma_mask(adapter);
	if (err) {
		dev_err(&pdev->dev, "no usable DMA configuration\n");
		goto err_unmap_io;
	}

	e1k_setup_pba(hw, VLAN_ETH_FRAME_LEN + ETH_FCS_LEN);
	e1k_hw_reset(hw);
	pci_set_master(pdev);
	/* what PCI error recovery restores */
	pci_save_state(pdev);

	e1k_init_mac_addr(adapter);
	e1k_netdev_setup(adapter);
	if (e1k_read_phy_reg(hw, MII_PHYSID1, &phy_id1) ||
	    e1k_read_phy_reg(hw, MII_PHYSID2, &phy_id2) ||
	    e1k_setup_link(hw))
		dev_warn(&pdev->dev, "PHY does not answer, or its setup failed\n");

	/* Last: from here on the interface may be opened at any moment. */
	err = register_netdev(netdev);
	if (err)
		goto err_netdev_teardown;

	netif_info(adapter, probe, netdev,
		   "Intel 82540EM at %s, %pM, PHY id %04x:%04x, %s BAR\n",
		   pci_name(pdev), netdev->dev_addr, phy_id1, phy_id2,
		   hw->io_addr ? "I/O" : "no I/O");
	return 0;

err_netdev_teardown:
	e1k_netdev_teardown(adapter);
	pci_clear_master(pdev);
	e1k_hw_reset(hw);
err_unmap_io:
	if (hw->io_addr)
		pci_iounmap(pdev, hw->io_addr);
err_unmap_mem:
	pci_iounmap(pdev, hw->hw_addr);
err_free_netdev:
	free_netdev(netdev);
err_release_regions:
	pci_release_selected_regions(pdev, bars);
err_disable_device:
	pci_disable_device(pdev);
	return err;
}

static void e1k_remove(struct pci_dev *pdev)
{
	int bars = pci_select_bars(pdev, IORESOURCE_MEM | IORESOURCE_IO);
	struct net_device *netdev = pci_get_drvdata(pdev);
	struct e1k_adapter *adapter = netdev_priv(netdev);
	struct e1k_hw *hw = &adapter->hw;

	unregister_netdev(netdev);
	e1k_netdev_teardown(adapter);
	pci_clear_master(pdev);
	e1k_phy_loopback_off(hw);
	e1k_hw_reset(hw);
	if (hw->io_addr)
		pci_iounmap(pdev, hw->io_addr);
	pci_iounmap(pdev, hw->hw_addr);
	free_netdev(netdev);
	pci_release_selected_regions(pdev, bars);
	if (pci_is_enabled(pdev))
		pci_disable_device(pdev);
}

/* Power management.  Suspend takes the device from a running interface as
 * e1k_down() does, keeping the rings and the (masked) interrupt handler, so
 * that resume cannot fail for want of memory; the PCI core saves and
 * restores the config space and sets the power state.  Resume reprograms
 * everything, since the device may have lost its state.
 */
static void e1k_detach(struct e1k_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;

	rtnl_lock();
	netif_device_detach(netdev);
	if (netif_running(netdev))
		e1k_down(adapter);
	rtnl_unlock();
	/* a reset queued by a TX timeout finds the device detached */
	cancel_work_sync(&adapter->reset_task);
}

static int e1k_suspend(struct device *dev)
{
	struct e1k_adapter *adapter = netdev_priv(dev_get_drvdata(dev));

	e1k_detach(adapter);
	pci_clear_master(adapter->pdev);
	return 0;
}

static int e1k_resume(struct device *dev)
{
	struct e1k_adapter *adapter = netdev_priv(dev_get_drvdata(dev));
	struct net_device *netdev = adapter->netdev;

	rtnl_lock();
	e1k_reset(adapter);
	if (netif_running(netdev))
		e1k_up(adapter);	/* sets bus mastering again */
	netif_device_attach(netdev);
	rtnl_unlock();
	return 0;
}

static DEFINE_SIMPLE_DEV_PM_OPS(e1k_pm_ops, e1k_suspend, e1k_resume);

/* PCI error recovery (AER, EEH): the device is taken down as for suspend,
 * and disabled; after the slot reset it is enabled, reset and started
 * again.  A permanent failure ends in remove, which e1k_close() and
 * e1k_remove() survive whatever of this ran before.
 */
static pci_ers_result_t e1k_io_error_detected(struct pci_dev *pdev,
					      pci_channel_state_t state)
{
	struct e1k_adapter *adapter = netdev_priv(pci_get_drvdata(pdev));

	e1k_detach(adapter);
	if (state == pci_channel_io_perm_failure)
		return PCI_ERS_RESULT_DISCONNECT;
	if (pci_is_enabled(pdev))
		pci_disable_device(pdev);
	return PCI_ERS_RESULT_NEED_RESET;
}

static pci_ers_result_t e1k_io_slot_reset(struct pci_dev *pdev)
{
	struct e1k_adapter *adapter = netdev_priv(pci_get_drvdata(pdev));

	if (pci_enable_device(pdev)) {
		dev_err(&pdev->dev, "cannot re-enable the device after reset\n");
		return PCI_ERS_RESULT_DISCONNECT;
	}
	pci_restore_state(pdev);
	pci_save_state(pdev);
	/* the handler of a running interface stays on the line it took */
	if (netif_running(adapter->netdev) && pdev->irq != adapter->irq) {
		dev_err(&pdev->dev, "interrupt line changed in the reset\n");
		return PCI_ERS_RESULT_DISCONNECT;
	}
	pci_set_master(pdev);
	rtnl_lock();
	e1k_reset(adapter);
	rtnl_unlock();
	return PCI_ERS_RESULT_RECOVERED;
}

static void e1k_io_resume(struct pci_dev *pdev)
{
	struct e1k_adapter *adapter = netdev_priv(pci_get_drvdata(pdev));
	struct net_device *netdev = adapter->netdev;

	rtnl_lock();
	if (netif_running(netdev))
		e1k_up(adapter);
	netif_device_attach(netdev);
	rtnl_unlock();
}

static const struct pci_error_handlers e1k_err_handler = {
	.error_detected	= e1k_io_error_detected,
	.slot_reset	= e1k_io_slot_reset,
	.resume		= e1k_io_resume,
};

/* Reboot or power off: leave the device quiet, doing no DMA. */
static void e1k_shutdown(struct pci_dev *pdev)
{
	struct e1k_adapter *adapter = netdev_priv(pci_get_drvdata(pdev));

	e1k_detach(adapter);
	pci_clear_master(pdev);
	e1k_phy_loopback_off(&adapter->hw);
	e1k_hw_reset(&adapter->hw);
}

static struct pci_driver e1k_driver = {
	.name		= KBUILD_MODNAME,
	.id_table	= e1k_pci_tbl,
	.probe		= e1k_probe,
	.remove		= e1k_remove,
	.shutdown	= e1k_shutdown,
	.err_handler	= &e1k_err_handler,
	.driver.pm	= pm_sleep_ptr(&e1k_pm_ops),
};
module_pci_driver(e1k_driver);

MODULE_DESCRIPTION("Intel 82540EM (e1000) network driver");
MODULE_LICENSE("GPL");
