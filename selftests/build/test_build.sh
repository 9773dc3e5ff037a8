#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The build's promises, as TAP: three modules for the configured kernel,
# each carrying the git version; the drivers depend on xen-coalesce; no
# file of ours is a copy of an upstream driver file; the benchmark page is
# generated from the committed runs; the DKMS package builds the modules;
# they build for Debian 13's 6.12 too.
#
# usage: test_build.sh   (from the top of the repository, after configure)
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
eval "$(sed -n 's/^\([A-Z]*\) := \(.*\)$/\1="\2"/p' build/config.mk)"
n=0 failed=0
t() { # t NAME CMD...: one TAP line for the command's exit status
	local name=$1 out
	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name"
		printf '%s\n' "$out" | tail -20 | sed 's/^/# /'
	fi
}

version=$(git describe --tags --always --dirty 2>/dev/null || echo unknown)
mods=build/modules/$KV
t "the build has a git version" test "$version" != unknown
t "make builds the three modules" make -s modules
for m in xen-coalesce xen-netback xen-netfront; do
	t "$m.ko vermagic is $KV" bash -c "v=\$(modinfo -F vermagic $mods/$m.ko); [ \"\${v%% *}\" = $KV ] || { echo \"expected $KV, seen \$v\"; false; }"
	t "$m.ko version is $version" bash -c "v=\$(modinfo -F version $mods/$m.ko); [ \"\$v\" = $version ] || { echo \"expected $version, seen \$v\"; false; }"
done
for m in xen-netback xen-netfront; do
	t "$m.ko depends on xen-coalesce" bash -c "d=\$(modinfo -F depends $mods/$m.ko); [ \"\$d\" = xen-coalesce ] || { echo \"expected xen-coalesce, seen '\$d'\"; false; }"
done

# No upstream copies: no file of ours equals an upstream driver file, and
# none of our sources shares more than a few substantial lines with them.
no_upstream_copies() {
	local up=build/check/upstream-lines.txt f hits bad=0
	local files

	mkdir -p build/check
	files=$(find "$KSRC/drivers/net/xen-netback" "$KSRC/drivers/net/xen-netfront.c" -type f)
	# shellcheck disable=SC2086
	cat $files | awk 'length($0) > 30' | sort -u > "$up"
	while read -r f; do
		for u in $files; do
			cmp -s "$f" "$u" && { echo "$f is a copy of $u"; bad=1; }
		done
		case "$f" in patches/*) continue ;; esac
		hits=$(awk 'length($0) > 30' "$f" | grep -cxF -f "$up")
		[ "$hits" -le 5 ] || { echo "$f shares $hits lines with upstream drivers"; bad=1; }
	done < <(git ls-files -co --exclude-standard)
	return $bad
}
t "no file in the repository copies an upstream driver file" no_upstream_copies

# Documentation/results.rst has no figure typed by hand: it is what the
# report script makes of the committed raw rows.
results_page_generated() {
	local d

	d=$(mktemp -d) || return 1
	cp Documentation/bench/bench_runs.json Documentation/bench/meta.json "$d"/ &&
		scripts/bench-report.sh --no-plots "$d" > /dev/null &&
		diff -u Documentation/results.rst "$d/results.rst"
	local rc=$?
	rm -rf "$d"
	return $rc
}
t "Documentation/results.rst is bench-report.sh's page of Documentation/bench/" results_page_generated

# Documentation/sim-results.rst likewise: what xcoal-sim's findings.sh
# prints (the simulation is deterministic).
sim_page_generated() {
	local d

	d=$(mktemp -d) || return 1
	make -s -C tools/xcoal-sim > /dev/null &&
		tools/xcoal-sim/findings.sh build/sim/xcoal-sim "$d" > /dev/null &&
		diff -u Documentation/sim-results.rst "$d/sim-results.rst"
	local rc=$?
	rm -rf "$d"
	return $rc
}
t "Documentation/sim-results.rst is xcoal-sim's findings.sh page" sim_page_generated

# The DKMS package: built, and built from by DKMS for the configured
# kernel in a tree of its own (nothing installed on this machine).
deb=''
t "make deb builds xen-coalesce-dkms_*_all.deb" bash -c "make -s deb > build/check/deb.txt"
[ -s build/check/deb.txt ] && deb=$(tail -1 build/check/deb.txt)
dkms_t=$PWD/build/deb/dkms-test
. scripts/lib/apt.sh && need_pkgs dkms > /dev/null
pv=$( [ -f "$deb" ] && dpkg-deb -f "$deb" Version)
dkms_build() {
	rm -rf "$dkms_t" && mkdir -p "$dkms_t/tree" && dpkg-deb -x "$deb" "$dkms_t/root" &&
		dkms add --sourcetree "$dkms_t/root/usr/src" --dkmstree "$dkms_t/tree" \
			-m xen-coalesce -v "$pv" > /dev/null &&
		dkms build --sourcetree "$dkms_t/root/usr/src" --dkmstree "$dkms_t/tree" \
			-m xen-coalesce -v "$pv" -k "$1"
}
t "DKMS builds the package for $KV" dkms_build "$KV"
for m in xen-coalesce xen-netback xen-netfront; do
	t "DKMS's $m.ko is version $pv, for $KV" bash -c "f=$dkms_t/tree/xen-coalesce/$pv/$KV/\$(uname -m)/module/$m.ko;
		[ \"\$(modinfo -F version \$f)\" = '$pv' ] && [ \"\$(modinfo -F vermagic \$f | cut -d' ' -f1)\" = $KV ]"
done
t "DKMS refuses a kernel of a series the package does not carry (6.12)" \
	bash -c "out=\$(dkms build --sourcetree $dkms_t/root/usr/src --dkmstree $dkms_t/tree -m xen-coalesce -v '$pv' -k 6.12.0-0-amd64 2>&1);
		grep -q 'BUILD_EXCLUSIVE directive which does not match' <<< \"\$out\" || { echo \"\$out\"; false; }"

# Debian 13's 6.12: the same sources build in a trixie build root.
t "make modules-6.12 builds in a trixie build root" bash -c "make -s modules-6.12 > build/check/m612.txt"
m612=$(tail -1 build/check/m612.txt 2> /dev/null)
for m in xen-coalesce xen-netback xen-netfront; do
	t "6.12: $m.ko is version $version, for a 6.12 kernel" bash -c "f='$m612/$m.ko';
		[ \"\$(modinfo -F version \$f)\" = '$version' ] &&
		modinfo -F vermagic \$f | grep -q '^6\.12\.'"
done

echo "1..$n"
[ $failed = 0 ]
