#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: stock against the project's drivers with coalescing off and
# in classes A, B (100 us) and C, in one boot, two domUs, XT_BENCH_REPS
# repetitions (5 unless told) of every scenario (XT_BENCH_SCENARIOS, all
# unless told): bulk TCP dom0->domU, domU->dom0, domU->domU (iperf3, 2
# streams); UDP ping-pong (sockperf) at 100 and 1000 messages/s; 64-byte
# UDP at 5000 packets/s to a domU. The variants are interleaved within
# each repetition: stock's block (its netback, fresh domUs) and ours (one
# boot of the domUs, the class switched between variants) alternate which
# comes first, and ours rotate their order. Each run's figures are
# appended to bench_runs.jsonl as it ends (a bench stopped by its limit
# keeps what it measured); bench_runs.json holds them all at the end. The
# host turns it into build/bench/ (scripts/bench-report.sh). Not part of
# the test suite: figures are reported, never asserted.
# (make bench sets the limit from its plan; 5400 s otherwise)
# XT-TIMEOUT: 5400
. /xt/xt-lib.sh

REPS=${XT_BENCH_REPS:-5}
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
	local sc=$1 v=$2 rep=$3 id=$4 ip s0 s1 s0b s1b peer='{"wakeups": 0, "busy_s": 0}' h0 h1 tput=null rtt50=null rtt99=null rtt999=null pps=null out f

	ip=$(xt_ip "$id")
	s0=$(xt_snapshot "$id")
	# Between domUs, the receiving domU's wake-ups count too.
	[ "$sc" = bulk_domu_to_domu ] && s0b=$(xt_snapshot 2)
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
	[ "$sc" = bulk_domu_to_domu ] && s1b=$(xt_snapshot 2) &&
		peer=$(xt_delta "$s0b" "$s1b" | jq -c '{wakeups, busy_s: .busy_s.domu}')
	jq -nc --arg sc "$sc" --arg v "$v" --argjson rep "$rep" \
		--argjson d "$(xt_delta "$s0" "$s1")" --argjson tput "${tput:-null}" \
		--argjson peer "$peer" \
		--argjson pps "${pps:-null}" --argjson r50 "$rtt50" --argjson r99 "$rtt99" \
		--argjson r999 "$rtt999" --argjson lat "$(xt_hist_p99 "$h0" "$h1")" '
		def per(n; m): if m > 0 then n / m else null end;
		($d.bytes / 1048576) as $mb |
		{scenario: $sc, variant: $v, rep: $rep, throughput_mbps: $tput, packets_per_s: $pps,
		 wakeups_per_mb: per($d.wakeups + $peer.wakeups; $mb),
		 wakeups_per_packet: per($d.wakeups + $peer.wakeups; $d.packets),
		 timer_expiries_per_packet: per($d.timer_expiries; $d.packets),
		 notifications_per_mb: per($d.dom0_notifications + $d.domu_notifications; $mb),
		 notifications_per_packet: per($d.dom0_notifications + $d.domu_notifications; $d.packets),
		 dom0_notifications_per_packet: per($d.dom0_notifications; $d.packets),
		 domu_notifications_per_packet: per($d.domu_notifications; $d.packets),
		 cpu_s_per_gb: per([$d.cpu_s[]] | add; $mb / 1024),
		 busy_s_per_gb: per($d.busy_s.dom0 + $d.busy_s.domu + $peer.busy_s; $mb / 1024),
		 dom0_cpu_s_per_gb: per($d.cpu_s["Domain-0"] // 0; $mb / 1024),
		 rtt_p50_us: $r50, rtt_p99_us: $r99, rtt_p999_us: $r999,
		 added_latency_p99_us: $lat, spurious_events: $d.spurious_events,
		 mb: $mb, packets: $d.packets}'
}

SCENARIOS=${XT_BENCH_SCENARIOS:-bulk_to_domu bulk_from_domu bulk_domu_to_domu pingpong_100 pingpong_1000 udp64_5000}
OURS="off A B C"
nsc=$(wc -w <<< "$SCENARIOS")
total=$((REPS * 5 * nsc)) ran=0 start=$(date +%s)
failed=
: > "$XT_RESULTS/bench_runs.jsonl"
iperf3 -s -D -B $D0 > /dev/null 2>&1
# boot NETBACK: that netback, two domUs with the matching netfront
boot() {
	xt_domus_destroy_all
	xt_netback "$1" || return 1
	xt_domu_start 1 "$1" 1 && xt_domu_start 2 "$1" 1 || return 1
	xt_domu_wait 1 > /dev/null && xt_domu_wait 2 > /dev/null
}
# variant V REP: every scenario, each row appended as it ends
variant() {
	local sc

	for sc in $SCENARIOS; do
		xt_progress "repetition $2/$REPS: $1, $sc (run $((ran + 1)) of $total, $(($(date +%s) - start)) s so far)"
		measure "$sc" "$1" "$2" 1 >> "$XT_RESULTS/bench_runs.jsonl"
		ran=$((ran + 1))
	done
}
stock_run() { variant stock "$1"; }
# ours_run REP: off, A, B and C, in the order of $order
ours_run() {
	local v c

	for v in $order; do
		c=$v
		[ $v = off ] && c=none
		xt_vif_class 1 $c > /dev/null && xt_vif_class 2 $c > /dev/null ||
			{ failed+=" rep $1: class $c not followed;"; continue; }
		variant "$v" "$1"
	done
}
for rep in $(seq "$REPS"); do
	# ours in rotation: off A B C, A B C off, ...
	k=$(((rep - 1) % 4))
	order="$(echo $OURS $OURS | cut -d' ' -f$((k + 1))-$((k + 4)))"
	xt_stock_and_ours "$rep" boot stock_run ours_run
done
xt_domus_destroy_all
jq -s . "$XT_RESULTS/bench_runs.jsonl" | xt_save bench_runs.json
n=$(jq length "$XT_RESULTS/bench_runs.json")
xt_check "bench: every variant booted and took its class" test -z "$failed"
[ -n "$failed" ] && xt_info "$failed"
xt_check "bench: $n runs recorded (5 variants x $nsc scenarios x $REPS)" test "$n" = "$total"
xt_done
