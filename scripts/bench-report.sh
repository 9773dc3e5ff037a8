#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-report.sh [--no-plots] DIR: from DIR/bench_runs.json (the rows of
# selftests/xen/tests/bench.sh) and DIR/meta.json (make bench: the run, the
# commit, what it booted) make
#  - DIR/results.json: per scenario and variant, the median and min-max of
#    every metric, and the pairwise ratios against stock and against class
#    A (each repetition's variant / the same repetition's stock or A: the
#    variants of one repetition ran side by side, so drift between
#    repetitions cancels), median and min-max;
#  - DIR/medians.md, DIR/ratios.md (against stock), DIR/ratios_vs_a.md;
#  - DIR/results.rst: Documentation/results.rst's page, every figure from
#    results.json (make bench-record commits it with the raw rows);
#  - PNG plots (gnuplot, from apt), unless --no-plots.
set -euo pipefail
plots=1
[ "${1:-}" = --no-plots ] && plots= && shift
dir=$1
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib/apt.sh"
need_pkgs jq
[ -n "$plots" ] && need_pkgs gnuplot-nox

# A bench stopped by its limit leaves only the rows it finished.
if [ ! -f "$dir/bench_runs.json" ]; then
	echo "bench: stopped early; reporting the $(wc -l < "$dir/bench_runs.jsonl") runs it finished"
	jq -s . "$dir/bench_runs.jsonl" > "$dir/bench_runs.json"
fi
[ -f "$dir/meta.json" ] || echo '{}' > "$dir/meta.json"

metrics='["throughput_mbps","packets_per_s","wakeups_per_mb","wakeups_per_packet","timer_expiries_per_packet",
 "busy_s_per_gb","notifications_per_mb","notifications_per_packet",
 "dom0_notifications_per_packet","domu_notifications_per_packet","cpu_s_per_gb","dom0_cpu_s_per_gb",
 "rtt_p50_us","rtt_p99_us","rtt_p999_us","added_latency_p99_us","spurious_events"]'
