#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xen-netback's coalescing on real Xen, against a stock netfront:
#  - ethtool -c/-C on vifX.0: valid values read back, invalid ones refused
#    with nothing changed; likewise the sysfs class and budget;
#  - a one-way UDP stream to the guest (500 packets/s) with tx-frames=N: the guest's
#    events per packet fall to about 1/N of those with coalescing off,
#    measured in the same boot, from the guest's /proc/interrupts and from
#    the engine's counters; likewise the completions of a stream from the
#    guest with rx-frames=N;
#  - adaptive-tx (a 10 ms / 64-frame ceiling): refused without a ceiling,
#    read back; at 50 packets/s nothing waits (Salah's rule), at a moderate
#    rate the policy waits the ceiling for the frames expected within it;
#    likewise with net_dim as the policy (within the ceiling);
#  - a low-rate flow (1 packet per 10 ms) with frames=64: every packet
#    arrives, none waits for the frame threshold, the added latency stays
#    within the deadline;
#  - teardown with armed timers under traffic (xl destroy, frontend
#    reconnect, rmmod) leaves no WARN, BUG or Oops.
# XT-TIMEOUT: 900
. /xt/xt-lib.sh

# The stream: 500 packets/s, so that without coalescing the guest sleeps
# between packets (about one event each, measured here under TCG), and N
# frames arrive well within the longest deadline.
N=8
STREAM_PPS=500
STREAM_DEADLINE_US=10000
DEADLINE_US=4000

xt_check "dom0: the project's netback" xt_netback project
xt_check "domu1 (stock netfront) answers" xt_domu_up 1 stock 1
domid=$(xt_domid 1)
vif=vif$domid.0
dbg=/sys/kernel/debug/xen-coalesce/xen_netback/$vif-q0

coal() { ethtool -c "$vif" | awk -v k="$1:" '$1 == k {print $2}'; }
coal_all() { echo "$(coal rx-usecs) $(coal rx-frames) $(coal tx-usecs) $(coal tx-frames)"; }
set_coal() { ethtool -C "$vif" rx-usecs "$1" rx-frames "$2" tx-usecs "$3" tx-frames "$4"; }
same() { [ "$1" = "$2" ] || { echo "expected '$2', seen '$1'"; return 1; }; }

# ---- ethtool ---------------------------------------------------------------
xt_check "ethtool -c $vif: off by default (0 0 0 0)" same "$(coal_all)" "0 0 0 0"
RANDOM=7
ok=0
for i in 1 2 3 4 5 6; do
	v="$((RANDOM % 10000 + 1)) $((RANDOM % 257)) $((RANDOM % 10000 + 1)) $((RANDOM % 257))"
	# shellcheck disable=SC2086
	set_coal $v > /dev/null 2>&1 && [ "$(coal_all)" = "$v" ] && ok=$((ok + 1))
done
xt_check "ethtool -C: 6 random valid settings read back" same "$ok" 6
set_coal 100 8 200 16 > /dev/null
for bad in "10001 8 200 16" "100 257 200 16" "100 8 0 16" "0 2 200 16"; do
	# shellcheck disable=SC2086
	out=$(set_coal $bad 2>&1)
	rc=$?
	xt_check "ethtool -C $bad refused, settings unchanged" \
		bash -c "[ $rc != 0 ] && [ '$(coal_all)' = '100 8 200 16' ] || { echo 'rc $rc: $out; now $(coal_all)'; exit 1; }"
done
xt_check "a refusal says why in dom0's log" bash -c "dmesg | grep -q '$vif: coalesce settings refused: frames > 1 needs usecs > 0'"
xt_check "debugfs shows the queue's settings" grep -q "^rx: usecs 200 frames 16" "$dbg"

# ---- sysfs: class and budget -----------------------------------------------
sys=/sys/class/net/$vif/xen_coalesce
xt_check "sysfs: class none and budget 100 us by default" same "$(cat $sys/class) $(cat $sys/budget_us)" "none 100"
for c in A b C none B; do
	echo "$c" > $sys/class
	xt_check "sysfs: class '$c' is stored" same "$(cat $sys/class)" "$(echo "$c" | tr a-z A-Z | sed 's/NONE/none/')"
