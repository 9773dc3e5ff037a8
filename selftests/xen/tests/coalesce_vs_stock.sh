#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Ours against stock in one boot, interleaved: five to ten repetitions, each with
# the stock drivers and ours (the order alternates, stock first or ours
# first, and within ours coalescing off or on first), each variant on a
# freshly booted domU for stock and a shared one for off and on:
#  - stock netback + netfront, ours with coalescing off, and ours with
#    coalescing on for the path towards the guest: the vif's deliveries
#    (ethtool -C tx-*) and the guest's buffer refills (rx-*, sent by dom0
#    through the xenstore protocol). The guest's own TX path stays
#    uncoalesced: TCP's small queues wait for TX completions, and a long
#    deadline there collapses a guest's TCP send rate (measured: about
#    1 Mbit/s with 10 ms), which is the classes' work to avoid;
#  - per variant: bulk TCP each way (wake-ups per MB, Mbit/s) and a
#    1000 packets/s UDP stream to the guest (wake-ups per packet), where
#    wake-ups are the event-channel interrupts of both domains plus the
#    coalescing timers' expiries in both.
# Asserted on the median of the pairwise ratios (each repetition's ours /
# its stock): with coalescing off ours costs no more wake-ups per MB of
# bulk TCP than stock (<= 1.25x, TCG's noise between runs a few seconds
# apart); the UDP stream's wake-ups per packet, by the sign test
# (xt_sign_verdict; the repetitions go on past five until both are
# decided, ten at most; undecided is a skip): off no more than stock's
# (below 1.25x), on less than half of stock's (below 0.5x); with coalescing on
# the guest takes at most 2/8 interrupts per UDP packet (frames 8) in
# every repetition; late-EOI back-off never trips and spurious events
# stay under 1 in 1000. Speed is reported, never asserted. Writes
# vs_stock.json and vs_stock.txt.
# XT-TIMEOUT: 3000
# XT-TIER: long (12 minutes of same-boot measurements: make check-all)
. /xt/xt-lib.sh
REPS=5 MAX_REPS=10
SECS=3

