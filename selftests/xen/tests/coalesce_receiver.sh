#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Receiver-driven coalescing in the guest (rx_poll_frames/rx_poll_usecs of
# xen-netfront) against the stock netback, on real Xen:
#  - the parameters take 0..256 and 0..10000 at run time, anything else
#    is refused with the value unchanged;
#  - a one-way UDP stream to the guest (500 packets/s): the guest's RX
#    events per packet fall to at most 2/N, events plus timer polls stay
#    below the events with the mode off, and iperf3 loses no packet; every
#    drop counter on the way is read (the guest's UDP socket, netfront,
#    dom0's vif and qdisc), no response is left on the ring, and the stock
#    netfront runs the same stream in the same boot for comparison;
#  - a low-rate flow (ping every 10 ms) loses nothing;
#  - the guest's netfront is reloaded and the guest destroyed with the
#    poll timer armed under traffic: no WARN, BUG or Oops.
# XT-TIMEOUT: 600
. /xt/xt-lib.sh

N=8
POLL_US=10000
STREAM_PPS=500

xt_check "dom0: the stock netback" xt_netback stock
xt_check "domu1 (project netfront) answers" xt_domu_up 1 project 1
domid=$(xt_domid 1) ip=$(xt_ip 1)
vif=vif$domid.0
params=/sys/module/xen_netfront/parameters
dbg=/sys/kernel/debug/xen-coalesce/xen_netfront/vif0-q0

in_domu() { xt_domu_exec 1 "$1"; }
same() { [ "$1" = "$2" ] || { echo "expected '$2', seen '$1'"; return 1; }; }
polls() { in_domu "cat $params/rx_poll_frames $params/rx_poll_usecs | paste -sd ' '"; }

# ---- parameters --------------------------------------------------------------
xt_check "off by default (0 0)" same "$(polls)" "0 0"
in_domu "echo $N > $params/rx_poll_frames && echo $POLL_US > $params/rx_poll_usecs" > /dev/null
xt_check "set at run time: $N $POLL_US" same "$(polls)" "$N $POLL_US"
for bad in "rx_poll_frames 257" "rx_poll_usecs 10001" "rx_poll_frames abc" "rx_poll_usecs -1"; do
	read -r p v <<< "$bad"
	in_domu "echo '$v' > $params/$p" > /dev/null 2>&1
	rc=$?
	now=$(polls)
	xt_check "$p = $v refused, unchanged" bash -c "[ $rc != 0 ] && [ '$now' = '$N $POLL_US' ] || { echo 'rc $rc, now $now'; exit 1; }"
done
xt_check "the guest's log says why" grep -q "xen_netfront.rx_poll_usecs refused: not a number in 0..10000" <<< "$(in_domu dmesg)"

# ---- events per packet, one-way UDP to the guest ---------------------------
# Every packet iperf3 calls lost is accounted for: the guest's UDP socket
# drops (RcvbufErrors, InErrors), its netfront's rx drops, dom0's vif and
# qdisc drops, and responses left unconsumed on the guest's RX ring at the
# end (stranded). The receiver gets a socket buffer the emulated guest
# sustains at this rate, and the stock netfront runs the same stream in
# the same boot (domu2).
xt_check "domu2 (stock netfront) answers" xt_domu_up 2 stock 1
for d in 1 2; do
	xt_domu_exec $d "sysctl -qw net.core.rmem_max=8388608 && iperf3 -s -D" > /dev/null