done
for bad in D "A B" "Cx" "none!" " A"; do
	xt_check "sysfs: class '$bad' refused, class still B" \
		bash -c "! echo -n '$bad' > $sys/class 2> /dev/null && [ \"\$(cat $sys/class)\" = B ]"
done
echo 250 > $sys/budget_us
xt_check "sysfs: budget 250 is stored" same "$(cat $sys/budget_us)" 250
for bad in 0 10001 -5 abc 4294967296 " 5"; do
	xt_check "sysfs: budget '$bad' refused, budget still 250" \
		bash -c "! echo -n '$bad' > $sys/budget_us 2> /dev/null && [ \"\$(cat $sys/budget_us)\" = 250 ]"
done
xt_check "sysfs: a refusal says why in dom0's log" \
	bash -c "dmesg | grep -q '$vif: coalesce budget refused: budget outside 1..10000 us'"
xt_check "ethtool -C is refused while class B is set, class and budget unchanged" \
	bash -c "! ethtool -C $vif rx-usecs 10 2> /dev/null && [ \"\$(cat $sys/class) \$(cat $sys/budget_us)\" = 'B 250' ]"
echo none > $sys/class
xt_check "sysfs: class none hands the vif back to ethtool (100 8 200 16)" same "$(coal_all)" "100 8 200 16"

# ---- events per packet, one-way UDP to the guest ---------------------------
# stream: a 64-byte UDP stream to the guest at STREAM_PPS, in bursts of
# 4 s until the vif has moved STREAM_MIN packets (5 bursts at most: an
# emulated sender on a busy host may not reach its rate); prints
# "guest-events packets engine-sent engine-frames bursts".
STREAM_MIN=1500
stream() {
	local before after e0 e1 s0 s1 n=0

	e0=$(xt_domu_exec 1 'cat /proc/interrupts' | xt_irq_json '-rx$' | jq '[.[]] | add')
	s0=$(awk '$1 == "rx:" && $2 == "frames" {print $5, $3}' "$dbg")
	before=$(cat "/sys/class/net/$vif/statistics/tx_packets")
	while [ $n -lt 5 ]; do
		n=$((n + 1))
		if [ -n "${STREAM_TCP:-}" ]; then
			timeout 30 iperf3 -c "$(xt_ip 1)" -t 4 > /dev/null 2>&1
		else
			timeout 30 iperf3 -u -c "$(xt_ip 1)" -b $((STREAM_PPS * 64 * 8)) -l 64 -t 4 > /dev/null 2>&1
		fi
		after=$(cat "/sys/class/net/$vif/statistics/tx_packets")
		[ $((after - before)) -ge $STREAM_MIN ] && break
	done
	sleep 1
	after=$(cat "/sys/class/net/$vif/statistics/tx_packets")
	e1=$(xt_domu_exec 1 'cat /proc/interrupts' | xt_irq_json '-rx$' | jq '[.[]] | add')
	s1=$(awk '$1 == "rx:" && $2 == "frames" {print $5, $3}' "$dbg")
	echo "$((e1 - e0)) $((after - before)) $(( ${s1% *} - ${s0% *} )) $(( ${s1#* } - ${s0#* } )) $n"
}

set_coal 0 0 0 0
read -r off_ev off_pk off_sent off_frames _ <<< "$(stream)"
set_coal 0 0 $STREAM_DEADLINE_US $N
read -r on_ev on_pk on_sent on_frames on_n <<< "$(stream)"
set_coal 0 0 0 0
echo "{\"off\": {\"guest_events\": $off_ev, \"packets\": $off_pk, \"engine_sent\": $off_sent, \"engine_frames\": $off_frames},
 \"frames_$N\": {\"guest_events\": $on_ev, \"packets\": $on_pk, \"engine_sent\": $on_sent, \"engine_frames\": $on_frames}}" |
	jq . | xt_save events_per_packet.json
xt_info "off: $off_ev guest events for $off_pk packets; tx-frames $N: $on_ev for $on_pk"
xt_check "the stream moved packets both times ($off_pk, $on_pk >= $STREAM_MIN, in 5 bursts of 4 s at most)" \
	test "$off_pk" -ge $STREAM_MIN -a "$on_pk" -ge $STREAM_MIN
