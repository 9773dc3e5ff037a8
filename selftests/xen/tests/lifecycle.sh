#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Life cycle with the project's modules: repeated xl create/destroy, a
# domU destroyed in the middle of a transfer, netback reloaded between
# guests, netfront reloaded in a running guest. Nothing may leave a WARN,
# BUG or Oops behind (the runner checks dom0's log after every test).
# XT-TIMEOUT: 900
. /xt/xt-lib.sh

CYCLES=3

xt_check "dom0: the project's netback" xt_netback project
for c in $(seq 1 $CYCLES); do
	xt_check "cycle $c/$CYCLES: domu1 comes up" xt_domu_up 1 project 1
	xt_check "cycle $c/$CYCLES: ping -c 20" ping -q -c 20 -i 0.05 -w 20 "$(xt_ip 1)"
	xt_check "cycle $c/$CYCLES: domU kernel log clean" \
		xt_kernel_log_clean domu1 "$(xt_domu_exec 1 dmesg)"
	xt_check "cycle $c/$CYCLES: xl destroy" xt_domu_destroy 1
done

xt_check "domu1 comes up for a transfer" xt_domu_up 1 project
timeout 30 iperf3 -c "$(xt_ip 1)" -t 20 > /dev/null 2>&1 &
sleep 3
xt_check "xl destroy in the middle of a transfer" xt_domu_destroy 1
wait
xt_check "the vif is gone after the destroy" \
	bash -c "for i in \$(seq 1 50); do ls /sys/class/net | grep -q '^vif' || exit 0; sleep 0.2; done; ls /sys/class/net; exit 1"

xt_check "dom0: rmmod the project's netback with no guest" rmmod xen-netback
xt_check "dom0: insmod it again" insmod /xt/project/xen-netback.ko
xt_check "domu1 comes up on the reloaded netback" xt_domu_up 1 project

# netfront reloaded in the guest while dom0 pings it.
ping -q -i 0.05 -w 15 "$(xt_ip 1)" > /dev/null 2>&1 &
xt_domu_exec 1 netfront-reload > /dev/null
sleep 2
xt_check "domU: netfront reloaded under ping, domu1 answers again" xt_domu_wait 1
wait
xt_check "domU: the reload unloaded and loaded both modules" \
	test "$(xt_domu_exec 1 'cat /run/netfront-reload.log' | tr '\n' ' ')" = "unloaded yes reloaded 0 "
xt_check "domU: kernel log clean after the reload" \
	xt_kernel_log_clean domu1 "$(xt_domu_exec 1 dmesg)"
xt_domus_destroy_all
xt_done
