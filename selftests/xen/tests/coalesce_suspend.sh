#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Suspend and resume with coalescing at work (xl save / xl restore), on
# real Xen: the project's netback and netfront, every point coalescing,
# the kernel's NAPI polling (napi_defer_hard_irqs) on in the guest and
# traffic flowing when the
# guest is suspended. The guest's netfront disconnects (flushing and
# cancelling its timers, dropping its xenstore watch) and reconnects to a
# new backend: it must answer again, keep its own settings, follow the
# new backend's keys, and leave no WARN, BUG or Oops on either side.
# XT-TIMEOUT: 600
. /xt/xt-lib.sh

# The save file (about the guest's 256 MB) lives in a tmpfs of its own:
# dom0's root file system is small.
SAVE_DIR=/run/xt-save
SAVE=$SAVE_DIR/domu1.save
mkdir -p $SAVE_DIR
mountpoint -q $SAVE_DIR || mount -t tmpfs -o size=400m xt-save $SAVE_DIR
xt_check "dom0: the project's netback" xt_netback project
xt_check "domu1 (project netfront) answers" xt_domu_up 1 project 1
ip=$(xt_ip 1) vif=vif$(xt_domid 1).0
nsys=/sys/class/net/eth0
in_domu() { xt_domu_exec 1 "$1"; }
guest_coal() { xt_guest_coal 1; }

xt_check "coalescing on at the vif" ethtool -C "$vif" rx-usecs 2000 rx-frames 8 tx-usecs 2000 tx-frames 8
in_domu "ethtool -C eth0 rx-usecs 3000 rx-frames 4 tx-usecs 1000 tx-frames 2 &&
	echo 8 > $nsys/napi_defer_hard_irqs && echo 5000000 > $nsys/gro_flush_timeout" > /dev/null
xt_check "the guest coalesces too (3000 4 1000 2), polling on" test "$(guest_coal)" = "3000 4 1000 2"
iperf3 -s -D -B 169.254.100.1 > /dev/null 2>&1
sleep 1
timeout 60 iperf3 -u -c "$ip" -b 2M -l 64 -t 40 > /dev/null 2>&1 &
in_domu "iperf3 -u -c 169.254.100.1 -b 1M -l 64 -t 40 > /dev/null 2>&1 &" > /dev/null
sleep 2
rm -f "$SAVE"
if xt_check "xl save under traffic with timers armed" xl save domu1 "$SAVE"; then
	xt_check "xl restore" xl restore "$SAVE"
fi
rm -f "$SAVE"
umount $SAVE_DIR
xt_check "domu1 answers after the restore" xt_domu_wait 1
xt_check "the guest kept its own settings (3000 4 1000 2)" test "$(guest_coal)" = "3000 4 1000 2"
xt_check "the guest kept polling (8 5000000)" \
	test "$(in_domu "cat $nsys/napi_defer_hard_irqs $nsys/gro_flush_timeout" | paste -sd ' ')" = "8 5000000"
out=$(ping -c 50 -i 0.02 -q "$ip" 2>&1)
xt_check "ping after the restore: 50 of 50 answered" grep -q '50 received' <<< "$out"
vif=vif$(xt_domid 1).0
echo 700 > "/sys/class/net/$vif/xen_coalesce/frontend_tx_usecs"
sleep 2
xt_check "the guest follows the new backend's keys (tx-usecs 700)" \
	test "$(guest_coal | cut -d' ' -f3)" = 700
xt_check "the guest's kernel log is clean" xt_kernel_log_clean domu1 "$(in_domu dmesg)"
wait
pkill iperf3
xt_domus_destroy_all
xt_done
