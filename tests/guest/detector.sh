# Proof that the debug kernel's checks fail a run: load the test-only
# module that frees coherent DMA memory under spin_lock_irqsave, as the
# Rust course's e1000 demo did. The guest's log check must catch it here,
# and scripts/test requires the host's console scan to report it too.
# shellcheck source=tests/guest/lib.sh
. /guest/lib.sh

guest_setup

dma_free_locked_caught() {
	local mod=/lib/modules/dma_free_locked.ko
	[ -e $mod ] || { echo "no test module for this kernel"; return $SKIP; }
	insmod $mod || return 1
	rmmod dma_free_locked
	if klog_check > /tmp/detector.out; then
		log "the kernel log shows nothing: the checks are blind"
		return 1
	fi
	grep -E 'dma_free_attrs|sleeping function' /tmp/detector.out | head -n 3
	grep -q 'dma_free_attrs' /tmp/detector.out
}

tap_plan 1
t "a DMA free under spin_lock_irqsave is reported by the kernel" dma_free_locked_caught
echo "# guest: $((TAP_N - TAP_FAILED)) passed, $TAP_FAILED failed"
