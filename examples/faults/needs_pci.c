// SPDX-License-Identifier: GPL-2.0
/*
 * needs_pci: a PCI driver skeleton.  It imports __pci_register_driver and
 * pci_unregister_driver, which the real kernel exports and modfs does not
 * implement, so modfs refuses it with the kernel's "Unknown symbol" lines
 * plus its own note, and `modfs check` lists the two symbols.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/pci.h>

static const struct pci_device_id ids[] = {
	{ PCI_DEVICE(0x1af4, 0x1000) },
	{ }
};

static int probe(struct pci_dev *dev, const struct pci_device_id *id)
{
	return -ENODEV;
}

static struct pci_driver drv = {
	.name = "needs_pci",
	.id_table = ids,
	.probe = probe,
};

module_pci_driver(drv);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("imports PCI symbols modfs does not implement");
