// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module, never part of e1k: it plays the PCI core's error
 * recovery on one device, calling its driver's pci_error_handlers under
 * the device lock as the core does, since QEMU's conventional PCI bus
 * cannot raise AER. At load:
 *
 *   slot=0000:00:03.0 mode=recover   error_detected(frozen), slot_reset,
 *                                    resume: the device must work after
 *   slot=... mode=give-up            error_detected(frozen), then the
 *                                    device is removed, as when recovery
 *                                    fails and the slot is torn down
 *   slot=... mode=perm               error_detected(perm_failure), then
 *                                    the device is removed
 *
 * Each step is logged ("pci_error: ..."); the module then stays loaded,
 * doing nothing, until rmmod.
 */
#include <linux/module.h>
#include <linux/pci.h>

static char *slot = "";
module_param(slot, charp, 0);
MODULE_PARM_DESC(slot, "PCI name of the device");
static char *mode = "recover";
module_param(mode, charp, 0);
MODULE_PARM_DESC(mode, "recover, give-up or perm");

static const char *pci_error_result(pci_ers_result_t res)
{
	switch (res) {
	case PCI_ERS_RESULT_NEED_RESET: return "need reset";
	case PCI_ERS_RESULT_DISCONNECT: return "disconnect";
	case PCI_ERS_RESULT_RECOVERED: return "recovered";
	case PCI_ERS_RESULT_CAN_RECOVER: return "can recover";
	default: return "other";
	}
}

static int __init pci_error_init(void)
{
	bool perm = !strcmp(mode, "perm"), recover = !strcmp(mode, "recover");
	const struct pci_error_handlers *eh;
	pci_channel_state_t state;
	struct pci_dev *pdev;
	struct device *dev;
	pci_ers_result_t res;
	bool remove = false;
	int err = 0;

	if (!perm && !recover && strcmp(mode, "give-up"))
		return -EINVAL;
	dev = bus_find_device_by_name(&pci_bus_type, NULL, slot);
	if (!dev)
		return -ENODEV;
	pdev = to_pci_dev(dev);

	device_lock(dev);
	eh = dev->driver ? to_pci_driver(dev->driver)->err_handler : NULL;
	if (!eh || !eh->error_detected || !eh->slot_reset) {
		err = -EOPNOTSUPP;
		goto out;
	}
	state = perm ? pci_channel_io_perm_failure : pci_channel_io_frozen;
	pdev->error_state = state;
	res = eh->error_detected(pdev, state);
	pr_info("pci_error: %s: error_detected: %s\n", slot,
		pci_error_result(res));
	if (!recover || res != PCI_ERS_RESULT_NEED_RESET) {
		remove = true;
		goto out;
	}
	pdev->error_state = pci_channel_io_normal;
	res = eh->slot_reset(pdev);
	pr_info("pci_error: %s: slot_reset: %s\n", slot,
		pci_error_result(res));
	if (res != PCI_ERS_RESULT_RECOVERED) {
		remove = true;
		goto out;
	}
	if (eh->resume)
		eh->resume(pdev);
	pr_info("pci_error: %s: resumed\n", slot);
out:
	device_unlock(dev);
	if (remove) {
		pci_stop_and_remove_bus_device_locked(pdev);
		pr_info("pci_error: %s: removed\n", slot);
	}
	put_device(dev);
	return err;
}

static void __exit pci_error_exit(void)
{
}

module_init(pci_error_init);
module_exit(pci_error_exit);
MODULE_DESCRIPTION("Plays PCI error recovery on a device (test only)");
MODULE_LICENSE("GPL");
