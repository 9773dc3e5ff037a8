#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: in one boot, with two domUs each time, the stock drivers, the
# project's with coalescing off, and the project's with coalescing on
# (ethtool -C on each vif: 8 frames or 10 ms, both directions). For each
# domU: bulk TCP both ways, UDP ping-pong, a 1000 packets/s one-way UDP
# stream to the guest, and what each cost in event-channel notifications.
# Writes demo.json and the table demo.txt.
# XT-TIMEOUT: 900
. /xt/xt-lib.sh

SECS=3
COALESCE="tx-usecs 10000 tx-frames 8 rx-usecs 10000 rx-frames 8"
rows=()
for variant in stock project project+coalescing; do
	nb=${variant%+*}
	xt_check "$variant: netback loads" xt_netback "$nb" || continue
	for id in 1 2; do
		xt_check "$variant: domu$id is created" xt_domu_start "$id" "$nb"
	done
	for id in 1 2; do
		xt_check "$variant: domu$id answers" xt_domu_wait "$id" || continue
		ip=$(xt_ip "$id") tag=$variant-domu$id
		if [ "$variant" = project+coalescing ]; then
			# shellcheck disable=SC2086
			xt_check "$variant: ethtool -C vif$(xt_domid "$id").0 $COALESCE" \
				ethtool -C "vif$(xt_domid "$id").0" $COALESCE
		fi
		s0=$(xt_snapshot "$id")
		tx=$(xt_iperf3 "$tag-tx" "$ip" -t $SECS)
		rx=$(xt_iperf3 "$tag-rx" "$ip" -t $SECS -R)
		s1=$(xt_snapshot "$id")
		rtt=$(xt_sockperf "$tag-pingpong" "$ip" -t $SECS --mps 200)
		s2=$(xt_snapshot "$id")
		timeout 30 iperf3 -u -c "$ip" -b $((1000 * 64 * 8)) -l 64 -t $SECS > /dev/null 2>&1
		sleep 1
		s3=$(xt_snapshot "$id")
		xt_check "$variant domu$id: bulk TCP ran (${tx:-no} / ${rx:-no} Mbit/s)" test -n "$tx" -a -n "$rx"
		xt_check "$variant domu$id: sockperf ping-pong ran (p50/p99 ${rtt:-none} us)" test -n "$rtt"
		rows+=("$(jq -nc --arg v "$variant" --arg d "domu$id" \
			--argjson tx "${tx:-null}" --argjson rx "${rx:-null}" \
			--arg rtt "$rtt" --argjson bulk "$(xt_delta "$s0" "$s1")" \
			--argjson rr "$(xt_delta "$s1" "$s2")" \
			--argjson stream "$(xt_delta "$s2" "$s3")" \
			'{variant: $v, domu: $d, tx_mbps: $tx, rx_mbps: $rx,
			  rtt_p50_us: ($rtt | split(" ")[0] | tonumber? // null),
			  rtt_p99_us: ($rtt | split(" ")[1] | tonumber? // null),
			  bulk: $bulk, pingpong: $rr, udp_stream: $stream}')")
	done
	xt_domus_destroy_all
done

printf '%s\n' "${rows[@]}" | jq -s . > "$XT_RESULTS/demo.json"
jq -r '
	def per(n; d): if d > 0 then (n / d * 1000 | round / 1000) else "-" end;
	(["", "", "TCP Mbit/s", "", "RTT us", "", "events per packet to the guest", "", ""],
	 ["variant", "domU", "to domU", "from domU", "p50", "p99", "bulk", "ping-pong", "UDP 1000/s"],
	 (.[] | [.variant, .domu, .tx_mbps, .rx_mbps, .rtt_p50_us, .rtt_p99_us,
		per(.bulk.domu_notifications; .bulk.packets),
		per(.pingpong.domu_notifications; .pingpong.packets),
		per(.udp_stream.domu_notifications; .udp_stream.packets)]))
	| map(tostring) | @tsv' "$XT_RESULTS/demo.json" |
	awk -F'\t' '{ for (i = 1; i <= NF; i++) { c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NF }
		END { for (r = 1; r <= NR; r++) { l = ""; for (i = 1; i <= n; i++) l = l sprintf("%-" w[i] "s  ", c[r, i]); sub(/ +$/, "", l); print l } }' \
	> "$XT_RESULTS/demo.txt"
xt_check "the table has a row per variant and domU" test "$(jq length "$XT_RESULTS/demo.json")" = 6
xt_done
