#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The real-Xen harness: build the images, boot Xen 4.17 with Debian's
# kernel as a PV dom0 under QEMU (TCG, no network leaving the machine), run
# the named tests inside dom0 in one boot, and report them as flat TAP
# ("<test>: <check>"), with each test's files in build/xen/results/<run>/.
#
# usage: run.sh [-t SECS] [--all] [TEST...]
#                 (default: make check's tests, every test but demo, bench,
#                 stress_*, dkms_* and those marked "# XT-TIER: long";
#                 --all adds the long ones: make check-all)
#        run.sh --shell                 a dom0 root shell on this terminal
#   -t SECS   limit for the whole boot (default 5100)
# Needs build/config.mk and the built modules (make modules).
# XT_DKMS_DEB=FILE boots a dom0 root with that package installed by dpkg
# (DKMS built the modules in it): make xen-test-dkms, test dkms_host.
# XT_CONFIG=FILE takes the kernel from FILE instead: Debian 13's host (Xen
# 4.20, Linux 6.12; make KSERIES=6.12) names build/config-6.12.mk; the
# debug-kernel tier (scripts/check-debug.sh) names build/debug/config.mk,
# whose XT_KERNEL is a kernel built by scripts/debug-kernel.sh.
set -uo pipefail
XT_SRC=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$XT_SRC/../.." && pwd)
cd "$top" || exit 1
tmo=5100 shell=0 all=0
[ "${1:-}" = -t ] && { tmo=$2; shift 2; }
[ "${1:-}" = --all ] && { all=1; shift; }
[ "${1:-}" = --shell ] && { shell=1; shift; }

. scripts/lib/apt.sh
need_pkgs qemu-system-x86 mmdebstrap busybox-static cpio kmod binutils gcc libc6-dev zstd >&2 || exit 1
XT_KERNEL=
eval "$(sed -n 's/^\([A-Z_]*\) := \(.*\)$/\1="\2"/p' "${XT_CONFIG:-build/config.mk}")"
# Another Debian release's host (SUITE in the configuration: make
# modules-6.12's build/config-6.12.mk) has images and runs of its own.
XT_CACHE=$top/build/xen${SUITE:+-$SUITE}
# XT_MODS: another build of the modules (an older commit's, to show a
# regression test failing there); the tests stay this tree's.
XT_MODS=${XT_MODS:-$top/build/modules/$KV}
run_id=$(date +%Y%m%d-%H%M%S)
XT_WORK=$XT_CACHE/runs/$run_id
mkdir -p "$XT_WORK"
ln -sfn "runs/$run_id" "$XT_CACHE/last"
. "$XT_SRC/lib/images.sh"
. "$XT_SRC/lib/qemu.sh"

if [ $shell = 1 ]; then
	tests=()
