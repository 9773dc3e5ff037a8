#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A producer that cannot progress is never held (project netback and
# netfront). For bulk TCP in one direction, the points that carry its data
# (to the guest: dom0's deliveries and the guest's refills; from it: the
# guest's sends and dom0's completions) wait up to U or 64 slots, and the
# points that carry its ACKs wait 100 us, so that what is compared is the
# rings, not TCP's ACK clock:
#  - bulk TCP to and from the guest with U = 1 ms and U = 10 ms, in
#    interleaved pairs (the order alternates): the median of the pairwise
#    throughput ratios 10 ms / 1 ms is >= 0.8, by the sign test
#    (xt_sign_verdict: 5 of 5 pairs, 8 of 9 ... 12 of 15 on one side of
#    0.8). A ring that sits full until the deadline makes throughput fall
#    with the deadline ("halves" in the review; 0.61-0.65 on 869fea1 with
#    every point at U); a released ring does not. With the host's CPUs
#    busy beside QEMU one run moved 5 Mbit/s and the next 312, and nine
#    pairs' ratios spread from 0.26 to 6.7 (median 0.74): 15 pairs that
#    still leave the median undecided are a skip, never a pass;
#  - the points release on a full ring: the guest's "blocked" counters in
#    debugfs (its refills, which netback asks for only when a packet waits
#    for buffers, and its sends, when its TX queue stops) move during the
#    runs, and the p99 of the wait still scheduled when a push found its
#    producer blocked ("full_wait_us") is 0; dom0's are reported. Then the
#    same with class C's own plan on every point. A point whose ring never
#    filled with an event owed skips those two checks;
#  - the one case the push path cannot see (a frame that stops fitting in
#    the guest's posted buffers after dom0's last push, the RX queue empty
#    at the push): dom0 releases the owed event then, never at the
#    deadline, in every one of 5 trials (dom0/rx-block.c).
# XT-TIMEOUT: 1200
# XT-TIER: long (7 minutes of throughput pairs and timed trials: make check-all)
. /xt/xt-lib.sh

PAIRS=15
xt_check "dom0: the project's netback" xt_netback project
xt_check "domu1 (project netfront) answers" xt_domu_up 1 project 1
ip=$(xt_ip 1) vif=vif$(xt_domid 1).0
sys=/sys/class/net/$vif/xen_coalesce
dbg=/sys/kernel/debug/xen-coalesce/xen_netback/$vif-q0
gdbg=/sys/kernel/debug/xen-coalesce/xen_netfront/vif0-q0

# ceiling DIR U: the points that carry DIR's data wait up to U us or 64
# slots, those of its ACKs 100 us; the guest follows.
ceiling() {
	local dat=$2 ack=100

	if [ "$1" = to ]; then	# data: vif tx-* and the guest's rx-*
		ethtool -C "$vif" tx-usecs $dat tx-frames 64 rx-usecs $ack rx-frames 64 || return 1
		echo $dat > "$sys/frontend_rx_usecs" && echo $ack > "$sys/frontend_tx_usecs" || return 1
		for f in tx rx; do echo 64 > "$sys/frontend_${f}_frames" || return 1; done
		xt_guest_becomes 1 "$dat 64 $ack 64"
	else			# data: the guest's tx-* and vif rx-*
		ethtool -C "$vif" rx-usecs $dat rx-frames 64 tx-usecs $ack tx-frames 64 || return 1
		echo $dat > "$sys/frontend_tx_usecs" && echo $ack > "$sys/frontend_rx_usecs" || return 1
		for f in tx rx; do echo 64 > "$sys/frontend_${f}_frames" || return 1; done
		xt_guest_becomes 1 "$ack 64 $dat 64"
	fi
}
blocked() { # FILE POINT: the point's blocked counter
	awk -v p="$2:" '$1 == p && $2 == "frames" {
		for (i = 2; i < NF; i++) if ($i == "blocked") { print $(i + 1); exit } }' <<< "$1"
}

xt_check "the guest follows the backend" bash -c "[ \"\$(cat $sys/frontend_follows)\" = yes ]"
for dir in to from; do
	for u in 1000 10000; do
		xt_check "bulk $dir the guest: its data points at $u us / 64 slots, its ACK points at 100 us, in dom0 and the guest" \
			ceiling $dir $u
	done
