# shellcheck shell=bash
# Host-side helpers shared by scripts/demo, scripts/test and scripts/kernel.
# Sourced, not run.  A guest boots either Debian's installed 6.1 kernel
# ("stock", with e1k.ko built against its headers) or one of the kernels
# scripts/kernel builds from Debian's linux-source-6.1 ("debug", "builtin",
# "both"); E1K_GUEST_KERNEL says which.

E1K_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
E1K_CACHE=${E1K_CACHE:-/var/cache/e1k}
E1K_OUT=${E1K_OUT:-$E1K_ROOT/out}

E1K_PACKAGES="build-essential qemu-system-x86 busybox-static linux-headers-amd64
linux-image-amd64 linux-source-6.1 sparse ethtool cpio python3 kmod xz-utils
flex bison bc libelf-dev libssl-dev dkms tmux libncurses-dev"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Install what the scripts need; quiet and quick when all is present.
e1k_setup() {
	local missing="" pkg
	for pkg in $E1K_PACKAGES; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
			grep -q 'install ok installed' || missing="$missing $pkg"
	done
	[ -z "$missing" ] && return 0
	[ "$(id -u)" = 0 ] || die "missing packages:$missing (run as root to install them)"
	say "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null || die "apt-get update failed"
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
		die "apt-get install failed"
}

# The newest installed 6.1 kernel that has both headers and an image.
e1k_kver() {
	local d v best=""
	for d in /usr/src/linux-headers-6.1*-amd64; do
		v=${d#/usr/src/linux-headers-}
		[ -r "/boot/vmlinuz-$v" ] && best=$v
	done
	[ -n "$best" ] || die "no 6.1 kernel with headers and image installed"
	echo "$best"
}

E1K_GUEST_KERNEL=${E1K_GUEST_KERNEL:-stock}

# The guest kernel image and the directory holding the modules the guest
# gets: e1k.ko, e1000.ko and pktgen.ko (and, for "debug", the test module).
e1k_kernel_image() {
	case $E1K_GUEST_KERNEL in
	stock) echo "/boot/vmlinuz-$(e1k_kver)" ;;
	*) echo "$(e1k_kcache)/$E1K_GUEST_KERNEL/bzImage" ;;
	esac
}

e1k_guest_modules() {
	case $E1K_GUEST_KERNEL in
	stock) echo "$E1K_OUT/stock-modules" ;;
	*) echo "$(e1k_kcache)/$E1K_GUEST_KERNEL/modules" ;;
	esac
}

# e1k.ko for the stock kernel, with the distribution's pktgen.ko and
# e1000.ko beside it.
e1k_build_module() {
	local kmods dir=$E1K_OUT/stock-modules

	say "building e1k.ko (W=1) against $(e1k_kver)"
	mkdir -p "$dir"
	make -C "$E1K_ROOT" --no-print-directory W=1 \
		>"$E1K_OUT/build.log" 2>&1 ||
		{ cat "$E1K_OUT/build.log" >&2; die "module build failed"; }
	kmods=/lib/modules/$(e1k_kver)/kernel
	# Debian's own modules the guest needs: pktgen, upstream e1000 (for
	# side-by-side runs), 802.1Q with its dependencies, and netconsole.
	cp "$E1K_ROOT/e1k.ko" "$kmods/net/core/pktgen.ko" \
		"$kmods/drivers/net/ethernet/intel/e1000/e1000.ko" \
		"$kmods/net/8021q/8021q.ko" "$kmods/net/802/garp.ko" \
		"$kmods/net/802/mrp.ko" "$kmods/net/802/stp.ko" \
		"$kmods/net/llc/llc.ko" "$kmods/fs/configfs/configfs.ko" \
		"$kmods/drivers/net/netconsole.ko" "$dir/"
}

# Copy a dynamically linked program and the libraries it needs into a root.
e1k_copy_program() {
	local root=$1 prog=$2 lib
	install -D "$prog" "$root$prog"
	for lib in $(ldd "$prog" | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] || install -D "$lib" "$root$lib"
	done
}

