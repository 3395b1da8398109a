# shellcheck shell=bash
# Host-side helpers shared by scripts/demo and scripts/test.  Sourced, not
# run.  The guest boots Debian's installed 6.1 kernel and e1k.ko is built
# against its headers; E1K_KERNEL_TREE=<built kernel tree> uses that tree's
# bzImage, kbuild and modules instead.

E1K_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
E1K_CACHE=${E1K_CACHE:-/var/cache/e1k}
E1K_OUT=${E1K_OUT:-$E1K_ROOT/out}

E1K_PACKAGES="build-essential qemu-system-x86 busybox-static linux-headers-amd64
linux-image-amd64 linux-source-6.1 sparse ethtool cpio python3 kmod xz-utils"

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

# Where the guest kernel, its kbuild directory and its modules are.
e1k_kernel_image() {
	if [ -n "${E1K_KERNEL_TREE:-}" ]; then
		echo "$E1K_KERNEL_TREE/arch/x86/boot/bzImage"
	else
		echo "/boot/vmlinuz-$(e1k_kver)"
	fi
}

e1k_kdir() {
	if [ -n "${E1K_KERNEL_TREE:-}" ]; then
		echo "$E1K_KERNEL_TREE"
	else
		echo "/usr/src/linux-headers-$(e1k_kver)"
	fi
}

e1k_kmodules() {
	if [ -n "${E1K_KERNEL_TREE:-}" ]; then
		echo "$E1K_KERNEL_TREE"
	else
		echo "/lib/modules/$(e1k_kver)/kernel"
	fi
}

e1k_build_module() {
	say "building e1k.ko (W=1) against $(e1k_kdir)"
	mkdir -p "$E1K_OUT"
	make -C "$E1K_ROOT" --no-print-directory KDIR="$(e1k_kdir)" W=1 \
		>"$E1K_OUT/build.log" 2>&1 ||
		{ cat "$E1K_OUT/build.log" >&2; die "module build failed"; }
}

# Copy a dynamically linked program and the libraries it needs into a root.
e1k_copy_program() {
	local root=$1 prog=$2 lib
	install -D "$prog" "$root$prog"
	for lib in $(ldd "$prog" | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] || install -D "$lib" "$root$lib"
	done
}

# e1k_build_initramfs OUTPUT: BusyBox, the guest scripts, e1k.ko, the
# kernel's pktgen.ko and e1000.ko, and ethtool.
e1k_build_initramfs() {
	local out=$1 mods root
	mods=$(e1k_kmodules)
	root=$(mktemp -d)
	mkdir -p "$root/bin" "$root/lib/modules" "$root/guest"
	cp /bin/busybox "$root/bin/busybox"
	install -m 755 "$E1K_ROOT/tests/guest/init" "$root/init"
	cp "$E1K_ROOT"/tests/guest/*.sh "$root/guest/"
	cp "$E1K_ROOT/e1k.ko" "$root/lib/modules/"
	cp "$mods/net/core/pktgen.ko" "$root/lib/modules/"
	cp "$mods/drivers/net/ethernet/intel/e1000/e1000.ko" "$root/lib/modules/"
	e1k_copy_program "$root" "$(command -v ethtool)"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
	rm -rf "$root"
}

# e1k_vm MODE [vm.py options...]: boot the guest kernel with the initramfs.
# A self-built kernel gets acpi=noirq: under TCG its ACPI _PRT evaluation
# otherwise times out on every insmod.
e1k_vm() {
	local mode=$1 append="console=ttyS0 loglevel=5 panic=-1"
	shift
	mkdir -p "$E1K_OUT"
	[ -n "${E1K_KERNEL_TREE:-}" ] && append="$append acpi=noirq"
	e1k_build_initramfs "$E1K_OUT/initramfs.gz"
	python3 "$E1K_ROOT/scripts/vm.py" \
		--kernel "$(e1k_kernel_image)" --initrd "$E1K_OUT/initramfs.gz" \
		--append "$append e1ktest.mode=$mode" \
		--console-log "$E1K_OUT/console-$mode.log" "$@"
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
	perl "$dir/scripts/checkpatch.pl" --strict --no-tree --terse \
		--show-types --max-line-length=80 -f "$@"
}
