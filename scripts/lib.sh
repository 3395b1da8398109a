# shellcheck shell=bash
# Host-side helpers shared by scripts/demo, scripts/test and scripts/kernel.
# Sourced, not run.  A guest boots either an installed Debian kernel
# ("stock", "lts", "rt": e1k.ko built against its headers, see
# e1k_label_kver) or one of the kernels scripts/kernel builds from Debian's
# linux-source-6.1 ("debug", "builtin", "both", "kcsan");
# E1K_GUEST_KERNEL says which.

E1K_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
E1K_CACHE=${E1K_CACHE:-/var/cache/e1k}
E1K_OUT=${E1K_OUT:-$E1K_ROOT/out}

E1K_PACKAGES="build-essential qemu-system-x86 busybox-static linux-headers-amd64
linux-image-amd64 linux-source-6.1 sparse ethtool cpio python3 kmod xz-utils
flex bison bc libelf-dev libssl-dev dkms tmux libncurses-dev
python3-docutils"

# What the guests of the kernel's own selftests need, from the host
# (e1k_selftest_tools), and the 6.12 tree the newer of them come from.
E1K_SELFTEST_PACKAGES="bash coreutils iproute2 jq netsniff-ng linux-source-6.12"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# e1k_install PACKAGE...: those not installed yet, quietly.
e1k_install() {
	local missing="" pkg
	for pkg; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
			grep -q 'install ok installed' || missing="$missing $pkg"
	done
	[ -z "$missing" ] && return 0
	[ "$(id -u)" = 0 ] || die "missing packages:$missing (run as root to install them)"
	say "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	e1k_apt_update
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
		die "apt-get install failed"
}

e1k_apt_update() {
	[ -n "${E1K_APT_UPDATED:-}" ] && return 0
	apt-get update -qq >/dev/null || die "apt-get update failed"
	E1K_APT_UPDATED=1
}

# e1k_kernel_packages NAME: the image and headers packages of a kernel
# name of scripts/kver. Debian's 6.12 has no meta-package in Debian 12:
# the highest release the archive offers, by its exact name.
e1k_kernel_packages() {
	local n
	case $1 in
	6.1) echo linux-image-amd64 linux-headers-amd64 ;;
	rt) echo linux-image-rt-amd64 linux-headers-rt-amd64 ;;
	6.12)
		e1k_apt_update
		n=$(apt-cache pkgnames linux-image-6.12. |
			sed -n 's/^linux-image-\(6\.12\.[0-9]*+deb1[23]-amd64\)-unsigned$/\1/p' |
			sort -V | tail -n 1)
		[ -n "$n" ] || die "no Debian 6.12 kernel in the package archive"
		echo "linux-image-$n-unsigned linux-headers-$n"
		;;
	*) die "kernel $1 is not installed: install its linux-image and linux-headers packages" ;;
	esac
}

# e1k_setup [KERNEL...]: install what the scripts need, and the kernels
# named (scripts/kver names: 6.1, 6.12, rt); quiet and quick when all is
# present.
e1k_setup() {
	local name
	# shellcheck disable=SC2086
	e1k_install $E1K_PACKAGES
	for name; do
		"$E1K_ROOT/scripts/kver" --boot "$name" >/dev/null 2>&1 && continue
		# shellcheck disable=SC2046
		e1k_install $(e1k_kernel_packages "$name")
		"$E1K_ROOT/scripts/kver" --boot "$name" >/dev/null ||
			die "kernel $name still missing after installing it"
	done
}

# The kernel a Debian guest label boots, as scripts/kver names it: "stock"
# is Debian 12's 6.1 unless E1K_KERNEL (scripts/test and scripts/demo
# --kernel) names another; "lts" is Debian's 6.12 and "rt" the PREEMPT_RT
# 6.1.
e1k_label_kernel() {
	case $1 in
	stock) echo "${E1K_KERNEL:-6.1}" ;;
	lts) echo 6.12 ;;
	rt) echo rt ;;
	*) return 1 ;;
	esac
}

e1k_is_debian_label() {
	e1k_label_kernel "$1" >/dev/null
}

# e1k_label_kver LABEL: the exact release it boots, with headers and image.
e1k_label_kver() {
	"$E1K_ROOT/scripts/kver" --boot "$(e1k_label_kernel "$1")" ||
		die "no kernel for the $1 guest"
}

# The release of the stock guest (and of scripts/demo).
e1k_kver() {
	e1k_label_kver stock
}

E1K_GUEST_KERNEL=${E1K_GUEST_KERNEL:-stock}

