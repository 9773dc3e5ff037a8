#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# netdev-genl's per-queue statistics on the vif (Linux 6.9 and later:
# Debian 13's host; patch 0024 of patches/6.12), read by dom0/qstats.c:
#  - the stock netback gives none (qstats-get: EOPNOTSUPP);
#  - the project's, for a guest with 2 vCPUs (2 queues): packets and bytes
#    for each RX and TX queue; their sums are the vif's own totals
#    (/sys/class/net/VIF/statistics, the same counters added up) on a
#    quiet vif; a ping stream to the guest moves the TX queues' packets
#    (to the guest) and the RX queues' (its replies) by at least its count.
# XT-MIN-KERNEL: 6.9
# XT-TIMEOUT: 600
. /xt/xt-lib.sh

kv=$(uname -r | cut -d- -f1)
if [ "$(printf '%s\n' 6.9 "$kv" | sort -V | head -1)" != 6.9 ]; then
	xt_skip "netdev-genl per-queue statistics" "Linux $kv has none (6.9 and later)"
	xt_done
fi
xt_check "dom0: the stock netback" xt_netback stock
xt_check "domu1 (stock netfront, 1 vCPU) answers" xt_domu_up 1 stock 1
stock_out=$(/xt/bin/qstats "vif$(xt_domid 1).0" 2>&1)
stock_rc=$?
refused() { [ "$stock_rc" = 2 ] && grep -q 'no per-queue statistics' <<< "$stock_out"; }
xt_check "the stock vif has no per-queue statistics (qstats exits $stock_rc: $stock_out)" refused
xt_domus_destroy_all

xt_check "dom0: the project's netback" xt_netback project
xt_check "domu1 (project netfront, 2 vCPUs) answers" xt_domu_up 1 project 2
vif=vif$(xt_domid 1).0
q=$(/xt/bin/qstats "$vif")
xt_check "qstats $vif: packets and bytes for RX and TX queues 0 and 1 ($(echo $q))" \
	test "$(awk '$3 == "packets" && $5 == "bytes" { print $1, $2 }' <<< "$q" | sort | paste -sd ' ')" = \
		"rx 0 rx 1 tx 0 tx 1"

# sums: "rx_packets rx_bytes tx_packets tx_bytes" added up over the queues
sums() {
	awk '{ p[$1] += $4; b[$1] += $6 } END { print p["rx"] + 0, b["rx"] + 0, p["tx"] + 0, b["tx"] + 0 }' <<< "$1"
}
totals() {
	local s=/sys/class/net/$vif/statistics

	echo "$(cat $s/rx_packets) $(cat $s/rx_bytes) $(cat $s/tx_packets) $(cat $s/tx_bytes)"
}
# The queues' sums equal the vif's totals read around them (a stray frame
# between the reads changes the totals: read again, a few times at most).
sums_are_totals() {
	local a b s _

	for _ in 1 2 3 4 5; do
		a=$(totals) s=$(sums "$(/xt/bin/qstats "$vif")") b=$(totals)
		[ "$a" = "$b" ] && { [ "$s" = "$a" ] && return 0; echo "queues $s, vif $a"; return 1; }
	done
	echo "the vif never stayed quiet for a reading ($a, then $b)"
	return 1
}
xt_check "the queues' packets and bytes add up to the vif's totals" sums_are_totals

read -r rp0 _ tp0 _ <<< "$(sums "$(/xt/bin/qstats "$vif")")"
ping -q -c 50 -i 0.02 "$(xt_ip 1)" > /dev/null
read -r rp1 _ tp1 _ <<< "$(sums "$(/xt/bin/qstats "$vif")")"
xt_check "50 pings to the guest: its TX queues' packets moved by >= 50 ($((tp1 - tp0)))" \
	test $((tp1 - tp0)) -ge 50
xt_check "... and its RX queues' (the replies) by >= 50 ($((rp1 - rp0)))" \
	test $((rp1 - rp0)) -ge 50
xt_check "the queues' sums still the vif's totals after" sums_are_totals
xt_done
