#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The cost of a push, in dom0's kernel (debugfs xen-coalesce/push_cost):
# the stock drivers' notify path, a push with coalescing off and with it
# on, each timed over the same number of pushes. A measurement, reported
# and saved (push_cost.json), not a timed assertion: the checks are that
# the file refuses bad counts, runs, and reports three positive figures.
# XT-TIMEOUT: 300
. /xt/xt-lib.sh

f=/sys/kernel/debug/xen-coalesce/push_cost
[ -d /sys/module/xen_coalesce ] || insmod /xt/project/xen-coalesce.ko
xt_check "push_cost refuses 0 and a count above 10000000" \
	bash -c "! echo 0 > $f 2> /dev/null && ! echo 10000001 > $f 2> /dev/null && ! echo x > $f 2> /dev/null"
for rep in 1 2 3; do
	echo 1000000 > "$f"
	cat "$f" | tee -a "$XT_RESULTS/push_cost.txt" | sed 's/^/# /'
done
last=$(cat "$f")
figures() { awk '/_ns_per_push / && $2 > 0 { n++ } END { exit n != 3 }' <<< "$1"; }
xt_check "1000000 pushes: stock, off and on each report ns per push > 0" figures "$last"
runs() { awk -v k="$1_ns_per_push" '$1 == k { print $2 }' "$XT_RESULTS/push_cost.txt" | paste -sd ,; }
jq -n --argjson stock "[$(runs stock)]" --argjson off "[$(runs off)]" --argjson on "[$(runs on)]" \
	'{pushes: 1000000, ns_per_push: {stock: $stock, off: $off, on: $on}}' > "$XT_RESULTS/push_cost.json"
xt_check "push_cost.json holds three runs of each path" \
	jq -e '.ns_per_push | (.stock | length) == 3 and (.off | length) == 3 and (.on | length) == 3' "$XT_RESULTS/push_cost.json"
xt_done
