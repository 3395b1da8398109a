# Scenarios for a kernel with CONFIG_E1K=y: no insmod anywhere. On the
# kernel with CONFIG_E1000=y as well, both drivers are registered and the
# NIC can be handed from one to the other through sysfs.
# shellcheck source=tests/guest/lib.sh
. /guest/lib.sh

guest_setup

bound_at_boot() {
	log "eth0: $(driver_of eth0), eth1: $(driver_of eth1); e1k in /proc/modules: $(grep -c '^e1k ' /proc/modules)"
	[ "$(driver_of eth0)" = e1k ] && [ "$(driver_of eth1)" = e1k ] &&
		! grep -q '^e1k ' /proc/modules
}

ping_builtin() { eth0_up && ping_all 10 -i 0.2; }

down_up_20() {
	local i
	for i in $(seq 20); do
		ip link set eth0 down && ip link set eth0 up || return 1
	done
	ip route add default via "$GW"
	link_ready eth0 && ping_all 5
}

# rebind DRIVER PCI: hand the device at PCI to DRIVER.
rebind() {
	echo "$2" > "/sys/bus/pci/devices/$2/driver/unbind" &&
		echo "$2" > "/sys/bus/pci/drivers/$1/bind"
}

e1000_side_by_side() {
	local pci
	[ -d /sys/bus/pci/drivers/e1000 ] ||
		{ echo "e1000 is not built into this kernel"; return $SKIP; }
	pci=$(basename "$(readlink /sys/class/net/eth1/device)")
	rebind e1000 "$pci" && wait_for 10 have_if eth1 || return 1
	log "eth1 after rebinding $pci: $(driver_of eth1)"
	[ "$(driver_of eth1)" = e1000 ] || return 1
	ip link set eth1 up && link_ready eth1 || return 1
	ip link set eth1 down
	rebind e1k "$pci" && wait_for 10 have_if eth1 &&
		[ "$(driver_of eth1)" = e1k ] && ping_all 3
}

tap_plan 5
t "eth0 and eth1 are bound to the built-in e1k at boot" bound_at_boot
t "ping 10.0.2.2: 10 of 10 replies" ping_builtin
t "20 down/up cycles, then ping" down_up_20
t "both drivers built in: eth1 handed to e1000 and back" e1000_side_by_side
t "kmemleak finds no leak after the run" kmemleak_clean
echo "# guest: $((TAP_N - TAP_FAILED)) passed, $TAP_FAILED failed"