# Per packet, as integers: events * 1000 / packets.
off_ppk=$((off_ev * 1000 / (off_pk + 1))) on_ppk=$((on_ev * 1000 / (on_pk + 1)))
xt_check "tx-frames=$N: fewer guest events per packet than off ($on_ppk/1000 <= $off_ppk/1000)" \
	test $on_ppk -le $off_ppk
# 1/N needs N frames within the deadline: the bound is 2 per what the
# received rate lets an event gather (N at 800 packets/s and more).
k=$(xt_frames_per_event "$on_pk" $((4 * on_n)) $STREAM_DEADLINE_US $N)
rate="$k the frames an event can gather at $((on_pk / (4 * on_n))) packets/s"
xt_check "tx-frames=$N: guest events per packet <= 2/$k, $rate ($on_ppk/1000 <= $((2000 / k)))" \
	test $on_ppk -le $((2000 / k))
xt_check "tx-frames=$N: the engine sent <= 2/$k of its frames ($on_sent for $on_frames)" \
	test $((on_sent * k)) -le $((2 * on_frames))

# ---- the other direction: completions of a one-way UDP stream from the guest
# The guest's TX completions come back on its vif0-q0-tx interrupt; with
# rx-frames=N the backend batches them. (Bulk TCP is the wrong load for
# this point: TCP's small queues wait for completions, see the admin guide.)
iperf3 -s -D -B 169.254.100.1 > /dev/null 2>&1
sleep 1
back_stream() { # as stream, from the guest; prints "guest-tx-events packets bursts"
	local e0 e1 p0 p1 n=0

	e0=$(xt_domu_exec 1 'cat /proc/interrupts' | xt_irq_json '-tx$' | jq '[.[]] | add')
	p0=$(cat "/sys/class/net/$vif/statistics/rx_packets")
	while [ $n -lt 5 ]; do
		n=$((n + 1))
		xt_domu_exec 1 "iperf3 -u -c 169.254.100.1 -b $((STREAM_PPS * 64 * 8)) -l 64 -t 4" > /dev/null
		p1=$(cat "/sys/class/net/$vif/statistics/rx_packets")
		[ $((p1 - p0)) -ge $STREAM_MIN ] && break
	done
	sleep 1
	e1=$(xt_domu_exec 1 'cat /proc/interrupts' | xt_irq_json '-tx$' | jq '[.[]] | add')
	p1=$(cat "/sys/class/net/$vif/statistics/rx_packets")
	echo "$((e1 - e0)) $((p1 - p0)) $n"
}
read -r boff_ev boff_pk _ <<< "$(back_stream)"
set_coal $STREAM_DEADLINE_US $N 0 0
read -r bon_ev bon_pk bon_n <<< "$(back_stream)"
set_coal 0 0 0 0
xt_info "completions: off $boff_ev guest TX events for $boff_pk packets; rx-frames $N: $bon_ev for $bon_pk"
xt_check "the guest's stream moved packets both times ($boff_pk, $bon_pk >= $STREAM_MIN, in 5 bursts of 4 s at most)" \
	test "$boff_pk" -ge $STREAM_MIN -a "$bon_pk" -ge $STREAM_MIN
boff_ppk=$((boff_ev * 1000 / (boff_pk + 1))) bon_ppk=$((bon_ev * 1000 / (bon_pk + 1)))
k=$(xt_frames_per_event "$bon_pk" $((4 * bon_n)) $STREAM_DEADLINE_US $N)
xt_check "rx-frames=$N: guest TX events per packet <= 2/$k ($k the frames an event can gather at $((bon_pk / (4 * bon_n))) packets/s) and <= off ($bon_ppk/1000, off $boff_ppk/1000)" \
	test $bon_ppk -le $((2000 / k)) -a $bon_ppk -le $boff_ppk

