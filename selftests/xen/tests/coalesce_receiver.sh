#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Receiver-driven coalescing in the guest with the kernel's own mechanism
# (napi_defer_hard_irqs + gro_flush_timeout on eth0: NAPI keeps polling
# from a timer, and netfront leaves the ring's event unarmed meanwhile,
# patch 0015), against the stock netback, on real Xen:
#  - a one-way UDP stream to the guest (500 packets/s), the same stream
#    with deferral off, with it on, and to a stock netfront (domu2): with
#    it on the guest's RX events per packet fall to at most 2/N and its
#    NET_RX softirqs (every wake-up for receive, interrupt- or
#    timer-driven) per packet below those with it off; iperf3 loses no
#    packet, and every drop counter on the way is read (the guest's UDP
#    socket, netfront, dom0's vif and qdisc) with no response left on the
#    ring;
#  - a low-rate flow (ping every 10 ms) loses nothing, and after a pause
#    every packet takes its event again (nothing waits for the timer);
#  - the guest's netfront is reloaded and the guest destroyed with NAPI
#    polling from its timer under traffic: no WARN, BUG or Oops.
# XT-TIMEOUT: 600
. /xt/xt-lib.sh

N=8
POLL_US=10000
STREAM_PPS=500

xt_check "dom0: the stock netback" xt_netback stock
xt_check "domu1 (project netfront) answers" xt_domu_up 1 project 1
domid=$(xt_domid 1) ip=$(xt_ip 1)
vif=vif$domid.0
nsys=/sys/class/net/eth0
dbg=/sys/kernel/debug/xen-coalesce/xen_netfront/vif0-q0
in_domu() { xt_domu_exec 1 "$1"; }
same() { [ "$1" = "$2" ] || { echo "expected '$2', seen '$1'"; return 1; }; }
defer() { # N USECS: NAPI polls every USECS for up to N empty polls
	in_domu "echo $1 > $nsys/napi_defer_hard_irqs && echo $(($2 * 1000)) > $nsys/gro_flush_timeout" > /dev/null
}
rx_events() { in_domu 'cat /proc/interrupts' | xt_irq_json '^vif0-q0-rx$' | jq '[.[]] | add // 0'; }

xt_check "napi_defer_hard_irqs and gro_flush_timeout are 0 by default" \
	same "$(in_domu "cat $nsys/napi_defer_hard_irqs $nsys/gro_flush_timeout" | paste -sd ' ')" "0 0"

# ---- events per packet, one-way UDP to the guest ---------------------------
# Every packet iperf3 calls lost is accounted for: the guest's UDP socket
# drops (RcvbufErrors, InErrors), its netfront's rx drops, dom0's vif and
# qdisc drops, and responses left unconsumed on the guest's RX ring at the
# end (stranded). The receiver gets a socket buffer the emulated guest
# sustains at this rate, and the stock netfront runs the same stream in
# the same boot (domu2).
xt_check "domu2 (stock netfront) answers" xt_domu_up 2 stock 1
# iperf3 -w sets both ends' buffers and fails when it gets less.
for f in rmem_max wmem_max; do
	echo 8388608 > /proc/sys/net/core/$f
done
for d in 1 2; do
	xt_domu_exec $d "echo 8388608 > /proc/sys/net/core/rmem_max &&
		echo 8388608 > /proc/sys/net/core/wmem_max && iperf3 -s -D" > /dev/null
