#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make sim's fixed scenarios: each class (A, B 100 us, C) and an explicit
# and an adaptive setting, against constant-rate streams at 1, 10 and 25
# Gbit/s of 1500-byte frames and 64 KiB GSO packets, a Poisson stream and
# on/off bursts, each beside the same trace with coalescing off.
# Writes OUT/scenarios.json (one object per run) and OUT/scenarios.txt.
set -eu
sim=$1 out=$2
policies=("--class A" "--class B --budget 100" "--class C" "--usecs 50 --frames 32" "--usecs 1000 --frames 64 --adaptive")
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