# The guest kernel image and the directory holding the modules the guest
# gets: e1k.ko, e1000.ko, pktgen.ko and the others of e1k_build_module
# (and, for "debug", the test module).
e1k_kernel_image() {
	if e1k_is_debian_label "$E1K_GUEST_KERNEL"; then
		echo "/boot/vmlinuz-$(e1k_label_kver "$E1K_GUEST_KERNEL")"
	else
		echo "$(e1k_variant_dir "$E1K_GUEST_KERNEL")/bzImage"
	fi
}

e1k_guest_modules() {
	if e1k_is_debian_label "$E1K_GUEST_KERNEL"; then
		echo "$E1K_OUT/modules-$(e1k_label_kver "$E1K_GUEST_KERNEL")"
	else
		echo "$(e1k_variant_dir "$E1K_GUEST_KERNEL")/modules"
	fi
}

# The driver's files, as they go into a build or a kernel tree (as
# drivers/net/ethernet/intel/e1k/): Kconfig, Makefile, the sources; no
# build products (e1k.mod.c).
e1k_driver_files() {
	local f
	for f in "$E1K_ROOT"/Kconfig "$E1K_ROOT"/Makefile "$E1K_ROOT"/*.[ch]; do
		case $f in *.mod.c) continue ;; esac
		printf '%s\n' "$f"
	done
}

# The distribution's modules a guest loads: pktgen, upstream e1000 (for
# side-by-side runs), 802.1Q, netconsole (with configfs), and what the
# kernel's selftests use (VRF, the clsact qdisc, flower, gact).
E1K_DEBIAN_MODULES="pktgen e1000 8021q configfs netconsole vrf sch_ingress
cls_flower act_gact"

# e1k_build_module [LABEL]: e1k.ko (W=1) for a Debian guest's kernel, built
# in a copy of the sources of its own, and that kernel's modules of
# E1K_DEBIAN_MODULES with their dependencies, all in e1k_guest_modules:
# every module a guest gets comes from the kernel it boots.
e1k_build_module() {
	local label=${1:-stock} kver build dir f deps verb path
	kver=$(e1k_label_kver "$label")
	build=$E1K_OUT/build-$kver dir=$E1K_OUT/modules-$kver
	say "building e1k.ko (W=1) against $kver"
	mkdir -p "$build" "$dir"
	while read -r f; do
		cmp -s "$f" "$build/${f##*/}" || cp "$f" "$build/"
	done < <(e1k_driver_files)
	if ! make -C "/lib/modules/$kver/build" M="$build" W=1 CONFIG_E1K=m \
		modules >"$E1K_OUT/build-$kver.log" 2>&1 ||
		grep -q 'warning:' "$E1K_OUT/build-$kver.log"; then
		cat "$E1K_OUT/build-$kver.log" >&2
		die "module build failed"
	fi
	rm -f "$dir"/*.ko
	cp "$build/e1k.ko" "$dir/"
	# shellcheck disable=SC2086
	deps=$(modprobe -S "$kver" -a --show-depends $E1K_DEBIAN_MODULES) ||
		die "a module of '$E1K_DEBIAN_MODULES' is missing in $kver"
	while read -r verb path _; do
		[ "$verb" = insmod ] || continue	# "builtin NAME"
		case $path in
		*.ko.xz) xz -dc "$path" >"$dir/$(basename "$path" .xz)" ;;
		*.ko) cp "$path" "$dir/" ;;
		*) die "cannot read module $path" ;;
		esac || die "cannot copy $path"
	done <<<"$deps"
}

# Copy a dynamically linked program and the libraries it needs into a root
# (e1k_copy_program ROOT PROGRAM [PATH]: the program at PATH in the root,
# by default where it is on the host).
e1k_copy_program() {
	local root=$1 prog=$2 lib
	install -D "$prog" "$root${3:-$prog}"
	for lib in $(ldd "$prog" | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] || install -D "$lib" "$root$lib"
	done
}

# The guest's static helpers: failnth fails the N-th allocation of one
# system call (fault injection), gsosend hands the driver a TSO frame,
# miireg reads PHY registers (SIOCGMIIREG), rxcount counts received
# frames up to the host's barrier; see tests/guest/*.c.
E1K_HELPERS="failnth gsosend miireg rxcount"

e1k_build_helpers() {
	local name src bin
	for name in $E1K_HELPERS; do
		src=$E1K_ROOT/tests/guest/$name.c bin=$E1K_OUT/$name
		[ "$bin" -nt "$src" ] && continue
		gcc -static -O2 -Wall -Wextra -Werror -o "$bin" "$src" ||
			die "$name build failed"
	done
}

# e1k_build_initramfs OUTPUT: BusyBox, the guest scripts, the modules of
# e1k_guest_modules, ethtool and the static helpers.
e1k_build_initramfs() {
	local out=$1 root name
	root=$(mktemp -d)
	mkdir -p "$root/bin" "$root/lib/modules" "$root/guest"
	cp /bin/busybox "$root/bin/busybox"
	install -m 755 "$E1K_ROOT/tests/guest/init" "$root/init"
	cp "$E1K_ROOT"/tests/guest/*.sh "$root/guest/"
	# none for a kernel with e1k built in
	find "$(e1k_guest_modules)" -name '*.ko' -exec cp {} "$root/lib/modules/" \;
	e1k_build_helpers
	for name in $E1K_HELPERS; do
		cp "$E1K_OUT/$name" "$root/bin/"
	done
	e1k_copy_program "$root" "$(command -v ethtool)"
	# for scripts/bench, where it installs it
	if command -v iperf3 > /dev/null; then
		e1k_copy_program "$root" "$(command -v iperf3)"
	fi
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
	rm -rf "$root"
}

# --- The kernel's own selftests in the guest (scripts/test selftests) ----
#
# The scripts come from Debian's linux-source-6.1 and -6.12, extracted
# once per package version; the tools they need (bash, iproute2's ip and
# tc, jq, mausezahn, GNU date and readlink for their %N and -e) from the
# host's Debian packages, with their
# libraries, packed once into a cpio archive of their own. The kernel
# unpacks concatenated archives one after the other: a selftests guest's
# initramfs is the usual one followed by that one.

# e1k_selftest_src VERSION: the tools/testing/selftests of linux-source-VERSION.
e1k_selftest_src() {
	local ver dir tmp
	ver=$(dpkg-query -W -f='${Version}' "linux-source-$1") || return 1
	dir=$E1K_CACHE/selftests-$1-$ver
	if [ ! -d "$dir" ]; then
		tmp=$(mktemp -d "$E1K_CACHE/selftests.XXXXXX")
		tar -xJf "/usr/src/linux-source-$1.tar.xz" -C "$tmp" \
			--strip-components=4 --wildcards \
			'*/tools/testing/selftests/net/*.sh' \
			'*/tools/testing/selftests/net/forwarding/*' \
			'*/tools/testing/selftests/drivers/net/*' || return 1
		mv "$tmp" "$dir" || return 1
	fi
	echo "$dir"
}

E1K_SELFTEST_TOOLS="bash ip tc jq mausezahn date readlink"

# e1k_tools_archive ROOT OUT: ROOT, with iproute2's configuration, packed
# into the cpio.gz OUT (whole or not at all), and removed.
e1k_tools_archive() {
	mkdir -p "$1/etc"
	cp -r /etc/iproute2 "$1/etc/"
	(cd "$1" && find . | cpio -o -H newc --quiet | gzip -1) >"$2.tmp" &&
		mv "$2.tmp" "$2"
	rm -rf "$1"
}

# e1k_selftest_tools: the cpio.gz of the tools, rebuilt when their list or
# a package providing them changes.
e1k_selftest_tools() {
	local key out root name path
	# shellcheck disable=SC2086
	key=$({ echo "$E1K_SELFTEST_TOOLS"
		dpkg-query -W -f='${Package} ${Version}\n' libc6 \
			$E1K_SELFTEST_PACKAGES; } | sha256sum | cut -c1-12)
	out=$E1K_CACHE/selftest-tools-$key.cpio.gz
	if [ ! -f "$out" ]; then
		root=$(mktemp -d)
		for name in $E1K_SELFTEST_TOOLS; do
			path=$(command -v "$name") || die "no $name on the host"
			e1k_copy_program "$root" "$(readlink -f "$path")"
			# in the selftests' PATH, ahead of BusyBox's applets
			mkdir -p "$root/opt/selftests/bin"
			ln -sf "$(readlink -f "$path")" "$root/opt/selftests/bin/$name"
		done
		# the selftests' shebang
		mkdir -p "$root/bin"
		ln -sf "$(readlink -f "$(command -v bash)")" "$root/bin/bash"
		e1k_tools_archive "$root" "$out"
	fi
	echo "$out"
}

# e1k_selftests_initramfs INITRAMFS: append the selftests of 6.1 and 6.12
# (under /selftests/6.1 and /selftests/6.12) and the tools they need.
e1k_selftests_initramfs() {
	local root ver src
	root=$(mktemp -d)
	for ver in 6.1 6.12; do
		src=$(e1k_selftest_src "$ver") || return 1
		mkdir -p "$root/selftests"
		cp -r "$src" "$root/selftests/$ver"
	done
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >>"$1"
	rm -rf "$root"
	cat "$(e1k_selftest_tools)" >>"$1"
}

# --- XDP in the guest (modes xdp and bench) ------------------------------
#
# The guest's XDP programs (tests/guest/xdp_progs.c, clang -target bpf:
# /guest/xdp_progs.o) and AF_XDP test program (tests/guest/xsktest.c,
# linked with libxdp and libbpf: /opt/xdp/bin/xsktest), built from the
# repository for every boot, and the host's tools that load and measure
# XDP programs: iproute2's ip (with libbpf), bpftool, and xdp-tools'
# xdp-loader, xdp-bench and xdpdump, with their libraries, libxdp's BPF
# objects (its dispatcher, xdpdump's programs) and /etc/iproute2, packed
# once into a cpio archive of their own, as the selftests' tools are.
# In the guest they are in /opt/xdp/bin, which a script puts in its PATH;
# BusyBox's sh runs its own ip applet whatever PATH says, so iproute2's ip
# is called as /opt/xdp/bin/ip. xdp-loader and xdp-bench need the
# kernel's BTF (/sys/kernel/btf/vmlinux): Debian's kernels have it, the
# kernels of scripts/kernel do not.
E1K_XDP_PACKAGES="clang llvm libbpf-dev libxdp-dev xdp-tools bpftool iproute2
libbpf1 libxdp1"
E1K_XDP_TOOLS="ip bpftool xdp-loader xdp-bench xdpdump"

# e1k_real_elf NAME: the ELF program NAME runs. A tool may be a wrapper
# script that runs a kernel-versioned binary (bpftool from linux-tools):
# then the newest ELF of that name it names or under /usr/lib/linux-tools*.
e1k_real_elf() {
	local path cand
	path=$(command -v "$1") || return 1
	path=$(readlink -f "$path")
	if [ "$(head -c 4 "$path" | od -An -c | tr -d ' ')" = '177ELF' ]; then
		echo "$path"
		return 0
	fi
	for cand in $(grep -o "/[^\"' ]*/$1[^\"' ]*" "$path") \
		$(ls -d /usr/lib/linux-tools*/"$1" 2>/dev/null | sort -rV); do
		[ -f "$cand" ] &&
			[ "$(head -c 4 "$cand" | od -An -c | tr -d ' ')" = '177ELF' ] &&
			{ echo "$cand"; return 0; }
	done
	return 1
}