# The guest's static helpers: failnth fails the N-th allocation of one
# system call (fault injection), gsosend hands the driver an IPv6 TSO
# frame; see tests/guest/*.c.
e1k_build_helpers() {
	local name src bin
	for name in failnth gsosend; do
		src=$E1K_ROOT/tests/guest/$name.c bin=$E1K_OUT/$name
		[ "$bin" -nt "$src" ] && continue
		gcc -static -O2 -Wall -Wextra -Werror -o "$bin" "$src" ||
			die "$name build failed"
	done
}

# e1k_build_initramfs OUTPUT: BusyBox, the guest scripts, the modules of
# e1k_guest_modules, ethtool and the static helpers.
e1k_build_initramfs() {
	local out=$1 root
	root=$(mktemp -d)
	mkdir -p "$root/bin" "$root/lib/modules" "$root/guest"
	cp /bin/busybox "$root/bin/busybox"
	install -m 755 "$E1K_ROOT/tests/guest/init" "$root/init"
	cp "$E1K_ROOT"/tests/guest/*.sh "$root/guest/"
	# none for a kernel with e1k built in
	find "$(e1k_guest_modules)" -name '*.ko' -exec cp {} "$root/lib/modules/" \;
	e1k_build_helpers
	cp "$E1K_OUT/failnth" "$E1K_OUT/gsosend" "$root/bin/"
	e1k_copy_program "$root" "$(command -v ethtool)"
	# for scripts/bench, where it installs it
	if command -v iperf3 > /dev/null; then
		e1k_copy_program "$root" "$(command -v iperf3)"
	fi
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
	rm -rf "$root"
}

# e1k_vm MODE [vm.py options...]: boot the guest kernel with the initramfs.
# A kernel of scripts/kernel gets acpi=noirq: under TCG its ACPI _PRT evaluation
# otherwise times out on every insmod. slub_debug=A marks the skb head
# cache as the one failslab may fail (tests/guest/hardening.sh).
e1k_vm() {
	local mode=$1 append="console=ttyS0 loglevel=5 panic=-1"
	shift
	mkdir -p "$E1K_OUT"
	[ "$E1K_GUEST_KERNEL" = stock ] || append="$append acpi=noirq slub_debug=A,skbuff_head_cache"
	e1k_build_initramfs "$E1K_OUT/initramfs.gz"
	python3 "$E1K_ROOT/scripts/vm.py" \
		--kernel "$(e1k_kernel_image)" --initrd "$E1K_OUT/initramfs.gz" \
		--append "$append e1ktest.mode=$mode ${E1K_GUEST_ARGS:-}" \
		--console-log "$E1K_OUT/console-$E1K_GUEST_KERNEL-$mode.log" "$@"
}

# checkpatch.pl from Debian's linux-source-6.1 tarball, extracted once.
e1k_checkpatch() {
	local src=/usr/src/linux-source-6.1.tar.xz dir
	dir="$E1K_CACHE/checkpatch-$(dpkg-query -W -f='${Version}' linux-source-6.1)"
	if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
		mkdir -p "$dir"
		tar -xJf "$src" -C "$dir" --strip-components=1 --wildcards \
			'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
			'*/scripts/const_structs.checkpatch' || return 1
	fi
	# --no-tree cannot learn the kernel's own CamelCase names from its
	# headers, as checkpatch does in a tree: the ethtool link modes
	# (ETHTOOL_LINK_MODE_1000baseT_Full_BIT, Asym_Pause, ...) are let
	# through, and anything else fails.
	perl "$dir/scripts/checkpatch.pl" --strict --no-tree --terse \
		--show-types --max-line-length=80 -f "$@" |
		grep -Ev 'CHECK:CAMELCASE: Avoid CamelCase: <(ETHTOOL_LINK_MODE_)?([0-9]*base[A-Z][A-Za-z0-9_]*|Autoneg|Pause|Asym_Pause|TP)(_BIT)?>$' |
		grep -Ev '^total: ' | grep . && return 1
	return 0
}

# --- Kernels built from Debian's linux-source-6.1 (scripts/kernel) -------
#
# One source tree per source version and debug fragment, under
# $E1K_CACHE/kernel-<version>-<hash>/tree. The variants differ only in two
# symbols, so they are rebuilt from that one tree incrementally (about a
# minute each) instead of from scratch (about ten):
#   debug    CONFIG_E1K=m, CONFIG_E1000=m  the suite, stress, faults
#   builtin  CONFIG_E1K=y, no CONFIG_E1000 boots with e1k, no insmod
#   both     CONFIG_E1K=y, CONFIG_E1000=y  both drivers link together
# Each variant's bzImage (and, for debug, its modules) is saved beside the
# tree with a stamp of what it was built from; an unchanged variant is not
# rebuilt.

