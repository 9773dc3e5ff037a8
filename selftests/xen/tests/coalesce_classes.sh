#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Latency classes put in force on real Xen (project netback and netfront):
#  - A: nothing waits at the vif nor in the guest; B: the budget split
#    (NIC a quarter, each end the rest, the guest's transmit path <= 100 us);
#    C: the ceiling everywhere (the guest follows, so it frees sent packets
#    from their sockets); none: ethtool's and the frontend_*
#    values again. Read back with ethtool -c on the vif and in the guest,
#    and in debugfs;
#  - while a class is set, ethtool -C on the vif and frontend_* writes are
#    refused (EBUSY) with nothing changed; a bad budget is refused;
#  - UDP streams to the guest: every wait a class B point schedules (from
#    the engine's exact record, in ns) is within that point's share of
#    the budget, at a low and a moderate rate; class A schedules none;
#    class C none beyond the ceiling (the timer's lateness is reported
#    apart, not folded into the bound);
#  - bulk TCP (iperf3, 2 streams) to and from the guest, class A and class
#    C in up to 15 interleaved pairs (the order alternates; they stop once
#    the sign test decides the asserted median below, after 5 at the
#    least): notifications and
#    wake-ups (with the timers' expiries) per MB of both domains, and the
#    pairwise ratios C / A, reported against the 5x goal (the ratio depends
#    on the emulated rate: hardware rates are the simulator's question);
#    asserted, at any rate: every class C point's deadline fires at most
#    once per 4 ms window, the data points defer in every run, and the
#    median pairwise throughput ratio C / A from the guest is >= 0.8 by
#    the sign test (xt_sign_verdict; undecided after 15 pairs is a skip: a
#    guest whose TCP stalls on C's long completions falls far below); to
#    the guest it is reported (the guest's ACKs wait C's send deadline).
# XT-TIMEOUT: 1800
. /xt/xt-lib.sh

xt_check "dom0: the project's netback" xt_netback project
xt_check "domu1 (project netfront) answers" xt_domu_up 1 project 1
ip=$(xt_ip 1) vif=vif$(xt_domid 1).0
sys=/sys/class/net/$vif/xen_coalesce
dbg=/sys/kernel/debug/xen-coalesce/xen_netback/$vif-q0

same() { [ "$1" = "$2" ] || { echo "expected '$2', seen '$1'"; return 1; }; }
vif_coal() { # rx-usecs rx-frames tx-usecs tx-frames of the vif
	ethtool -c "$vif" | awk '$1 ~ /^(rx|tx)-(usecs|frames):$/ {print $2}' | paste -sd ' '
}
guest_becomes() { xt_guest_becomes 1 "$1"; }

xt_check "no class by default" same "$(cat $sys/class) $(cat $sys/budget_us)" "none 100"
ethtool -C "$vif" rx-usecs 300 rx-frames 4 tx-usecs 300 tx-frames 4
xt_check "ethtool's own values without a class (300 4 300 4)" same "$(vif_coal)" "300 4 300 4"

echo A > $sys/class
xt_check "A: nothing waits at the vif (0 0 0 0)" same "$(vif_coal)" "0 0 0 0"
xt_check "A: nothing waits in the guest (0 0 0 0)" guest_becomes "0 0 0 0"
xt_check "A: debugfs names the class" grep -q "^class: A budget_us 100" "$dbg"
out=$(ethtool -C "$vif" tx-usecs 50 2>&1)
xt_check "A: ethtool -C on the vif refused as busy, unchanged" \
	bash -c "grep -qi 'busy' <<< '$out' && [ '$(vif_coal)' = '0 0 0 0' ]"
out=$(bash -c "echo 50 > $sys/frontend_tx_usecs" 2>&1)
xt_check "A: frontend_tx_usecs refused as busy" grep -qi 'busy' <<< "$out"

echo B > $sys/class
xt_check "B, 100 us: the vif's completions 75/64, deliveries 75/64" same "$(vif_coal)" "75 64 75 64"
xt_check "B, 100 us: the guest's refills 75/64, sends 75/64" guest_becomes "75 64 75 64"
xt_check "B, 100 us: debugfs shows each layer's share" \
	grep -q "^plan: nic_usecs 25 deliver 75/64 complete 75/64 front_tx 75/64 front_rx 75/64" "$dbg"
