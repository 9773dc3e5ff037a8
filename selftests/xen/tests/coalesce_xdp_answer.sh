#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An XDP set-up never holds the guest's rtnl for ever (project netfront).
# Attaching XDP, netfront switches to Reconfiguring and waits, under rtnl,
# for the backend's Reconfigured. A real netback can lose that answer: on
# a fresh connection it defers its Connected until the hotplug script
# reports, and writes it over the Reconfigured it has just given
# (coalesce_xdp_watch's deadlock). Here dom0 plays the backend of a second
# vif from a script, so each way of not answering happens every time:
#  - a backend that ignores the first Reconfiguring: the attach asks again
#    and succeeds;
#  - a backend that never answers: the attach fails with ETIMEDOUT within
#    its bound, the frontend is Connected again with the xdp-headroom key
#    of no program, the guest's log says why, and rtnl is free after;
#  - a backend that does not answer a detach: the detach goes on without
#    it (it needs nothing of the backend);
#  - a backend that closes during the wait: the attach fails (ENODEV);
#  - the device removed with a program attached and its backend closed:
#    the unregistration's detach does not fail (no WARN), eth1 is gone;
#  - the guest answers afterwards, no hung task.
# The fake backend is xenstore nodes only: nothing maps the guest's rings.
# XT-TIMEOUT: 900
. /xt/xt-lib.sh

xt_check "dom0: the project's netback" xt_netback project
xt_check "domu1 (project netfront) answers" xt_domu_up 1 project 1
d=$(xt_domid 1)
fe=/local/domain/$d/device/vif/1
be=/local/domain/0/xt-fake-backend/vif/$d/1
mode=/run/xt/fake-backend-mode
log=/run/xt/fake-backend.log

# fake_backend: answer the frontend's state changes as $mode says:
# answer (every Reconfiguring), ignore-first (ignore the first
# Reconfiguring, answer the later ones), mute (never answer), close
# (answer Reconfiguring with Closing).
fake_backend() {
	local s ignored=0

	xenstore-watch "$fe/state" | while read -r _; do
		s=$(xenstore-read "$fe/state" 2> /dev/null) || continue
		case $s:$(cat "$mode") in
		4:*)
			[ "$(xenstore-read "$be/state")" = 4 ] ||
				xenstore-write "$be/state" 4 ;;
		7:ignore-first)
			if [ $ignored = 0 ]; then
				ignored=1
				echo "ignored a Reconfiguring"
			else
				xenstore-write "$be/state" 8
				echo "answered a Reconfiguring"
			fi ;;
		7:answer)
			xenstore-write "$be/state" 8
			echo "answered a Reconfiguring" ;;
		7:mute)
			echo "ignored a Reconfiguring" ;;
		7:close)
			xenstore-write "$be/state" 5
			echo "closed" ;;
		esac
	done >> "$log" 2>&1
}

echo ignore-first > "$mode"
: > "$log"
xenstore-write "$be/frontend" "$fe" "$be/frontend-id" "$d" "$be/online" 1 \
	"$be/feature-rx-copy" 1 "$be/feature-xdp-headroom" 1 "$be/state" 2
xenstore-chmod -r "$be" n0 "r$d"
xenstore-write "$fe/backend" "$be" "$fe/backend-id" 0 "$fe/handle" 1 \
	"$fe/mac" 00:16:3e:5a:00:01
xenstore-chmod -r "$fe" "n$d" r0
fake_backend &
watcher=$!
# Written last, owned by the guest as its parent: the guest probes now.
xenstore-write "$fe/state" 1
xenstore-chmod "$fe/state" "n$d" r0
fe_state() { xenstore-read "$fe/state" 2> /dev/null; }
xt_check "the guest's netfront connects to dom0's scripted backend" xt_becomes 4 fe_state
xt_check "the guest has eth1" xt_becomes yes xt_domu_exec 1 "test -d /sys/class/net/eth1 && echo yes"

# attach MODE NAME [WHAT]: the backend in MODE, the guest attaches XDP to
# eth1 and detaches it (WHAT attach or detach: only that) in the
# background; prints xdp-flip's account once it has ended (60 s at most:
# the guest may hold rtnl for ever, so it is polled, not waited on).
attach() {
	local out

	echo "$1" > "$mode"
	xt_domu_exec 1 "(xdp-flip eth1 ${3:-0} > /tmp/$2 2>&1; echo rc=\$? >> /tmp/$2) > /dev/null 2>&1 < /dev/null &" > /dev/null
	for _ in $(seq 60); do
		sleep 1
		out=$(xt_domu_exec 1 "cat /tmp/$2" 2> /dev/null)
		grep -q '^rc=' <<< "$out" && { tr '\n' ' ' <<< "$out"; return; }
	done
	echo "still attaching after 60 s"
}