E1K_FRAGMENT=$E1K_ROOT/tests/kernel-debug.config

e1k_kcache() {
	local ver hash
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.1) || return 1
	hash=$(sha256sum <"$E1K_FRAGMENT" | cut -c1-12)
	echo "$E1K_CACHE/kernel-$ver-$hash"
}

e1k_variant_config() {
	case $1 in
	debug) printf 'CONFIG_E1K=m\nCONFIG_E1000=m\n' ;;
	builtin) printf 'CONFIG_E1K=y\n# CONFIG_E1000 is not set\n' ;;
	both) printf 'CONFIG_E1K=y\nCONFIG_E1000=y\n' ;;
	*) return 1 ;;
	esac
}

# The kernel tree: extracted, e1k hooked in, tinyconfig + fragment saved as
# base.config. Done once per cache key.
e1k_kernel_tree() {
	local kc tree
	kc=$(e1k_kcache)
	tree=$kc/tree
	[ -f "$kc/base.config" ] && { echo "$tree"; return 0; }
	say "extracting linux-source-6.1 into $kc"
	rm -rf "$kc"
	mkdir -p "$tree"
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$tree" \
		--strip-components=1 || die "cannot extract linux-source-6.1"
	"$E1K_ROOT/scripts/intree" "$tree" || die "scripts/intree failed"
	make -C "$tree" -s tinyconfig >/dev/null ||
		die "make tinyconfig failed"
	(cd "$tree" && scripts/kconfig/merge_config.sh -m .config \
		"$E1K_FRAGMENT") >"$kc/merge.log" 2>&1 ||
		die "merging $E1K_FRAGMENT failed"
	make -C "$tree" -s olddefconfig >/dev/null || die "olddefconfig failed"
	cp "$tree/.config" "$kc/base.config"
	echo "$tree"
}

