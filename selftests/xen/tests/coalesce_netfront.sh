#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xen-netfront's coalescing on real Xen, against the stock netback:
#  - ethtool -c/-C on the guest's eth0: valid values read back, invalid ones
#    refused with nothing changed; adaptive-tx read back with its ceiling;
#  - a one-way UDP stream from the guest (500 packets/s) with tx-frames=N:
#    dom0's events per packet fall to about 1/N, and below those with
#    coalescing off in the same boot;
#  - software TX timestamps reach the socket whether or not the queue
#    frees sent packets from it (tx-usecs above 100 us);
#  - the guest's netfront reloaded and the guest destroyed with armed
#    timers under traffic leave no WARN, BUG or Oops.
# XT-TIMEOUT: 900
. /xt/xt-lib.sh

N=8
STREAM_PPS=500
STREAM_DEADLINE_US=10000
DOM0_IP=169.254.100.1

xt_check "dom0: the stock netback" xt_netback stock
xt_check "domu1 (project netfront) answers" xt_domu_up 1 project 1
domid=$(xt_domid 1)
vif=vif$domid.0
dbg=/sys/kernel/debug/xen-coalesce/xen_netfront/vif0-q0

in_domu() { xt_domu_exec 1 "$1"; }
coal_all() {
	in_domu "ethtool -c eth0" | awk '$1 == "rx-usecs:" {a = $2} $1 == "rx-frames:" {b = $2}
		$1 == "tx-usecs:" {c = $2} $1 == "tx-frames:" {d = $2} END {print a, b, c, d}'
}
set_coal() { in_domu "ethtool -C eth0 rx-usecs $1 rx-frames $2 tx-usecs $3 tx-frames $4"; }
same() { [ "$1" = "$2" ] || { echo "expected '$2', seen '$1'"; return 1; }; }

# ---- ethtool ---------------------------------------------------------------
xt_check "ethtool -c eth0 in the guest: off by default (0 0 0 0)" same "$(coal_all)" "0 0 0 0"
RANDOM=11
ok=0
for i in 1 2 3 4 5 6; do
	v="$((RANDOM % 10000 + 1)) $((RANDOM % 257)) $((RANDOM % 10000 + 1)) $((RANDOM % 257))"
	# shellcheck disable=SC2086
	set_coal $v > /dev/null 2>&1 && [ "$(coal_all)" = "$v" ] && ok=$((ok + 1))
done
xt_check "ethtool -C eth0: 6 random valid settings read back" same "$ok" 6
set_coal 100 8 200 16 > /dev/null
xt_check "ethtool -C eth0 100 8 200 16 reads back" same "$(coal_all)" "100 8 200 16"
for bad in "10001 8 200 16" "100 257 200 16" "100 8 0 16"; do
	# shellcheck disable=SC2086
	out=$(set_coal $bad 2>&1)
	rc=$?
	now=$(coal_all)
	xt_check "ethtool -C eth0 $bad refused, settings unchanged" \
		bash -c "[ $rc != 0 ] && [ '$now' = '100 8 200 16' ] || { echo 'rc $rc: $out; now $now'; exit 1; }"
done
xt_check "the guest's debugfs shows the queue's settings" \
	grep -q '^tx: usecs 200 frames 16' <<< "$(in_domu "cat $dbg")"
in_domu "ethtool -C eth0 adaptive-tx on" > /dev/null 2>&1
out=$(in_domu "ethtool -c eth0")
dbg_out=$(in_domu "cat $dbg")
in_domu "ethtool -C eth0 adaptive-tx off" > /dev/null 2>&1
# has_all PATTERN...: stdin has a line matching each PATTERN.
has_all() {
	local x p

	x=$(cat)
	for p; do
		grep -q -- "$p" <<< "$x" || { echo "no '$p' in:"; echo "$x"; return 1; }
	done
}
xt_check "adaptive-tx on eth0 reads back" has_all '^Adaptive RX: off  TX: on' <<< "$out"
xt_check "adaptive-tx: the ceiling kept, debugfs shows what is in force" \
	has_all '^tx: usecs 200 frames 16' '^tx: adaptive live_usecs' <<< "$dbg_out"
xt_check "adaptive-tx off again" bash -c "grep -q '^Adaptive RX: off  TX: off' <<< '$(in_domu "ethtool -c eth0")'"
xt_check "the guest's log says why a setting was refused" \
	grep -q 'xen_netfront: coalesce settings refused: frames > 1 needs usecs > 0' <<< "$(in_domu dmesg)"

