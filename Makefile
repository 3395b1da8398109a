# SPDX-License-Identifier: GPL-2.0
#
# Makefile for the Intel 82540EM Gigabit Ethernet driver (e1k).

obj-$(CONFIG_E1K) += e1k.o
e1k-y := e1000_main.o e1000_hw.o e1000_ring.o e1000_netdev.o e1000_ethtool.o \
	 e1000_selftest.o e1000_xdp.o

# What differs between the kernels e1k builds against (Debian's 6.1 and
# 6.12), told by the headers a kernel has; e1k_compat.h uses the answers.
ccflags-y += $(if $(wildcard $(srctree)/include/net/page_pool/helpers.h), \
		  -DE1K_HAVE_PAGE_POOL_HELPERS)
ccflags-y += $(if $(wildcard $(srctree)/include/uapi/linux/netdev.h), \
		  -DE1K_HAVE_XDP_FEATURES)

ifeq ($(srctree),)

# Run as plain `make` at the repository root (or by DKMS), outside a kernel
# tree, e1k.ko is built against the installed headers of a Debian kernel.
# (kbuild reads only the part above: it is told apart by $(srctree), which
# it always exports; KERNELRELEASE is no guide, since DKMS sets it on the
# command line.  The in-tree patch series carries only that part.)
#
# The kernel to build against: KERNEL=6.1 (Debian 12's), 6.12 (Debian's
# 6.12 LTS), rt (Debian 12's PREEMPT_RT 6.1) or an exact release; by
# default the running kernel if it is one of those, else Debian 12's 6.1.
# scripts/kver matches releases whole: a glob such as 6.1* would also
# match 6.12 and the -rt flavour.  KDIR= names a kernel tree directly.
ifeq ($(KDIR),)
KVER := $(shell $(CURDIR)/scripts/kver $(KERNEL))
ifeq ($(KVER),)
$(error no kernel to build against (see the message above), or set KDIR=)
endif
KDIR := /lib/modules/$(KVER)/build
endif

all: modules

modules clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) CONFIG_E1K=m $@

check:
	scripts/test

.PHONY: all modules clean check

endif
