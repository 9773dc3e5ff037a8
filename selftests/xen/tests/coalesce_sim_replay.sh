#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xcoal-sim against the engine it models (project netback, stock
# netfront). dom0 captures what it sends to the guest on the vif
# (tcpdump -Q out) while pings go to the guest at a fixed interval, with
# fixed settings on the vif's delivery point (ethtool tx-*), reads the
# point's debugfs counters around them, and replays the capture through
# xcoal-sim (/xt/bin/xcoal-sim: the same decision code, a static build)
# with the same settings:
#  - the capture, cut to the time between the two readings of the
#    counters (xcoal-sim --window), holds exactly the frames the point
#    counted (else the two do not see the same packets and nothing below
#    means anything; a stray packet before the first reading made the
#    whole capture one more in an early run);
#  - the engine's own trace events (xen_coalesce:xcoal_push and
#    xcoal_release, between markers beside the readings), replayed by
#    xcoal-sim --ktrace through the decision code with the inputs and the
#    timer firings the engine had, hold the frames the point counted and
#    give every verdict the engine gave: deferrals, expiries and
#    notifications exactly, whatever the emulator's speed;
#  - deadline-bound, 1000 us / 64 frames at 50 packets/s (the gap 20
#    times the deadline): the capture replayed starts the waits the
#    deadline alone would (counted from the capture's gaps: each packet
#    alone, but for any the emulated sender sent within 1 ms of one),
#    and its longest scheduled wait is the engine's, 1 ms;
#  - denser, 10000 us / 4 frames, a ping every 2 ms (TCG sends slower:
#    the rate reached is reported; several packets share a wait).
# How far the capture's replay is from the engine is reported, not
# asserted, with the platform's share the trace names: the capture has
# the times dom0 queued the packets, the engine decides at netback's
# pushes, when the guest may still be polling (a domain can wait a Xen
# scheduler slice, 30 ms, under TCG) and a timer may have run late. A
# bound on that difference is a bound on the emulator's timing: it held
# 3 % in one run and 9 % in another (281 of 2000 pushes joined a wait
# after its deadline there). The decisions themselves are asserted by
# the trace's replay, exactly.
# Saves sim_replay.json, the captures as text and the kernel traces.
# XT-TIMEOUT: 600
. /xt/xt-lib.sh

xt_check "dom0: the project's netback" xt_netback project
xt_check "domu1 (stock netfront) answers" xt_domu_up 1 stock 1
vif=vif$(xt_domid 1).0
dbg=/sys/kernel/debug/xen-coalesce/xen_netback/$vif-q0
guest=$(xt_ip 1)

# Only the pings go to the guest: dom0's router solicitations (the vif's
# and the bridge's), its ARP probes and its replies to the guest's, at a
# counter reading's edge, made the capture's window one packet short of
# the engine's count in a run. Both sides keep each other's MAC; the
# bridge's settings are restored at the end (the boot goes on).
v6=/proc/sys/net/ipv6/conf
br_v6=$(cat $v6/xenbr0/disable_ipv6)
echo 1 > "$v6/$vif/disable_ipv6"
echo 1 > $v6/xenbr0/disable_ipv6
guest_mac=$(ip neigh show "$guest" dev xenbr0 | awk '{ print $3 }')
dom0_mac=$(cat /sys/class/net/xenbr0/address)
dom0_ip=$(ip -4 -o addr show dev xenbr0 | awk '{ sub("/.*", "", $4); print $4; exit }')
keep_macs() {
	ip neigh replace "$guest" lladdr "$guest_mac" dev xenbr0 nud permanent &&
		xt_domu_exec 1 "arp -i eth0 -s $dom0_ip $dom0_mac"
}
xt_check "dom0 keeps the guest's MAC ($guest_mac), the guest dom0's ($dom0_mac): no ARP" keep_macs

# The delivery point's "frames sent deferred expiries scheduled_max_ns
# caught_up".
counters() {
	awk '$1 == "rx:" && $2 == "frames" { f = $3; s = $5; d = $7; e = $9; c = $13 }
		$1 == "rx:" && $2 == "scheduled_max_ns" { m = $3 }
		END { print f, s, d, e, m, c }' "$dbg"
}