done
sleep 1
field() { awk -v k="$1" '{for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}' | head -1; }
# drops D: "udp_socket netfront dom0_vif dom0_qdisc" drop counters of domU D
drops() {
	local v=vif$(xt_domid "$1").0

	echo "$(xt_domu_exec "$1" "awk '/^Udp:/ && n++ { print \$4 + \$6 }' /proc/net/snmp") \
$(xt_domu_exec "$1" 'cat /sys/class/net/eth0/statistics/rx_dropped') \
$(cat /sys/class/net/$v/statistics/tx_dropped) \
$(tc -s qdisc show dev $v | awk '/dropped/ { gsub(",", ""); s += $7 } END { print s + 0 }')"
}
# stream D: "guest-rx-events timer-polls packets lost udp_socket netfront
# dom0_vif dom0_qdisc" for STREAM_PPS 64-byte packets to domU D for 4 s
stream() {
	local e0 e1 t0 t1 out a b

	e0=$(xt_domu_exec "$1" 'cat /proc/interrupts' | xt_irq_json '^vif0-q0-rx$' | jq '[.[]] | add // 0')
	t0=$(xt_domu_exec "$1" "cat $dbg 2> /dev/null" | field timer_polls)
	a=$(drops "$1")
	out=$(timeout 30 iperf3 -J -u -c "$(xt_ip "$1")" -w 4M -b $((STREAM_PPS * 64 * 8)) -l 64 -t 4 2>&1)
	sleep 1
	b=$(drops "$1")
	e1=$(xt_domu_exec "$1" 'cat /proc/interrupts' | xt_irq_json '^vif0-q0-rx$' | jq '[.[]] | add // 0')
	t1=$(xt_domu_exec "$1" "cat $dbg 2> /dev/null" | field timer_polls)
	echo "$((e1 - e0)) $((${t1:-0} - ${t0:-0})) $(jq -r '"\(.end.sum.packets // 0) \(.end.sum.lost_packets // -1)"' <<< "$out")" \
		"$(paste -d ' ' <(tr ' ' '\n' <<< "$b") <(tr ' ' '\n' <<< "$a") | awk '{ printf "%d ", $1 - $2 }')"
}
stranded() { # responses on domU 1's RX ring the guest never consumed
	xt_domu_exec 1 "cat $dbg" | awk '$1 == "rx:" && $2 == "ring" { print $6 - $8 }'
}
read -r st_ev _ st_recv st_lost st_sock st_nf st_vif st_q <<< "$(stream 2)"
in_domu "echo 0 > $params/rx_poll_frames" > /dev/null
read -r off_ev off_polls off_recv off_lost off_sock off_nf off_vif off_q <<< "$(stream 1)"
in_domu "echo $N > $params/rx_poll_frames" > /dev/null
read -r on_ev on_polls on_recv on_lost on_sock on_nf on_vif on_q <<< "$(stream 1)"
left=$(stranded)
echo "{\"stock\": {\"guest_rx_events\": $st_ev, \"packets\": $st_recv, \"lost\": $st_lost, \"udp_socket_drops\": $st_sock, \"netfront_drops\": $st_nf, \"vif_drops\": $st_vif, \"qdisc_drops\": $st_q},
 \"off\": {\"guest_rx_events\": $off_ev, \"timer_polls\": $off_polls, \"packets\": $off_recv, \"lost\": $off_lost, \"udp_socket_drops\": $off_sock, \"netfront_drops\": $off_nf, \"vif_drops\": $off_vif, \"qdisc_drops\": $off_q},
 \"poll_$N\": {\"guest_rx_events\": $on_ev, \"timer_polls\": $on_polls, \"packets\": $on_recv, \"lost\": $on_lost, \"udp_socket_drops\": $on_sock, \"netfront_drops\": $on_nf, \"vif_drops\": $on_vif, \"qdisc_drops\": $on_q, \"stranded\": ${left:-null}}}" |
	jq . | xt_save receiver_driven.json
xt_info "stock netfront: $st_recv packets, lost $st_lost (socket $st_sock, netfront $st_nf, vif $st_vif, qdisc $st_q)"
xt_info "project, off: $off_ev guest RX events for $off_recv packets, lost $off_lost (socket $off_sock, netfront $off_nf, vif $off_vif, qdisc $off_q)"
xt_info "project, rx_poll $N/$POLL_US us: $on_ev events + $on_polls timer polls for $on_recv, lost $on_lost (socket $on_sock, netfront $on_nf, vif $on_vif, qdisc $on_q)"
xt_check "the stream moved packets both times ($off_recv, $on_recv >= 1500)" test "$off_recv" -ge 1500 -a "$on_recv" -ge 1500
xt_check "polling: no drop in netfront, the vif or its qdisc ($on_nf $on_vif $on_q)" same "$on_nf $on_vif $on_q" "0 0 0"
xt_check "polling: no response left on the RX ring after the stream (${left:-none})" same "${left:-none}" 0
xt_check "polling: every packet iperf3 lost is a drop of the guest's UDP socket (lost $on_lost, socket $on_sock)" \
	test "$on_lost" -ge 0 -a "$on_lost" -le "$on_sock"
xt_check "polling: no packet lost (iperf3 lost $on_lost of $on_recv)" same "$on_lost" 0
off_ppk=$((off_ev * 1000 / (off_recv + 1))) on_ppk=$((on_ev * 1000 / (on_recv + 1)))
all_ppk=$(((on_ev + on_polls) * 1000 / (on_recv + 1)))
xt_check "polling: guest RX events per packet <= 2/$N ($on_ppk/1000 <= $((2000 / N)))" \
	test $on_ppk -le $((2000 / N))
xt_check "polling: events + timer polls per packet below events off ($all_ppk/1000 < $off_ppk/1000)" \
	test $all_ppk -lt $off_ppk
xt_check "the poll timer ran (timer_polls $on_polls > 0)" test "$on_polls" -gt 0

# ---- low rate: nothing waits for the threshold -----------------------------
out=$(ping -c 200 -i 0.01 -q "$ip" 2>&1)
xt_check "ping every 10 ms while polling: 200 of 200 answered" grep -q '200 received' <<< "$out"
xt_info "$(tail -1 <<< "$out")"
xt_check "an idle queue went back to one event per packet (idle > 0)" \
	test "$(in_domu "cat $dbg" | field idle)" -gt 0

# ---- teardown with the poll timer armed ------------------------------------
timeout 30 iperf3 -u -c "$ip" -b 2M -l 64 -t 8 > /dev/null 2>&1 &
sleep 2
in_domu netfront-reload > /dev/null
sleep 2
xt_check "netfront reloaded in the guest while polling, domu1 answers" xt_domu_wait 1 60
xt_check "the reloaded netfront kept the parameters' defaults (0 0)" \
	same "$(polls)" "0 0"
in_domu "echo $N > $params/rx_poll_frames && echo $POLL_US > $params/rx_poll_usecs" > /dev/null
timeout 30 iperf3 -u -c "$ip" -b 2M -l 64 -t 20 > /dev/null 2>&1 &
sleep 3
xt_check "the guest's kernel log is clean" xt_kernel_log_clean domu1 "$(in_domu dmesg)"
xt_check "xl destroy with the guest's poll timer armed under traffic" xt_domu_destroy 1
wait
xt_done
