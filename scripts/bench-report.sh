#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-report.sh DIR: from DIR/bench_runs.json (selftests/xen/tests/bench.sh)
# make DIR/results.json (median and spread per scenario and variant),
# DIR/ratios.md (ours / stock) and PNG plots (gnuplot, from apt).
set -euo pipefail
dir=$1
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib/apt.sh"
need_pkgs jq gnuplot-nox

# A bench stopped by its limit leaves only the rows it finished.
if [ ! -f "$dir/bench_runs.json" ]; then
	echo "bench: stopped early; reporting the $(wc -l < "$dir/bench_runs.jsonl") runs it finished"
	jq -s . "$dir/bench_runs.jsonl" > "$dir/bench_runs.json"
fi

metrics='["throughput_mbps","packets_per_s","wakeups_per_mb","wakeups_per_packet","timer_expiries_per_packet",
 "busy_s_per_gb","notifications_per_mb","notifications_per_packet",
 "dom0_notifications_per_packet","domu_notifications_per_packet","cpu_s_per_gb","dom0_cpu_s_per_gb",
 "rtt_p50_us","rtt_p99_us","rtt_p999_us","added_latency_p99_us","spurious_events"]'
jq --argjson metrics "$metrics" --arg machine "$(uname -m), $(nproc) CPUs, QEMU TCG (no KVM)" \
	--arg date "$(date -u +%Y-%m-%dT%H:%MZ)" '
	def median: sort | if length == 0 then null else .[(length - 1) / 2 | floor] end;
	. as $runs |
	{date: $date, machine: $machine, repetitions: ([$runs[].rep] | max),
	 scenarios: ($runs | group_by(.scenario) | map({key: .[0].scenario, value: (
		group_by(.variant) | map(. as $r | {key: .[0].variant, value: (
			($metrics | map(. as $m | {key: $m, value: ([$r[][$m] | select(. != null)] | median)}) | from_entries) +
			{spread: ($metrics | map(. as $m | {key: $m, value: ([$r[][$m] | select(. != null)] |
				if length == 0 then null else [min, max] end)}) | from_entries)})}) | from_entries)}) | from_entries)}
	' "$dir/bench_runs.json" > "$dir/results.json"

# Ratios ours / stock, medians.
jq -r '
	def r(a; b): if a == null or b == null or b == 0 then "-" else (a / b * 100 | round / 100 | tostring) end;
	"| scenario | variant | Mbit/s | wake-ups/MB | wake-ups/packet | CPU s/GB | busy s/GB | RTT p50 | RTT p99 | added p99 us |",
	"| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
	(.scenarios | to_entries[] | .key as $sc | .value as $v | ("off", "A", "B", "C", "C-dim") as $c | select($v[$c]) |
	 "| \($sc) | \($c) | \(r($v[$c].throughput_mbps; $v.stock.throughput_mbps)) | \(r($v[$c].wakeups_per_mb; $v.stock.wakeups_per_mb)) | \(r($v[$c].wakeups_per_packet; $v.stock.wakeups_per_packet)) | \(r($v[$c].cpu_s_per_gb; $v.stock.cpu_s_per_gb)) | \(r($v[$c].busy_s_per_gb; $v.stock.busy_s_per_gb)) | \(r($v[$c].rtt_p50_us; $v.stock.rtt_p50_us)) | \(r($v[$c].rtt_p99_us; $v.stock.rtt_p99_us)) | \($v[$c].added_latency_p99_us // "-") |")
	' "$dir/results.json" > "$dir/ratios.md"
jq -r '
	def n(x; k): if x == null then "-" else (x * k | round / k | tostring) end;
	def rng(v; m; k): "\(n(v[m]; k)) (\(n(v.spread[m][0]; k))-\(n(v.spread[m][1]; k)))";
	"| scenario | variant | Mbit/s (min-max) | wake-ups/MB | wake-ups/packet (min-max) | timer exp./packet | CPU s/GB | busy s/GB | RTT p50 us | RTT p99 us (min-max) |",
	"| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
	(.scenarios | to_entries[] | .key as $sc | .value | to_entries[] | .value as $v |
	 "| \($sc) | \(.key) | \(rng($v; "throughput_mbps"; 1)) | \(n($v.wakeups_per_mb; 10)) | \(rng($v; "wakeups_per_packet"; 1000)) | \(n($v.timer_expiries_per_packet; 1000)) | \(n($v.cpu_s_per_gb; 10)) | \(n($v.busy_s_per_gb; 10)) | \($v.rtt_p50_us // "-") | \(rng($v; "rtt_p99_us"; 1)) |")
	' "$dir/results.json" > "$dir/medians.md"

# The variants the run has, in this order.
variants=$(jq -r '[.scenarios[] | keys[]] | unique as $have |
	["stock", "off", "A", "B", "C", "C-dim"] | map(select(. as $v | $have | index($v))) | join(" ")' \
	"$dir/results.json")

# Plots: one bar chart per metric, scenarios x variants.
plot() { # METRIC TITLE FILE
	local cols="" n=2 v

	jq -r --arg m "$1" --arg vs "$variants" '.scenarios | to_entries[] |
		select([.value[][$m]] | any(. != null)) | .value as $s |
		[.key] + ($vs | split(" ") | map($s[.][$m] // "NaN")) | @tsv' "$dir/results.json" > "$dir/$3.tsv"
	for v in $variants; do
		cols="$cols${cols:+, }'' using $n title \"$v\""
		n=$((n + 1))
	done
	cols="\"$dir/$3.tsv\" using 2:xtic(1) title \"${variants%% *}\"${cols#*title \"stock\"}"
	gnuplot <<EOG
set terminal pngcairo size 1000,500 noenhanced
set output "$dir/$3.png"
set title "$2 (medians; QEMU TCG)"
set style data histograms
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set xtics rotate by -20
set key top left
set yrange [0:*]
plot $cols
EOG
}

# RTT distribution of the 1000/s ping-pong: sockperf's percentiles, the
# median over the repetitions, one curve per variant.
rtt_cdf() {
	local v p f

	for v in $variants; do
		for p in 25.000 50.000 75.000 90.000 99.000 99.900; do
			for f in "$dir"/b-pingpong_1000-"$v"-*.txt; do
				[ -f "$f" ] || continue
				awk -v k="percentile $p =" 'index($0, k) {print $NF}' "$f"
			done | sort -n | awk -v p="$p" '{a[NR] = $1}
				END { if (NR) print a[int((NR + 1) / 2)], p }'
		done > "$dir/rtt_cdf-$v.tsv"
	done
	gnuplot <<EOG
set terminal pngcairo size 1000,500 noenhanced
set output "$dir/rtt_cdf.png"
set title "UDP ping-pong 1000/s: RTT percentiles (medians of the runs; QEMU TCG)"
set xlabel "RTT (us)"
set ylabel "percentile"
set logscale x
set key bottom right
plot for [v in "$variants"] "$dir/rtt_cdf-".v.".tsv" using 1:2 with linespoints title v
EOG
}
plot wakeups_per_mb "Wake-ups (interrupts of both domains and coalescing timers) per MB" wakeups_per_mb
plot wakeups_per_packet "Wake-ups per packet" wakeups_per_packet
plot rtt_p99_us "Ping-pong RTT p99 (us)" rtt_p99
plot throughput_mbps "Throughput (Mbit/s)" throughput
rtt_cdf
echo "bench: $dir/results.json, $dir/ratios.md, $dir/medians.md, $dir/*.png"