# ---- events per packet, one-way UDP from the guest -------------------------
iperf3 -s -D -B $DOM0_IP
sleep 1
# stream: the guest's 64-byte UDP stream at STREAM_PPS, in bursts of 4 s
# until the vif has received STREAM_MIN packets (5 bursts at most: an
# emulated guest on a busy host may not reach its rate); prints
# "dom0-events packets bursts".
STREAM_MIN=1500
stream() {
	local e0 e1 p0 p1 n=0

	e0=$(xt_irq_json "^$vif-q0-tx\$" < /proc/interrupts | jq '[.[]] | add')
	p0=$(cat "/sys/class/net/$vif/statistics/rx_packets")
	while [ $n -lt 5 ]; do
		n=$((n + 1))
		in_domu "iperf3 -u -c $DOM0_IP -b $((STREAM_PPS * 64 * 8)) -l 64 -t 4" > /dev/null
		p1=$(cat "/sys/class/net/$vif/statistics/rx_packets")
		[ $((p1 - p0)) -ge $STREAM_MIN ] && break
	done
	sleep 1
	e1=$(xt_irq_json "^$vif-q0-tx\$" < /proc/interrupts | jq '[.[]] | add')
	p1=$(cat "/sys/class/net/$vif/statistics/rx_packets")
	echo "$((e1 - e0)) $((p1 - p0)) $n"
}
set_coal 0 0 0 0 > /dev/null
read -r off_ev off_pk _ <<< "$(stream)"
set_coal 0 0 $STREAM_DEADLINE_US $N > /dev/null
read -r on_ev on_pk on_n <<< "$(stream)"
set_coal 0 0 0 0 > /dev/null
echo "{\"off\": {\"dom0_events\": $off_ev, \"packets\": $off_pk},
 \"frames_$N\": {\"dom0_events\": $on_ev, \"packets\": $on_pk}}" | jq . | xt_save events_per_packet.json
xt_info "off: $off_ev dom0 events for $off_pk packets; tx-frames $N: $on_ev for $on_pk"
xt_check "the stream moved packets both times ($off_pk, $on_pk >= $STREAM_MIN, in 5 bursts of 4 s at most)" \
	test "$off_pk" -ge $STREAM_MIN -a "$on_pk" -ge $STREAM_MIN
off_ppk=$((off_ev * 1000 / (off_pk + 1))) on_ppk=$((on_ev * 1000 / (on_pk + 1)))
xt_check "tx-frames=$N: fewer dom0 events per packet than off ($on_ppk/1000 <= $off_ppk/1000)" \
	test $on_ppk -le $off_ppk
# 1/N needs N frames within the deadline: the bound is 2 per what the
# received rate lets an event gather (N at 800 packets/s and more).
k=$(xt_frames_per_event "$on_pk" $((4 * on_n)) $STREAM_DEADLINE_US $N)
xt_check "tx-frames=$N: dom0 events per packet <= 2/$k, $k the frames an event can gather at $((on_pk / (4 * on_n))) packets/s ($on_ppk/1000 <= $((2000 / k)))" \
	test $on_ppk -le $((2000 / k))

# ---- software TX timestamps when sent packets leave their sockets ----------
# With a TX deadline above 100 us a packet leaves its socket's accounting
# as it is queued (skb_orphan()), so that a held ring does not hold the
# socket's memory; it must leave after skb_tx_timestamp(), which needs
# the socket. tx-stamps (domu/tx-stamps.c) sends 200 datagrams with
# SOF_TIMESTAMPING_TX_SOFTWARE and counts what its error queue returns.
orphans() { # yes|no: what the guest's queue debugfs says
	in_domu "cat $dbg" | grep -qx "tx: orphan $1" ||
		{ echo "the queue does not say 'tx: orphan $1'"; return 1; }
}
stamps() { same "$(in_domu "tx-stamps $DOM0_IP 9 200")" "sent 200 stamped 200"; }
set_coal 0 0 0 0 > /dev/null
xt_check "tx-usecs 0: the queue keeps packets in their sockets (debugfs)" orphans no
xt_check "tx-usecs 0: every datagram sent has its software TX timestamp" stamps
set_coal 0 0 4000 32 > /dev/null
xt_check "tx-usecs 4000: the queue frees packets from their sockets (debugfs)" orphans yes
xt_check "tx-usecs 4000: every datagram sent still has its software TX timestamp" stamps

# ---- ethtool -S --------------------------------------------------------------
# The queue's coalescing counters where an administrator looks, as the
# engine counts them (debugfs), read around traffic that moves them.
in_domu "iperf3 -u -c $DOM0_IP -b 1M -l 64 -t 3 > /dev/null 2>&1 &" > /dev/null
stats=$(in_domu "ethtool -S eth0; echo --; cat $dbg; echo --; ethtool -S eth0")
nq=$(in_domu "ls -d /sys/class/net/eth0/queues/tx-* | wc -l")
xt_check "ethtool -S eth0: 14 coalescing counters a queue ($nq), queue 0's as debugfs counts them" \
	xt_ethtool_coal_matches 0 "$nq" <<< "$stats"
sleep 3

# ---- teardown with armed timers --------------------------------------------
set_coal 5000 64 5000 64 > /dev/null
in_domu "iperf3 -u -c $DOM0_IP -b 2M -l 64 -t 10 > /dev/null 2>&1 &" > /dev/null
sleep 2
in_domu netfront-reload > /dev/null
sleep 2
xt_check "netfront reloaded in the guest with its timers armed, domu1 answers" xt_domu_wait 1
xt_check "the guest's kernel log is clean" xt_kernel_log_clean domu1 "$(in_domu dmesg)"
set_coal 5000 64 5000 64 > /dev/null
in_domu "iperf3 -u -c $DOM0_IP -b 2M -l 64 -t 20 > /dev/null 2>&1 &" > /dev/null
sleep 3
xt_check "xl destroy with the guest's timers armed under traffic" xt_domu_destroy 1
pkill iperf3
xt_done
