#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: stock against the project's classes A, B (100 us) and C, in
# one boot, two domUs per variant, three repetitions of every scenario:
# bulk TCP dom0->domU, domU->dom0, domU->domU (iperf3, 2 streams); UDP
# ping-pong (sockperf) at 100 and 1000 messages/s; 64-byte UDP at 5000
# packets/s to a domU. Writes bench_runs.json (every run's figures); the
# host turns it into build/bench/ (scripts/bench-report.sh). Not part of
# the test suite: figures are reported, never asserted.
# XT-TIMEOUT: 1700
. /xt/xt-lib.sh

REPS=${XT_BENCH_REPS:-3}
SECS=3
D0=169.254.100.1

# The added-latency histograms of every point of dom0's queue files for
# domU $1, summed (xt_hist_p99 takes two readings).
hist_sum() {
	local domid

	domid=$(xt_domid "$1")
	cat /sys/kernel/debug/xen-coalesce/xen_netback/vif"$domid".0-q* 2>/dev/null |
		awk '$2 == "added_latency_us" { for (i = 3; i <= NF; i++) n[i - 3] += $i; nb = NF - 2 }
		     END { for (b = 0; b < nb; b++) printf "%d ", n[b]; print "" }'
}
sockperf_pct() { # FILE PERCENTILE
	awk -v p="percentile $2 =" 'index($0, p) {v = $NF} END {print (v == "" ? "null" : v)}' "$1"
}

# one SCENARIO VARIANT REP DOMU: run it, print one JSON object
measure() {
	local sc=$1 v=$2 rep=$3 id=$4 ip s0 s1 h0 h1 tput=null rtt50=null rtt99=null rtt999=null pps=null out f

	ip=$(xt_ip "$id")
	s0=$(xt_snapshot "$id")
	h0=$(hist_sum "$id")
	case $sc in
	bulk_to_domu) tput=$(xt_iperf3 "b-$sc-$v-$rep" "$ip" -t $SECS -P 2) ;;
	bulk_from_domu) tput=$(xt_iperf3 "b-$sc-$v-$rep" "$ip" -t $SECS -P 2 -R) ;;
	bulk_domu_to_domu)
		out=$(xt_domu_exec "$id" "iperf3 -J -c $(xt_ip 2) -t $SECS -P 2")
		tput=$(jq -r '.end.sum_received.bits_per_second / 1e6 | floor' <<< "$out" 2>/dev/null) ;;
	pingpong_100|pingpong_1000)
		f=$XT_RESULTS/b-$sc-$v-$rep.txt
		timeout 60 sockperf ping-pong -i "$ip" --full-rtt -t $SECS --mps "${sc#pingpong_}" > "$f" 2>&1
		rtt50=$(sockperf_pct "$f" 50.000) rtt99=$(sockperf_pct "$f" 99.000)
		rtt999=$(sockperf_pct "$f" 99.900) ;;
	udp64_5000)
		out=$(timeout 60 iperf3 -J -u -c "$ip" -b $((5000 * 64 * 8)) -l 64 -t $SECS 2>&1)
		pps=$(jq -r '((.end.sum.packets - .end.sum.lost_packets) / .end.sum.seconds) | floor' <<< "$out" 2>/dev/null)
		tput=$(jq -r '((.end.sum.packets - .end.sum.lost_packets) * 64 * 8 / .end.sum.seconds / 1e4 | round / 100)' <<< "$out" 2>/dev/null) ;;
	esac
	sleep 1
	h1=$(hist_sum "$id")
	s1=$(xt_snapshot "$id")
	jq -nc --arg sc "$sc" --arg v "$v" --argjson rep "$rep" \
		--argjson d "$(xt_delta "$s0" "$s1")" --argjson tput "${tput:-null}" \
		--argjson pps "${pps:-null}" --argjson r50 "$rtt50" --argjson r99 "$rtt99" \
		--argjson r999 "$rtt999" --argjson lat "$(xt_hist_p99 "$h0" "$h1")" '
		def per(n; m): if m > 0 then n / m else null end;
		($d.bytes / 1048576) as $mb |
		{scenario: $sc, variant: $v, rep: $rep, throughput_mbps: $tput, packets_per_s: $pps,
		 notifications_per_mb: per($d.dom0_notifications + $d.domu_notifications; $mb),
		 notifications_per_packet: per($d.dom0_notifications + $d.domu_notifications; $d.packets),
		 dom0_notifications_per_packet: per($d.dom0_notifications; $d.packets),
		 domu_notifications_per_packet: per($d.domu_notifications; $d.packets),
		 cpu_s_per_gb: per([$d.cpu_s[]] | add; $mb / 1024),
		 dom0_cpu_s_per_gb: per($d.cpu_s["Domain-0"] // 0; $mb / 1024),
		 rtt_p50_us: $r50, rtt_p99_us: $r99, rtt_p999_us: $r999,
		 added_latency_p99_us: $lat, spurious_events: $d.spurious_events,
		 mb: $mb, packets: $d.packets}'
}

SCENARIOS="bulk_to_domu bulk_from_domu bulk_domu_to_domu pingpong_100 pingpong_1000 udp64_5000"
rows=()
iperf3 -s -D -B $D0 > /dev/null 2>&1
for v in stock A B C; do
	nb=project
	[ $v = stock ] && nb=stock
	xt_check "$v: netback loads" xt_netback $nb || continue
	for id in 1 2; do
		xt_domu_start "$id" $nb 1
	done
	for id in 1 2; do
		xt_check "$v: domu$id answers" xt_domu_wait "$id" || continue 2
		if [ $v != stock ]; then
			sys=/sys/class/net/vif$(xt_domid "$id").0/xen_coalesce
			echo 100 > "$sys/budget_us"
			echo $v > "$sys/class"
		fi
	done
	sleep 1
	for rep in $(seq "$REPS"); do
		for sc in $SCENARIOS; do
			rows+=("$(measure "$sc" $v "$rep" 1)")
		done
	done
	xt_domus_destroy_all
done
printf '%s\n' "${rows[@]}" | jq -s . | xt_save bench_runs.json
n=$(jq length "$XT_RESULTS/bench_runs.json")
xt_check "bench: $n runs recorded (4 variants x 6 scenarios x $REPS)" test "$n" = $((4 * 6 * REPS))
xt_done
