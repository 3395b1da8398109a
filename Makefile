# SPDX-License-Identifier: GPL-2.0
#
# In a kernel tree (drivers/net/ethernet/intel/e1k/) kbuild reads only the
# first part.  Run as plain `make` at the repository root (or by DKMS), the
# second part builds e1k.ko out of tree against the installed Debian 6.1
# headers.  kbuild is told apart by $(srctree), which it always exports;
# KERNELRELEASE is no guide, since DKMS sets it on the command line.

obj-$(CONFIG_E1K) += e1k.o
e1k-y := e1000_main.o e1000_hw.o e1000_ring.o e1000_netdev.o e1000_ethtool.o \
	 e1000_selftest.o

ifeq ($(srctree),)

# Debian 12's own 6.1 kernel, by its exact name (6.1.0-<ABI>-amd64, the
# highest ABI): a glob such as 6.1* would also match 6.12 and the -rt
# flavour, and pick whichever sorts last.
KDIR ?= $(shell ls -d /usr/src/linux-headers-6.1.0-*-amd64 2>/dev/null | \
	  grep -E '/linux-headers-6\.1\.0-[0-9]+-amd64$$' | sort -V | tail -n 1)
ifeq ($(KDIR),)
$(error no /usr/src/linux-headers-6.1.0-<ABI>-amd64 found: install linux-headers-amd64 or set KDIR=)
endif

all: modules

modules clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) CONFIG_E1K=m $@

check:
	scripts/test

.PHONY: all modules clean check

endif
