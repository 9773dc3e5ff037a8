#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "Off" costs nothing: the project's netfront with coalescing off (its
# defaults) against the stock netfront, behind the project's netback (also
# off), in one boot. Two domUs of one vCPU each; bulk TCP (iperf3, 3 s)
# from each guest to dom0 and from dom0 to each guest, in up to PAIRS
# interleaved pairs (the order alternates). Every SWAP pairs the two
# guests swap netfronts (a reload in each), so that a domU's place, which
# under TCG can cost more than any driver, weighs on both sides alike.
# Asserted: the median of the pairwise throughput ratios ours / stock is
# >= 0.85 in each direction by the sign test (xt_sign_verdict; the pairs
# stop once both directions are decided with each guest as often ours as
# stock; undecided after PAIRS is a skip), and the project guests
# deferred no event. The figures are saved as off_cost.json.
# XT-TIMEOUT: 1200
# XT-TIER: long (7 minutes of throughput pairs, a measurement: make check-all)
. /xt/xt-lib.sh

PAIRS=20 SWAP=5
O=1 S=2	# which domU runs ours, which stock (swapped halfway)
xt_check "dom0: the project's netback" xt_netback project
xt_check "domu$S (stock netfront) answers" xt_domu_up $S stock 1
xt_check "domu$O (project netfront) answers" xt_domu_up $O project 1
gdbg=/sys/kernel/debug/xen-coalesce/xen_netfront/vif0-q0
deferred() { xt_domu_exec $O "cat $gdbg" | awk '$2 == "frames" { for (i = 2; i < NF; i++) if ($i == "deferred") s += $(i + 1) } END { print s + 0 }'; }
xt_check "the project guest's coalescing is off (0 0 0 0)" xt_guest_becomes $O "0 0 0 0"

# swap OURS STOCK: each guest reloads its netfront as the other kind.
swap() {
	xt_domu_exec "$1" "echo stock > /run/xt-netfront && netfront-reload" > /dev/null
	xt_domu_exec "$2" "echo project > /run/xt-netfront && netfront-reload" > /dev/null
	sleep 3
	xt_domu_wait "$1" && xt_domu_wait "$2" || return 1
	[ "$(xt_domu_exec "$2" "cat /sys/module/xen_netfront/version 2> /dev/null")" = "$XT_VERSION" ] ||
		{ echo "domu$2 does not run the project's netfront"; return 1; }
}
declare -A mbit ratios
held=0 swaps=0 swap_fail=''
for rep in $(seq $PAIRS); do
	if [ "$rep" -gt 1 ] && [ $(((rep - 1) % SWAP)) = 0 ]; then
		held=$((held + $(deferred) - d0))
		out=$(swap $O $S) || { swap_fail="before pair $rep: $out" d0=$(deferred); break; }
		swaps=$((swaps + 1))
		read -r O S <<< "$S $O"
		d0=$(deferred)
	fi
	[ "$rep" = 1 ] && d0=$(deferred)
	order="$O $S"
	[ $((rep % 2)) = 0 ] && order="$S $O"
	for d in $order; do
		mbit[$d-from]=$(xt_iperf3 "off-from-$d-$rep" "$(xt_ip $d)" -t 3 -R)
		mbit[$d-to]=$(xt_iperf3 "off-to-$d-$rep" "$(xt_ip $d)" -t 3)
	done
	for dir in from to; do
		ratios[$dir]+=" $(xt_ratio "${mbit[$O-$dir]}" "${mbit[$S-$dir]}")"
		xt_info "pair $rep, bulk $dir the guest: stock ${mbit[$S-$dir]} Mbit/s, ours (off) ${mbit[$O-$dir]} Mbit/s"
	done
	# shellcheck disable=SC2086 # the ratios are words
	[ $((rep % (2 * SWAP))) = 0 ] &&
		[ "$(xt_sign_verdict 0.85 ${ratios[from]})" != undecided ] &&
		[ "$(xt_sign_verdict 0.85 ${ratios[to]})" != undecided ] && break
done
held=$((held + $(deferred) - d0))
xt_check "the guests swapped netfronts every $SWAP pairs ($swaps swaps)" test -z "$swap_fail"
[ -n "$swap_fail" ] && xt_info "$swap_fail"
jq -n --arg from "${ratios[from]}" --arg to "${ratios[to]}" \
	'{pairs: '"$rep"', planned: '"$PAIRS"', ours_over_stock: {from_guest: ($from | ltrimstr(" ") | split(" ") | map(tonumber)),
	  to_guest: ($to | ltrimstr(" ") | split(" ") | map(tonumber))}}' | xt_save off_cost.json
for dir in from to; do
	# shellcheck disable=SC2086 # the ratios are words
	xt_check_sign xt_check_speed "bulk TCP $dir the guest, ours (off) / stock: the median of $rep pairs >= 0.85 by the sign test" \
		0.85 above ${ratios[$dir]}
done
xt_check "the project guests deferred no event ($held)" test "$held" = 0
xt_domus_destroy_all
xt_done
