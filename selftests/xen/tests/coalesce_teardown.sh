#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Teardown and configuration races (project netback and netfront), the
# races the debug-kernel tier (make check-debug) exists to catch:
#  - the guest's netfront removed while a class C guest sends in bulk, and
#    while it floods UDP so that packets come in batches: its drop path
#    must not push held requests to a ring being torn down;
#  - the guest's coalescing set with ethtool in a tight loop while its
#    netfront connects and disconnects (queue start/stop against
#    set_params);
#  - the vif's ethtool values written while the guest connects (a new
#    domain) and while it reconnects (its netfront reloaded, the values
#    alternating): what ethtool -c shows afterwards is what the points
#    have in force.
# Each round ends with the guest answering; the kernel logs are checked
# after the test (and on the debug kernel, lockdep, DEBUG_OBJECTS and
# kmemleak report anything the races leave).
# XT-TIMEOUT: 1200
. /xt/xt-lib.sh

ROUNDS=3
RECONNECTS=12
DOM0_IP=169.254.100.1
in_domu() { xt_domu_exec 1 "$1"; }
same() { [ "$1" = "$2" ] || { echo "expected '$2', seen '$1'"; return 1; }; }
# has_params RX-USECS RX-FRAMES TX-USECS TX-FRAMES DEBUGFS-TEXT
has_params() {
	grep -q "^rx: usecs $1 frames $2\$" <<< "$5" && grep -q "^tx: usecs $3 frames $4\$" <<< "$5" ||
		{ grep -E '^(rx|tx): usecs' <<< "$5"; return 1; }
}
reload_ok() { same "$(in_domu 'cat /run/netfront-reload.log' | tr '\n' ' ')" "unloaded yes reloaded 0 "; }

xt_check "dom0: the project's netback" xt_netback project
xt_check "domu1 (project netfront) answers" xt_domu_up 1 project
vif=vif$(xt_domid 1).0
sys=/sys/class/net/$vif/xen_coalesce
echo C > $sys/class
xt_check "class C: the guest follows" xt_guest_becomes 1 "4000 64 4000 64"

# ---- netfront removed under a bulk send -----------------------------------
# A server per round: a client of the round before may still hold one.
for r in $(seq 1 $ROUNDS); do iperf3 -s -D -B $DOM0_IP -p $((5208 + r)); done
# reload_rounds NAME CMD [N]: N (ROUNDS) times, CMD in the guest (in the
# background; %R in it is the round's number), then the guest's netfront
# reloaded; the guest must answer.
reload_rounds() {
	local r n=${3:-$ROUNDS} failed=

	for r in $(seq 1 "$n"); do
		in_domu "(${2//%R/$r} &) ; sleep 2; netfront-reload" > /dev/null
		sleep 2
		out=$(xt_domu_wait 1) || { failed="round $r: $out"; break; }
		reload_ok > /dev/null || { failed="round $r: $(reload_ok)"; break; }
	done
	xt_check "$n $1" test -z "$failed"
	[ -n "$failed" ] && xt_info "$failed"
}
reload_rounds "netfront removals while a class C guest sends in bulk" \
	"timeout 20 iperf3 -c $DOM0_IP -p \$((5208 + %R)) -t 15 > /dev/null 2>&1"
# Four senders keep the guest's qdisc backlogged (udp-flood, to dom0's
# discard port: no server), so that packets reach netfront in batches
# (xmit_more) and a removal can come between the packets of one: the last
# one is dropped, and must not push the held ones to the ring the removal
# took away.
reload_rounds "netfront removals while a class C guest floods UDP in batches" \
	"udp-flood $DOM0_IP 9 1200 4 6 > /run/udp-flood.log 2>&1" 10
sleep 5
flood=$(in_domu "cat /run/udp-flood.log")
xt_check "the flood sent datagrams ($flood)" \
	awk '$1 == "sent" && $2 > 0 {ok = 1} END {exit !ok}' <<< "$flood"