# ---- low rate: deadline, not threshold -------------------------------------
set_coal 0 0 $DEADLINE_US 64
s0=$(grep '^rx: added_latency_us' "$dbg")
loss=$(ping -q -c 100 -i 0.01 -w 30 "$(xt_ip 1)" | sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p')
s1=$(grep '^rx: added_latency_us' "$dbg")
set_coal 0 0 0 0
xt_check "1 packet per 10 ms with tx-frames=64: all 100 arrive (loss ${loss:-all}%)" test "${loss:-x}" = 0
# Histogram buckets: index b holds waits up to 2^b us; the deadline's bucket
# is 12 (4096 us); allow one more (8192 us) for timer lateness under TCG.
# deferrals past the deadline's bucket, and all of them
late=$(paste <(echo "$s0" | tr ' ' '\n' | tail -n +3) <(echo "$s1" | tr ' ' '\n' | tail -n +3) |
	awk '{d = $2 - $1; if (d > 0 && NR - 1 > 13) n += d} END {print n + 0}')
waited=$(paste <(echo "$s0" | tr ' ' '\n' | tail -n +3) <(echo "$s1" | tr ' ' '\n' | tail -n +3) |
	awk '{n += $2 - $1} END {print n + 0}')
echo "{\"deferrals\": $waited, \"past_8192us\": $late, \"before\": \"$s0\", \"after\": \"$s1\"}" |
	xt_save low_rate_latency.json
xt_check "the low-rate packets were deferred ($waited deferrals measured)" test "$waited" -ge 50
# A vCPU of an emulated guest can be descheduled past any deadline; the
# promise checked is that the deadline, not the threshold, releases them.
xt_check "9 in 10 deferrals end within the deadline's bucket (+1): $late of $waited did not" \
	test $((late * 10)) -le "$waited"

# ---- adaptive: Salah's rule by measured rate --------------------------------
# The rule's input is the gap per frame (a ring slot) at each push, the
# time since the last push over the slots it carries, and it waits when 2
# frames fit within the ceiling at the mean gap plus 4 deviations. A UDP
# stream paced at 2000 packets/s arrives as the emulated sender bunches
# it, one packet a push, and that bunching set the deviation: 0 deferrals
# on a quiet machine. Pushed as a flood, a busy host's dom0 starved the
# delivery (30 packets/s received). Bulk TCP to the guest is a rate the
# test sets and measures whatever the host: netback pushes its 64 KiB
# packets a batch at a time, thousands of slots a second, each sample an
# average over many. The rule between the regimes is the unit tests'.
deferred() { awk '$1 == "rx:" && $2 == "frames" {print $7}' "$dbg"; }
out=$(ethtool -C "$vif" adaptive-tx on tx-usecs 0 2>&1)
xt_check "adaptive-tx with tx-usecs 0 refused: it needs a ceiling" \
	bash -c "grep -q 'adaptive needs usecs > 0' <<< '$out' && ethtool -c $vif | grep -q '^Adaptive RX: off  TX: off'"
ethtool -C "$vif" adaptive-tx on tx-usecs $STREAM_DEADLINE_US tx-frames 64
xt_check "adaptive-tx on reads back, with its ceiling ($STREAM_DEADLINE_US/64)" \
	bash -c "ethtool -c $vif | grep -q '^Adaptive RX: off  TX: on' && [ '$(coal tx-usecs) $(coal tx-frames)' = '$STREAM_DEADLINE_US 64' ]"
xt_check "debugfs: the delivery point shows what is in force" grep -q "^rx: adaptive live_usecs" "$dbg"
# icmp: "InMsgs InEchos InEchoReps OutMsgs" of ICMP, from a /proc/net/snmp on stdin
icmp() {
	awk '$1 == "Icmp:" { if (!h) { for (i = 2; i <= NF; i++) n[$i] = i; h = 1 }
		else print $n["InMsgs"], $n["InEchos"], $n["InEchoReps"], $n["OutMsgs"] }'
}
# (the guest's counters read over HTTP first: that traffic must not count)
g0=$(xt_domu_exec 1 'cat /proc/net/snmp' | icmp) i0=$(icmp < /proc/net/snmp) d0=$(deferred)
loss=$(ping -q -c 50 -i 0.02 -w 30 "$(xt_ip 1)" | sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p')
d1=$(deferred) i1=$(icmp < /proc/net/snmp) g1=$(xt_domu_exec 1 'cat /proc/net/snmp' | icmp)
xt_check "adaptive, 50 packets/s: all arrive, none deferred ($((d1 - d0)) deferred, loss ${loss:-all}%)" \
	test "${loss:-x}" = 0 -a $((d1 - d0)) = 0
# A lost ping is a question (seen once on 6.12): where did it go?
[ "${loss:-x}" = 0 ] ||
	xt_info "ICMP InMsgs InEchos InEchoReps OutMsgs: dom0 $i0 -> $i1, guest $g0 -> $g1; vif: $(ip -s link show "$vif" | tr -s ' \n' ' ')"
# adaptive_stream: stream() of bulk TCP while the delivery point's
# "live_usecs live_frames policy expected_gap_ns", its frame count and
# the time in ns are read every 0.1 s (TCG delivers the emulated stream in
# bursts, so the readings vary); the readings go to /run/xt/live, a line
# each.
adaptive_stream() {
	local pid

	: > /run/xt/live
	STREAM_TCP=1 stream > /run/xt/stream.txt &
	pid=$!
	sleep 1
	while kill -0 $pid 2> /dev/null; do
		awk -v t="$(date +%s%N)" '$1 == "rx:" && $2 == "adaptive" { a = $4 " " $6 " " $8 " " $10 }
			$1 == "rx:" && $2 == "frames" { f = $3 } END { print a, f, t }' "$dbg" >> /run/xt/live
		sleep 0.1
	done
	wait $pid
	cat /run/xt/stream.txt
}
# The readings whose parameters are not what the EWMA policy gives for the
# estimate read with them: the ceiling and the frames that fit in it at
# the expected gap (at most 64), or nothing below 2 frames. Gap 0 is an
# estimator not yet primed (nothing) or a primed one of 0 ns (64).
policy_mismatch() {
	awk -v c=$STREAM_DEADLINE_US '{
		if ($4 == 0) { ok = ($1 == 0 && $2 == 0) || ($1 == c && $2 == 64) }
		else {
			f = int(c * 1000 / $4); if (f > 64) f = 64
			ok = f < 2 ? ($1 == 0 && $2 == 0) : ($1 == c && $2 == f)
		}
		if ($3 != "ewma" || !ok) print
	}' /run/xt/live | head -3 | paste -sd ';'
}
# net_dim: named, within the ceiling.
dim_within() { [ "$3" = dim ] && [ "$1" -le $STREAM_DEADLINE_US ] && [ "$2" -le 64 ]; }
# ... and the stream delivered ($4 frames).
dim_delivered() { dim_within "$1" "$2" "$3" && [ "$4" -ge 1000 ]; }
# Every reading is held to the rule (the wiring: estimate in, parameters
# out); the bulk's rate, measured, is where the rule waits the ceiling.
# A stream is a bounded wait for that (a reading can fall in a lull):
# up to three, until the point defers and a reading shows the ceiling.
for attempt in 1 2 3; do
	d0=$(deferred)
	read -r ad_ev ad_pk ad_sent ad_frames _ <<< "$(adaptive_stream)"
	d1=$(deferred)
	nceil=$(awk -v c=$STREAM_DEADLINE_US '$1 == c && $2 >= 2' /run/xt/live | wc -l)
	[ $((d1 - d0)) -gt 0 ] && [ "$nceil" -gt 0 ] && break