echo 1000 > $sys/budget_us
xt_check "B, 1000 us: completions capped at 100, deliveries 750" same "$(vif_coal)" "100 64 750 64"
xt_check "B, 1000 us: the guest's refills 750, sends capped at 100" guest_becomes "750 64 100 64"
out=$(bash -c "echo 0 > $sys/budget_us" 2>&1)
xt_check "B: budget 0 refused, the plan unchanged" \
	bash -c "grep -q 'Invalid argument' <<< '$out' && [ \$(cat $sys/budget_us) = 1000 ] && [ '$(vif_coal)' = '100 64 750 64' ]"

echo C > $sys/class
xt_check "the guest follows the backend" same "$(cat $sys/frontend_follows)" yes
xt_check "C: deliveries and completions at the ceiling (4000/64)" same "$(vif_coal)" "4000 64 4000 64"
xt_check "C: the guest's refills and sends at the ceiling (4000/64)" guest_becomes "4000 64 4000 64"
echo none > $sys/class
xt_check "none: ethtool's values again (300 4 300 4)" same "$(vif_coal)" "300 4 300 4"
xt_check "none: the guest gets the frontend_* values (0 0 0 0)" guest_becomes "0 0 0 0"

# ---- every class keeps its promise, exactly ---------------------------------
# The engine records every wait it schedules (first deferred frame to the
# latest its timer may fire) and, apart, how late the timer then ran: the
# longest scheduled wait since the parameters changed is exact, in ns. A
# class B point never schedules more than its share of the budget, class A
# schedules nothing, class C at most the ceiling. The lateness (TCG wakes
# emulated vCPUs late) is reported, never folded into the bound.
BUDGET=1100
gdbg=/sys/kernel/debug/xen-coalesce/xen_netfront/vif0-q0
# sched FILE-TEXT POINT: "max_ns count" of that point's scheduled waits.
sched() {
	awk -v p="$2:" '$1 == p && $2 == "scheduled_max_ns" { m = $3 }
		$1 == p && $2 == "scheduled_wait_us" { for (i = 3; i <= NF; i++) c += $i }
		END { print m + 0, c + 0 }' <<< "$1"
}
# share PLAN-KEY: that layer's usecs in the vif's plan line ("deliver 825/64").
share() { sed -n "s/^plan: .* $1 \([0-9]*\)\/[0-9]*.*/\1/p" "$dbg"; }
hist() { awk -v k="$1" '$1 == "rx:" && $2 == k' "$dbg"; }
# stream CLASS RATE: a one-way UDP stream of 64-byte packets to the guest,
# 4 s; then for each of the four points "name max_ns count_delta".
stream() {
	local v0 g0 v1 g1

	v0=$(cat "$dbg") g0=$(xt_domu_exec 1 "cat $gdbg")
	timeout 30 iperf3 -u -c "$ip" -b $(($2 * 64 * 8)) -l 64 -t 4 > /dev/null 2>&1
	v1=$(cat "$dbg") g1=$(xt_domu_exec 1 "cat $gdbg")
	for pt in "deliver rx v" "complete tx v" "front_rx rx g" "front_tx tx g"; do
		set -- $pt
		local before after
		if [ "$3" = v ]; then before=$(sched "$v0" "$2") after=$(sched "$v1" "$2")
		else before=$(sched "$g0" "$2") after=$(sched "$g1" "$2"); fi
		echo "$1 ${after% *} $((${after#* } - ${before#* }))"
	done
}
echo "$BUDGET" > $sys/budget_us
echo B > $sys/class
guest_becomes "$(share front_rx) 64 $(share front_tx) 64" > /dev/null
for rate in 100 500; do
	l0=$(hist timer_late_us)
	res=$(stream B $rate)
	ql=$(xt_hist_p99 "$l0" "$(hist timer_late_us)")
	xt_info "class B, budget $BUDGET us, $rate packets/s: $(echo $res); deliveries' timer lateness p99 bucket ${ql} us"
	while read -r layer max n; do
		limit=$(($(share "$layer") * 1000))
		xt_check "class B, $rate packets/s, $layer: every scheduled wait <= its share $limit ns (longest $max ns, $n scheduled)" \
			test "$max" -le "$limit"
	done <<< "$res"
	# The deliveries wait for every packet of a slow stream (the guest's
	# refills only when 6.1's netback asks, with a packet waiting).
	xt_check "class B, $rate packets/s: the deliveries scheduled waits (not vacuous)" \
		test "$(awk '$1 == "deliver" {print $3}' <<< "$res")" -gt 0
done
echo A > $sys/class
guest_becomes "0 0 0 0" > /dev/null
res=$(stream A 500)
xt_check "class A, 500 packets/s: no point scheduled any wait ($(echo $res))" \
	test "$(awk '{ n += $3 } END { print n + 0 }' <<< "$res")" = 0
