#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every suite, each a TAP program, as KTAP subtests; then the
# plain line "N passed, N failed, N skipped" over all the tests the suites
# ran (a SKIP is not a pass). A suite that fails without saying which test
# failed counts as a failure; so does one whose plan ("1..N", its last)
# does not match the results it printed (it stopped early).
#
# usage: check.sh [SUITE...]   (default: all but debug, xen-all and
#                               xen-6.12-all, in order; "all": xen-all
#                               and xen-6.12-all for xen and xen-6.12)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

declare -A suite_cmd=(
	[build]="selftests/build/test_build.sh"
	[lint]="make -s lint"
	[unit]="make -s unit"
	[unit32]="selftests/unit/run32.sh"
	[harness]="selftests/xen/test_xt_stats.sh"
	[fuzz]="make -s fuzz"
	[xen]="make -s xen-test"
	[xen-all]="make -s xen-test-all"
	[xen-6.12]="make -s xen-test-6.12"
	[xen-6.12-all]="make -s xen-test-6.12 XT_612_TESTS_ALL=1"
	[debug]="make -s xen-test-debug"
)
order=(build lint unit unit32 harness fuzz xen xen-6.12)
if [ "${1:-}" = all ]; then
	order=(build lint unit unit32 harness fuzz xen-all xen-6.12-all)
elif [ $# -gt 0 ]; then
	order=("$@")
fi

mkdir -p build/check
passed=0 failed=0 skipped=0 i=0
echo "TAP version 13"
echo "1..${#order[@]}"
for s in "${order[@]}"; do
	i=$((i + 1))
	log=build/check/$s.tap
	echo "# Subtest: $s"
	# The suite's progress lines ("# [  12 s] ...", the Xen suite's tests
	# as they begin) show as they come; its TAP follows when it ends.
	# shellcheck disable=SC2086
	${suite_cmd[$s]} 2>&1 | tee "$log" | grep --line-buffered '^# \[' | sed -u 's/^/    /'
	rc=${PIPESTATUS[0]}
	grep -v '^# \[' "$log" | sed 's/^/    /'
	k=$(grep -cE '^ok .*# SKIP' "$log")
	p=$(($(grep -c '^ok ' "$log") - k))
	f=$(grep -c '^not ok ' "$log")
	plan=$(grep -E '^1\.\.[0-9]+$' "$log" | tail -1)
	if [ "$plan" != "1..$((p + k + f))" ]; then
		echo "    # $s: plan '${plan:-none}', $((p + k + f)) results: it stopped early"
		f=$((f + 1))
	elif [ $rc != 0 ] && [ "$f" = 0 ]; then
		echo "    # $s exited $rc without naming a failed test"
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + k))
	if [ "$f" = 0 ]; then echo "ok $i - $s"; else echo "not ok $i - $s"; fi
done
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
