#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's own checks over the project, as TAP:
#  - checkpatch.pl --strict over every .c/.h of ours, patches/, the
#    mutants (selftests/mutants/) and the harness's netdevsim patch;
#  - the modules built with W=1 and sparse (C=2: every file checked).
# Our files must be clean. Upstream files may keep the findings they have
# without our patches (measured by building them pristine), no new ones.
#
# usage: lint.sh KSRC SERIES KV "KBUILD ARGS"
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
ksrc=$1 series=$2 kv=$3 kbuild_args=$4
. "$top/scripts/lib/apt.sh"
need_pkgs sparse gcc-multilib >&2 || exit 1
out=$top/build/lint
mkdir -p "$out"
cd "$top" || exit 1
n=0 failed=0

result() { # result OK|FAIL NAME [FINDINGS-FILE]
	n=$((n + 1))
	if [ "$1" = OK ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && sed 's/^/# /' "$3" | head -40
	fi
}

# A tool that cannot run is a failure, never a clean result.
tools=
[ -r "$ksrc/scripts/checkpatch.pl" ] || tools="$tools checkpatch.pl missing from $ksrc;"
perl -c "$ksrc/scripts/checkpatch.pl" > /dev/null 2>&1 || tools="$tools checkpatch.pl does not compile;"
sparse --version > /dev/null 2>&1 || tools="$tools sparse does not run;"
gcc --version > /dev/null 2>&1 || tools="$tools gcc does not run;"
echo "${tools:-all present}" > "$out/tools.txt"
result "$([ -z "$tools" ] && echo OK || echo FAIL)" \
	"the lint's tools run: checkpatch.pl, sparse, gcc" "$out/tools.txt"

sources=$(git ls-files -co --exclude-standard '*.c' '*.h')
checkpatch() {
	perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree --terse \
		--show-types --no-summary "$@" 2>&1 | grep -E 'ERROR|WARNING|CHECK'
}

# shellcheck disable=SC2086
checkpatch -f $sources > "$out/checkpatch-sources.txt"
[ -s "$out/checkpatch-sources.txt" ]
result "$([ $? = 0 ] && echo FAIL || echo OK)" \
	"checkpatch --strict: $(echo "$sources" | wc -l) source files, $(wc -l < "$out/checkpatch-sources.txt") findings" \
	"$out/checkpatch-sources.txt"

patches=$(ls patches/*/*.patch selftests/mutants/*.patch selftests/xen/netdevsim/*.patch)
# checkpatch takes a file git tracks for a source file: give it copies.
rm -rf "$out/patches" "$out/selftests" && cp -r patches "$out/patches" &&
	mkdir -p "$out/selftests/xen" && cp -r selftests/mutants "$out/selftests/" &&
	cp -r selftests/xen/netdevsim "$out/selftests/xen/"
# shellcheck disable=SC2086
# CAMELCASE is judged against the kernel tree's include/; with --no-tree it
# flags upstream's own names the patches must use (XenbusStateClosed), so
# it is left out for patches only: our own files are still checked for it.
(cd "$out" && checkpatch --ignore CAMELCASE $patches) > "$out/checkpatch-patches.txt"
[ -s "$out/checkpatch-patches.txt" ]
result "$([ $? = 0 ] && echo FAIL || echo OK)" \
	"checkpatch --strict: $(echo "$patches" | wc -l) patches, $(wc -l < "$out/checkpatch-patches.txt") findings" \
	"$out/checkpatch-patches.txt"

# findings BUILD-LOG: "file: message" per compiler or sparse finding, with
# line numbers dropped (the patches move upstream lines).
findings() {
	sed -n 's/^\([^ :]*\):[0-9]*:[0-9]*: \(warning\|error\): \(.*\)$/\1: \2: \3/p' "$1" |
		sed "s|^$top/||; s|^build/[a-z]*/$kv/||; s|^build/lint/pristine/||" | sort -u
}

# shellcheck disable=SC2086
MAKEFLAGS= make $kbuild_args W=1 C=2 modules > "$out/build-w1-sparse.log" 2>&1
rc=$?
# The harness's test module (selftests/xen/kmod/), the same way.
rm -rf build/lint/xt-kmod && mkdir -p build/lint/xt-kmod && cp selftests/xen/kmod/* build/lint/xt-kmod/
# shellcheck disable=SC2086
MAKEFLAGS= make $kbuild_args M="$top/build/lint/xt-kmod" \
	KBUILD_EXTRA_SYMBOLS="$top/Module.symvers" W=1 C=2 modules \
	>> "$out/build-w1-sparse.log" 2>&1 || rc=$?
for m in xt_tx_window xt_ctl_vifs; do
	grep -q "CHECK.*xt-kmod/$m.c" "$out/build-w1-sparse.log" || rc=1
done
findings "$out/build-w1-sparse.log" > "$out/w1-sparse.txt"
# The baseline: upstream's files without our patches.
scripts/stage-drivers.sh "$ksrc" - build/lint/pristine >/dev/null &&
	# shellcheck disable=SC2086
	make -s $kbuild_args XCOAL_STAGE=build/lint/pristine W=1 C=2 modules \
		> "$out/build-pristine.log" 2>&1
# Only upstream's own files form the baseline: ours must be clean.
findings "$out/build-pristine.log" | grep -vE '^(coalesce|netback|netfront|include)/' \
	> "$out/w1-sparse-pristine.txt"
rm -rf build/lint/pristine
# Ours: everything not in the pristine upstream baseline.
comm -23 "$out/w1-sparse.txt" "$out/w1-sparse-pristine.txt" > "$out/w1-sparse-new.txt"
[ $rc = 0 ] || echo "build failed, exit $rc (build/lint/build-w1-sparse.log)" >> "$out/w1-sparse-new.txt"
# sparse ran: C=2 checks every file, and says so once per file ("CHECK";
# not silenced by the -s of a calling make).
grep -q 'CHECK.*coalesce/engine.c' "$out/build-w1-sparse.log" ||
	echo "sparse did not check coalesce/engine.c: is it installed? (build/lint/build-w1-sparse.log)" \
		>> "$out/w1-sparse-new.txt"
[ -s "$out/w1-sparse-new.txt" ]
result "$([ $? = 0 ] && echo FAIL || echo OK)" \
	"W=1 + sparse: $(wc -l < "$out/w1-sparse-new.txt") new findings ($(wc -l < "$out/w1-sparse-pristine.txt") upstream's own, unchanged)" \
	"$out/w1-sparse-new.txt"

# 32-bit kernels have no libgcc: built with -m32, any 64-bit division in
# the policy code shows as a call to a libgcc helper.
policy="params.c coalescer.c estimator.c adaptive.c classes.c nic_policy.c"
: > "$out/div64.txt"
for f in $policy; do
	if ! gcc -m32 -O2 -I include -c "coalesce/$f" -o "$out/div64.o" \
		>> "$out/div64.txt" 2>&1; then
		echo "coalesce/$f: does not build with -m32" >> "$out/div64.txt"
		continue
	fi
	nm -u "$out/div64.o" | grep -E '__(u?div|u?mod|udivmod)di4?3?' |
		sed "s|^|coalesce/$f: 64-bit division by libgcc: |" >> "$out/div64.txt"
done
rm -f "$out/div64.o"
[ -s "$out/div64.txt" ]
result "$([ $? = 0 ] && echo FAIL || echo OK)" \
	"32-bit: the policy code needs no libgcc 64-bit division" "$out/div64.txt"

echo "1..$n"
[ $failed = 0 ]
