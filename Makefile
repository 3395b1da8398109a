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

KDIR ?= $(lastword $(sort $(wildcard /usr/src/linux-headers-6.1*-amd64)))
ifeq ($(KDIR),)
$(error no /usr/src/linux-headers-6.1*-amd64 found: install linux-headers-amd64 or set KDIR=)
endif

all: modules

modules clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) CONFIG_E1K=m $@

check:
	scripts/test

.PHONY: all modules clean check

endif