# ---- ethtool in the guest against connect/disconnect ---------------------
echo none > $sys/class
reload_rounds "netfront reloads while ethtool -C loops in the guest" \
	"for i in \$(seq 1 100); do ethtool -C eth0 rx-usecs \$((i % 7 * 100 + 50)) tx-frames \$((i % 5 + 1)) 2> /dev/null; done"
in_domu "sleep 2; ethtool -C eth0 rx-usecs 300 rx-frames 4 tx-usecs 200 tx-frames 8" > /dev/null
d=$(in_domu "cat /sys/kernel/debug/xen-coalesce/xen_netfront/vif0-q0")
xt_check "after the races the guest's points have what ethtool set (300/4, 200/8)" \
	has_params 300 4 200 8 "$d"
in_domu "ethtool -C eth0 rx-usecs 0 rx-frames 0 tx-usecs 0 tx-frames 0" > /dev/null

# ---- the vif's values changed while its guest reconnects -------------------
# From the moment the guest's netfront lets go until the vif's carrier is
# back, ethtool -C alternates two values as fast as it goes: the last one
# may land after a queue read the values at its connect and before the vif
# counts as connected. What ethtool -c shows after must be what the points
# have in force.
failed=
for r in $(seq 1 $RECONNECTS); do
	in_domu "netfront-reload" > /dev/null
	for _ in $(seq 100); do
		[ "$(cat "/sys/class/net/$vif/operstate")" != up ] && break
		sleep 0.2
	done
	n=0
	while [ "$(cat "/sys/class/net/$vif/operstate")" != up ] && [ $n -lt 3000 ]; do
		v=$((n % 2 ? 300 : 200)) n=$((n + 1))
		ethtool -C "$vif" rx-usecs $v rx-frames 8 tx-usecs $v tx-frames 8 2> /dev/null
	done
	out=$(xt_domu_wait 1) || { failed="round $r: $out"; break; }
	shown=$(ethtool -c "$vif" | awk '$1 == "rx-usecs:" {print $2}')
	dbg=/sys/kernel/debug/xen-coalesce/xen_netback/$vif-q0
	if ! out=$(has_params "$shown" 8 "$shown" 8 "$(cat "$dbg")"); then
		failed="round $r ($n writes): ethtool -c shows $shown/8, in force: $(echo $out)"
		break
	fi
done
xt_check "$RECONNECTS reconnects with the vif's values changing meanwhile: ethtool -c shows what is in force" \
	test -z "$failed"
[ -n "$failed" ] && xt_info "$failed"

# ---- the vif configured while the guest connects ---------------------------
xt_domus_destroy_all
failed=
for r in $(seq 1 $ROUNDS); do
	out=$(xt_domu_start 1 project 1 2>&1) || { failed="round $r: xl create failed: $out"; break; }
	[ -n "$out" ] && printf '%s\n' "$out" >&2 # a retried create's notes
	# Write while the backend comes up: before, during and after connect.
	# The new domain's vif, never one of a domain still being torn down.
	v=$((r * 100)) vif=vif$(xt_domid 1).0
	for _ in $(seq 1 100); do
		ethtool -C "$vif" rx-usecs $v rx-frames 8 tx-usecs $v tx-frames 8 2> /dev/null
		[ "$(cat "/sys/class/net/$vif/operstate" 2> /dev/null)" = up ] && break
		sleep 0.1
	done
	ethtool -C "$vif" rx-usecs $v rx-frames 8 tx-usecs $v tx-frames 8 2> /dev/null
	out=$(xt_domu_wait 1) || { failed="round $r: $out"; break; }
	dbg=/sys/kernel/debug/xen-coalesce/xen_netback/$vif-q0
	if ! out=$(has_params $v 8 $v 8 "$(cat "$dbg")"); then
		failed="round $r: ethtool -C set $v/8, in force: $(echo $out)"
		break
	fi
	xt_domus_destroy_all
done
xt_check "$ROUNDS connects with the vif configured meanwhile: ethtool's values in force" test -z "$failed"
[ -n "$failed" ] && xt_info "$failed"
xt_domus_destroy_all
pkill -f 'iperf3 -s -D -B 169.254.100.1 -p 52'
xt_done