done
sleep 1
# drops D: "udp_socket netfront dom0_vif dom0_qdisc" drop counters of domU D
drops() {
	local v=vif$(xt_domid "$1").0

	echo "$(xt_domu_exec "$1" "awk '/^Udp:/ && n++ { print \$4 + \$6 }' /proc/net/snmp") \
$(xt_domu_exec "$1" 'cat /sys/class/net/eth0/statistics/rx_dropped') \
$(cat /sys/class/net/$v/statistics/tx_dropped) \
$(tc -s qdisc show dev $v | awk '/dropped/ { gsub(",", ""); s += $7 } END { print s + 0 }')"
}
netrx() { xt_domu_exec "$1" "awk '\$1 == \"NET_RX:\" { for (i = 2; i <= NF; i++) s += \$i } END { print s + 0 }' /proc/softirqs"; }
# stream D [IPERF-ARGS]: "guest-rx-events packets lost udp_socket netfront
# dom0_vif dom0_qdisc net_rx_softirqs" for STREAM_PPS 64-byte packets to
# domU D for 4 s (IPERF-ARGS: the socket buffers, "-w 4M" by default)
stream() {
	local e0 e1 n0 n1 out a b

	n0=$(netrx "$1")
	e0=$(xt_domu_exec "$1" 'cat /proc/interrupts' | xt_irq_json '^vif0-q0-rx$' | jq '[.[]] | add // 0')
	a=$(drops "$1")
	out=$(timeout 30 iperf3 -J -u -c "$(xt_ip "$1")" ${2--w 4M} -b $((STREAM_PPS * 64 * 8)) -l 64 -t 4 2>&1)
	jq -e '.error' <<< "$out" > /dev/null 2>&1 && echo "# iperf3 to domu$1: $(jq -r .error <<< "$out")" >&2
	sleep 1
	b=$(drops "$1")
	e1=$(xt_domu_exec "$1" 'cat /proc/interrupts' | xt_irq_json '^vif0-q0-rx$' | jq '[.[]] | add // 0')
	n1=$(netrx "$1")
	echo "$((e1 - e0)) $(jq -r '"\(.end.sum.packets // 0) \(.end.sum.lost_packets // -1)"' <<< "$out")" \
		"$(paste -d ' ' <(tr ' ' '\n' <<< "$b") <(tr ' ' '\n' <<< "$a") | awk '{ printf "%d ", $1 - $2 }')" \
		"$((n1 - n0))"
}
stranded() { # responses on domU 1's RX ring the guest never consumed
	xt_domu_exec 1 "cat $dbg" | awk '$1 == "rx:" && $2 == "ring" { print $6 - $8 }'
}
read -r st_ev st_recv st_lost st_sock st_nf st_vif st_q st_nrx <<< "$(stream 2)"
defer 0 0
read -r off_ev off_recv off_lost off_sock off_nf off_vif off_q off_nrx <<< "$(stream 1)"
defer $N $POLL_US
read -r on_ev on_recv on_lost on_sock on_nf on_vif on_q on_nrx <<< "$(stream 1)"
left=$(stranded)
row() { # NAME EVENTS NET_RX PACKETS LOST SOCKET NETFRONT VIF QDISC
	echo "\"$1\": {\"guest_rx_events\": $2, \"net_rx_softirqs\": $3, \"packets\": $4, \"lost\": $5,
	 \"udp_socket_drops\": $6, \"netfront_drops\": $7, \"vif_drops\": $8, \"qdisc_drops\": $9}"
}
echo "{$(row stock "$st_ev" "$st_nrx" "$st_recv" "$st_lost" "$st_sock" "$st_nf" "$st_vif" "$st_q"),
 $(row off "$off_ev" "$off_nrx" "$off_recv" "$off_lost" "$off_sock" "$off_nf" "$off_vif" "$off_q"),
 $(row "napi_defer_$N" "$on_ev" "$on_nrx" "$on_recv" "$on_lost" "$on_sock" "$on_nf" "$on_vif" "$on_q"),
 \"stranded\": ${left:-null}}" | jq . | xt_save receiver_driven.json
xt_info "stock netfront: $st_ev RX events, $st_nrx NET_RX for $st_recv packets, lost $st_lost (socket $st_sock, netfront $st_nf, vif $st_vif, qdisc $st_q)"
xt_info "project, off: $off_ev RX events, $off_nrx NET_RX for $off_recv packets, lost $off_lost (socket $off_sock, netfront $off_nf, vif $off_vif, qdisc $off_q)"
xt_info "project, napi_defer_hard_irqs $N, gro_flush_timeout $POLL_US us: $on_ev RX events, $on_nrx NET_RX for $on_recv packets, lost $on_lost (socket $on_sock, netfront $on_nf, vif $on_vif, qdisc $on_q)"
xt_check "the stream moved packets both times ($off_recv, $on_recv >= 1500)" test "$off_recv" -ge 1500 -a "$on_recv" -ge 1500
xt_check "deferring: no drop in netfront, the vif or its qdisc ($on_nf $on_vif $on_q)" same "$on_nf $on_vif $on_q" "0 0 0"
xt_check "deferring: no response left on the RX ring after the stream (${left:-none})" same "${left:-none}" 0
xt_check "deferring: every packet iperf3 lost is a drop of the guest's UDP socket (lost $on_lost, socket $on_sock)" \
	test "$on_lost" -ge 0 -a "$on_lost" -le "$on_sock"
xt_check "deferring: no packet lost (iperf3 lost $on_lost of $on_recv)" same "$on_lost" 0
on_ppk=$((on_ev * 1000 / (on_recv + 1)))
off_wpk=$((off_nrx * 1000 / (off_recv + 1))) on_wpk=$((on_nrx * 1000 / (on_recv + 1)))
xt_check "deferring: netfront leaves the event unarmed while NAPI polls, RX events per packet <= 2/$N ($on_ppk/1000)" \
	test $on_ppk -le $((2000 / N))
xt_check "deferring: NET_RX softirqs per packet below those off ($on_wpk/1000 < $off_wpk/1000)" \
	test $on_wpk -lt $off_wpk
# iperf3's default buffers, where earlier runs lost packets: whatever is
# lost must be the guest's socket's drop, with nothing dropped on the way.
read -r _ df_recv df_lost df_sock df_nf df_vif df_q _ <<< "$(stream 1 "")"
xt_info "default buffers, deferring: $df_recv packets, lost $df_lost (socket $df_sock, netfront $df_nf, vif $df_vif, qdisc $df_q)"
xt_check "default buffers: every packet lost is the guest's UDP socket's drop (lost $df_lost, socket $df_sock; netfront $df_nf vif $df_vif qdisc $df_q)" \
	test "$df_lost" -ge 0 -a "$df_lost" -le "$df_sock" -a "$df_nf$df_vif$df_q" = 000

# ---- low rate: nothing waits for the timer ----------------------------------
out=$(ping -c 200 -i 0.01 -q "$ip" 2>&1)
xt_check "ping every 10 ms while deferring: 200 of 200 answered" grep -q '200 received' <<< "$out"
xt_info "$(tail -1 <<< "$out")"
# After N empty polls (N * POLL_US) the event is armed again: each ping
# after a pause takes its own event.
sleep 1
e0=$(rx_events)
ping -c 5 -i 0.5 -q "$ip" > /dev/null 2>&1
e1=$(rx_events)
xt_check "after a pause every packet takes its event again (5 pings: $((e1 - e0)) events >= 5)" \
	test $((e1 - e0)) -ge 5

# ---- teardown with NAPI polling from its timer ------------------------------
timeout 30 iperf3 -u -c "$ip" -b 2M -l 64 -t 8 > /dev/null 2>&1 &
sleep 2
in_domu netfront-reload > /dev/null
sleep 2
xt_check "netfront reloaded in the guest while deferring, domu1 answers" xt_domu_wait 1
defer $N $POLL_US
timeout 30 iperf3 -u -c "$ip" -b 2M -l 64 -t 20 > /dev/null 2>&1 &
sleep 3
xt_check "the guest's kernel log is clean" xt_kernel_log_clean domu1 "$(in_domu dmesg)"
xt_check "xl destroy with the guest's NAPI deferring under traffic" xt_domu_destroy 1
wait
xt_done