# e1k_build_xdp: $E1K_OUT/xdp_progs.o and $E1K_OUT/xsktest, rebuilt when
# their source is newer.
e1k_build_xdp() {
	local src=$E1K_ROOT/tests/guest
	mkdir -p "$E1K_OUT"
	if ! [ "$E1K_OUT/xdp_progs.o" -nt "$src/xdp_progs.c" ]; then
		clang -O2 -g -Wall -Werror -target bpf \
			-I"/usr/include/$(gcc -dumpmachine)" \
			-c "$src/xdp_progs.c" -o "$E1K_OUT/xdp_progs.o" ||
			die "xdp_progs.o build failed"
	fi
	if ! [ "$E1K_OUT/xsktest" -nt "$src/xsktest.c" ]; then
		gcc -O2 -Wall -Wextra -Werror -o "$E1K_OUT/xsktest" \
			"$src/xsktest.c" -lxdp -lbpf || die "xsktest build failed"
	fi
}

# e1k_xdp_tools: the cpio.gz of the XDP tools, rebuilt when their list or
# a package providing them changes.
e1k_xdp_tools() {
	local key out root name path bpfdir
	# shellcheck disable=SC2086
	key=$({ echo "$E1K_XDP_TOOLS"
		dpkg-query -W -f='${Package} ${Version}\n' libc6 \
			$E1K_XDP_PACKAGES; } | sha256sum | cut -c1-12)
	out=$E1K_CACHE/xdp-tools-$key.cpio.gz
	if [ ! -f "$out" ]; then
		mkdir -p "$E1K_CACHE"
		root=$(mktemp -d)
		mkdir -p "$root/opt/xdp/bin"
		for name in $E1K_XDP_TOOLS; do
			path=$(e1k_real_elf "$name") || die "no $name on the host"
			e1k_copy_program "$root" "$path"
			ln -sf "$path" "$root/opt/xdp/bin/$name"
		done
		# libxdp's dispatcher and xsk programs, xdpdump's
		bpfdir=/usr/lib/$(gcc -dumpmachine)/bpf
		mkdir -p "$root$bpfdir"
		cp "$bpfdir"/*.o "$root$bpfdir/"
		e1k_tools_archive "$root" "$out"
	fi
	echo "$out"
}

# e1k_xdp_initramfs INITRAMFS: append the XDP tools (cached), then
# xdp_progs.o and xsktest as built from the repository now.
e1k_xdp_initramfs() {
	local root tools
	# shellcheck disable=SC2086
	e1k_install $E1K_XDP_PACKAGES
	tools=$(e1k_xdp_tools) || return 1
	e1k_build_xdp
	cat "$tools" >>"$1"
	root=$(mktemp -d)
	mkdir -p "$root/guest"
	cp "$E1K_OUT/xdp_progs.o" "$root/guest/"
	e1k_copy_program "$root" "$E1K_OUT/xsktest" /opt/xdp/bin/xsktest
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >>"$1"
	rm -rf "$root"
}

# e1k_vm MODE [vm.py options...]: boot the guest kernel with the initramfs.
# A kernel of scripts/kernel gets acpi=noirq: under TCG its ACPI _PRT evaluation
# otherwise times out on every insmod. slub_debug=A marks the skb head
# cache as the one failslab may fail (tests/guest/hardening.sh).
# Every guest gets the longest soft-lockup (2 x 60 s) and RCU stall (300 s)
# thresholds: a vCPU thread the loaded host does not run for seconds is not
# a lockup, while a CPU really stuck is still reported.
e1k_vm() {
	local mode=$1 append="console=ttyS0 loglevel=5 panic=-1"
	shift
	append="$append watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=300"
	mkdir -p "$E1K_OUT"
	e1k_is_debian_label "$E1K_GUEST_KERNEL" ||
		append="$append acpi=noirq slub_debug=A,skbuff_head_cache"
	# one per kernel: scripts/test boots two kernels at once
	e1k_build_initramfs "$E1K_OUT/initramfs-$E1K_GUEST_KERNEL.gz"
	case $mode in
	selftests)
		e1k_selftests_initramfs "$E1K_OUT/initramfs-$E1K_GUEST_KERNEL.gz" ||
			die "cannot add the selftests to the initramfs"
		;;
	xdp | bench)
		e1k_xdp_initramfs "$E1K_OUT/initramfs-$E1K_GUEST_KERNEL.gz" ||
			die "cannot add the XDP tools to the initramfs"
		;;
	esac
	python3 "$E1K_ROOT/scripts/vm.py" \
		--kernel "$(e1k_kernel_image)" \
		--initrd "$E1K_OUT/initramfs-$E1K_GUEST_KERNEL.gz" \
		--append "$append e1ktest.mode=$mode ${E1K_GUEST_ARGS:-}" \
		--console-log "$E1K_OUT/console-$E1K_GUEST_KERNEL-$mode.log" "$@"
}

# checkpatch.pl from Debian's linux-source-6.1 tarball, extracted once.
E1K_TREE_DIR=drivers/net/ethernet/intel/e1k

# e1k_checkpatch FILE...: checkpatch.pl --strict on files of the
# repository (paths relative to its root), as they are in a kernel tree.
e1k_checkpatch() {
	local src=/usr/src/linux-source-6.1.tar.xz dir tmp out f
	dir="$E1K_CACHE/checkpatch-$(dpkg-query -W -f='${Version}' linux-source-6.1)"
	if [ ! -x "$dir/scripts/checkpatch.pl" ] ||
		[ ! -f "$dir/include/linux/ethtool.h" ]; then
		mkdir -p "$dir"
		tar -xJf "$src" -C "$dir" --strip-components=1 --wildcards \
			'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
			'*/scripts/const_structs.checkpatch' \
			'*/include/linux/ethtool.h' \
			'*/include/uapi/linux/ethtool.h' || return 1
	fi
	# --no-tree cannot learn the kernel's own CamelCase names as
	# checkpatch does in a tree, from its headers: --root gives it the
	# ones e1k uses, ethtool's (the IEEE 802.3 statistics' names).
	# Checked where they land in a tree, drivers/net/ethernet/intel/e1k/:
	# checkpatch applies the netdev rules (block comments) by that path.
	tmp=$(mktemp -d)
	mkdir -p "$tmp/$E1K_TREE_DIR"
	for f; do
		mkdir -p "$tmp/$E1K_TREE_DIR/$(dirname "$f")"
		cp "$E1K_ROOT/$f" "$tmp/$E1K_TREE_DIR/$f" || { rm -rf "$tmp"; return 1; }
	done
	out=$(cd "$tmp" &&
		perl "$dir/scripts/checkpatch.pl" --strict --no-tree --root="$dir" --terse \
			--show-types --max-line-length=80 \
			-f "${@/#/$E1K_TREE_DIR/}" 2>&1)
	rm -rf "$tmp"
	echo "$out" | grep -Ev '^total: ' | grep . && return 1
	return 0
}

