#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# No guest deadlock through the xenstore watch (project netback and
# netfront). Attaching or detaching XDP makes netfront hold rtnl while it
# waits for a backend state change that only the guest's xenwatch thread
# delivers; a coalesce/ watch that took rtnl in xenwatch would deadlock
# the guest's xenbus. For SECS seconds the guest flips a native XDP
# program on and off while dom0 flips the VIF's class between A and C:
#  - the flipping finishes, having flipped, within its time plus a margin;
#  - the first attach after a connection is the one that waits: ROUNDS
#    times the guest rebinds its vif and attaches the moment eth0 appears
#    (netfront still connecting) while dom0 rewrites its coalesce/ keys as
#    fast as it can and two busy loops slow dom0's answer; every round
#    completes and the guest answers afterwards (869fea1's guest
#    deadlocked here in one run of two with 12 rounds; 2de40ae's when the
#    Connected of the connection replaced the attach's Reconfiguring);
#  - afterwards the guest's rtnl answers (ethtool -c) and its watches still
#    fire: it follows a new class from dom0;
#  - no hung task, WARN or BUG in the guest's or dom0's kernel log.
# XT-TIMEOUT: 700
. /xt/xt-lib.sh

SECS=20
ROUNDS=16
xt_check "dom0: the project's netback" xt_netback project
xt_check "domu1 (project netfront) answers" xt_domu_up 1 project 1
vif=vif$(xt_domid 1).0 sys=/sys/class/net/vif$(xt_domid 1).0/xen_coalesce


xt_check "the guest follows the backend" bash -c "[ \"\$(cat $sys/frontend_follows)\" = yes ]"
xt_check "the guest can attach and detach XDP" xt_domu_exec 1 "xdp-flip eth0 1"
xt_domu_exec 1 "(timeout $((SECS + 60)) xdp-flip eth0 $SECS > /tmp/flips 2>&1; echo rc=\$? >> /tmp/flips) > /dev/null 2>&1 < /dev/null &" > /dev/null
end=$(($(date +%s) + SECS)) n=0
while [ "$(date +%s)" -lt $end ]; do
	echo A > "$sys/class" && echo C > "$sys/class" && n=$((n + 1))
	sleep 0.2
done
xt_info "dom0 flipped the class A -> C $n times"
flips=
for i in $(seq 60); do
	flips=$(xt_domu_exec 1 "cat /tmp/flips" 2> /dev/null)
	grep -q '^rc=' <<< "$flips" && break
	sleep 1
done
xt_info "the guest's XDP flips: $(tr '\n' ' ' <<< "$flips")"
flipped() { grep -qx 'rc=0' <<< "$1" && [ "$(head -1 <<< "$1")" -gt 0 ] 2> /dev/null; }
xt_check "the guest's XDP flipping ended, without error, having flipped" flipped "$flips"

# The first attach after a connection is the one that waits: give the
# guest fresh connections and attach at once, while dom0 rewrites the
# guest's coalesce/ keys every few milliseconds.
echo none > "$sys/class"
(
	end=$(($(date +%s) + 400)) v=100
	while [ "$(date +%s)" -lt $end ] && [ ! -e /run/xt/stop-writer ]; do
		echo $v > "$sys/frontend_tx_usecs" 2> /dev/null
		v=$((300 - v))
		sleep 0.005
	done
) &
writer=$!
# Busy dom0 vCPUs make the backend slower to answer Reconfiguring than
# the guest is to wait for it: the wait that needs xenwatch then happens.
hogs=
for i in 1 2; do
	timeout 400 sh -c 'while :; do :; done' &
	hogs="$hogs $!"
done
xt_domu_exec 1 "xdp-rebind-flip $ROUNDS" > /dev/null
log= end=$(($(date +%s) + 360))
while [ "$(date +%s)" -lt $end ]; do
	sleep 2
	ping -c1 -W1 "$(xt_ip 1)" > /dev/null 2>&1 || continue
	log=$(xt_domu_exec 1 "cat /run/xdp-rebind.log" 2> /dev/null) || continue
	grep -q '^done' <<< "$log" && break
done
touch /run/xt/stop-writer
# shellcheck disable=SC2086 # the pids are words
kill $hogs 2> /dev/null
wait $writer
rm -f /run/xt/stop-writer
xt_info "the guest's rounds: $(tr '\n' ';' <<< "$log")"
rounds_ok() { [ "$(grep -cE '^round [0-9]+: [0-9]+$' <<< "$1")" = "$ROUNDS" ] && grep -q '^done' <<< "$1"; }
xt_check "$ROUNDS fresh connections, each attached XDP at once under the writes, the guest answers after" \
	rounds_ok "$log"
echo 0 > "$sys/frontend_tx_usecs"

echo B > "$sys/class"
xt_check "afterwards the guest answers ethtool -c and follows class B (75 64 75 64)" \
	xt_guest_becomes 1 "75 64 75 64"
echo none > "$sys/class"
glog=$(xt_domu_exec 1 dmesg)
no_hung() { ! grep -A3 'blocked for more than' <<< "$1"; }
# The console too: a guest that stopped answering still prints there.
xt_check "no hung task in the guest (its console)" no_hung "$(cat /var/log/xen/console/guest-domu1.log)"
xt_check "the guest's kernel log is clean" xt_kernel_log_clean domu1 "$glog"
xt_check "no hung task in dom0" no_hung "$(dmesg)"
xt_domus_destroy_all
xt_done
