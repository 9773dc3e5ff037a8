#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Endurance (make stress, on the normal kernel), with coalescing on:
#  - 200 domU create/destroy cycles, four guests at a time, each guest in a
#    class (A, B, C in turn) with a ping stream running when it goes;
#  - 25 netback reloads: each with a stream to a class C guest, destroyed
#    under that stream, then netback out and in again;
#  - 25 netfront reloads in a class C guest under a ping stream;
#  - dom0's unreclaimable slab and free memory, after dropping caches,
#    compared between the end of the first round and the end: growth below
#    LEAK_KIB (16 KiB per cycle would cross it: the smallest thing a cycle
#    could leak, a vif's queue, is larger) and no WARN (the runner checks
#    the kernel logs).
# XT-TIMEOUT: 10800
. /xt/xt-lib.sh

CYCLES=200 PARALLEL=4 RELOADS=25
LEAK_KIB=3200		# 16 KiB x 200 cycles
MEMFREE_KIB=65536	# a page cache's worth of noise, not 200 vifs
export XT_DOMU_MEM=160
classes=(A B C)

mem() { # "SUnreclaim MemFree" in KiB, caches dropped and settled
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 2
	awk '/^SUnreclaim:/ { s = $2 } /^MemFree:/ { f = $2 } END { print s, f }' /proc/meminfo
}

# One round: PARALLEL guests up, a class each, a ping stream at each, then
# all destroyed under their streams.
round() {
	local r=$1 id vif

	for id in $(seq 1 $PARALLEL); do
		xt_domu_start "$id" project 1 || return 1
	done
	for id in $(seq 1 $PARALLEL); do
		xt_domu_wait "$id" 300 || return 1
		vif=/sys/class/net/vif$(xt_domid "$id").0/xen_coalesce
		echo "${classes[$(((r + id) % 3))]}" > "$vif/class" || return 1
		ping -q -i 0.02 -w 30 "$(xt_ip "$id")" > /dev/null 2>&1 &
	done
	sleep 2
	for id in $(seq 1 $PARALLEL); do
		ping -q -c 3 -W 2 "$(xt_ip "$id")" > /dev/null || { echo "domu$id stopped answering"; return 1; }
	done
	for id in $(seq 1 $PARALLEL); do
		xl destroy "domu$id" || return 1
	done
	kill $(jobs -p) 2> /dev/null
	wait 2> /dev/null
	return 0
}

xt_check "dom0: the project's netback" xt_netback project
rounds=$((CYCLES / PARALLEL)) failed_round=
xt_check "round 1/$rounds ($PARALLEL guests)" round 1
read -r slab0 free0 <<< "$(mem)"
start=$(date +%s)
for r in $(seq 2 $rounds); do
	xt_progress "round $r/$rounds, $(($(date +%s) - start)) s since round 2 began"
	out=$(round "$r" 2>&1) || { failed_round="$r: $out"; break; }
done
xt_check "$CYCLES create/destroy cycles, $PARALLEL at a time, a class each, destroyed under ping" \
	test -z "$failed_round"
[ -n "$failed_round" ] && xt_info "round $failed_round"
xt_domus_destroy_all

# netback out and in, each time after a class C guest went under a stream.
failed=
for i in $(seq 1 $RELOADS); do
	xt_progress "netback reload $i/$RELOADS"
	if ! xt_domu_up 1 project 1 > /dev/null; then failed="reload $i: domu1 did not come up"; break; fi
	echo C > "/sys/class/net/vif$(xt_domid 1).0/xen_coalesce/class"
	timeout 20 iperf3 -c "$(xt_ip 1)" -t 10 > /dev/null 2>&1 &
	sleep 2
	xl destroy domu1
	wait
	if ! rmmod xen-netback; then failed="reload $i: rmmod failed"; break; fi
	if ! insmod /xt/project/xen-netback.ko; then failed="reload $i: insmod failed"; break; fi
done
xt_check "$RELOADS netback reloads after a class C guest went under a stream" test -z "$failed"
[ -n "$failed" ] && xt_info "$failed"

# netfront out and in, in a class C guest, under a ping stream.
failed=
xt_check "domu1 comes up for the netfront reloads" xt_domu_up 1 project 1
echo C > "/sys/class/net/vif$(xt_domid 1).0/xen_coalesce/class"
for i in $(seq 1 $RELOADS); do
	xt_progress "netfront reload $i/$RELOADS"
	ping -q -i 0.05 -w 12 "$(xt_ip 1)" > /dev/null 2>&1 &
	xt_domu_exec 1 netfront-reload > /dev/null
	sleep 2
	if ! xt_domu_wait 1 > /dev/null; then failed="reload $i: domu1 did not answer"; break; fi
	log=$(xt_domu_exec 1 'cat /run/netfront-reload.log' | tr '\n' ' ')
	[ "$log" = "unloaded yes reloaded 0 " ] || { failed="reload $i: $log"; break; }
	wait
done
xt_check "$RELOADS netfront reloads in a class C guest under ping" test -z "$failed"
[ -n "$failed" ] && xt_info "$failed"
xt_check "the guest follows class C after the reloads" xt_guest_becomes 1 "4000 64 4000 64"
xt_check "the guest's kernel log clean after the reloads" \
	xt_kernel_log_clean domu1 "$(xt_domu_exec 1 dmesg)"
xt_domus_destroy_all

read -r slab1 free1 <<< "$(mem)"
xt_info "dom0 SUnreclaim $slab0 -> $slab1 KiB, MemFree $free0 -> $free1 KiB"
xt_check "dom0 unreclaimable slab grew less than $LEAK_KIB KiB ($slab0 -> $slab1)" \
	test $((slab1 - slab0)) -lt $LEAK_KIB
xt_check "dom0 free memory fell less than $MEMFREE_KIB KiB ($free0 -> $free1)" \
	test $((free0 - free1)) -lt $MEMFREE_KIB
xt_done
