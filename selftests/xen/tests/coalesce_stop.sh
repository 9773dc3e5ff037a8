#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A backend that goes away while its guest is still connected first sends
# the event it owes (project netback; the guest runs the project's
# netfront). Every other stop the tests reach follows the peer letting go
# of the rings, where a dropped event wakes nobody; this is the one where
# the guest is there to miss it.
#
# One trial (dom0/rx-stop.c): a fresh guest; the vif's deliveries wait up
# to 10 ms / 256 slots; frames go straight into the vif every half
# millisecond (their IP checksum is wrong: the guest drops them, nothing
# answers), while the backend device is unbound from netback: the queue
# stops with frames delivered since the last deadline, and only the event
# sent as the point stops tells the guest of them. Then the guest's RX ring
# (its netfront's debugfs, reported on its console: the network is gone)
# must show every response consumed (rsp_cons reaching rsp_prod) within
# 20 s. 5 trials, none stranded, each with frames delivered.
# XT-TIMEOUT: 900
. /xt/xt-lib.sh

TRIALS=5
gdbg=/sys/kernel/debug/xen-coalesce/xen_netfront/vif0-q0
xt_check "dom0: the project's netback" xt_netback project

console=/var/log/xen/console/guest-domu1.log
# ring_after LINE: the guest's last RX ring report after console line LINE:
# "rsp_prod rsp_cons", or "".
ring_after() {
	tail -n +"$(($1 + 1))" "$console" 2> /dev/null |
		sed -n 's/^rx: ring req_prod [0-9]* rsp_prod \([0-9]*\) rsp_cons \([0-9]*\) .*/\1 \2/p' | tail -1
}
# consumed_after LINE SECS: a report after LINE with every response
# consumed, within SECS s.
consumed_after() {
	local end=$(($(date +%s) + $2)) r

	while [ "$(date +%s)" -lt $end ]; do
		r=$(ring_after "$1")
		[ -n "$r" ] && [ "${r% *}" = "${r#* }" ] && return 0
		sleep 0.2
	done
	return 1
}
# trial: prints the outcome ("consumed" or "stranded"), what was delivered
# and left, the details; or "error: ...".
trial() {
	local vif dev mac r before after line

	xt_domu_destroy 1
	xt_domu_up 1 project 1 > /dev/null || { echo "error: domu1 did not answer"; return 1; }
	vif=vif$(xt_domid 1).0 dev=vif-$(xt_domid 1)-0
	mac=$(xenstore-read "/local/domain/0/backend/vif/$(xt_domid 1)/0/mac")
	ethtool -C "$vif" tx-usecs 10000 tx-frames 256 || { echo "error: ethtool -C $vif"; return 1; }
	# The guest reports its RX ring on its console every 0.2 s for 60 s.
	xt_domu_exec 1 "(i=0; while [ \$i -lt 300 ]; do grep '^rx: ring' $gdbg; sleep 0.2; i=\$((i + 1)); done) \
		< /dev/null > /dev/hvc0 2>&1 &" > /dev/null
	line=$(wc -l < "$console")
	consumed_after "$line" 30 || { echo "error: the guest's console does not report its ring"; return 1; }
	before=$(ring_after "$line")
	r=$(/xt/bin/rx-stop "$vif" "$mac" "$dev" 2>&1) || { echo "error: $r"; return 1; }
	line=$(wc -l < "$console")
	if consumed_after "$line" 20; then r="consumed $r"; else r="stranded $r"; fi
	after=$(ring_after "$line")
	[ -n "$after" ] || { echo "error: no ring report from the guest after the unbind"; return 1; }
	# What netback delivered during the trial, and what the guest left.
	echo "${r%% *} delivered $((${after% *} - ${before% *})) unconsumed $((${after% *} - ${after#* }))" \
		"(rsp_prod/rsp_cons ${before/ //} -> ${after/ //}) ${r#* }"
}

declare -A outcome
err='' delivered=''
for t in $(seq $TRIALS); do
	xt_progress "trial $t of $TRIALS"
	r=$(trial)
	xt_info "trial $t: $r"
	[ "${r%% *}" = error: ] && { err="trial $t: ${r#error: }"; break; }
	outcome[${r%% *}]=$((${outcome[${r%% *}]:-0} + 1))
	d=$(sed -n 's/^[a-z]* delivered \([0-9-]*\) .*/\1/p' <<< "$r")
	[ "${d:-0}" -gt 0 ] || delivered+=" $t"
done
xt_check "a backend unbound under a connected guest sends the event it owes: of $TRIALS trials, all consumed ${outcome[consumed]:-0}, stranded ${outcome[stranded]:-0}${err:+; $err}" \
	test -z "$err" -a "${outcome[consumed]:-0}" = $TRIALS
xt_check "every trial delivered frames to the guest's ring (not vacuous)${delivered:+; none in trial$delivered}" \
	test -z "$err" -a -z "$delivered"
xt_check "the guest's kernel log is clean" xt_kernel_log_clean domu1 "$(cat "$console" 2> /dev/null)"
xt_domus_destroy_all
xt_check "a guest connects to netback after the unbinds" xt_domu_up 1 project 1
xt_domus_destroy_all
xt_done
