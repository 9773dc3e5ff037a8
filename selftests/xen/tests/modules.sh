#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The modules running in dom0 and in a domU are this build's, they register
# with xen-coalesce, and they unload and load again cleanly.
# XT-TIMEOUT: 400
. /xt/xt-lib.sh

modver() { cat "/sys/module/$1/version" 2> /dev/null; }
is() { [ "$1" = "$2" ] || { echo "expected '$2', seen '$1'"; return 1; }; }

# Programs that run programs (timeout, stdbuf, env) take PATH from the
# environment, not from the shell: the toolstack must be on the exported one.
xt_check "dom0: a program run by another finds the toolstack ($(env sh -c 'command -v xl'))" \
	env xl info -n
xt_check "dom0: the project's xen-netback loads" xt_netback project
xt_check "dom0: xen_netback version is $XT_VERSION" is "$(modver xen_netback)" "$XT_VERSION"
xt_check "dom0: xen_coalesce version is $XT_VERSION" is "$(modver xen_coalesce)" "$XT_VERSION"
xt_check "dom0: xen-coalesce lists xen-netback" \
	grep -qx "xen_netback $XT_VERSION" /sys/kernel/debug/xen-coalesce/drivers

xt_check "domu1 with the project's netfront answers" xt_domu_up 1 project
xt_check "domU: xen_netfront version is $XT_VERSION" \
	is "$(xt_domu_exec 1 'cat /sys/module/xen_netfront/version')" "$XT_VERSION"
xt_check "domU: xen-coalesce lists xen-netfront" \
	xt_domu_exec 1 "grep -qx 'xen_netfront $XT_VERSION' /sys/kernel/debug/xen-coalesce/drivers"

# Unload and reload netfront in the domU; its connection goes with eth0.
xt_domu_exec 1 netfront-reload > /dev/null
sleep 2
xt_check "domU: netfront reloaded, domu1 answers again" xt_domu_wait 1
xt_check "domU: xen-netfront and xen-coalesce were unloaded, then loaded" \
	is "$(xt_domu_exec 1 'cat /run/netfront-reload.log' | tr '\n' ' ')" "unloaded yes reloaded 0 "
xt_check "domU: xen-coalesce lists xen-netfront once after the reload" \
	is "$(xt_domu_exec 1 'cat /sys/kernel/debug/xen-coalesce/drivers')" "xen_netfront $XT_VERSION"
xt_check "domU: kernel log has no WARN, BUG or Oops" \
	xt_kernel_log_clean domu1 "$(xt_domu_exec 1 dmesg)"

# dom0: unload the project's netback and the core, then load them again.
xt_check "dom0: back to the stock netback (project's unloaded)" xt_netback stock
xt_check "dom0: xen-coalesce unloads once no driver uses it" rmmod xen-coalesce
xt_check "dom0: its debugfs directory is gone" test ! -e /sys/kernel/debug/xen-coalesce
xt_check "dom0: the project's netback loads again" xt_netback project
xt_check "domu1 comes up on the reloaded netback" xt_domu_up 1 project
xt_domus_destroy_all
xt_done