runs=() failed=
# boot NETBACK: that netback, and domu1 with the matching netfront
boot() {
	xt_domus_destroy_all
	xt_netback "$1" && xt_domu_up 1 "$1" 1 > /dev/null
}
# ours off|on: the vif's deliveries and the guest's refills, the guest
# following; its TX path stays as it is.
ours() {
	local u=0 f=0 vif

	vif=vif$(xt_domid 1).0
	[ "$1" = on ] && u=10000 f=8
	ethtool -C "$vif" tx-usecs $u tx-frames $f || return 1
	# One key at a time: frames without usecs is refused, so usecs
	# comes first on the way on and last on the way off.
	if [ "$1" = on ]; then
		echo $u > "/sys/class/net/$vif/xen_coalesce/frontend_rx_usecs" &&
			echo $f > "/sys/class/net/$vif/xen_coalesce/frontend_rx_frames"
	else
		echo $f > "/sys/class/net/$vif/xen_coalesce/frontend_rx_frames" &&
			echo $u > "/sys/class/net/$vif/xen_coalesce/frontend_rx_usecs"
	fi || return 1
	xt_guest_becomes 1 "$u $f 0 0"
}
# measure VARIANT REP: one run of the three streams, kept in runs[]
measure() {
	local ip s0 s1 s2 s3 tx rx

	xt_progress "repetition $2: $1"
	ip=$(xt_ip 1)
	s0=$(xt_snapshot 1)
	tx=$(xt_iperf3 "vs-$1-$2-to-domu" "$ip" -t $SECS)
	s1=$(xt_snapshot 1)
	rx=$(xt_iperf3 "vs-$1-$2-from-domu" "$ip" -t $SECS -R)
	s2=$(xt_snapshot 1)
	timeout 30 iperf3 -u -c "$ip" -b $((1000 * 64 * 8)) -l 64 -t $SECS > /dev/null 2>&1
	sleep 1
	s3=$(xt_snapshot 1)
	runs+=("$(jq -nc --arg v "$1" --argjson run "$2" \
		--argjson tx "${tx:-null}" --argjson rx "${rx:-null}" \
		--argjson a "$(xt_delta "$s0" "$s1")" --argjson b "$(xt_delta "$s1" "$s2")" \
		--argjson c "$(xt_delta "$s2" "$s3")" '
		def per_mb(d): if d.bytes > 0 then d.wakeups / (d.bytes / 1048576) else null end;
		def per_pkt(d): if d.packets > 0 then d.wakeups / d.packets else null end;
		{variant: $v, run: $run, to_domu_mbps: $tx, from_domu_mbps: $rx,
		 to_domu_wakeups_per_mb: per_mb($a), from_domu_wakeups_per_mb: per_mb($b),
		 udp_wakeups_per_packet: per_pkt($c),
		 udp_guest_notif_per_packet: (if $c.packets > 0 then $c.domu_notifications / $c.packets else null end),
		 spurious_events: ([$a, $b, $c] | map(.spurious_events) | add),
		 backend_events: ([$a, $b, $c] | map(.xenbus_events) | add),
		 jiffies_eoi_delayed: ([$a, $b, $c] | map(.jiffies_eoi_delayed) | add)}')")
}
stock_run() { measure stock "$1"; }
# ours_run REP: off and on, in the order of $within
ours_run() {
	local v

	for v in $within; do
		ours $v > /dev/null || { failed+=" rep $1: coalescing $v not followed;"; continue; }
		measure $v "$1"
	done
}
# udp_ratios VARIANT: the UDP stream's pairwise ratios VARIANT / stock,
# wake-ups per packet, one per repetition that has both
udp_ratios() {
	printf '%s\n' "${runs[@]}" | jq -rs --arg v "$1" '. as $all
		| [$all[] | select(.variant == $v) | . as $o
		   | ($all[] | select(.variant == "stock" and .run == $o.run)) as $s
		   | if $o.udp_wakeups_per_packet != null and ($s.udp_wakeups_per_packet // 0) > 0
		     then $o.udp_wakeups_per_packet / $s.udp_wakeups_per_packet * 100 | round / 100
		     else empty end] | map(tostring) | join(" ")'
}
for rep in $(seq $MAX_REPS); do
	within="off on"
	[ $((rep % 4)) -ge 2 ] && within="on off"
	xt_stock_and_ours "$rep" boot stock_run ours_run
	# shellcheck disable=SC2046 # the ratios are words
	[ "$rep" -ge $REPS ] &&
		[ "$(xt_sign_verdict 1.25 $(udp_ratios off))" != undecided ] &&
		[ "$(xt_sign_verdict 0.5 $(udp_ratios on))" != undecided ] && break
done
xt_domus_destroy_all
xt_check "every variant of the $rep repetitions booted and took its settings" test -z "$failed"
[ -n "$failed" ] && xt_info "$failed"

# Per metric and variant: the median of its runs with their range, and
# the pairwise ratios to stock's run of the same repetition, their median
# and range.
printf '%s\n' "${runs[@]}" | jq -s '
	def median: sort | if length == 0 then null else .[(length - 1) / 2 | floor] end;
	def spread: sort | if length == 0 then null else [.[0], .[-1]] end;
	def keys_: ["to_domu_mbps", "from_domu_mbps", "to_domu_wakeups_per_mb",
		    "from_domu_wakeups_per_mb", "udp_wakeups_per_packet"];
	. as $all
	| {runs: .,
	   medians: (group_by(.variant) | map({key: .[0].variant, value: (
		. as $r | keys_ | map({key: ., value: {median: ([$r[][.] | select(. != null)] | median),
		  spread: ([$r[][.] | select(. != null)] | spread)}}) | from_entries)}) | from_entries),
	   ratios: (["off", "on"] | map(. as $v | {key: $v, value: (keys_ | map(. as $k | {key: $k, value: (
		[$all[] | select(.variant == $v) | . as $o
		 | ($all[] | select(.variant == "stock" and .run == $o.run)) as $s
		 | if $o[$k] != null and $s[$k] != null and $s[$k] > 0 then $o[$k] / $s[$k] else empty end]
		| {median: median, spread: spread, pairs: length})}) | from_entries)}) | from_entries)}' |
	xt_save vs_stock.json
j() { jq -r "$1" "$XT_RESULTS/vs_stock.json"; }
{
	printf '%-24s %9s %9s %9s %22s %22s\n' metric stock off on "off/stock (range)" "on/stock (range)"
	for k in to_domu_wakeups_per_mb from_domu_wakeups_per_mb udp_wakeups_per_packet to_domu_mbps from_domu_mbps; do
		printf '%-24s %9.3f %9.3f %9.3f %22s %22s\n' $k \
			"$(j ".medians.stock.$k.median // 0")" "$(j ".medians.off.$k.median // 0")" \
			"$(j ".medians.on.$k.median // 0")" \
			"$(j ".ratios.off.$k | \"\(.median * 100 | round / 100) (\(.spread[0] * 100 | round / 100)-\(.spread[1] * 100 | round / 100))\"" 2> /dev/null)" \
			"$(j ".ratios.on.$k | \"\(.median * 100 | round / 100) (\(.spread[0] * 100 | round / 100)-\(.spread[1] * 100 | round / 100))\"" 2> /dev/null)"
	done
	echo "medians of $rep runs; ratios: median (min-max) of each repetition's ours / its stock"
} | tee "$XT_RESULTS/vs_stock.txt" | sed 's/^/# /'

# pairwise VARIANT METRIC OP BOUND: the median of the pairwise ratios,
# over at least $REPS pairs, compares so to BOUND
pairwise() {
	j ".ratios.$1.$2 | .pairs >= $REPS and .median != null and .median $3 $4" | grep -qx true ||
		{ echo "$1/stock $2: $(j -c ".ratios.$1.$2")"; return 1; }
}
for k in to_domu_wakeups_per_mb from_domu_wakeups_per_mb; do
	xt_check "coalescing off: $k no more than stock's, median of $rep pairwise ratios ($(j ".ratios.off.$k.median * 100 | round / 100")) <= 1.25" \
		pairwise off $k '<=' 1.25
done
# The 1000 packets/s stream's wake-ups per packet: under TCG how many
# packets share an event depends on how the emulated sender bunches them
# (the pairwise ratios of 3 s streams spread 0.6-2.3x within one run, and
# off/stock medians were 0.93 and 1.55 in two runs), so the median is
# decided by the sign test over as many pairs as it takes (ten at most),
# and one it cannot decide is a skip, not a pass.
for vb in "off 1.25 no more than stock's" "on 0.5 less than half of stock's"; do
	read -r v bound what <<< "$vb"
	# shellcheck disable=SC2046 # the ratios are words
	xt_check_sign xt_check "coalescing $v: the UDP stream's wake-ups per packet $what, the median of the pairwise ratios below $bound by the sign test" \
		"$bound" below $(udp_ratios "$v")
done
# The UDP stream only flows towards the guest: its events are deliveries.
g=$(jq '[.runs[] | select(.variant == "on") | .udp_guest_notif_per_packet] | max' "$XT_RESULTS/vs_stock.json")
xt_check "coalescing on: the guest's interrupts per UDP packet <= 2/8 in every repetition (max $g)" \
	jq -e -n "$g != null and $g <= 0.25"
xt_check "the backend's event counters were read in every run" \
	jq -e '[.runs[] | .spurious_events, .backend_events, .jiffies_eoi_delayed] | all(. != null)' \
	"$XT_RESULTS/vs_stock.json"
xt_check "late-EOI back-off never tripped (jiffies_eoi_delayed unchanged)" \
	jq -e '[.runs[].jiffies_eoi_delayed] | all(. == 0)' "$XT_RESULTS/vs_stock.json"
sp=$(jq -c '[.runs[] | select(.variant != "stock")] | {spurious: (map(.spurious_events) | add), events: (map(.backend_events) | add)}' "$XT_RESULTS/vs_stock.json")
xt_info "ours: $sp; stock: $(jq -c '[.runs[] | select(.variant == "stock")] | {spurious: (map(.spurious_events) | add), events: (map(.backend_events) | add)}' "$XT_RESULTS/vs_stock.json")"
xt_check "ours: spurious events at most 1 per 1000 backend events" \
	jq -e -n "$sp | .events > 0 and .spurious * 1000 <= .events"
xt_done