jq --argjson metrics "$metrics" --slurpfile meta "$dir/meta.json" '
	def median: sort | if length == 0 then null else .[(length - 1) / 2 | floor] end;
	def stats: if length == 0 then null else {median: median, min: min, max: max, n: length} end;
	. as $runs |
	# The ratios of one variant to BASE, repetition by repetition.
	def pairs($sc; $v; $base; $m):
		[$runs[] | select(.scenario == $sc and .variant == $v and .[$m] != null) | . as $x |
		 $runs[] | select(.scenario == $sc and .variant == $base and .rep == $x.rep) |
		 .[$m] | select(. != null and . > 0) | $x[$m] / .];
	def ratios($sc; $v; $base):
		if $v == $base then null else
		($metrics | map(. as $m | {key: $m, value: (pairs($sc; $v; $base; $m) | stats)}) | from_entries) end;
	{meta: ($meta[0] // {}), repetitions: ([$runs[].rep] | max),
	 scenarios: ($runs | group_by(.scenario) | map(.[0].scenario as $sc | {key: $sc, value: (
		group_by(.variant) | map(.[0].variant as $v | . as $r | {key: $v, value: (
			($metrics | map(. as $m | {key: $m, value: ([$r[][$m] | select(. != null)] | median)}) | from_entries) +
			{spread: ($metrics | map(. as $m | {key: $m, value: ([$r[][$m] | select(. != null)] |
				if length == 0 then null else [min, max] end)}) | from_entries),
			 vs_stock: ratios($sc; $v; "stock"), vs_A: ratios($sc; $v; "A")})}) | from_entries)}) | from_entries)}
	' "$dir/bench_runs.json" > "$dir/results.json"

# The tables, in Markdown (md) or as reStructuredText list-tables (rst).
tables='
	def n(x; k): if x == null then "-" else (x * k | round / k | tostring) end;
	def rng(v; m; k): if v[m] == null then "-" else "\(n(v[m]; k)) (\(n(v.spread[m][0]; k))-\(n(v.spread[m][1]; k)))" end;
	def rat(s): if s == null then "-" else "\(n(s.median; 100)) (\(n(s.min; 100))-\(n(s.max; 100)))" end;
	def order: ["stock", "off", "A", "B", "C"];
	def rows: .scenarios | to_entries[] | .key as $sc | .value as $s |
		order[] as $v | select($s[$v]) | {sc: $sc, v: $v, r: $s[$v]};
	def medians: [["scenario", "variant", "Mbit/s", "wake-ups/MB", "wake-ups/packet", "timer expiries/packet",
			"busy s/GB", "RTT p50 us", "RTT p99 us", "added latency p99 us"]] +
		[rows | [.sc, .v, rng(.r; "throughput_mbps"; 1), rng(.r; "wakeups_per_mb"; 10),
			rng(.r; "wakeups_per_packet"; 1000), n(.r.timer_expiries_per_packet; 1000),
			rng(.r; "busy_s_per_gb"; 10), rng(.r; "rtt_p50_us"; 1), rng(.r; "rtt_p99_us"; 1),
			n(.r.added_latency_p99_us; 1)]];
	def ratio_table(k): [["scenario", "variant", "Mbit/s", "wake-ups/MB", "wake-ups/packet",
			"busy s/GB", "RTT p50", "RTT p99"]] +
		[rows | select(.r[k]) | [.sc, .v] + (.r[k] as $x | ["throughput_mbps", "wakeups_per_mb",
			"wakeups_per_packet", "busy_s_per_gb", "rtt_p50_us", "rtt_p99_us"] | map(rat($x[.])))];
	# The goals the classes were built for; each verdict is the median
	# pairwise ratio (or value) against its bound.
	def goals: [
		["C", "bulk", "wakeups_per_mb", "vs_stock", "<=", 0.10, "class C bulk: wake-ups per MB <= 0.10x stock"],
		["C", "bulk", "throughput_mbps", "vs_stock", ">=", 1.0, "class C bulk: throughput >= 1.0x stock"],
		["C", "bulk", "busy_s_per_gb", "vs_stock", "<=", 0.70, "class C bulk: busy CPU per GB <= 0.70x stock"],
		["C", "bulk", "wakeups_per_mb", "vs_A", "<=", 0.20, "class C bulk: 5x fewer wake-ups per MB than class A"],
		["C", "udp64", "wakeups_per_packet", "vs_stock", "<=", 0.10, "class C 64-byte UDP: wake-ups per packet <= 0.10x stock"],
		["B", "udp64", "wakeups_per_packet", "vs_stock", "<=", 0.5, "class B 64-byte UDP: wake-ups per packet <= 0.5x stock"],
		["B", "bulk", "wakeups_per_packet", "vs_stock", "<=", 0.5, "class B bulk: wake-ups per packet <= 0.5x stock"],
		["A", "pingpong", "rtt_p50_us", "vs_stock", "<=", 1.03, "class A ping-pong: RTT p50 within 3% of stock"],
		["A", "pingpong", "rtt_p99_us", "vs_stock", "<=", 1.03, "class A ping-pong: RTT p99 within 3% of stock"],
		["B", "pingpong", "added_latency_p99_us", null, "<=", 100, "class B ping-pong: added latency p99 <= 100 us"],
		["off", "bulk", "wakeups_per_mb", "vs_stock", "<=", 1.25, "coalescing off: bulk wake-ups per MB <= 1.25x stock"]];
	def goal_table: [["goal", "scenario", "measured: median (min-max)", "verdict"]] +
		[goals[] as [$v, $pre, $m, $k, $op, $bound, $what] |
		 .scenarios | to_entries[] | select(.key | startswith($pre)) | select(.value[$v]) |
		 .value[$v] as $r |
		 (if $k == null then {median: $r[$m], min: $r.spread[$m][0], max: $r.spread[$m][1]} else $r[$k][$m] end) as $s |
		 [$what, .key, (if $s == null or $s.median == null then "-"
				elif $k == null then "\(n($s.median; 1)) us (\(n($s.min; 1))-\(n($s.max; 1)))"
				else "\(rat($s))x" end),
		  (if $s == null or $s.median == null then "no data"
		   elif ($op == "<=" and $s.median <= $bound) or ($op == ">=" and $s.median >= $bound) then "met"
		   else "missed" end)]];
	def md: (.[0] | "| " + join(" | ") + " |"), (.[0] | map("---") | "| " + join(" | ") + " |"),
		(.[1:][] | "| " + join(" | ") + " |");
	def rst(caption): ".. list-table:: \(caption)", "   :header-rows: 1", "",
		(.[] | "   * - " + (.[0] | tostring), (.[1:][] | "     - " + tostring)), "";
'
jq -r "$tables medians | md" "$dir/results.json" > "$dir/medians.md"
jq -r "$tables ratio_table(\"vs_stock\") | md" "$dir/results.json" > "$dir/ratios.md"
jq -r "$tables ratio_table(\"vs_A\") | md" "$dir/results.json" > "$dir/ratios_vs_a.md"

# The documentation page: fixed text, and every figure from results.json.
{
	cat <<'EOT'
.. SPDX-License-Identifier: GPL-2.0
.. Generated by scripts/bench-report.sh from Documentation/bench/ (make
.. bench-record): edit the script, not this page.

==================
Benchmark results
==================

``make bench`` boots the real-Xen harness once and runs every scenario
with the stock drivers and with the project's drivers with coalescing off
("off") and in class A, class B (budget 100 us) and class C, in the same
boot, five repetitions (``REPS=``) of each scenario (``SCENARIOS="..."``
picks some). The variants are interleaved within each repetition: stock's
block (its netback loaded, fresh domUs) and ours (the project's netback,
one boot of the domUs, the class switched between variants) take turns at
going first, and ours rotate their order. It shows the run in progress,
appends each run's figures as it ends (a bench stopped by its limit keeps
what it measured), and its limit follows its plan: 45 s a run, where a
quiet 2-core machine takes about 15, and 10 minutes for the boots. It
writes ``build/bench/``;
``make bench-record`` copies the raw rows and the run's description to
``Documentation/bench/`` and this page, which ``scripts/bench-report.sh``
makes from them: no figure here is typed by hand (``make unit`` checks
that the page is what the script makes of the committed rows).

Reading the numbers
===================

Everything runs under QEMU's software emulation (TCG, no KVM): absolute
throughput and round-trip times are one to two orders of magnitude worse
than on hardware and swing between runs. Only ratios measured side by
side mean anything: each ratio below is taken *pairwise*, a variant's
figure in one repetition over stock's (or class A's) in the same
repetition, and the tables give the median of those ratios with their
range. The figures count *wake-ups*: the event-channel interrupts of dom0
and the domU (both domUs between domUs) plus the coalescing timers'
expiries, since a deferred notification costs its timer. CPU is the busy
time in dom0's and the domUs' own ``/proc/stat`` (10 ms steps) per GB
moved. An emulated vCPU also wakes up late (debugfs ``timer_late_us``):
the added-latency percentiles include that lateness, which no coalescing
setting can beat. Whether a goal below is met at hardware rates is the
simulator's question: the rates TCG reaches decide how many packets a
deadline gathers. Its answers, each class against the physical floor and
its promise at 1, 10 and 25 Gbit/s (at one point, and at a class's four
points in both directions) and the adaptive policies against fixed
settings, are on :doc:`sim-results`.

