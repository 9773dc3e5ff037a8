#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make mutants: show that the real-Xen tests catch what they claim. Each
# selftests/mutants/NAME.patch is one named defect in the project's kernel
# code, with the tests meant to catch it on its "Tests:" line. For each:
# copy the tree, apply the defect, build the modules, run those tests on
# real Xen with the defective modules (run.sh's XT_MODS). A mutant is
# killed when a check fails; one that survives is a gap in the tests.
#
# usage: scripts/mutants.sh [NAME ...]   (default: every mutant)
# The table is printed and kept in build/mutants/results.txt, each run's
# output in build/mutants/NAME/. Exit 1 when a mutant survives or could
# not be tried. Not part of make check: about six minutes a mutant.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2

make -s modules test-modules > /dev/null || { echo "mutants: make modules failed" >&2; exit 2; }
KV=$(sed -n 's/^KV := //p' build/config.mk)
if [ $# -gt 0 ]; then
	names=("$@")
else
	names=()
	for p in selftests/mutants/*.patch; do
		names+=("$(basename "$p" .patch)")
	done
fi

out=build/mutants
mkdir -p "$out"
table=$out/results.txt
printf '%-18s %-36s %-8s %s\n' mutant tests result "first failing check" > "$table"
status=0
start=$(date +%s)
for name in "${names[@]}"; do
	patch=selftests/mutants/$name.patch
	dir=$out/$name
	tests=$(sed -n 's/^Tests: //p' "$patch" 2> /dev/null | head -1)
	echo "mutants: $name ($tests), $(( ($(date +%s) - start) / 60 )) min so far" >&2
	rm -rf "$dir"
	mkdir -p "$dir/src/build"
	result='' first=''
	if [ -z "$tests" ]; then
		result=broken first="no Tests: line in $patch"
	else
		# The tree as it is now, tracked files only; the kernel source is
		# shared read-only.
		git ls-files -z | xargs -0 cp --parents -t "$dir/src"
		ln -s "$top/build/src" "$dir/src/build/src"
		if ! patch -d "$dir/src" -p1 -s < "$patch" > "$dir/patch.log" 2>&1; then
			result=broken first="the patch does not apply"
		elif ! make -C "$dir/src" -s modules > "$dir/build.log" 2>&1; then
			result=broken first="the mutant does not build"
		else
			# shellcheck disable=SC2086 # the tests are words
			XT_MODS=$top/$dir/src/build/modules/$KV selftests/xen/run.sh -t 1800 $tests \
				> "$dir/run.log" 2>&1
			first=$(grep -m1 -E '^[[:space:]]*not ok [0-9]+ - ' "$dir/run.log" |
				sed -E 's/^[[:space:]]*not ok [0-9]+ - //')
			if [ -n "$first" ]; then
				result=killed
			elif grep -qE '^[[:space:]]*ok [0-9]+ - ' "$dir/run.log"; then
				result=survived
			else
				result=broken first="no check ran (see $dir/run.log)"
			fi
		fi
	fi
	[ "$result" = killed ] || status=1
	printf '%-18s %-36s %-8s %s\n' "$name" "$tests" "$result" "${first:0:120}" >> "$table"
	rm -rf "$dir/src"
done
cat "$table"
exit $status
