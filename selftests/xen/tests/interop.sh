#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The four pairings of project/stock netback with project/stock netfront
# complete a 16 MiB TCP transfer each way and a 2000-packet ping flood
# without loss, and the two domUs reach each other across the bridge. Speed
# is reported, not asserted. Per pairing, a metrics snapshot before and after
# the traffic is saved as JSON.
# XT-TIMEOUT: 900
. /xt/xt-lib.sh

BYTES=$((16 * 1024 * 1024))
nf_of=([1]=project [2]=stock)

# completes NAME: the iperf3 report NAME.json has no error, all BYTES sent
# and data at the receiver (whose count at the end leaves out what was
# still in flight, so it is not compared with BYTES).
completes() {
	jq -e --argjson b $BYTES '(.error == null) and (.end.sum_sent.bytes >= $b) and
		(.end.sum_received.bytes > 0)' "$XT_RESULTS/$1.json" > /dev/null 2>&1 ||
		{ echo "iperf3: $(jq -c '{error, sent: .end.sum_sent.bytes, received: .end.sum_received.bytes}' "$XT_RESULTS/$1.json" 2>&1)"; return 1; }
}

# traffic ID LABEL NAME: the checks of one netback x netfront pairing.
traffic() {
	local id=$1 label=$2 ip mbps loss

	ip=$(xt_ip "$id")
	xt_snapshot "$id" > "$XT_RESULTS/$3-before.json"
	mbps=$(xt_iperf3 "$3-tx" "$ip" -n $BYTES)
	xt_check "$label: TCP dom0->domU, a 16 MiB transfer completes (${mbps:-no} Mbit/s)" completes "$3-tx"
	mbps=$(xt_iperf3 "$3-rx" "$ip" -n $BYTES -R)
	xt_check "$label: TCP domU->dom0, a 16 MiB transfer completes (${mbps:-no} Mbit/s)" completes "$3-rx"
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
	xt_domu_exec 1 "iperf3 -c $(xt_ip 2) -n $BYTES -J" > "$XT_RESULTS/nb-$nb-domu1-domu2.json"
	mbps=$(jq -r '.end.sum_received.bits_per_second / 1e6 | floor' "$XT_RESULTS/nb-$nb-domu1-domu2.json" 2> /dev/null)
	xt_check "netback $nb: domU->domU across the bridge, a 16 MiB transfer completes (${mbps:-no} Mbit/s)" \
		completes "nb-$nb-domu1-domu2"
	for id in 1 2; do
		xt_check "netback $nb: domu$id kernel log has no WARN, BUG or Oops" \
			xt_kernel_log_clean "domu$id" "$(xt_domu_exec "$id" dmesg)"
	done
	xt_domus_destroy_all
done
xt_done
