#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A stalled xenstored never stalls dom0's network configuration (project
# netback; the guest runs the project's netfront). Every write to the
# vif's xen_coalesce files does xenstore I/O (the guest's feature flag,
# the frontend's keys); done under rtnl, a xenstored that does not answer
# (stopped here with SIGSTOP; on a host: busy with a guest's transactions)
# holds every `ip link` in dom0 for as long.
#
# For each writer (class, budget_us, frontend_rx_usecs): xenstored
# stopped, the write started and seen waiting for xenstore's reply (its
# wchan), then an rtnl operation in dom0 (ip link set lo up) must return
# within 30 s while the write still waits, and ethtool -c must read the
# vif; xenstored resumed, the write completes and reads back.
# XT-TIMEOUT: 600
. /xt/xt-lib.sh

xt_check "dom0: the project's netback" xt_netback project
xt_check "domu1 (project netfront) answers" xt_domu_up 1 project 1
vif=vif$(xt_domid 1).0
sys=/sys/class/net/$vif/xen_coalesce
xsd=$(cat /run/xenstored.pid)

# Whatever happens, xenstored runs again when the test ends.
trap 'kill -CONT "$xsd" 2> /dev/null' EXIT

# waiting_on_xenstore PID: PID sleeps in the xenbus client's wait for a
# reply (within 20 s).
waiting_on_xenstore() {
	local w

	for _ in $(seq 100); do
		w=$(cat "/proc/$1/wchan" 2> /dev/null)
		case $w in xs_talkv | read_reply | xs_wait* | xenbus_*) return 0 ;; esac
		sleep 0.2
	done
	echo "the write never waited for xenstore (wchan '$w')"
	return 1
}

# answers_within SECS CMD...: CMD, started in the background, ends within
# SECS s. A command stuck on rtnl sleeps uninterruptibly (no timeout(1)
# can end it): it is left to end once xenstored resumes.
answers_within() {
	local secs=$1 p

	shift
	"$@" > /dev/null 2>&1 &
	p=$!
	for _ in $(seq $((secs * 5))); do
		kill -0 $p 2> /dev/null || { wait $p; return; }
		sleep 0.2
	done
	echo "$* still waiting after $secs s"
	stuck+=" $p"
	return 1
}

# stalled_write FILE VALUE: write VALUE to FILE while xenstored is
# stopped; dom0's rtnl stays free meanwhile, and the write lands after.
stalled_write() {
	local f=$1 v=$2 w rc=0 stuck=

	kill -STOP "$xsd"
	bash -c "echo $v > $f" &
	w=$!
	waiting_on_xenstore $w || { kill -CONT "$xsd"; wait $w; return 1; }
	answers_within 30 ip link set lo up || rc=1
	answers_within 30 ethtool -c "$vif" || rc=1
	kill -CONT "$xsd"
	# shellcheck disable=SC2086 # a list of pids
	[ -n "$stuck" ] && wait $stuck
	wait $w || { echo "the write of $v to $f failed after xenstored resumed"; return 1; }
	[ "$(cat "$f")" = "$v" ] || { echo "$f reads $(cat "$f"), not $v"; return 1; }
	return $rc
}

xt_check "xenstored stopped: a class write waits for it, ip link and ethtool do not" \
	stalled_write "$sys/class" C
xt_check "the guest follows class C once xenstored answers" \
	xt_vif_class 1 C
xt_check "xenstored stopped: a budget write waits for it, ip link and ethtool do not" \
	stalled_write "$sys/budget_us" 250
echo none > "$sys/class"
xt_check "xenstored stopped: a frontend value waits for it, ip link and ethtool do not" \
	stalled_write "$sys/frontend_rx_usecs" 40
xt_check "the guest follows the frontend values once xenstored answers" \
	xt_vif_class 1 none
xt_check "domu1 still answers" xt_domu_wait 1 60
xt_domus_destroy_all
xt_done
