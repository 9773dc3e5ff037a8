#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: what a user would choose, side by side in one boot, each with
# a fresh domU: the stock drivers, then the project's with the vif in
# latency class A (no added delay), B (100 us end to end) and C
# (throughput), the guest following its backend. For each: bulk TCP both
# ways, UDP ping-pong, a 1000 packets/s one-way UDP stream to the guest,
# and what each cost in wake-ups: the event-channel interrupts of both
# domains plus the coalescing timers' expiries in both. Writes
# demo.json, the table demo.txt and a one-line reading of each variant
# against stock in demo-reading.txt.
# XT-TIMEOUT: 900
. /xt/xt-lib.sh

SECS=3
BUDGET_US=100
rows=()
for variant in stock A B C; do
	if [ $variant = stock ]; then nb=stock name=stock; else nb=project name="class $variant"; fi
	[ $variant = B ] && name="class B ${BUDGET_US} us"
	xt_progress "$name: boot a domU"
	xt_check "$name: netback loads" xt_netback $nb || continue
	xt_check "$name: domu1 answers" xt_domu_up 1 $nb || continue
	ip=$(xt_ip 1) vif=vif$(xt_domid 1).0
	plan=
	if [ $nb = project ]; then
		plan=$(xt_vif_class 1 $variant $BUDGET_US)
		xt_check "$name: $vif in the class, the guest following (${plan:-no plan})" test $? = 0
	fi
	xt_progress "$name: bulk TCP to and from the guest"
	s0=$(xt_snapshot 1)
	tx=$(xt_iperf3 "demo-$variant-tx" "$ip" -t $SECS)
	rx=$(xt_iperf3 "demo-$variant-rx" "$ip" -t $SECS -R)
	s1=$(xt_snapshot 1)
	xt_progress "$name: UDP ping-pong"
	rtt=$(xt_sockperf "demo-$variant-pingpong" "$ip" -t $SECS --mps 200)
	s2=$(xt_snapshot 1)
	xt_progress "$name: 1000 packets/s to the guest"
	timeout 30 iperf3 -u -c "$ip" -b $((1000 * 64 * 8)) -l 64 -t $SECS > /dev/null 2>&1
	sleep 1
	s3=$(xt_snapshot 1)
	xt_check "$name: bulk TCP ran (${tx:-no} / ${rx:-no} Mbit/s)" test -n "$tx" -a -n "$rx"
	xt_check "$name: sockperf ping-pong ran (p50/p99 ${rtt:-none} us)" test -n "$rtt"
	rows+=("$(jq -nc --arg v "$name" --arg plan "$plan" \
		--argjson tx "${tx:-null}" --argjson rx "${rx:-null}" \
		--arg rtt "$rtt" --argjson bulk "$(xt_delta "$s0" "$s1")" \
		--argjson rr "$(xt_delta "$s1" "$s2")" \
		--argjson stream "$(xt_delta "$s2" "$s3")" \
		'{variant: $v, plan: $plan, tx_mbps: $tx, rx_mbps: $rx,
		  rtt_p50_us: ($rtt | split(" ")[0] | tonumber? // null),
		  rtt_p99_us: ($rtt | split(" ")[1] | tonumber? // null),
		  bulk: $bulk, pingpong: $rr, udp_stream: $stream}')")
	xt_domus_destroy_all
done

printf '%s\n' "${rows[@]}" | jq -s . > "$XT_RESULTS/demo.json"
jq -r '
	def per(n; d): if d > 0 then (n / d * 1000 | round / 1000) else "-" end;
	(["", "TCP Mbit/s", "", "RTT us", "", "wake-ups per MiB", "wake-ups per packet", "", ""],
	 ["variant", "to domU", "from domU", "p50", "p99", "bulk TCP", "bulk TCP", "ping-pong", "UDP 1000/s"],
	 (.[] | [.variant, .tx_mbps, .rx_mbps, .rtt_p50_us, .rtt_p99_us,
		per(.bulk.wakeups; .bulk.bytes / 1048576),
		per(.bulk.wakeups; .bulk.packets),
		per(.pingpong.wakeups; .pingpong.packets),
		per(.udp_stream.wakeups; .udp_stream.packets)]))
	| map(tostring) | @tsv' "$XT_RESULTS/demo.json" |
	awk -F'\t' '{ for (i = 1; i <= NF; i++) { c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NF }
		END { for (r = 1; r <= NR; r++) { l = ""; for (i = 1; i <= n; i++) l = l sprintf("%-" w[i] "s  ", c[r, i]); sub(/ +$/, "", l); print l } }' \
	> "$XT_RESULTS/demo.txt"
# One line a variant: each figure as a ratio to stock's in this boot.
jq -r '
	def r(a; b): if (a != null) and (b != null) and b > 0 then "\(a / b * 100 | round / 100)x" else "-" end;
	def ppp(d): if d.packets > 0 then d.wakeups / d.packets else null end;
	(.[] | select(.variant == "stock")) as $s
	| .[] | select(.variant != "stock")
	| "\(.variant) (plan: \(.plan)): against stock, wake-ups per packet \(r(ppp(.bulk); ppp($s.bulk))) in bulk TCP, \(r(ppp(.pingpong); ppp($s.pingpong))) in ping-pong, \(r(ppp(.udp_stream); ppp($s.udp_stream))) in the UDP stream; TCP throughput \(r(.tx_mbps; $s.tx_mbps)) to the guest, \(r(.rx_mbps; $s.rx_mbps)) from it; RTT p50 \(r(.rtt_p50_us; $s.rtt_p50_us)), p99 \(r(.rtt_p99_us; $s.rtt_p99_us))."' \
	"$XT_RESULTS/demo.json" > "$XT_RESULTS/demo-reading.txt"
xt_check "the table has a row per variant" test "$(jq length "$XT_RESULTS/demo.json")" = 4
xt_check "a reading for each class" test "$(grep -c '^class' "$XT_RESULTS/demo-reading.txt")" = 3
xt_done
