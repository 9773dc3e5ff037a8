#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "Off" costs nothing: the project's netfront with coalescing off (its
# defaults) against the stock netfront, behind the project's netback (also
# off), in one boot. Two domUs of one vCPU each, domu1 project, domu2
# stock; bulk TCP (iperf3, 3 s) from each guest to dom0 and from dom0 to
# each guest, in PAIRS interleaved pairs (the order alternates). Asserted:
# the median of the pairwise throughput ratios ours / stock is >= 0.85 in
# each direction, and the project guest took no deferred event (its
# points' "deferred" counters stay 0). The figures are saved as
# off_cost.json.
# XT-TIMEOUT: 900
. /xt/xt-lib.sh

PAIRS=7
xt_check "dom0: the project's netback" xt_netback project
xt_check "domu1 (project netfront) answers" xt_domu_up 1 project 1
xt_check "domu2 (stock netfront) answers" xt_domu_up 2 stock 1
gdbg=/sys/kernel/debug/xen-coalesce/xen_netfront/vif0-q0
deferred() { xt_domu_exec 1 "cat $gdbg" | awk '$2 == "frames" { for (i = 2; i < NF; i++) if ($i == "deferred") s += $(i + 1) } END { print s + 0 }'; }
xt_check "the project guest's coalescing is off (0 0 0 0)" xt_guest_becomes 1 "0 0 0 0"

declare -A mbit ratios
d0=$(deferred)
for rep in $(seq $PAIRS); do
	order="1 2"
	[ $((rep % 2)) = 0 ] && order="2 1"
	for d in $order; do
		mbit[$d-from]=$(xt_iperf3 "off-from-$d-$rep" "$(xt_ip $d)" -t 3 -R)
		mbit[$d-to]=$(xt_iperf3 "off-to-$d-$rep" "$(xt_ip $d)" -t 3)
	done
	for dir in from to; do
		ratios[$dir]+=" $(awk -v a="${mbit[1-$dir]:-0}" -v b="${mbit[2-$dir]:-0}" \
			'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
		xt_info "pair $rep, bulk $dir the guest: stock ${mbit[2-$dir]} Mbit/s, ours (off) ${mbit[1-$dir]} Mbit/s"
	done
done
d1=$(deferred)
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
jq -n --arg from "${ratios[from]}" --arg to "${ratios[to]}" \
	'{pairs: '"$PAIRS"', ours_over_stock: {from_guest: ($from | ltrimstr(" ") | split(" ") | map(tonumber)),
	  to_guest: ($to | ltrimstr(" ") | split(" ") | map(tonumber))}}' | xt_save off_cost.json
for dir in from to; do
	# shellcheck disable=SC2086 # the ratios are words
	m=$(median ${ratios[$dir]})
	xt_check "bulk TCP $dir the guest, ours (off) / stock: median of $PAIRS pairs ($m;${ratios[$dir]}) >= 0.85" \
		awk -v m="$m" 'BEGIN { exit !(m >= 0.85) }'
done
xt_check "the project guest deferred no event ($d0 -> $d1)" test "$d0" = "$d1"
xt_domus_destroy_all
xt_done
