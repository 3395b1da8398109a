# shellcheck shell=sh
# The kernel's own selftests that apply to e1k, from the kernel trees
# (under /selftests/VERSION, see scripts/lib.sh), run with the real tools
# they need (bash, iproute2, jq, mausezahn: /opt/selftests/bin). Which
# ones: e1ktest.selftests=VERSION/PATH[@STEPS][:ARGS],... on the kernel
# command line, ARGS split at "+" (default: eth0 eth1, the two NICs on one
# QEMU hub). Each is one scenario on e1k: it passes if the script exits 0
# and every step it reports passed (TEST: ... [ OK ], PASS:), STEPS of
# them if given (ethtool_rmon.sh of 6.12 leaves a histogram without a
# word when a bucket fails); a SKIP or an XFAIL is not a pass. Then each runs again on upstream e1000, for
# comparison only: "# e1000: ..." lines, not counted.
# shellcheck source=tests/guest/lib.sh
. /guest/lib.sh

SELFTESTS=$(kernel_arg e1ktest.selftests | tr ',' ' ')
SELFTEST_X=$(kernel_arg e1ktest.x)
PATH=/opt/selftests/bin:$PATH
export PATH
mkdir -p /run /var/run
ln -sf /proc/self/fd /dev/fd	# bash's process substitution
# The modules they use, which the kernel would otherwise ask BusyBox's
# modprobe for in vain.
for m in vrf sch_ingress cls_flower act_gact; do
	insmod /lib/modules/$m.ko 2> /dev/null
done

# run_selftest SPEC OUT: run one selftest, its output into OUT; prints a
# verdict line: "pass|fail|skip N ok, N failed, N skipped (exit RC)".
run_selftest() {
	local spec=$1 out=$2 path args steps="" dir rc ok bad skip verdict
	path=/selftests/${spec%%:*}
	args=eth0+eth1
	case $spec in *:*) args=${spec#*:} ;; esac
	case $path in
	*@*) steps=${path#*@} path=${path%@*} ;;
	esac
	dir=$(dirname "$path")
	# the console log shows it as it runs, for a test that hangs
	echo "selftest $spec:" > /dev/console
	# shellcheck disable=SC2046 # ARGS split at "+"
	# bash by its path: BusyBox's timeout would run its own "bash" (ash)
	(cd "$dir" && timeout 900 /opt/selftests/bin/bash ${SELFTEST_X:+-x} "./$(basename "$path")" \
		$(echo "$args" | tr '+' ' ') 2>&1; echo "rc=$?") |
		tee /dev/console > "$out"
	rc=$(sed -n 's/^rc=//p' "$out")
	ok=$(grep -cE '^TEST: .*\[ *OK *\]|^PASS: ' "$out")
	bad=$(grep -cE '^TEST: .*\[ *FAIL *\]|^FAIL: ' "$out")
	skip=$(grep -cE '^TEST: .*\[ *(SKIP|XFAIL) *\]|^SKIP: |^XFAIL: ' "$out")
	if [ "$rc" = 0 ] && [ "$bad" = 0 ] && [ "$ok" -gt 0 ] &&
		[ "$ok" = "${steps:-$ok}" ]; then
		verdict=pass
	elif [ "$rc" = 4 ] || { [ "$bad" = 0 ] && [ "$ok" = 0 ]; }; then
		verdict=skip
	else
		verdict=fail
	fi
	echo "$verdict $ok ok${steps:+ of $steps}, $bad failed, $skip skipped (exit $rc)"
}

# Both NICs bound to DRIVER, down, with no address: the selftests set up
# what they need themselves.
bind_all() {
	case $1 in
	e1k) e1k_load ;;
	e1000)
		insmod /lib/modules/e1000.ko || return 1
		wait_for 10 have_if eth0 && wait_for 10 have_if eth1
		;;
	esac || return 1
	[ "$(driver_of eth0)" = "$1" ] && [ "$(driver_of eth1)" = "$1" ]
}

unbind_all() {
	rmmod "$1" && wait_for 10 no_if
}
no_if() { ! have_if eth0 && ! have_if eth1; }

# One selftest on e1k: every step it reports, then the verdict.
selftest_e1k() {
	local verdict out=/tmp/selftest.out
	verdict=$(run_selftest "$1" $out)
	grep -E '^(TEST|FAIL|SKIP|XFAIL)' $out | sed 's/^/# /'
	log "e1k: $1: $verdict"
	case $verdict in
	pass*) return 0 ;;
	*) tail -n 20 $out | sed 's/^/# | /'; return 1 ;;
	esac
}

# The same on upstream e1000: its verdict only, as diagnostics.
selftest_e1000() {
	local spec verdict
	bind_all e1000 || { log "e1000: cannot bind both NICs"; return 1; }
	for spec in $SELFTESTS; do
		verdict=$(run_selftest "$spec" /tmp/selftest-e1000.out)
		log "e1000: $spec: $verdict"
		grep -E '^(TEST|FAIL|SKIP|XFAIL)' /tmp/selftest-e1000.out |
			sed 's/^/#   e1000 | /'
	done
	unbind_all e1000
}

guest_setup
n=0
for spec in $SELFTESTS; do n=$((n + 1)); done
tap_plan $((n + 3))
t "insmod binds eth0 and eth1 to e1k" bind_all e1k
for spec in $SELFTESTS; do
	name=${spec%%:*}
	t "selftest ${name%@*} on e1k" selftest_e1k "$spec"
done
t "rmmod e1k removes both interfaces" unbind_all e1k
t "the same selftests on upstream e1000, for comparison" selftest_e1000
