#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make sim's fixed scenarios: each class (A, B 100 us, C) and an explicit
# and an adaptive setting (the estimator, and lib/dim's net_dim), against constant-rate streams at 1, 10 and 25
# Gbit/s of 1500-byte frames and 64 KiB GSO packets, a Poisson stream and
# on/off bursts, each beside the same trace with coalescing off.
# Writes OUT/scenarios.json (one object per run) and OUT/scenarios.txt,
# and, with gnuplot, OUT/delay-cdf.png (the delay's distribution per class
# on a Poisson stream) and OUT/wakeups-vs-rate.png (wake-ups per packet
# against the rate for fixed and adaptive settings).
set -eu
sim=$1 out=$2
policies=("--class A" "--class B --budget 100" "--class C" "--usecs 50 --frames 32" "--usecs 1000 --frames 64 --adaptive"
	"--usecs 1000 --frames 64 --adaptive --dim")
streams=(const:1g:1500:20ms const:10g:1500:20ms const:25g:1500:20ms
	const:1g:65536:100ms const:10g:65536:100ms const:25g:65536:100ms
	poisson:1g:1500:20ms:7 onoff:10g:1500:50ms:1ms:4ms tcp:10g:65536:100ms:32:100us)
mkdir -p "$out"
: > "$out/scenarios.txt"
echo "[" > "$out/scenarios.json"
first=1
for s in "${streams[@]}"; do
	for p in "${policies[@]}"; do
		# shellcheck disable=SC2086
		"$sim" --gen "$s" $p >> "$out/scenarios.txt"
		echo >> "$out/scenarios.txt"
		[ $first = 1 ] || echo "," >> "$out/scenarios.json"
		first=0
		# shellcheck disable=SC2086
		"$sim" --gen "$s" $p --json | sed "1s|^{|{\"stream\": \"$s\",|" >> "$out/scenarios.json"
	done
done
echo "]" >> "$out/scenarios.json"
cat "$out/scenarios.txt"
echo "make sim: $(grep -c '^{' "$out/scenarios.json" || true) runs in $out/scenarios.json and scenarios.txt"

command -v gnuplot > /dev/null || { echo "make sim: no gnuplot, no plots"; exit 0; }
for c in A B C; do
	"$sim" --gen poisson:1g:1500:100ms:7 --class $c --budget 100 --cdf "$out/cdf-$c.txt" > /dev/null
done
# wake-ups per packet with coalescing on, from a run's JSON "on" line
wakeups() { "$sim" --json "$@" | sed -n 's/^  "on": .*"wakeups_per_packet": \([0-9.]*\).*/\1/p'; }
: > "$out/rates.txt"
for gbps in 0.1 0.2 0.5 1 2 5 10 25; do
	rate=$(awk -v g="$gbps" 'BEGIN { printf "%dm", g * 1000 }')
	s=const:$rate:1500:20ms
	echo "$gbps $(wakeups --gen "$s" --usecs 0 --frames 0) $(wakeups --gen "$s" --class B --budget 100)" \
		"$(wakeups --gen "$s" --class C) $(wakeups --gen "$s" --usecs 50 --frames 32)" \
		"$(wakeups --gen "$s" --usecs 1000 --frames 64 --adaptive)" \
		"$(wakeups --gen "$s" --usecs 1000 --frames 64 --adaptive --dim)" >> "$out/rates.txt"
done
gnuplot <<EOG
set terminal png size 900,560
set termoption noenhanced
set output "$out/delay-cdf.png"
set title "Delay until the peer sees a packet: Poisson 1 Gbit/s, 1500 B (xcoal-sim)"
set xlabel "delay (us)"
set ylabel "fraction of packets"
set key bottom right
set xrange [0:*]
plot "$out/cdf-A.txt" with lines lw 2 title "class A", \
     "$out/cdf-B.txt" with lines lw 2 title "class B (100 us budget)", \
     "$out/cdf-C.txt" with lines lw 2 title "class C"
set output "$out/wakeups-vs-rate.png"
set title "Wake-ups per packet (notifications + timer expiries), 1500 B (xcoal-sim)"
set xlabel "rate (Gbit/s)"
set ylabel "wake-ups per packet"
set logscale x
set key top right
set xrange [*:*]
plot "$out/rates.txt" using 1:2 with linespoints lw 2 title "off", \
     "" using 1:3 with linespoints lw 2 title "class B (75 us, 64 frames)", \
     "" using 1:4 with linespoints lw 2 title "class C (4 ms, 64 frames)", \
     "" using 1:5 with linespoints lw 2 title "fixed 50 us, 32 frames", \
     "" using 1:6 with linespoints lw 2 title "adaptive (EWMA), 1 ms, 64 frames", \
     "" using 1:7 with linespoints lw 2 title "adaptive (net_dim), 1 ms, 64 frames"
EOG
echo "make sim: plots in $out/delay-cdf.png and $out/wakeups-vs-rate.png"
