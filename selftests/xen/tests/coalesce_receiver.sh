#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Receiver-driven coalescing in the guest (rx_poll_frames/rx_poll_usecs of
# xen-netfront) against the stock netback, on real Xen:
#  - the parameters take 0..256 and 0..10000 at run time, anything else
#    is refused with the value unchanged;
#  - a one-way UDP stream to the guest (500 packets/s): the guest's RX
#    events per packet fall to at most 2/N, events plus timer polls stay
#    below the events with the mode off, and iperf3 loses no packet (none
#    stranded);
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
in_domu "iperf3 -s -D" > /dev/null
sleep 1
field() { awk -v k="$1" '{for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}' | head -1; }
stream() { # prints "guest-rx-events timer-polls packets lost"
	local e0 e1 t0 t1 out

	e0=$(in_domu 'cat /proc/interrupts' | xt_irq_json '^vif0-q0-rx$' | jq '[.[]] | add // 0')
	t0=$(in_domu "cat $dbg" | field timer_polls)
	out=$(timeout 30 iperf3 -J -u -c "$ip" -b $((STREAM_PPS * 64 * 8)) -l 64 -t 4 2>&1)
	e1=$(in_domu 'cat /proc/interrupts' | xt_irq_json '^vif0-q0-rx$' | jq '[.[]] | add // 0')
	t1=$(in_domu "cat $dbg" | field timer_polls)
	echo "$((e1 - e0)) $((t1 - t0)) $(jq -r '"\(.end.sum.packets // 0) \(.end.sum.lost_packets // -1)"' <<< "$out")"
}
in_domu "echo 0 > $params/rx_poll_frames" > /dev/null
read -r off_ev off_polls off_recv off_lost <<< "$(stream)"
in_domu "echo $N > $params/rx_poll_frames" > /dev/null
read -r on_ev on_polls on_recv on_lost <<< "$(stream)"
echo "{\"off\": {\"guest_rx_events\": $off_ev, \"timer_polls\": $off_polls, \"packets\": $off_recv, \"lost\": $off_lost},
 \"poll_$N\": {\"guest_rx_events\": $on_ev, \"timer_polls\": $on_polls, \"packets\": $on_recv, \"lost\": $on_lost}}" |
	jq . | xt_save receiver_driven.json
xt_info "off: $off_ev guest RX events for $off_recv packets; rx_poll $N/$POLL_US us: $on_ev events + $on_polls timer polls for $on_recv"
xt_check "the stream moved packets both times ($off_recv, $on_recv >= 1500)" test "$off_recv" -ge 1500 -a "$on_recv" -ge 1500
xt_check "polling: no packet lost or stranded (iperf3 lost $on_lost of $on_recv)" same "$on_lost" 0
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
