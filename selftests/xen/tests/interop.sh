#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The four pairings of project/stock netback with project/stock netfront
# pass TCP both ways and a 2000-packet ping flood without loss, and the two
# domUs reach each other across the bridge. Per pairing, a metrics snapshot
# before and after the traffic is saved as JSON.
# XT-TIMEOUT: 900
. /xt/xt-lib.sh

MIN_MBPS=10
nf_of=([1]=project [2]=stock)

# traffic ID LABEL: the checks of one netback x netfront pairing.
traffic() {
	local id=$1 label=$2 ip mbps loss

	ip=$(xt_ip "$id")
	xt_snapshot "$id" > "$XT_RESULTS/$3-before.json"
	mbps=$(xt_iperf3 "$3-tx" "$ip" -t 3)
	xt_check "$label: TCP dom0->domU ${mbps:-no} Mbit/s (>= $MIN_MBPS)" test "${mbps:-0}" -ge $MIN_MBPS
	mbps=$(xt_iperf3 "$3-rx" "$ip" -t 3 -R)
	xt_check "$label: TCP domU->dom0 ${mbps:-no} Mbit/s (>= $MIN_MBPS)" test "${mbps:-0}" -ge $MIN_MBPS
	loss=$(ping -q -f -c 2000 -w 60 "$ip" | sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p')
	xt_check "$label: ping -f 2000 loses ${loss:-all} packets (0%)" test "${loss:-x}" = 0
	xt_snapshot "$id" > "$XT_RESULTS/$3-after.json"
}

for nb in project stock; do
	xt_netback "$nb" || { xt_result 1 "dom0: $nb netback loads"; continue; }
	for id in 1 2; do
		xt_check "netback $nb: domu$id (netfront ${nf_of[$id]}) is created" \
			xt_domu_start "$id" "${nf_of[$id]}"
	done
	for id in 1 2; do
		label="netback $nb x netfront ${nf_of[$id]}"
		if ! out=$(xt_domu_wait "$id"); then
			xt_result 1 "$label: domu$id answers" "$out"
			continue
		fi
		traffic "$id" "$label" "nb-$nb-nf-${nf_of[$id]}"
	done
	out=$(xt_domu_exec 1 "iperf3 -c $(xt_ip 2) -t 3 -J")
	echo "$out" > "$XT_RESULTS/nb-$nb-domu1-domu2.json"
	mbps=$(jq -r '.end.sum_received.bits_per_second / 1e6 | floor' <<< "$out" 2> /dev/null)
	xt_check "netback $nb: domU->domU across the bridge ${mbps:-no} Mbit/s (>= $MIN_MBPS)" \
		test "${mbps:-0}" -ge $MIN_MBPS
	for id in 1 2; do
		xt_check "netback $nb: domu$id kernel log has no WARN, BUG or Oops" \
			xt_kernel_log_clean "domu$id" "$(xt_domu_exec "$id" dmesg)"
	done
	xt_domus_destroy_all
done
xt_done
