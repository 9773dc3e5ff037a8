#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Scale (make stress, on the normal kernel): what one guest with one queue
# never reaches.
#  - six domUs at once, two of each class, with traffic to and from all of
#    them at the same time; domu1 and domu2 have 2 vCPUs and so 2 queues,
#    and coalescing works on both queues (each queue's points defer);
#  - after the traffic every guest answers 20 pings (nothing stranded) and
#    every point of every queue owes nothing;
#  - netback's single-event-channel mode (separate_tx_rx_irq=0): one event
#    channel per queue carries both directions, class C defers on both
#    points and the guest still answers at once when the stream stops.
# XT-TIMEOUT: 1500
. /xt/xt-lib.sh

export XT_DOMU_MEM=160	# six guests in the memory Xen has left
GUESTS="1 2 3 4 5 6"
declare -A class=([1]=C [2]=B [3]=A [4]=C [5]=B [6]=A)
dbgdir=/sys/kernel/debug/xen-coalesce/xen_netback

vif_of() { echo "vif$(xt_domid "$1").0"; }
# field POINT NAME FILE: the counter NAME of POINT ("rx"/"tx") in FILE.
field() { awk -v p="$1:" -v k="$2" '$1 == p && $2 == "frames" { for (i = 2; i < NF; i += 2) if ($i == k) print $(i + 1) }' "$3"; }

xt_check "dom0: the project's netback" xt_netback project
for id in $GUESTS; do
	vcpus=1
	[ "$id" -le 2 ] && vcpus=2
	xt_domu_start "$id" project "$vcpus"
done
for id in $GUESTS; do
	xt_check "domu$id comes up beside the others" xt_domu_wait "$id" 300
done
for id in $GUESTS; do
	echo "${class[$id]}" > "/sys/class/net/$(vif_of "$id")/xen_coalesce/class"
done
for id in $GUESTS; do
	xt_check "domu$id: class ${class[$id]} read back" \
		grep -qx "${class[$id]}" "/sys/class/net/$(vif_of "$id")/xen_coalesce/class"
done
for id in 1 2; do
	d=$(xt_domid "$id")
	xt_check "domu$id: 2 vCPUs, 2 queues agreed in xenstore" \
		test "$(xenstore-read "/local/domain/$d/device/vif/0/multi-queue-num-queues")" = 2
	xt_check "domu$id: a coalescing point per queue in debugfs" \
		test -e "$dbgdir/$(vif_of "$id")-q0" -a -e "$dbgdir/$(vif_of "$id")-q1"
done
xt_check "domu1 (class C) follows: its refills and sends at the ceiling" \
	xt_guest_becomes 1 "4000 64 4000 64"

# Before: the counters of both queues of the class C guest with 2 queues.
declare -A before
for q in 0 1; do
	f=$dbgdir/$(vif_of 1)-q$q
	before[$q]="$(field rx deferred "$f") $(field tx deferred "$f")"
done
# Traffic to and from all six at once: 4 streams each way to spread over
# the queues (netback and netfront pick a queue by flow hash).
for id in $GUESTS; do
	timeout 90 iperf3 -c "$(xt_ip "$id")" -t 20 -P 4 -J > "$XT_RESULTS/to-domu$id.json" 2>&1 &
done
wait
for id in $GUESTS; do
	timeout 90 iperf3 -c "$(xt_ip "$id")" -t 20 -P 4 -R -J > "$XT_RESULTS/from-domu$id.json" 2>&1 &
done
wait
for id in $GUESTS; do
	for dir in to from; do
		mb=$(jq -r '.end.sum_received.bytes / 1048576 | floor' "$XT_RESULTS/$dir-domu$id.json" 2>/dev/null)
		xt_check "domu$id (class ${class[$id]}): TCP $dir it moved data beside five others (${mb:-no} MiB)" \
			test "${mb:-0}" -gt 0
	done
done
for q in 0 1; do
	f=$dbgdir/$(vif_of 1)-q$q
	read -r rx0 tx0 <<< "${before[$q]}"
	rx1=$(field rx deferred "$f") tx1=$(field tx deferred "$f")
	xt_check "domu1 (class C) queue $q: both points deferred (deliveries $rx0 -> $rx1, completions $tx0 -> $tx1)" \
		test "$rx1" -gt "$rx0" -a "$tx1" -gt "$tx0"
done
for id in $GUESTS; do
	xt_check "domu$id: 20 pings answered after the streams (nothing stranded)" \
		ping -q -c 20 -i 0.05 -w 20 "$(xt_ip "$id")"
done
# Nothing owed anywhere: every deferred notification was sent or flushed.
owed() {
	local f

	for f in "$dbgdir"/vif*-q*; do
		awk -v f="${f##*/}" '$2 == "owed" && $3 != 0 { print f ": " $0; bad = 1 } END { exit bad }' "$f" || return 1
	done
}
xt_check "no point of any queue owes a notification" owed
for id in $GUESTS; do
	xt_check "domu$id: kernel log clean" xt_kernel_log_clean "domu$id" "$(xt_domu_exec "$id" dmesg)"
done
xt_domus_destroy_all

# ---- one event channel per queue -----------------------------------------
xt_check "dom0: the project's netback reloaded with separate_tx_rx_irq=0" \
	bash -c "rmmod xen-netback && insmod /xt/project/xen-netback.ko separate_tx_rx_irq=0"
unset XT_DOMU_MEM
xt_check "domu1 comes up on one event channel per queue" xt_domu_up 1 project 1
vif=$(vif_of 1) f=$dbgdir/$(vif_of 1)-q0
xt_check "one event channel: $vif-q0 in dom0's interrupts, no -tx/-rx" \
	bash -c "grep -q ' $vif-q0\$' /proc/interrupts && ! grep -qE ' $vif-q0-(tx|rx)\$' /proc/interrupts"
echo C > "/sys/class/net/$vif/xen_coalesce/class"
xt_check "class C: the guest follows" xt_guest_becomes 1 "4000 64 4000 64"
rx0=$(field rx deferred "$f") tx0=$(field tx deferred "$f")
mb_to=$(xt_iperf3 single-to "$(xt_ip 1)" -t 5 -P 2)
mb_from=$(xt_iperf3 single-from "$(xt_ip 1)" -t 5 -P 2 -R)
rx1=$(field rx deferred "$f") tx1=$(field tx deferred "$f")
xt_check "one event channel: TCP both ways (${mb_to:-no} and ${mb_from:-no} Mbit/s)" \
	test "${mb_to:-0}" -gt 0 -a "${mb_from:-0}" -gt 0
xt_check "one event channel: both points deferred (deliveries $rx0 -> $rx1, completions $tx0 -> $tx1)" \
	test "$rx1" -gt "$rx0" -a "$tx1" -gt "$tx0"
xt_check "one event channel: 20 pings answered after the streams" \
	ping -q -c 20 -i 0.05 -w 20 "$(xt_ip 1)"
xt_check "one event channel: nothing owed" owed
xt_check "one event channel: the guest's kernel log clean" xt_kernel_log_clean domu1 "$(xt_domu_exec 1 dmesg)"
xt_domus_destroy_all
xt_check "dom0: the project's netback back with its defaults" \
	bash -c "rmmod xen-netback && insmod /xt/project/xen-netback.ko"
xt_done