done
nread=$(wc -l < /run/xt/live)
bad=$(policy_mismatch)
read -r ad_u ad_f _ < <(tail -1 /run/xt/live)
# The rate the point received over the readings (they span the stream).
ad_pps=$(awk 'NR == 1 { f = $5; t = $6 } END { print (NR > 1 && $6 > t) ? int(($5 - f) * 1e9 / ($6 - t)) : 0 }' /run/xt/live)
xt_check "adaptive, bulk TCP to the guest: each of $nread readings mid-stream is the policy's for its estimate (${bad:-all})" \
	test "$nread" -ge 10 -a -z "$bad"
xt_check "adaptive, bulk TCP to the guest, received at $ad_pps slots/s (>= 200, the rule's 2 per ceiling): the policy waits the ceiling in $nceil readings, $((d1 - d0)) deferrals (stream $attempt)" \
	test "$ad_pps" -ge 200 -a "$nceil" -gt 0 -a $((d1 - d0)) -gt 0
# The same with lib/dim's net_dim as the policy, for comparison.
echo 1 > /sys/module/xen_coalesce/parameters/adaptive_dim
ethtool -C "$vif" adaptive-tx off
ethtool -C "$vif" adaptive-tx on
read -r dm_ev dm_pk dm_sent dm_frames _ <<< "$(adaptive_stream)"
read -r dm_u dm_f dm_pol _ < <(tail -1 /run/xt/live)
echo 0 > /sys/module/xen_coalesce/parameters/adaptive_dim
xt_check "net_dim as the policy: named in debugfs, within the ceiling ($dm_u us, $dm_f frames), the stream delivered" \
	dim_delivered "$dm_u" "$dm_f" "$dm_pol" "$dm_frames"
