#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: the stock drivers and the project's, one after the other in the
# same boot, each with two domUs: bulk TCP both ways, UDP ping-pong, and
# what it cost in event-channel notifications. Writes demo.json and the
# table demo.txt.
# XT-TIMEOUT: 900
. /xt/xt-lib.sh

SECS=5
rows=()
for variant in stock project; do
	xt_check "$variant: netback loads" xt_netback "$variant" || continue
	xt_domu_start 1 "$variant" && xt_domu_start 2 "$variant"
	for id in 1 2; do
		xt_check "$variant: domu$id answers" xt_domu_wait "$id" || continue
		ip=$(xt_ip "$id") tag=$variant-domu$id
		s0=$(xt_snapshot "$id")
		tx=$(xt_iperf3 "$tag-tx" "$ip" -t $SECS)
		rx=$(xt_iperf3 "$tag-rx" "$ip" -t $SECS -R)
		s1=$(xt_snapshot "$id")
		rtt=$(xt_sockperf "$tag-pingpong" "$ip" -t $SECS --mps 200)
		s2=$(xt_snapshot "$id")
		xt_check "$variant domu$id: bulk TCP ran (${tx:-no} / ${rx:-no} Mbit/s)" test -n "$tx" -a -n "$rx"
		xt_check "$variant domu$id: sockperf ping-pong ran (p50/p99 ${rtt:-none} us)" test -n "$rtt"
		rows+=("$(jq -nc --arg v "$variant" --arg d "domu$id" \
			--argjson tx "${tx:-null}" --argjson rx "${rx:-null}" \
			--arg rtt "$rtt" --argjson bulk "$(xt_delta "$s0" "$s1")" \
			--argjson rr "$(xt_delta "$s1" "$s2")" \
			'{variant: $v, domu: $d, tx_mbps: $tx, rx_mbps: $rx,
			  rtt_p50_us: ($rtt | split(" ")[0] | tonumber? // null),
			  rtt_p99_us: ($rtt | split(" ")[1] | tonumber? // null),
			  bulk: $bulk, pingpong: $rr}')")
	done
	xt_domus_destroy_all
done

printf '%s\n' "${rows[@]}" | jq -s . > "$XT_RESULTS/demo.json"
jq -r '
	def per(n; d): if d > 0 then (n / d * 1000 | round / 1000) else "-" end;
	(["variant", "domU", "dom0->domU", "domU->dom0", "RTT p50", "RTT p99",
	  "bulk notif/pkt", "", "ping-pong notif/pkt", ""],
	 ["", "", "Mbit/s", "Mbit/s", "us", "us", "dom0", "domU", "dom0", "domU"],
	 (.[] | [.variant, .domu, .tx_mbps, .rx_mbps, .rtt_p50_us, .rtt_p99_us,
		per(.bulk.dom0_notifications; .bulk.packets),
		per(.bulk.domu_notifications; .bulk.packets),
		per(.pingpong.dom0_notifications; .pingpong.packets),
		per(.pingpong.domu_notifications; .pingpong.packets)]))
	| map(tostring) | @tsv' "$XT_RESULTS/demo.json" |
	awk -F'\t' '{ for (i = 1; i <= NF; i++) { c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NF }
		END { for (r = 1; r <= NR; r++) { l = ""; for (i = 1; i <= n; i++) l = l sprintf("%-" w[i] "s  ", c[r, i]); sub(/ +$/, "", l); print l } }' \
	> "$XT_RESULTS/demo.txt"
xt_check "the table has a row per variant and domU" test "$(jq length "$XT_RESULTS/demo.json")" = 4
xt_done