echo C > $sys/class
guest_becomes "4000 64 4000 64" > /dev/null
res=$(stream C 500)
while read -r layer max n; do
	xt_check "class C, 500 packets/s, $layer: scheduled waits <= the ceiling 4000000 ns (longest $max ns, $n scheduled)" \
		test "$max" -le 4000000
done <<< "$res"
xt_check "class C: the deliveries scheduled waits (not vacuous)" \
	test "$(awk '$1 == "deliver" {print $3}' <<< "$res")" -gt 0
echo none > $sys/class

# ---- class C against class A: bulk TCP ---------------------------------------
# How many fewer notifications class C sends than class A depends on the
# rate the emulated machine reaches (a deadline every 4 ms is one event per
# window whatever the rate, and a window carries at most a ring of data):
# the ratio against the 5x goal is measured and reported, in interleaved
# pairs, and hardware rates are the simulator's question. What is asserted
# holds at any rate: a class C point's deadline fires at most once per
# window (expiries <= elapsed / 4 ms + 1), the data points did defer, and C
# sends bulk data as fast as A in the same pair (median of the pairwise
# throughput ratios, by the sign test).
PAIRS=15
pt_counts() { # FILE-TEXT POINT: "deferred expiries sent blocked"
	awk -v p="$2:" '$1 == p && $2 == "frames" { for (i = 2; i < NF; i += 2) v[$i] = $(i + 1) }
		END { print v["deferred"] + 0, v["expiries"] + 0, v["sent"] + 0, v["blocked"] + 0 }' <<< "$1"
}
per_mb() { # iperf3 ARGS...: "notifications wake-ups Mbit/s", per MB, of one bulk run
	local s0 s1 mbps

	s0=$(xt_snapshot 1)
	mbps=$(xt_iperf3 "classes-bulk-$RANDOM" "$ip" -t 3 -P 2 "$@")
	sleep 1
	s1=$(xt_snapshot 1)
	xt_delta "$s0" "$s1" | jq -r --arg mbps "${mbps:-0}" '(.bytes / 1048576) as $mb |
		[(.dom0_notifications + .domu_notifications), .wakeups] |
		map(. / $mb * 100 | round / 100) + [$mbps] | join(" ")'
}
# record CLASS DIR "notifications wake-ups Mbit/s"
record() {
	local n w m

	read -r n w m <<< "$3"
	runs[$1-$2]+=" $n" wakes[$1-$2]+=" $w" tputs[$1-$2]+=" $m"
}
# c_run DIR IPERF-ARGS...: one class C bulk run; checks every point's
# deadline bound and that DIR's data point deferred.
c_run() {
	local dir=$1 v0 g0 v1 g1 t0 t1 ms pt name before after
	shift
	v0=$(cat "$dbg") g0=$(xt_domu_exec 1 "cat $gdbg") t0=$(date +%s%N)
	record C "$dir" "$(per_mb "$@")"
	t1=$(date +%s%N) v1=$(cat "$dbg") g1=$(xt_domu_exec 1 "cat $gdbg")
	ms=$(((t1 - t0) / 1000000))
	for pt in "deliver rx v" "complete tx v" "front_rx rx g" "front_tx tx g"; do
		read -r name p side <<< "$pt"
		if [ "$side" = v ]; then before=$(pt_counts "$v0" "$p") after=$(pt_counts "$v1" "$p")
		else before=$(pt_counts "$g0" "$p") after=$(pt_counts "$g1" "$p"); fi
		read -r d0 e0 s0 b0 <<< "$before"
		read -r d1 e1 s1 b1 <<< "$after"
		deltas[$dir-$name]+=" $((d1 - d0))/$((e1 - e0))/$((s1 - s0))/$((b1 - b0))"
		[ $((e1 - e0)) -le $((ms * 1000 / 3995 + 1)) ] ||
			bound_fail+=" $dir/$name: $((e1 - e0)) expiries in $ms ms;"
	done
}
a_run() { # DIR IPERF-ARGS...: one class A bulk run
	local dir=$1
	shift
	record A "$dir" "$(per_mb "$@")"
}
class_a() { echo A > $sys/class && guest_becomes '0 0 0 0' > /dev/null; }
class_c() { echo C > $sys/class && guest_becomes '4000 64 4000 64' > /dev/null; }
declare -A runs wakes tputs deltas
bound_fail=''
# pairwise X Y: the ratios of the words of Y to those of X, one per pair
pairwise() {
	paste -d' ' <(tr ' ' '\n' <<< "$1" | grep .) <(tr ' ' '\n' <<< "$2" | grep .) |
		awk '{ printf "%s ", ($1 > 0 ? sprintf("%.2f", $2 / $1) : "inf") }'
}
for rep in $(seq $PAIRS); do
	xt_progress "bulk pair $rep of $PAIRS"
	if [ $((rep % 2)) = 1 ]; then
		class_a; a_run to; a_run from -R
		class_c; c_run to; c_run from -R
	else
		class_c; c_run to; c_run from -R
		class_a; a_run to; a_run from -R
	fi
	# The one median asserted (C / A from the guest), once the sign test
	# decides it either way.
	# shellcheck disable=SC2046 # the ratios are words
	[ "$(xt_sign_verdict 0.8 $(pairwise "${tputs[A-from]}" "${tputs[C-from]}"))" != undecided ] && break