# --- Kernels built from Debian's linux-source-6.1 (scripts/kernel) -------
#
# The source is extracted once per source version, under
# $E1K_CACHE/linux-<version>/src, with e1k hooked in (scripts/intree); every
# kernel is built from it out of tree (O=). A flavour is tinyconfig plus
# tests/kernel/common.config plus tests/kernel/<flavour>.config, built in
# $E1K_CACHE/linux-<version>/<flavour>-<hash of the fragments>/build. The
# variants of one flavour differ only in two symbols, so they are rebuilt
# from that one build incrementally (about a minute each) instead of from
# scratch (about ten):
#   debug    flavour debug, CONFIG_E1K=m, CONFIG_E1000=m   suite, stress, faults
#   builtin  flavour debug, CONFIG_E1K=y, no CONFIG_E1000  boots with e1k
#   both     flavour debug, CONFIG_E1K=y, CONFIG_E1000=y   both drivers link
#   kcsan    flavour kcsan, CONFIG_E1K=m, CONFIG_E1000=m   the data-race run
# Each variant's bzImage (and, for the modular ones, its modules) is saved
# beside the build with a stamp of what it was built from; an unchanged
# variant is not rebuilt. The i386 tree of e1k_i386_check is the same
# source configured for ARCH=i386, prepared for modules only.