# ended RC TEXT: xdp-flip's account ($acct) ends with RC and has TEXT.
ended() { grep -q "rc=$1" <<< "$acct" && grep -q "$2" <<< "$acct"; }
# asked N: the backend saw N Reconfiguring at least (and ignored them).
asked() {
	local n

	n=$(grep -c ignored "$log")
	[ "$n" -ge "$1" ] || { echo "the backend saw $n"; return 1; }
}
acct=$(attach ignore-first first)
xt_info "ignore-first: $acct; the backend: $(tr '\n' ';' < "$log")"
xt_check "a backend that ignored the first Reconfiguring: the attach asked again and succeeded" \
	ended 0 "^1"
xt_check "the backend answered the second ask" grep -q answered "$log"
xt_check "the guest still answers ethtool -c (rtnl is free)" xt_domu_exec 1 "ethtool -c eth0"
xenstore-write "$be/state" 4

: > "$log"
acct=$(attach mute mute)
xt_info "mute: $acct; the backend: $(tr '\n' ';' < "$log")"
xt_check "a backend that never answers: the attach fails with ETIMEDOUT" ended 1 "timed out"
xt_check "it asked again and again (the backend saw 2 Reconfiguring at least)" asked 2
headroom() { xenstore-read "$fe/xdp-headroom"; }
xt_check "the frontend reports Connected again" xt_becomes 4 fe_state
xt_check "the xdp-headroom key is back at 0, no program" xt_becomes 0 headroom
says_why() { xt_domu_exec 1 dmesg | grep -q "XDP set-up: the backend is Connected after 10 asks; nothing changed"; }
xt_check "the guest's log says why" says_why
xt_check "the guest still answers ethtool -c (rtnl is free)" xt_domu_exec 1 "ethtool -c eth0"

# A backend keeps Reconfigured after it answers (netback does): a set-up
# that finds it there has nothing to wait for. So each next case starts
# from the backend back at Connected.
be_state() { xenstore-read "$be/state"; }
acct=$(attach answer kept attach)
xt_check "an answering backend: the program stays attached" ended 0 attached
xt_check "the xdp-headroom key is 256 for it" xt_becomes 256 headroom
xt_check "the backend is back at Connected" xt_becomes 4 be_state

: > "$log"
acct=$(attach mute gone detach)
xt_info "mute, detach: $acct; the backend: $(tr '\n' ';' < "$log")"
xt_check "a backend that never answers a detach: the detach goes on" ended 0 detached
xt_check "it asked again and again (the backend saw 2 Reconfiguring at least)" asked 2
detached_why() { xt_domu_exec 1 dmesg | grep -q "XDP set-up: the backend is Connected after 10 asks; detached without its answer"; }
xt_check "the guest's log says the detach went on without an answer" detached_why
xt_check "the frontend reports Connected again" xt_becomes 4 fe_state
xt_check "the xdp-headroom key is 0, no program" xt_becomes 0 headroom

acct=$(attach answer kept2 attach)
xt_check "attached again" ended 0 attached
xt_check "the backend is back at Connected" xt_becomes 4 be_state
acct=$(attach close close)
xt_info "close: $acct"
xt_check "a backend that closes during the wait: the attach fails with ENODEV" ended 1 "No such device"
xt_check "the frontend follows the backend to Closed" xt_becomes 6 fe_state

# The device goes, its program attached and its backend closed: the
# unregistration detaches the program, which must not fail.
xenstore-write "$be/state" 6
sleep 1
kill "$watcher" 2> /dev/null
pkill -f "xenstore-watch $fe/state"
xenstore-rm "$fe" 2> /dev/null
xenstore-rm /local/domain/0/xt-fake-backend
xt_check "the guest removed eth1" xt_becomes gone xt_domu_exec 1 "test -d /sys/class/net/eth1 || echo gone"
xt_check "domu1 answers on eth0 after" xt_domu_wait 1 60
xt_check "the guest's rtnl answers (ethtool -c)" xt_domu_exec 1 "ethtool -c eth0"
no_hung() { ! grep -A3 'blocked for more than' <<< "$1"; }
xt_check "no hung task in the guest (its console)" no_hung "$(cat /var/log/xen/console/guest-domu1.log)"
xt_check "the guest's kernel log is clean" xt_kernel_log_clean domu1 "$(xt_domu_exec 1 dmesg)"
xt_domus_destroy_all
xt_done