done
echo none > $sys/class
for dir in to from; do
	# shellcheck disable=SC2086 # the ratios are words
	pn=$(pairwise "${runs[A-$dir]}" "${runs[C-$dir]}") pw=$(pairwise "${wakes[A-$dir]}" "${wakes[C-$dir]}")
	pm=$(pairwise "${tputs[A-$dir]}" "${tputs[C-$dir]}")
	# shellcheck disable=SC2086
	mn=$(xt_median $pn) mw=$(xt_median $pw) mt=$(xt_median $pm)
	xt_info "bulk $dir the guest, Mbit/s: A${tputs[A-$dir]}; C${tputs[C-$dir]}; C / A by pair: $pm(median $mt)"
	xt_info "bulk $dir the guest, notifications per MB: A${runs[A-$dir]}; C${runs[C-$dir]}; C / A by pair: $pn(median $mn; the goal, 5x fewer: <= 0.20)"
	xt_info "bulk $dir the guest, wake-ups per MB: A${wakes[A-$dir]}; C${wakes[C-$dir]}; C / A by pair: $pw(median $mw)"
	for name in deliver complete front_rx front_tx; do
		xt_info "class C, bulk $dir the guest, $name: deferred/expiries/sent/blocked per run:${deltas[$dir-$name]}"
	done
	# From the guest, the throughput class moves bulk data as fast as
	# class A (within TCG's noise, as coalesce_blocked's 0.8): a guest
	# whose TCP stalls on C's long completions (small queues) falls far
	# below. To the guest, the guest's ACKs wait C's send deadline (plus
	# TCG's timer lateness), which at the rates a busy host reaches costs
	# throughput (0.51x A on one): reported, a question for the class's
	# ACK path. Per MB, C's notifications depend on the rate TCG reaches
	# (a deadline is an event per window, however few MB it carries):
	# reported.
	# shellcheck disable=SC2086
	[ "$dir" = from ] &&
		xt_check_sign xt_check_speed "class C, bulk TCP from the guest: throughput C / A, the median of $rep pairs >= 0.8 by the sign test" \
			0.8 above $pm
	printf '{"dir": "%s", "A_per_mb": [%s], "C_per_mb": [%s], "A_wakeups_per_mb": [%s], "C_wakeups_per_mb": [%s], "A_mbps": [%s], "C_mbps": [%s]}\n' "$dir" \
		"$(echo ${runs[A-$dir]} | tr ' ' ',')" "$(echo ${runs[C-$dir]} | tr ' ' ',')" \
		"$(echo ${wakes[A-$dir]} | tr ' ' ',')" "$(echo ${wakes[C-$dir]} | tr ' ' ',')" \
		"$(echo ${tputs[A-$dir]} | tr ' ' ',')" "$(echo ${tputs[C-$dir]} | tr ' ' ',')" >> "$XT_RESULTS/bulk.json"
done
xt_check "class C, bulk TCP: every point's deadline fired at most once per 4 ms window ($((rep * 8)) point-runs)" \
	test -z "$bound_fail"
[ -n "$bound_fail" ] && xt_info "over the bound:$bound_fail"
deferred() { # DIR NAME: every run of that point deferred
	local r

	for r in ${deltas[$1-$2]}; do [ "${r%%/*}" -gt 0 ] || return 1; done
}
xt_check "class C, bulk TCP to the guest: the deliveries deferred in every run (${deltas[to-deliver]})" \
	deferred to deliver
xt_check "class C, bulk TCP from the guest: the guest's sends deferred in every run (${deltas[from-front_tx]})" \
	deferred from front_tx
xt_check "the guest's kernel log is clean" xt_kernel_log_clean domu1 "$(xt_domu_exec 1 dmesg)"
xt_domus_destroy_all
xt_done