# What a variant is built from: its symbols, the driver and the test module.
e1k_variant_stamp() {
	{
		e1k_variant_config "$1"
		cat "$E1K_ROOT"/Kconfig "$E1K_ROOT"/Makefile "$E1K_ROOT"/*.[ch] \
			"$E1K_ROOT"/tests/modules/*
	} | sha256sum | cut -c1-64
}

# e1k_kernel_build VARIANT: build (if needed) and save the variant.
e1k_kernel_build() {
	local variant=$1 kc tree out stamp sym
	kc=$(e1k_kcache)
	out=$kc/$variant
	stamp=$(e1k_variant_stamp "$variant") || die "unknown variant $variant"
	if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ]; then
		return 0
	fi
	tree=$(e1k_kernel_tree)
	"$E1K_ROOT/scripts/intree" "$tree" || die "scripts/intree failed"
	cp "$kc/base.config" "$tree/.config"
	e1k_variant_config "$variant" >"$kc/$variant.config"
	(cd "$tree" && scripts/kconfig/merge_config.sh -m .config \
		"$kc/$variant.config") >>"$kc/merge.log" 2>&1 ||
		die "merging the $variant symbols failed"
	make -C "$tree" -s olddefconfig >/dev/null || die "olddefconfig failed"
	while read -r sym; do
		grep -qx "$sym" "$tree/.config" ||
			die "$variant: '$sym' did not survive olddefconfig"
	done <"$kc/$variant.config"
	if [ -f "$tree/vmlinux" ]; then
		say "building the $variant kernel (incremental)"
	else
		say "building the $variant kernel from scratch (about 10 min on 2 cores)"
	fi
	local targets="bzImage"
	[ "$variant" = debug ] && targets="bzImage modules"
	# shellcheck disable=SC2086
	if ! make -C "$tree" -j"$(($(nproc) + 1))" $targets \
		>"$kc/build-$variant.log" 2>&1; then
		tail -n 40 "$kc/build-$variant.log" >&2
		die "the $variant kernel did not build"
	fi
	rm -rf "$out"
	mkdir -p "$out/modules"
	cp "$tree/arch/x86/boot/bzImage" "$out/"
	if [ "$variant" = debug ]; then
		cp "$tree/drivers/net/ethernet/intel/e1k/e1k.ko" \
			"$tree/drivers/net/ethernet/intel/e1000/e1000.ko" \
			"$tree/net/core/pktgen.ko" "$tree/net/8021q/8021q.ko" \
			"$tree/drivers/net/netconsole.ko" "$out/modules/"
		e1k_build_test_module "$tree" "$out/modules"
	fi
	echo "$stamp" >"$out/stamp"
}

# The test-only module of tests/modules, built against TREE into DIR.
e1k_build_test_module() {
	local tree=$1 dir=$2 build=$E1K_OUT/testmod
	rm -rf "$build"
	mkdir -p "$build"
	cp "$E1K_ROOT"/tests/modules/* "$build/"
	make -C "$tree" M="$build" modules >"$build/build.log" 2>&1 ||
		{ cat "$build/build.log" >&2; die "the test module did not build"; }
	cp "$build"/*.ko "$dir/"
}

# --- Packaging checks (scripts/test host) --------------------------------

# dkms add/build/install/remove of e1k against the stock kernel's headers,
# from a copy holding only what the package needs.
e1k_dkms_check() {
	local kver ver stage f
	kver=$(e1k_kver)
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$E1K_ROOT/dkms.conf")
	[ -n "$ver" ] || { echo "no PACKAGE_VERSION in dkms.conf"; return 1; }
	dkms remove "e1k/$ver" --all >/dev/null 2>&1
	rm -rf "/usr/src/e1k-$ver"
	stage=$E1K_OUT/dkms/e1k-$ver
	rm -rf "$stage"
	mkdir -p "$stage"
	for f in "$E1K_ROOT"/Kconfig "$E1K_ROOT"/Makefile "$E1K_ROOT"/dkms.conf \
		"$E1K_ROOT"/*.[ch]; do
		case $f in *.mod.c) ;; *) cp "$f" "$stage/" ;; esac
	done
	dkms add "$stage" &&
		dkms build "e1k/$ver" -k "$kver" &&
		dkms install "e1k/$ver" -k "$kver" || return 1
	dkms status e1k
	modinfo -k "$kver" -F filename e1k
	modinfo -k "$kver" -F filename e1k | grep -q "/updates/dkms/e1k.ko" &&
		modinfo -k "$kver" -F vermagic e1k | grep -q "^$kver " || return 1
	dkms remove "e1k/$ver" --all || return 1
	rm -rf "/usr/src/e1k-$ver"
	! modinfo -k "$kver" e1k >/dev/null 2>&1
}

# Drive `make menuconfig` (in tmux) to its search for E1K and check the
# location it shows: Device Drivers > Network device support > Ethernet
# driver support > Intel devices.
e1k_menuconfig_check() {
	local tree kc cfg screen=$E1K_OUT/menuconfig.txt i
	tree=$(e1k_kernel_tree) || return 1
	kc=$(e1k_kcache)
	"$E1K_ROOT/scripts/intree" "$tree" || return 1
	cfg=$E1K_OUT/menuconfig.config
	cp "$kc/base.config" "$cfg"
	tmux kill-session -t e1k-menuconfig 2>/dev/null
	tmux new-session -d -s e1k-menuconfig -x 160 -y 50 \
		"make -C $tree KCONFIG_CONFIG=$cfg menuconfig" || return 1
	for i in $(seq 120); do
		tmux capture-pane -p -t e1k-menuconfig >"$screen" 2>/dev/null
		grep -q 'Linux/x86' "$screen" && break
		sleep 1
	done
	tmux send-keys -t e1k-menuconfig / && sleep 1 &&
		tmux send-keys -t e1k-menuconfig E1K Enter && sleep 2 &&
		tmux capture-pane -p -t e1k-menuconfig >"$screen"
	tmux kill-session -t e1k-menuconfig 2>/dev/null
	sed -n '/Symbol: E1K /,/(E1K \[/p' "$screen"
	grep -A 5 'Location:' "$screen" | tr '\n' ' ' |
		grep -q 'Device Drivers.*Network device support.*Ethernet driver support.*Intel devices.*82540EM'
}