ethtool -C "$vif" adaptive-tx off tx-usecs 0 tx-frames 0
read -r ao_ev ao_pk ao_sent ao_frames _ <<< "$(STREAM_TCP=1 stream)"
xt_info "bulk TCP to the guest, guest events / packets: off $ao_ev/$ao_pk, adaptive $ad_ev/$ad_pk (live $ad_u/$ad_f), net_dim $dm_ev/$dm_pk (live $dm_u/$dm_f)"
echo "{\"stream\": \"bulk TCP to the guest\", \"off\": {\"guest_events\": $ao_ev, \"packets\": $ao_pk, \"engine_sent\": $ao_sent, \"engine_frames\": $ao_frames},
 \"adaptive\": {\"guest_events\": $ad_ev, \"packets\": $ad_pk, \"engine_sent\": $ad_sent, \"engine_frames\": $ad_frames, \"live\": \"$ad_u/$ad_f\"},
 \"net_dim\": {\"guest_events\": $dm_ev, \"packets\": $dm_pk, \"engine_sent\": $dm_sent, \"engine_frames\": $dm_frames, \"live\": \"$dm_u/$dm_f\"}}" |
	jq . | xt_save adaptive.json

# ---- ethtool -S --------------------------------------------------------------
# The queue's coalescing counters where an administrator looks, as the
# engine counts them (debugfs), read around traffic that moves them.
set_coal 100 8 200 16
timeout 10 iperf3 -u -c "$(xt_ip 1)" -b 1M -l 64 -t 3 > /dev/null 2>&1 &
udp=$!
sleep 1
stats=$(ethtool -S "$vif"; echo --; cat "$dbg"; echo --; ethtool -S "$vif")
nq=$(ls -d /sys/class/net/"$vif"/queues/tx-* | wc -l)
xt_check "ethtool -S $vif: 14 coalescing counters a queue ($nq), queue 0's as debugfs counts them" \
	xt_ethtool_coal_matches 0 "$nq" <<< "$stats"
xt_check "ethtool -S $vif: upstream's counters come first" \
	bash -c "ethtool -S $vif | sed -n 2p | grep -q rx_gso_checksum_fixup"
wait $udp

# ---- teardown with armed timers --------------------------------------------
set_coal 5000 64 5000 64
timeout 30 iperf3 -u -c "$(xt_ip 1)" -b 2M -l 64 -t 20 > /dev/null 2>&1 &
sleep 3
xt_check "xl destroy with timers armed under traffic" xt_domu_destroy 1
wait
xt_check "domu1 comes back" xt_domu_up 1 stock 1
vif=vif$(xt_domid 1).0
xt_check "a new vif starts from the defaults (0 0 0 0)" same "$(coal_all)" "0 0 0 0"
# The frontend goes away and comes back while the backend's timers run.
set_coal 5000 64 5000 64
timeout 30 iperf3 -u -c "$(xt_ip 1)" -b 2M -l 64 -t 10 > /dev/null 2>&1 &
sleep 2
xt_domu_exec 1 netfront-reload > /dev/null
sleep 2
xt_check "netfront reconnects while the backend's timers run" xt_domu_wait 1
wait
xt_check "xl destroy, then rmmod xen-netback after armed timers" \
	bash -c 'xl destroy domu1 && rmmod xen-netback'
xt_check "the project's netback loads again" insmod /xt/project/xen-netback.ko
xt_done