E1K_KCONFIGS=$E1K_ROOT/tests/kernel

e1k_variant_flavour() {
	case $1 in
	debug | builtin | both) echo debug ;;
	kcsan) echo kcsan ;;
	*) return 1 ;;
	esac
}

e1k_variant_config() {
	case $1 in
	debug | kcsan) printf 'CONFIG_E1K=m\nCONFIG_E1000=m\n' ;;
	builtin) printf 'CONFIG_E1K=y\n# CONFIG_E1000 is not set\n' ;;
	both) printf 'CONFIG_E1K=y\nCONFIG_E1000=y\n' ;;
	*) return 1 ;;
	esac
}

# The fragments of a flavour, in merge order.
e1k_fragments() {
	case $1 in
	i386) echo "$E1K_KCONFIGS/i386.config" ;;
	*) echo "$E1K_KCONFIGS/common.config $E1K_KCONFIGS/$1.config" ;;
	esac
}

e1k_linux_cache() {
	local ver
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.1) || return 1
	echo "$E1K_CACHE/linux-$ver"
}

# e1k_flavour_dir FLAVOUR: where that flavour's build and variants live.
e1k_flavour_dir() {
	local hash
	# shellcheck disable=SC2046
	hash=$(cat $(e1k_fragments "$1") | sha256sum | cut -c1-12)
	echo "$(e1k_linux_cache)/$1-$hash"
}

