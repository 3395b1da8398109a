// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module, never part of e1k: it repeats the mistake of the Rust
 * course's e1000 demo, freeing coherent DMA memory with a spinlock held and
 * interrupts off. The harness loads it on the debug kernel to show that its
 * checks catch exactly that (dma_free_attrs warns when IRQs are disabled).
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/spinlock.h>

static DEFINE_SPINLOCK(dma_free_locked_lock);

static int __init dma_free_locked_init(void)
{
	struct pci_dev *pdev;
	unsigned long flags;
	dma_addr_t dma;
	void *ring;

	pdev = pci_get_device(PCI_VENDOR_ID_INTEL, 0x100e, NULL);
	if (!pdev)
		return -ENODEV;
	ring = dma_alloc_coherent(&pdev->dev, PAGE_SIZE, &dma, GFP_KERNEL);
	if (ring) {
		spin_lock_irqsave(&dma_free_locked_lock, flags);
		dma_free_coherent(&pdev->dev, PAGE_SIZE, ring, dma);
		spin_unlock_irqrestore(&dma_free_locked_lock, flags);
	}
	pci_dev_put(pdev);
	return ring ? 0 : -ENOMEM;
}

static void __exit dma_free_locked_exit(void)
{
}

module_init(dma_free_locked_init);
module_exit(dma_free_locked_exit);
MODULE_DESCRIPTION("Frees coherent DMA memory under a spinlock (test only)");
MODULE_LICENSE("GPL");
