#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A vif's queues one by one (project netback, a stock guest with 2 vCPUs,
# so 2 queues):
#  - ethtool -S: 14 coalescing counters for each of the 2 queues, each
#    queue's as its debugfs file counts them;
#  - ethtool --per-queue: each queue shows the vif's values; a queue given
#    its own has them in force (its debugfs file) while the other queue
#    and the vif's own values (ethtool -c) stay; a queue the vif lacks,
#    values the engine refuses, and any value while a latency class is
#    set are refused with nothing changed; the vif's next change (ethtool
#    -C) is every queue's again.
# XT-TIMEOUT: 600
. /xt/xt-lib.sh

xt_check "dom0: the project's netback" xt_netback project
xt_check "domu1 (stock netfront, 2 vCPUs) answers" xt_domu_up 1 stock 2
vif=vif$(xt_domid 1).0
dbg=/sys/kernel/debug/xen-coalesce/xen_netback/$vif
same() { [ "$1" = "$2" ] || { echo "expected '$2', seen '$1'"; return 1; }; }
nq=$(ls -d /sys/class/net/"$vif"/queues/tx-* | wc -l)
xt_check "the vif has 2 queues" same "$nq" 2

# ---- ethtool -S, per queue ---------------------------------------------------
timeout 20 iperf3 -c "$(xt_ip 1)" -P 4 -t 3 > /dev/null 2>&1 &
bulk=$!
sleep 1
for q in 0 1; do
	stats=$(ethtool -S "$vif"; echo --; cat "$dbg-q$q"; echo --; ethtool -S "$vif")
	xt_check "ethtool -S $vif: 14 coalescing counters for each of 2 queues, queue $q's as debugfs counts them" \
		xt_ethtool_coal_matches "$q" 2 <<< "$stats"
done
wait $bulk

# ---- ethtool --per-queue -----------------------------------------------------
# queue Q: "rx-usecs rx-frames tx-usecs tx-frames" of queue Q as ethtool shows it
queue() {
	ethtool --per-queue "$vif" queue_mask $((1 << $1)) --show-coalesce |
		awk '$1 == "rx-usecs:" {a = $2} $1 == "rx-frames:" {b = $2}
			$1 == "tx-usecs:" {c = $2} $1 == "tx-frames:" {d = $2} END {print a, b, c, d}'
}
# in_force Q: the same, from queue Q's points (debugfs)
in_force() {
	awk '$1 == "tx:" && $2 == "usecs" {a = $3; b = $5} $1 == "rx:" && $2 == "usecs" {c = $3; d = $5}
		END {print a, b, c, d}' "$dbg-q$1"
}
vif_values() {
	ethtool -c "$vif" | awk '$1 == "rx-usecs:" {a = $2} $1 == "rx-frames:" {b = $2}
		$1 == "tx-usecs:" {c = $2} $1 == "tx-frames:" {d = $2} END {print a, b, c, d}'
}
ethtool -C "$vif" rx-usecs 100 rx-frames 8 tx-usecs 200 tx-frames 16
xt_check "each queue shows the vif's values (100 8 200 16)" \
	same "$(queue 0) / $(queue 1)" "100 8 200 16 / 100 8 200 16"
ethtool --per-queue "$vif" queue_mask 0x2 --coalesce rx-usecs 50 rx-frames 4 tx-usecs 400 tx-frames 32
xt_check "queue 1 given 50 4 400 32: it shows them" same "$(queue 1)" "50 4 400 32"
xt_check "... and has them in force (its debugfs file)" same "$(in_force 1)" "50 4 400 32"
xt_check "... queue 0 keeps the vif's, in force" same "$(queue 0) / $(in_force 0)" "100 8 200 16 / 100 8 200 16"
xt_check "... and ethtool -c still shows the vif's own" same "$(vif_values)" "100 8 200 16"
# refused WANT CMD...: the kernel refused (ethtool says it could not set:
# its exit status does not say so for --per-queue) and the queues show and
# have in force WANT.
refused() {
	local want=$1 out

	shift
	out=$("$@" 2>&1)
	grep -q "Cannot set device per queue parameters" <<< "$out" || { echo "accepted: $*: $out"; return 1; }
	same "$(queue 0) / $(queue 1) / $(in_force 0) / $(in_force 1)" "$want"
}
kept="100 8 200 16 / 50 4 400 32 / 100 8 200 16 / 50 4 400 32"
xt_check "a queue the vif does not have (queue 2) is refused" \
	bash -c "ethtool --per-queue $vif queue_mask 0x4 --coalesce tx-usecs 300 2>&1 | grep -q 'Cannot get device per queue parameters'"
xt_check "values the engine refuses (rx-usecs 10001) are refused, nothing changed" \
	refused "$kept" ethtool --per-queue "$vif" queue_mask 0x2 --coalesce rx-usecs 10001
xt_check "both queues at once, one value refused: neither changes" \
	refused "$kept" ethtool --per-queue "$vif" queue_mask 0x3 --coalesce tx-frames 257
echo B > "/sys/class/net/$vif/xen_coalesce/class"
b=$(in_force 0)
xt_check "while class B is set, a queue's values are refused, the class's kept ($b)" \
	refused "$(queue 0) / $(queue 1) / $b / $(in_force 1)" ethtool --per-queue "$vif" queue_mask 0x1 --coalesce tx-usecs 300
echo none > "/sys/class/net/$vif/xen_coalesce/class"
ethtool -C "$vif" rx-usecs 300 rx-frames 4 tx-usecs 300 tx-frames 4
xt_check "the vif's next change is every queue's again (300 4 300 4)" \
	same "$(in_force 0) / $(in_force 1)" "300 4 300 4 / 300 4 300 4"
ethtool -C "$vif" rx-usecs 0 rx-frames 0 tx-usecs 0 tx-frames 0
xt_check "the guest answers after" xt_domu_wait 1
xt_done