# e1k_variant_dir VARIANT: the saved bzImage, modules and stamp.
e1k_variant_dir() {
	echo "$(e1k_flavour_dir "$(e1k_variant_flavour "$1")")/$1"
}

# The source tree, extracted once per version. e1k is hooked in (and its
# files refreshed) only by the builds that compile it in-tree
# (e1k_kernel_build) and by the menuconfig check, never by a check that
# only needs the tree configured.
e1k_kernel_src() {
	local lc src
	lc=$(e1k_linux_cache) || return 1
	src=$lc/src
	if [ ! -f "$lc/src.done" ]; then
		say "extracting linux-source-6.1 into $src"
		rm -rf "$src"
		mkdir -p "$src"
		tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$src" \
			--strip-components=1 || die "cannot extract linux-source-6.1"
		touch "$lc/src.done"
	fi
	echo "$src"
}

# e1k_flavour_build FLAVOUR [ARCH]: the configured build directory (O=) of
# FLAVOUR, tinyconfig + its fragments saved as base.config. Done once per
# cache key; other keys of the same flavour are removed.
e1k_flavour_build() {
	local flavour=$1 arch=${2:-x86_64} src fd build old
	src=$(e1k_kernel_src) || return 1
	fd=$(e1k_flavour_dir "$flavour")
	build=$fd/build
	[ -f "$fd/base.config" ] && { echo "$build"; return 0; }
	for old in "$(e1k_linux_cache)/$flavour"-*; do
		[ "$old" = "$fd" ] || rm -rf "$old"
	done
	mkdir -p "$build"
	make -C "$src" O="$build" ARCH="$arch" -s tinyconfig >/dev/null ||
		die "make tinyconfig ($flavour) failed"
	# shellcheck disable=SC2046
	(cd "$build" && ARCH=$arch "$src/scripts/kconfig/merge_config.sh" \
		-m -O "$build" .config $(e1k_fragments "$flavour")) \
		>"$fd/merge.log" 2>&1 || die "merging the $flavour fragments failed"
	make -C "$src" O="$build" ARCH="$arch" -s olddefconfig >/dev/null ||
		die "olddefconfig ($flavour) failed"
	e1k_config_kept "$build/.config" $(e1k_fragments "$flavour") ||
		die "$flavour: see above"
	cp "$build/.config" "$fd/base.config"
	echo "$build"
}

