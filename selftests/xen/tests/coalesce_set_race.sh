#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A queue's stop never overtakes new parameters (project netfront).
# netfront stops a queue's points from its disconnect, without rtnl, while
# ethtool -C (under rtnl) sets new parameters on the queue if it runs. The
# guest's test module xt_set_race makes the two meet, deterministically:
# armed, it holds the first point an ethtool process sets for up to 500 ms
# and hands a stop of the same queue to the other CPU meanwhile. Then:
#  - the stop did not return while the set held the point, and the set
#    changed a running point, never one stopped under it;
#  - the stop returned once the set had finished (nothing lost), the new
#    values read back, and the guest's second vif still detaches cleanly.
# The mutant no-queue-mutex (the engine before it serialised the two)
# fails here: the stop returns within the window and the set goes on.
# XT-TIMEOUT: 300
. /xt/xt-lib.sh

param=/sys/module/xt_set_race/parameters

up_with_two_vifs() { XT_DOMU_VIFS=2 xt_domu_up 1 project 2; }
xt_check "dom0: the project's netback" xt_netback project
xt_check "domu1 (project netfront, two vifs, two CPUs) answers" up_with_two_vifs
setup="insmod /xt/test-modules/xt_set_race.ko &&
	{ ! test -d /proc/sys/net/ipv6/conf/eth1 || echo 1 > /proc/sys/net/ipv6/conf/eth1/disable_ipv6; } &&
	ip link set eth1 up && grep -c ^processor /proc/cpuinfo"
out=$(xt_domu_exec 1 "$setup" 2>&1)
# register_kprobe() says EOPNOTSUPP on a kernel built without kprobes
# (the debug tier's): nothing to race there, said as a skip.
if [[ $out == *"Operation not supported"* ]]; then
	xt_skip "the race" "the guest's kernel has no kprobes ($out)"
	xt_domus_destroy_all
	xt_done
	exit
fi
xt_check "the guest has the test module and two CPUs ($out)" test "$(printf '%s\n' "$out" | tail -1)" = 2

out=$(xt_domu_exec 1 "echo 1 > $param/armed && ethtool -C eth1 rx-usecs 1000 rx-frames 8; echo rc=\$?")
xt_check "ethtool -C eth1 with a stop racing it returns 0 ($(printf '%s' "$out" | tr '\n' ' '))" \
	test "$(printf '%s\n' "$out" | tail -1)" = rc=0
# race_state: window stop_in_window set_on_stopped stop_done
race_state() { xt_domu_exec 1 "cat $param/window $param/stop_in_window $param/set_on_stopped $param/stop_done | paste -sd ' '"; }
state=$(race_state)
xt_check "the module raced the set with a stop on the other CPU (window stop_in_window set_on_stopped stop_done: $state)" \
	test "${state%% *}" = 1
read -r _ in_window on_stopped _ <<< "$state"
xt_check "the stop waited for the set: it did not return while the set held the point ($in_window)" \
	test "$in_window" = 0
xt_check "the set changed a running point, not one stopped under it ($on_stopped)" \
	test "$on_stopped" = 0
xt_check "the stop returned once the set had finished" xt_becomes 1 xt_domu_exec 1 "cat $param/stop_done"
coal=$(xt_domu_exec 1 "ethtool -c eth1" | awk '$1 == "rx-usecs:" {u = $2} $1 == "rx-frames:" {f = $2} END {print u, f}')
xt_check "the set's values read back with ethtool -c eth1 ($coal)" test "$coal" = "1000 8"
xt_check "dom0 detaches the guest's second vif" timeout 120 xl network-detach domu1 1
xt_check "eth1 goes: its unregistration completes" \
	xt_becomes gone xt_domu_exec 1 "test -e /sys/class/net/eth1 && echo eth1; echo gone"
log=$(cat /var/log/xen/console/guest-domu1.log 2> /dev/null)
xt_check "no NULL dereference, Oops, BUG or WARN in the guest's kernel log" xt_kernel_log_clean domu1 "$log"
xt_check "the guest answers on eth0 afterwards" xt_domu_exec 1 true
xt_domus_destroy_all
xt_done