done

declare -A mbit ratio
nb0=$(cat "$dbg") gd0=$(xt_domu_exec 1 "cat $gdbg")
for rep in $(seq $PAIRS); do
	order="1000 10000"
	[ $((rep % 2)) = 0 ] && order="10000 1000"
	for u in $order; do
		ceiling to "$u" > /dev/null || xt_info "ceiling to $u not followed"
		mbit[$u-to]=$(xt_iperf3 "blocked-to-$u-$rep" "$ip" -t 3 -P 2)
		ceiling from "$u" > /dev/null || xt_info "ceiling from $u not followed"
		mbit[$u-from]=$(xt_iperf3 "blocked-from-$u-$rep" "$ip" -t 3 -P 2 -R)
	done
	for dir in to from; do
		ratio[$dir]+=" $(xt_ratio "${mbit[10000-$dir]}" "${mbit[1000-$dir]}")"
		xt_info "pair $rep, bulk $dir the guest: 1 ms ${mbit[1000-$dir]} Mbit/s, 10 ms ${mbit[10000-$dir]} Mbit/s"
	done
	# shellcheck disable=SC2086 # the ratios are words
	[ "$(xt_sign_verdict 0.8 ${ratio[to]})" != undecided ] &&
		[ "$(xt_sign_verdict 0.8 ${ratio[from]})" != undecided ] && break
done
nb1=$(cat "$dbg") gd1=$(xt_domu_exec 1 "cat $gdbg")
ethtool -C "$vif" rx-usecs 0 rx-frames 0 tx-usecs 0 tx-frames 0
for dir in to from; do
	# shellcheck disable=SC2086 # the ratios are words
	xt_check_sign xt_check_speed "bulk TCP $dir the guest: 10 ms ceiling / 1 ms ceiling, the median of $rep pairs >= 0.8 by the sign test" \
		0.8 above ${ratio[$dir]}
done
moved() { # BEFORE AFTER POINT: how much the point's blocked counter moved
	local a b

	a=$(blocked "$1" "$3") b=$(blocked "$2" "$3")
	[ -n "$a" ] && [ -n "$b" ] && echo $((b - a)) || echo "no blocked counter"
}
xt_info "released on a full ring during the runs: dom0 deliveries $(moved "$nb0" "$nb1" rx), dom0 completions $(moved "$nb0" "$nb1" tx)"
# For each point: the pushes that found the producer blocked with an event
# owed (full_wait_us counts them, with the wait still scheduled: bucket 0
# holds 0 and 1 us). Each must have been released then, so the point's
# blocked counter moved and the p99 wait is 0. A guest whose ring never
# filled with an event owed (a sender slower than netback, as the debug
# kernel's is) gives those checks nothing to decide: said as skips.
hist() { awk -v p="$2:" -v k="$3" '$1 == p && $2 == k' <<< "$1"; }
# released_on_full WHAT DOM0-BEFORE DOM0-AFTER GUEST-BEFORE GUEST-AFTER: the
# checks above for each point between two readings (WHAT names the runs).
released_on_full() {
	local pt who name what a b h0 h1 n g q

	for pt in "guest rx refills" "guest tx sends" "dom0 rx deliveries" "dom0 tx completions"; do
		read -r who name what <<< "$pt"
		if [ "$who" = guest ]; then a=$4 b=$5; else a=$2 b=$3; fi
		h0=$(hist "$a" "$name" full_wait_us) h1=$(hist "$b" "$name" full_wait_us)
		n=$(paste <(tr ' ' '\n' <<< "$h1" | grep -E '^[0-9]+$') <(tr ' ' '\n' <<< "$h0" | grep -E '^[0-9]+$') |
			awk '{ s += $1 - $2 } END { print s + 0 }')
		xt_info "$1: $who $name: $n pushes found the producer blocked; full_wait_us $h0 -> $h1"
		[ "$who" = guest ] || continue
		g=$(moved "$a" "$b" "$name")
		if [ "$n" = 0 ]; then
			xt_skip "$1: the guest's $what released on a full ring ($g times)" "no push found its ring full with an event owed"
			xt_skip "$1: $who $name: the p99 wait scheduled for a blocked producer is 0" "no push found its ring full with an event owed"
			continue
		fi
		xt_check "$1: the guest's $what released on a full ring ($g times, $n pushes found it full)" test "$g" -gt 0 2> /dev/null
		q=$(xt_hist_p99 "$h0" "$h1")
		xt_check "$1: $who $name: the p99 wait scheduled for a blocked producer is 0 ($n pushes; bucket bound ${q} us)" \
			test "$q" = 1
	done
}
released_on_full "the ceiling runs" "$nb0" "$nb1" "$gd0" "$gd1"