Scenarios: ``bulk_to_domu`` / ``bulk_from_domu`` (iperf3, 2 streams,
dom0 to domU and back), ``bulk_domu_to_domu`` (domu1 to domu2),
``pingpong_100`` / ``pingpong_1000`` (sockperf, messages per second),
``udp64_5000`` (64-byte UDP asked at 5000 packets/s to a domU: Mbit/s is
what arrived).

The run
=======

EOT
	jq -r '.meta as $m | "- \(.repetitions) repetitions of \(.scenarios | length) scenarios, run \($m.run // "?") of commit \($m.head // "?")",
		"- booted: \($m.booted // "?")", "- machine: \($m.machine // "?")", ""' "$dir/results.json"
	printf 'Against the goals\n=================\n\n'
	jq -r "$tables goal_table | rst(\"The goals, on the median pairwise ratio\")" "$dir/results.json"
	printf 'Medians\n=======\n\n'
	jq -r "$tables medians | rst(\"Medians (min-max) of the repetitions\")" "$dir/results.json"
	printf 'Against stock\n=============\n\n'
	jq -r "$tables ratio_table(\"vs_stock\") | rst(\"Each variant / stock, pairwise: median (min-max)\")" "$dir/results.json"
	printf 'Against class A\n===============\n\n'
	jq -r "$tables ratio_table(\"vs_A\") | rst(\"Each variant / class A, pairwise: median (min-max)\")" "$dir/results.json"
	cat <<'EOT'
Reproduce
=========

::

    make bench              # about 35 minutes; tables printed at the end
    make bench REPS=2 SCENARIOS="bulk_to_domu pingpong_1000"   # a quicker look
    ls build/bench/         # results.json, medians.md, ratios.md, ratios_vs_a.md, results.rst, *.png
    make bench-record       # this page and Documentation/bench/ from build/bench/
EOT
} > "$dir/results.rst"

if [ -z "$plots" ]; then
	echo "bench: $dir/results.json, $dir/*.md, $dir/results.rst"
	exit 0
fi

# The variants the run has, in this order.
variants=$(jq -r '[.scenarios[] | keys[]] | unique as $have |
	["stock", "off", "A", "B", "C"] | map(select(. as $v | $have | index($v))) | join(" ")' \
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
echo "bench: $dir/results.json, $dir/*.md, $dir/results.rst, $dir/*.png"