# The point's trace events (xen_coalesce:*), with a marker beside each
# reading of the counters: what lies between the markers is what the
# readings count. Turning an event on or off patches the kernel's text
# (int3, then the new instruction); on Debian 13's PV dom0 under TCG a
# CPU running a site while it is patched oopses "int3", with Debian's
# kernel and the stock netback too, not tainted (an event toggled in a
# loop under pings: an oops in each of 4 runs; 300 toggles on a quiet
# vif: none). So the events change only while the vif is quiet (no IPv6,
# no ARP: above), and without the comm/tgid recording, which would patch
# the scheduler's tracepoints, and those always run.
tr=/sys/kernel/tracing
[ -e $tr/trace_marker ] || mount -t tracefs nodev $tr
rec_cmd=$(cat $tr/options/record-cmd)
rec_tgid=$(cat $tr/options/record-tgid)
echo 0 > $tr/options/record-cmd
echo 0 > $tr/options/record-tgid
echo 4096 > $tr/buffer_size_kb
echo 1 > $tr/events/xen_coalesce/enable
mark() { echo "xt-mark $1" > $tr/trace_marker; }

# replay NAME USECS FRAMES INTERVAL COUNT: ping the guest COUNT times every
# INTERVAL s with the point at USECS/FRAMES, capturing; prints one JSON
# object: the engine's counts, the capture's and the simulator's.
replay() {
	local name=$1 usecs=$2 frames=$3 pcap=/tmp/$1.pcap pid
	local f0 s0 d0 e0 c0 f1 s1 d1 e1 m1 c1 captured t0 ms w0 w1 kt waits

	ethtool -C "$vif" tx-usecs "$usecs" tx-frames "$frames" || return 1
	tcpdump -i "$vif" -Q out -U -s 64 -w "$pcap" 2> /dev/null &
	pid=$!
	sleep 2
	echo > $tr/trace
	mark begin
	read -r f0 s0 d0 e0 _ c0 <<< "$(counters)"
	w0=$(date +%s%N)
	t0=$(date +%s%N)
	ping -q -i "$4" -c "$5" -W 1 "$guest" > /dev/null 2>&1
	ms=$((($(date +%s%N) - t0) / 1000000))
	sleep 1
	w1=$(date +%s%N)
	read -r f1 s1 d1 e1 m1 c1 <<< "$(counters)"
	mark end
	sed -n '/xt-mark begin/,/xt-mark end/p' $tr/trace > "/tmp/$name.ktrace"
	xt_save "$name.ktrace" < "/tmp/$name.ktrace"
	kt=$(/xt/bin/xcoal-sim --ktrace "/tmp/$name.ktrace" --point "$vif-q0:rx" --json) || kt=${kt:-null}
	sleep 1
	kill -INT $pid
	wait $pid
	tcpdump -r "$pcap" -tt -n -e 2> /dev/null > "/tmp/$name.txt"
	captured=$(wc -l < "/tmp/$name.txt")
	xt_save "$name.txt" < "/tmp/$name.txt"
	# The waits a deadline alone starts in the window: a packet starts one
	# unless it comes within usecs of the wait's start (the oracle of
	# "each packet alone", whatever gaps the emulated sender left).
	waits=$(awk -v us="$usecs" -v from="$w0" -v to="$w1" '
		{ ns = $1 * 1e9 } ns < from || ns > to { next }
		{ t = $1 * 1e6; if (!n++ || t - start > us) { w++; start = t } }
		END { print w + 0 }' "/tmp/$name.txt")
	/xt/bin/xcoal-sim --pcap "$pcap" --window "$w0:$w1" --usecs "$usecs" --frames "$frames" --json |
		jq -c --arg name "$name" --argjson captured "$captured" --argjson ms "$ms" \
			--argjson engine "{\"frames\": $((f1 - f0)), \"sent\": $((s1 - s0)), \"deferred\": $((d1 - d0)), \"expiries\": $((e1 - e0)), \"caught_up\": $((c1 - c0)), \"scheduled_max_ns\": ${m1:-0}}" \
			--argjson ktrace "$kt" --argjson waits "$waits" \
			'{name: $name, usecs: .usecs, frames: .frames, captured: $captured, ms: $ms, waits: $waits,
			  pps: ($captured * 1000 / ($ms + 1) | floor), engine: $engine, sim: .on, ktrace: $ktrace}'
}

