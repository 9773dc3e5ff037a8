#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# No push to a TX ring being torn down (project netback and netfront).
# netfront leaves a batch's requests unpushed until its last packet, and a
# last packet it drops still pushes the ones before it. xennet_remove()
# ends access to the TX ring (tx.sring = NULL) before it unregisters the
# device, so a transmit in between must drop without touching the ring.
# The guest's test module xt_tx_window makes that happen on eth1 (the
# guest's second vif), deterministically:
#  - control: a frame sent with xmit_more stays unpushed (dom0's vif sees
#    nothing of it) until a frame ending the batch pushes both;
#  - one more frame is held, then dom0 detaches the vif; in the guest's
#    xennet_remove(), after the disconnect (carrier off) and before the
#    unregistration, the module transmits the batch's last frame;
#  - that frame is dropped (tx_dropped + 1), the guest's kernel reports no
#    NULL dereference, Oops or BUG, eth1 goes and the guest answers on eth0.
# XT-TIMEOUT: 300
. /xt/xt-lib.sh

param=/sys/module/xt_tx_window/parameters

up_with_two_vifs() { XT_DOMU_VIFS=2 xt_domu_up 1 project 2; }
xt_check "dom0: the project's netback" xt_netback project
xt_check "domu1 (project netfront, two vifs) answers" up_with_two_vifs
# No address and no IPv6 on eth1: nothing but the module's frames goes out.
setup="insmod /xt/test-modules/xt_tx_window.ko ifname=eth1 &&
	{ ! test -d /proc/sys/net/ipv6/conf/eth1 || echo 1 > /proc/sys/net/ipv6/conf/eth1/disable_ipv6; } &&
	ip link set eth1 up &&
	for i in \$(seq 50); do [ \"\$(cat /sys/class/net/eth1/carrier)\" = 1 ] && break; sleep 0.2; done &&
	cat /sys/class/net/eth1/carrier"
out=$(xt_domu_exec 1 "$setup")
xt_check "the guest's eth1 is up with the test module ($out)" test "$(printf '%s\n' "$out" | tail -1)" = 1
vif=vif$(xt_domid 1).1
backend_got() { cat "/sys/class/net/$vif/statistics/rx_packets"; }
# guest_xmit 1|0: one frame on eth1, with xmit_more (1) or ending the batch.
guest_xmit() { xt_domu_exec 1 "echo $1 > $param/xmit_more && cat $param/xmit_rc"; }
# backend_gets N: dom0's vif has received N frames, within 10 s.
backend_gets() {
	local now

	for _ in $(seq 20); do
		now=$(backend_got)
		[ "$now" = "$1" ] && return 0
		sleep 0.5
	done
	echo "$vif received $now frames, expected $1"
	return 1
}

base=$(backend_got)
out=$(guest_xmit 1)
sleep 2
xt_check "control: a frame sent with xmit_more stays unpushed (sent: $out, $vif received $(($(backend_got) - base)))" \
	test "$out:$(backend_got)" = "0:$base"
out=$(guest_xmit 0)
xt_check "control: the frame ending the batch pushes both (sent: $out)" backend_gets $((base + 2))

base=$(backend_got)
out=$(guest_xmit 1)
xt_domu_exec 1 "echo 1 > $param/armed" > /dev/null
sleep 2
xt_check "a frame is held on eth1's ring (sent: $out, $vif received $(($(backend_got) - base)))" \
	test "$out:$(backend_got)" = "0:$base"
xt_check "dom0 detaches the guest's second vif" timeout 120 xl network-detach domu1 1
# guest_reads CMD WANT: wait (30 s at most) until CMD in the guest prints WANT.
guest_reads() {
	local now

	for _ in $(seq 30); do
		now=$(xt_domu_exec 1 "$1" 2> /dev/null)
		[ "$now" = "$2" ] && return 0
		sleep 1
	done
	echo "the guest's '$1' printed '$now', expected '$2'"
	return 1
}
xt_check "eth1 goes: its unregistration completes" guest_reads "test -e /sys/class/net/eth1 && echo eth1; echo gone" gone
window=$(xt_domu_exec 1 "cat $param/window_rc $param/window_dropped | paste -sd ' '")
xt_check "the frame sent between the ring's teardown and the unregistration is dropped ($window: rc, drops)" \
	test "$window" = "0 1"
log=$(cat /var/log/xen/console/guest-domu1.log 2> /dev/null)
xt_check "no NULL dereference, Oops, BUG or WARN in the guest's kernel log" xt_kernel_log_clean domu1 "$log"
xt_check "the guest answers on eth0 afterwards" xt_domu_exec 1 true
xt_domus_destroy_all
xt_done