# e1k_config_kept CONFIG FRAGMENT...: every symbol the fragments set
# survived olddefconfig (a dependency can silently drop one).
e1k_config_kept() {
	local config=$1 sym ok=0
	shift
	for sym in $(grep -hE '^CONFIG_[A-Z0-9_]+=' "$@"); do
		case $sym in
		*=n) grep -qx "# ${sym%=n} is not set" "$config" ;;
		*) grep -qx "$sym" "$config" ;;
		esac || { echo "'$sym' did not survive olddefconfig" >&2; ok=1; }
	done
	return $ok
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
	local variant=$1 flavour fd src build out stamp targets="bzImage"
	flavour=$(e1k_variant_flavour "$variant") || die "unknown variant $variant"
	fd=$(e1k_flavour_dir "$flavour")
	out=$fd/$variant
	stamp=$(e1k_variant_stamp "$variant")
	if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ]; then
		return 0
	fi
	build=$(e1k_flavour_build "$flavour") || return 1
	src=$(e1k_kernel_src) || return 1
	"$E1K_ROOT/scripts/intree" "$src" || die "scripts/intree failed"
	cp "$fd/base.config" "$build/.config"
	e1k_variant_config "$variant" >"$fd/$variant.config"
	(cd "$build" && "$src/scripts/kconfig/merge_config.sh" -m -O "$build" \
		.config "$fd/$variant.config") >>"$fd/merge.log" 2>&1 ||
		die "merging the $variant symbols failed"
	make -C "$src" O="$build" -s olddefconfig >/dev/null ||
		die "olddefconfig failed"
	e1k_config_kept "$build/.config" "$fd/$variant.config" ||
		die "$variant: see above"
	if [ -f "$build/vmlinux" ]; then
		say "building the $variant kernel (incremental)"
	else
		say "building the $flavour kernel from scratch (about 10 min on 2 cores)"
	fi
	grep -qx 'CONFIG_E1K=m' "$build/.config" && targets="bzImage modules"
	# shellcheck disable=SC2086
	if ! make -C "$src" O="$build" -j"$(($(nproc) + 1))" $targets \
		>"$fd/build-$variant.log" 2>&1; then
		tail -n 40 "$fd/build-$variant.log" >&2
		die "the $variant kernel did not build"
	fi
	rm -rf "$out"
	mkdir -p "$out/modules"
	cp "$build/arch/x86/boot/bzImage" "$out/"
	if [ "$targets" != bzImage ]; then
		cp "$build/drivers/net/ethernet/intel/e1k/e1k.ko" \
			"$build/drivers/net/ethernet/intel/e1000/e1000.ko" \
			"$build/net/core/pktgen.ko" "$build/net/8021q/8021q.ko" \
			"$build/drivers/net/netconsole.ko" "$out/modules/"
		e1k_build_test_module "$build" "$out/modules"
	fi
	echo "$stamp" >"$out/stamp"
}