# same_decisions JSON: the engine's own trace, replayed through the
# decision code with the engine's inputs and timer firings, holds the
# frames the point counted and gives every verdict the engine gave.
same_decisions() {
	jq -e '.ktrace.frames == .engine.frames and .ktrace.mismatches == 0 and
		.ktrace.deferrals == .engine.deferred and .ktrace.expiries == .engine.expiries and
		.ktrace.notifications == .engine.sent + .engine.caught_up and .engine.deferred > 0' <<< "$1" > /dev/null ||
		{ jq -c '{engine, ktrace}' <<< "$1"; return 1; }
}

# against JSON: the capture's replay beside the engine, with the pushes
# whose outcome the platform's timing decided, as the trace shows them:
# the ring did not ask (the guest was still polling), a push joined a
# wait already owed (after its deadline: the timer had not yet run), or
# one push carried several packets.
against() {
	jq -r '"notifications \(.sim.notifications) (capture) and \(.engine.sent) (engine);" +
		" the platform'"'"'s: \(.ktrace.unasked) pushes unasked, \(.ktrace.joined) joined" +
		" (\(.ktrace.late_joined) late), \(.ktrace.extra_frames) frames beyond one a push"' <<< "$1"
}

# same_packets JSON: the capture, between the two readings of the
# counters, holds the frames the point counted
same_packets() {
	jq -e '.sim.packets == .engine.frames' <<< "$1" > /dev/null ||
		{ jq -c '{captured, engine_frames: .engine.frames, sim_packets: .sim.packets}' <<< "$1"; return 1; }
}

dl=$(replay deadline 1000 64 0.02 300)
xt_info "deadline-bound: $(jq -c '{captured, engine, sim: {deferrals: .sim.deferrals, notifications: .sim.notifications, scheduled_max_ns: .sim.scheduled_max_ns}, ktrace}' <<< "$dl")"
xt_check "1000 us / 64 frames, 50 packets/s: the capture's window holds the frames the point counted" same_packets "$dl"
xt_check "... the engine's trace replayed gives its every verdict and count ($(jq -r '"\(.ktrace.deferrals) deferrals, \(.ktrace.mismatches) verdicts not the engine'"'"'s"' <<< "$dl"))" \
	same_decisions "$dl"
xt_check "... the capture replayed waits as the deadline alone would ($(jq -r '"\(.sim.deferrals) waits, \(.waits) by the capture'"'"'s gaps, \(.sim.packets) packets"' <<< "$dl"))" \
	jq -e '.sim.deferrals == .waits and .sim.notifications == .waits and .waits > 0' <<< "$dl"
xt_info "... against the engine: $(against "$dl")"
xt_check "... its longest scheduled wait is the engine's, exactly ($(jq -r '"\(.sim.scheduled_max_ns), \(.engine.scheduled_max_ns)"' <<< "$dl") ns)" \
	jq -e '.sim.scheduled_max_ns == .engine.scheduled_max_ns and .engine.scheduled_max_ns == 1000000' <<< "$dl"

th=$(replay denser 10000 4 0.002 2000)
xt_info "denser: $(jq -c '{captured, pps, engine, sim: {deferrals: .sim.deferrals, notifications: .sim.notifications, at_push: .sim.at_push, at_deadline: .sim.at_deadline}, ktrace}' <<< "$th")"
xt_check "10000 us / 4 frames, a ping every 2 ms (reached $(jq .pps <<< "$th") packets/s): the capture's window holds the frames the point counted" same_packets "$th"
xt_check "... the engine's trace replayed gives its every verdict and count ($(jq -r '"\(.ktrace.deferrals) deferrals, \(.ktrace.mismatches) verdicts not the engine'"'"'s"' <<< "$th"))" \
	same_decisions "$th"
xt_info "... against the engine: $(against "$th")"
ethtool -C "$vif" tx-usecs 0 tx-frames 0
sleep 1
echo 0 > $tr/events/xen_coalesce/enable
echo "$rec_cmd" > $tr/options/record-cmd
echo "$rec_tgid" > $tr/options/record-tgid
ip neigh del "$guest" dev xenbr0
echo "$br_v6" > $v6/xenbr0/disable_ipv6

jq -s . <<< "$dl
$th" | xt_save sim_replay.json
xt_check "the guest answers after" xt_domu_wait 1
xt_done