elif [ $# -gt 0 ]; then
	tests=("$@")
else
	mapfile -t tests < <(cd "$XT_SRC/tests" && ls ./*.sh | sed 's|^\./||; s|\.sh$||' |
		grep -vx -e demo -e bench -e 'stress_.*' -e 'dkms_.*')
	if [ $all = 0 ]; then
		long=$(cd "$XT_SRC/tests" && grep -l '^# XT-TIER: long' ./*.sh | sed 's|^\./||; s|\.sh$||')
		mapfile -t tests < <(printf '%s\n' "${tests[@]}" | grep -vxF -e "${long:-/}")
	fi
	# "# XT-MIN-KERNEL: X.Y": a test of what older kernels lack is left
	# out of the lists on them (named, it runs and says why it skips).
	newer=$(cd "$XT_SRC/tests" && grep -H '^# XT-MIN-KERNEL: ' ./*.sh | while IFS=: read -r f _ v; do
		v=${v# }
		[ "$(printf '%s\n' "$v" "${KV%%-*}" | sort -V | head -1)" = "$v" ] || basename "$f" .sh
	done)
	mapfile -t tests < <(printf '%s\n' "${tests[@]}" | grep -vxF -e "${newer:-/}")
fi
for t in "${tests[@]}"; do
	[ -f "$XT_SRC/tests/$t.sh" ] || { echo "run.sh: no test $t in $XT_SRC/tests" >&2; exit 1; }
done
for m in xen-coalesce xen-netback xen-netfront; do
	[ -f "$XT_MODS/$m.ko" ] || { echo "run.sh: $XT_MODS/$m.ko missing: make modules" >&2; exit 1; }
done
XT_NSIM=$top/build/netdevsim/$KV/netdevsim.ko
[ -f "$XT_NSIM" ] || { echo "run.sh: $XT_NSIM missing: make test-modules" >&2; exit 1; }
XT_XTMOD=$top/build/xt-kmod/$KV/xt_tx_window.ko
[ -f "$XT_XTMOD" ] || { echo "run.sh: $XT_XTMOD missing: make test-modules" >&2; exit 1; }

infra_fail() { # the harness itself failed: say so as a failed test
	echo "not ok 1 - infrastructure: $1"
	[ -f "$XT_WORK/serial.log" ] && tail -30 "$XT_WORK/serial.log" | sed 's/^/# /'
	echo "1..1"
	exit 1
}

xt_images_boot || infra_fail "could not get Xen and linux-image-$KV"
xt_images_rootfs || infra_fail "could not build the dom0 rootfs"
# shellcheck disable=SC2034 # xt_qemu's (lib/qemu.sh): the DKMS root is larger
[ -n "${XT_DKMS_DEB:-}" ] && XT_DOM0_MEM=2048M
xt_images_domu || infra_fail "could not build the domU initramfs"
echo "# Xen $XT_XEN_VERSION, Linux $KV ($XT_KERNEL_VERSION), tests: ${tests[*]}"
# What the run booted, for the reports made of it (make bench's meta.json).
echo "Xen $XT_XEN_VERSION, Linux $KV ($XT_KERNEL_VERSION)" > "$XT_WORK/versions"
[ "$XT_MODS" = "$top/build/modules/$KV" ] || echo "# the modules from $XT_MODS"

# The overlay: /init, runner, tests, the project's modules, netdevsim, the
# stock modules dom0 needs (under usr/lib: a real lib/ would hide the
# merged-usr link), the domU images.
ovl=$XT_WORK/overlay
mkdir -p "$ovl/xt/tests" "$ovl/xt/project" "$ovl/xt/test-modules" "$ovl/usr/lib/modules/$KV/kernel"
cp "$XT_SRC/dom0/init" "$ovl/init"
cp "$XT_SRC/dom0/runner.sh" "$XT_SRC/dom0/xt-lib.sh" "$XT_SRC/dom0/xt-stats.sh" "$XT_SRC/dom0/kernel-log.sh" "$XT_SRC/dom0/vif-xt" "$ovl/xt/"
[ -n "$XT_KERNEL" ] && touch "$ovl/xt/debug-kernel"
cp "$XT_SRC"/tests/*.sh "$ovl/xt/tests/"
printf '%s\n' "${tests[@]}" | grep . > "$ovl/xt/tests.list"
# The bench's choices, for the runner's environment in dom0.
for v in XT_BENCH_REPS XT_BENCH_SCENARIOS XT_BENCH_LIMIT; do
	[ -n "${!v:-}" ] && printf 'export %s=%q\n' "$v" "${!v}"
done > "$ovl/xt/env"
modinfo -F version "$XT_MODS/xen-netback.ko" > "$ovl/xt/version"
cp "$XT_MODS"/*.ko "$ovl/xt/project/"
cp "$XT_NSIM" "$(dirname "$XT_XTMOD")/xt_ctl_vifs.ko" "$ovl/xt/test-modules/"
cp "$XT_BOOT/vmlinux" "$XT_WORK/domu.cpio.gz" "$ovl/xt/"
mkdir -p "$ovl/xt/bin"
for b in rx-block rx-stop tstamp-hold qstats; do
	gcc -static -O2 -Wall -o "$ovl/xt/bin/$b" "$XT_SRC/dom0/$b.c" ||
		infra_fail "dom0/$b.c did not build"
done
make -s -C tools/xcoal-sim static > /dev/null && cp build/sim/xcoal-sim-static "$ovl/xt/bin/xcoal-sim" ||
	infra_fail "xcoal-sim did not build"
for d in drivers/xen drivers/net/xen-netback net/bridge net/802 net/llc \
	drivers/net/ethernet/intel/e1000e drivers/net/dummy.ko net/psample \
	drivers/net/bonding net/tls net/8021q; do
	[ -e "$XT_KMODS/kernel/$d.xz" ] && d=$d.xz # Debian 13 compresses them
	[ -e "$XT_KMODS/kernel/$d" ] || continue # built in
	mkdir -p "$ovl/usr/lib/modules/$KV/kernel/$(dirname $d)"
	cp -a "$XT_KMODS/kernel/$d" "$ovl/usr/lib/modules/$KV/kernel/$(dirname $d)/"
done
cp "$XT_KMODS"/modules.builtin* "$XT_KMODS/modules.order" "$ovl/usr/lib/modules/$KV/"
# What DKMS installed in the root (make xen-test-dkms), so that the
# overlay's module index, which replaces the root's, lists it too.
[ -d "$XT_ROOTFS/usr/lib/modules/$KV/updates" ] &&
	cp -a "$XT_ROOTFS/usr/lib/modules/$KV/updates" "$ovl/usr/lib/modules/$KV/"
depmod -b "$ovl/usr" "$KV"
(cd "$ovl" && find . | cpio -o -H newc --quiet) > "$XT_WORK/overlay.cpio"
cat "$XT_BASE_CPIO" "$XT_WORK/overlay.cpio" > "$XT_WORK/dom0.cpio"
rm -rf "$ovl" "$XT_WORK/overlay.cpio"

if [ $shell = 1 ]; then
	echo "# dom0 root shell after XT-DONE; '. /xt/xt-lib.sh' for the helpers; Ctrl-A X quits"
	xt_qemu mon:stdio
	exit 0
fi
start=$(date +%s)
xt_boot "$XT_WORK/serial.log" "$tmo"
boot_rc=$?
echo "# boot and tests took $(($(date +%s) - start)) s; serial log: $XT_WORK/serial.log"
rm -f "$XT_WORK/dom0.cpio"
grep -q XT-DOM0-READY "$XT_WORK/serial.log" ||
	infra_fail "dom0 never became ready (boot rc $boot_rc)"

# Turn the framed serial output into flat TAP and the result files.
perl - "$XT_WORK" "$boot_rc" <<'EOP'
use strict;
my ($work, $boot_rc) = @ARGV;
open(my $log, '<', "$work/serial.log") or die;
my ($test, $file, $fh, $n, $failed, %ended) = (undef, undef, undef, 0, 0);
my (@order, %leaf_fail, %plan, %count, %began);
sub result {
	my ($ok, $name, @diag) = @_;
	$n++;
	$failed++ unless $ok;
	print(($ok ? "ok" : "not ok"), " $n - $name\n");
	print "# $_\n" for @diag;
}
while (<$log>) {
	chomp;
	# The serial console's clock (seconds since the boot began).
	my $at = s/^\[\s*([\d.]+)\] // ? $1 : undef;
	if (defined $file && !/XT-FILE-END/) { print $fh "$_\n"; next; }
	next unless s/^.*?(XT[-|])/$1/;
	if (/^XT-TEST-BEGIN (\S+)/) { $test = $1; push @order, $test; $began{$test} = $at; print "# $test\n"; next; }
	if (/^XT-TEST-END (\S+) rc=(\d+)/) {
		my ($t, $rc) = ($1, $2);
		$ended{$t} = 1;
		# How long each test takes: what make check's time goes to.
		printf("# %s took %d s\n", $t, $at - $began{$t}) if defined $at && defined $began{$t};
		# A test that failed without a failed check still fails.
		result(0, "$t: exited $rc" . ($rc == 124 ? " (its time limit)" : "") . " without a failed check")
			if $rc != 0 && $rc != 4 && !$leaf_fail{$t};
		# So does one whose plan is missing or does not match its checks.
		my $c = $count{$t} // 0;
		result(0, "$t: its plan (" . (defined $plan{$t} ? "1..$plan{$t}" : "none") . ") does not match its $c checks: it stopped early")
			if !defined $plan{$t} || $plan{$t} != $c;
		undef $test; next;
	}
	if (/^XT-FILE (\S+)/) { $file = $1; mkdir "$work/results"; my $d = "$work/results/$file"; $d =~ s|/[^/]*$||; system("mkdir", "-p", $d); open($fh, '|-', "base64 -d > '$work/results/$file'"); next; }
	if (/^XT-FILE-END/) { close($fh); undef $file; next; }
	next unless defined $test && s/^XT\| //;
	if (/^1\.\.(\d+)$/) { $plan{$test} = $1; next; }
	if (/^(not )?ok \d+ - (.*)$/) {
		my ($bad, $name) = ($1, $2);
		$count{$test}++;
		$leaf_fail{$test} = 1 if $bad;
		result(!$bad, "$test: $name");
	} elsif (/^#/) {
		print "$_\n";
	}
}
for my $t (@order) {
	result(0, "$t: no result: the boot stopped during it (rc $boot_rc: 2 crash, 3 time limit)") unless $ended{$t};
}
print "1..$n\n";
exit($failed ? 1 : 0);
EOP