# e1k_i386_check: e1k built W=1, then with sparse, against a 32-bit x86
# tree (tinyconfig + tests/kernel/i386.config, modules_prepare only): u64
# division, printk formats and dma_addr_t widths (32 bits there) show.
# Prints the compiler's and sparse's findings; fails on any.
e1k_i386_check() {
	local build fd dir=$E1K_OUT/i386 log
	# e1k's Kconfig in the tree, for what it selects (i386.config)
	"$E1K_ROOT/scripts/intree" "$(e1k_kernel_src)" >/dev/null || return 1
	build=$(e1k_flavour_build i386 i386) || return 1
	fd=$(e1k_flavour_dir i386)
	if [ ! -f "$fd/prepared" ]; then
		make -C "$(e1k_kernel_src)" O="$build" ARCH=i386 \
			-j"$(($(nproc) + 1))" modules_prepare >"$fd/prepare.log" 2>&1 ||
			{ tail -n 20 "$fd/prepare.log"; return 1; }
		touch "$fd/prepared"
	fi
	for log in W=1 C=2; do
		rm -rf "$dir"
		mkdir -p "$dir"
		cp "$E1K_ROOT"/Makefile "$E1K_ROOT"/*.[ch] "$dir/"
		rm -f "$dir"/*.mod.c
		# W=1, then sparse (C=2: every file, built or not)
		make -C "$build" M="$dir" ARCH=i386 "$log" CONFIG_E1K=m \
			KBUILD_MODPOST_WARN=1 modules >"$E1K_OUT/i386-$log.log" 2>&1 ||
			{ tail -n 30 "$E1K_OUT/i386-$log.log"; return 1; }
		[ -f "$dir/e1k.ko" ] || { echo "no e1k.ko ($log)"; return 1; }
		grep -E '^/.*(warning|error):' "$E1K_OUT/i386-$log.log" && return 1
		# a 64-bit division left to libgcc, which the kernel lacks
		nm "$dir/e1k.ko" | grep -E ' U __(u?div|u?mod)di3$' && return 1
	done
	file "$dir/e1k.ko" 2>/dev/null || true
	return 0
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

# e1k_dkms_check RELEASE: dkms add/build/install/remove of e1k against
# that kernel's headers, from a copy holding only what the package needs.
e1k_dkms_check() {
	local kver=$1 ver stage f
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$E1K_ROOT/dkms.conf")
	[ -n "$ver" ] || { echo "no PACKAGE_VERSION in dkms.conf"; return 1; }
	dkms remove "e1k/$ver" --all >/dev/null 2>&1
	rm -rf "/usr/src/e1k-$ver"
	stage=$E1K_OUT/dkms/e1k-$ver
	rm -rf "$stage"
	mkdir -p "$stage"
	while read -r f; do
		cp "$f" "$stage/"
	done < <(e1k_driver_files; echo "$E1K_ROOT/dkms.conf")
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
# driver support > Intel devices. tmux's kill-session only hangs up the
# pane: make and mconf would outlive it (mconf then spins on the dead
# terminal), so the pane's whole process group is killed first.
e1k_menuconfig_check() {
	local src fd cfg build screen=$E1K_OUT/menuconfig.txt i pgid rc=0
	e1k_flavour_build debug >/dev/null || return 1
	src=$(e1k_kernel_src) || return 1
	"$E1K_ROOT/scripts/intree" "$src" || return 1
	fd=$(e1k_flavour_dir debug)
	cfg=$E1K_OUT/menuconfig.config build=$E1K_OUT/menuconfig-build
	cp "$fd/base.config" "$cfg"
	mkdir -p "$build"
	tmux kill-session -t e1k-menuconfig 2>/dev/null
	tmux new-session -d -s e1k-menuconfig -x 160 -y 50 \
		"exec make -C $src O=$build KCONFIG_CONFIG=$cfg menuconfig" || return 1
	pgid=$(tmux display-message -p -t e1k-menuconfig '#{pane_pid}')
	for i in $(seq 120); do
		tmux capture-pane -p -t e1k-menuconfig >"$screen" 2>/dev/null
		grep -q 'Linux/x86' "$screen" && break
		sleep 1
	done
	tmux send-keys -t e1k-menuconfig / && sleep 1 &&
		tmux send-keys -t e1k-menuconfig E1K Enter && sleep 2 &&
		tmux capture-pane -p -t e1k-menuconfig >"$screen"
	[ -n "$pgid" ] && kill -KILL -- "-$pgid" 2>/dev/null
	tmux kill-session -t e1k-menuconfig 2>/dev/null
	sed -n '/Symbol: E1K /,/(E1K \[/p' "$screen"
	grep -A 5 'Location:' "$screen" | tr '\n' ' ' |
		grep -q 'Device Drivers.*Network device support.*Ethernet driver support.*Intel devices.*82540EM' || rc=1
	# nothing of it may be left but zombies on their way out
	[ -n "$pgid" ] && wait_gone 10 "$pgid"
	if [ -n "$pgid" ] && [ -n "$(e1k_pgrp_alive "$pgid")" ]; then
		echo "processes of make menuconfig outlived the check:"
		pgrep -a -g "$pgid"
		rc=1
	fi
	return $rc
}

# e1k_pgrp_alive PGID: the members of process group PGID that are not
# zombies (a zombie has ended; its parent has not reaped it yet).
e1k_pgrp_alive() {
	local pid
	for pid in $(pgrep -g "$1"); do
		[ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" = Z ] ||
			echo "$pid"
	done
}

# wait_gone SECONDS PGID: poll until no member of PGID is alive.
wait_gone() {
	local tenths=$(($1 * 10))
	while [ -n "$(e1k_pgrp_alive "$2")" ] && [ $tenths -gt 0 ]; do
		sleep 0.1
		tenths=$((tenths - 1))
	done
}

# e1k_leftovers: list the processes that carry this run's E1K_RUN_MARK in
# their environment (everything scripts/test started inherits it), other
# than the caller and this check; fails if there are any.
e1k_leftovers() {
	python3 - "$$" <<'PY'
import os
import sys

mark = ("E1K_RUN_MARK=" + os.environ["E1K_RUN_MARK"]).encode()
spare = {os.getpid(), os.getppid(), int(sys.argv[1])}
left = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    if int(pid) in spare:
        continue
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            if mark not in f.read().split(b"\0"):
                continue
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        continue
    left.append(f"{pid} {cmd}")
print("\n".join(left) if left else "none")
sys.exit(1 if left else 0)
PY
}