# The same with class C itself deciding every point (its plan: the ceiling
# and 64 slots on the data and the ACK points alike), bulk TCP each way.
echo C > "$sys/class"
xt_check "class C: the guest follows its plan (4000 64 4000 64)" xt_guest_becomes 1 "4000 64 4000 64"
nb0=$(cat "$dbg") gd0=$(xt_domu_exec 1 "cat $gdbg")
for rep in 1 2; do
	xt_info "class C, bulk to the guest: $(xt_iperf3 "blocked-c-to-$rep" "$ip" -t 3 -P 2) Mbit/s, from it: $(xt_iperf3 "blocked-c-from-$rep" "$ip" -t 3 -P 2 -R) Mbit/s"
done
nb1=$(cat "$dbg") gd1=$(xt_domu_exec 1 "cat $gdbg")
released_on_full "class C" "$nb0" "$nb1" "$gd0" "$gd1"
echo none > "$sys/class"

# ---- a frame that stops fitting after netback's last push ----------------
# What the push path cannot see: the RX queue was empty when netback pushed
# (room left, the event deferred), and the next frame needs more slots than
# the guest has posted. Only xenvif_rx_ring_slots_available() sees that;
# the event must go out then, not at the deadline. rx-block (dom0/rx-block.c)
# writes the frames into the vif; its MTU is raised so that one frame spans
# 16 slots. A trial is void (and repeated) when the point's timer expired
# before netback looked at the full ring: then nothing was owed. rx-block
# decides that by the order of the two (netback's req_event and the
# point's expiries), not by time: a deadline margin it had made two trials
# of five fail while the host's CPUs were busy beside QEMU (the RX thread
# started late, the timer first).
TRIALS=5
mac=$(xenstore-read "/local/domain/0/backend/vif/$(xt_domid 1)/0/mac")
xt_check "the vif takes MTU 65500 and 10 ms / 256 slots for its deliveries" \
	bash -c "ip link set $vif mtu 65500 && ethtool -C $vif tx-usecs 10000 tx-frames 256"
declare -A outcome
valid=0 err=
for t in $(seq 1 $((TRIALS * 12))); do
	sleep 0.5	# the guest consumes the last trial's frames (rx-block waits for it)
	r=$(/xt/bin/rx-block "$vif" "$mac" "$dbg" 2>&1) || { err="trial $t: $r"; break; }
	xt_info "trial $t: $r"
	outcome[${r%% *}]=$((${outcome[${r%% *}]:-0} + 1))
	[ "${r%% *}" = void ] || valid=$((valid + 1))
	[ $valid = $TRIALS ] && break
done
ethtool -C "$vif" tx-usecs 0 tx-frames 0
ip link set "$vif" mtu 1500
name="a frame too big for the guest's ring after the last push releases the event at once"
if [ -z "$err" ] && [ "${outcome[timer]:-0}" = 0 ] && [ $valid -lt $TRIALS ]; then
	# Not decided either way: this machine never filled the ring in time.
	xt_skip "$name" "only $valid of $t trials could decide (the timer expired before netback looked)"
else
	xt_check "$name: of $TRIALS trials (${outcome[void]:-0} void), released then ${outcome[hook]:-0}, at the deadline ${outcome[timer]:-0}${err:+; $err}" \
		test -z "$err" -a "${outcome[hook]:-0}" = $TRIALS
fi
xt_check "the guest answers after" xt_domu_wait 1 60
xt_check "the guest's kernel log is clean" xt_kernel_log_clean domu1 "$(xt_domu_exec 1 dmesg)"
xt_domus_destroy_all
xt_done
