#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs the tests /xt/tests.list names, in order, each under a time limit
# (a "# XT-TIMEOUT: secs" line in the test, default 600), and frames their
# output for the host: XT-TEST-BEGIN/END around each test's TAP, every line
# prefixed "XT| ", and each result file as base64 between XT-FILE markers.
# Last, a check of the whole dom0 kernel log and of every guest's.
PATH=$(echo /usr/lib/xen-4.*/bin):/usr/sbin:/usr/bin:/sbin:/bin
export PATH
. /xt/kernel-log.sh
# What the host passed on (run.sh: the bench's repetitions and scenarios).
[ -f /xt/env ] && . /xt/env

emit_files() { # emit_files TEST: the files the test left in /xt/results/TEST
	local f

	[ -d "/xt/results/$1" ] || return 0
	find "/xt/results/$1" -type f | sort | while read -r f; do
		echo "XT-FILE ${f#/xt/results/}"
		base64 -w 76 "$f"
		echo "XT-FILE-END"
	done
}

# tap_clean N NAME FINDINGS LINES: result N, passed when FINDINGS is empty;
# otherwise its first LINES lines as diagnostics.
tap_clean() {
	if [ -z "$3" ]; then
		echo "ok $1 - $2"
	else
		echo "not ok $1 - $2"
		echo "$3" | head -"$4" | sed 's/^/# /'
	fi
}

# kernel_log_check: no kernel problem (kernel-log.sh says which) in dom0's
# kernel log, naming the test that was running (the runner marks each start
# in the log), and, on the debug kernel, nothing kmemleak reports. Faults of
# user-space programs ("traps:") are told, not counted: not the kernel's.
kernel_log_check() {
	local bad user leaks

	echo "TAP version 13"
	dmesg | awk '/xt-runner: begin /{t=$NF} {print "during " t ": " $0}' > /run/xt/dmesg
	cp /run/xt/dmesg /xt/results/dom0_kernel_log/dmesg.txt
	user=$(grep -E 'traps:|segfault at' /run/xt/dmesg)
	bad=$(grep -vE 'traps:|segfault at' /run/xt/dmesg | xt_kernel_bad)
	tap_clean 1 "no WARN, BUG, Oops or checker report in the dom0 kernel log" "$bad" 20
	[ -n "$user" ] && echo "$user" | head -5 | sed 's/^/# note: a user-space fault, not a kernel problem: /'
	if [ -e /xt/debug-kernel ]; then
		leaks=$(xt_kmemleak_report)
		tap_clean 2 "kmemleak: nothing unreferenced in dom0 after two forced scans" "$leaks" 40
		echo "1..2"
	else
		echo "1..1"
	fi
	[ -z "$bad" ] && [ -z "$leaks" ]
}

# guest_log_check: no kernel problem in any guest's console (the guests'
# kernels log WARN and the checkers' reports there) nor in a guest's
# kmemleak report taken before it was destroyed.
guest_log_check() {
	local log name bad

	echo "TAP version 13"
	for log in /var/log/xen/console/guest-*.log; do
		[ -e "$log" ] || continue
		name=${log##*/guest-} name=${name%.log}
		{ printf "\n=== %s started by %s, at the end\n" "$name" \
			"$(cat "/run/xt/guest-logs/test-$name" 2> /dev/null || echo adhoc)"
		  cat "$log"; } >> /run/xt/guest-logs/all.log
	done
	touch /run/xt/guest-logs/all.log
	cp /run/xt/guest-logs/all.log /xt/results/guest_kernel_logs/guest-consoles.log
	bad=$(awk '/^=== /{t=$0; next} {print t ": " $0}' /run/xt/guest-logs/all.log | xt_kernel_bad)
	awk '/^=== /{t=$0; next} {print t ": " $0}' /run/xt/guest-logs/all.log | xt_kernel_upstream |
		grep 'known upstream:' | sed 's/^/# not ours: /'
	tap_clean 1 "no WARN, BUG, Oops or checker report in $(grep -c '^=== ' /run/xt/guest-logs/all.log) guest logs" "$bad" 20
	echo "1..1"
	[ -z "$bad" ]
}

# destroy_left NAME: destroy the domUs test NAME left behind (one stopped
# by its time limit never reaches its own cleanup), so that the next test
# starts with none instead of failing to create its own; told as a note.
destroy_left() {
	local d left=''

	for d in $(xl list 2> /dev/null | awk 'NR > 2 {print $1}'); do
		xl destroy "$d" 2> /dev/null
		left+=" $d"
	done
	[ -z "$left" ] || echo "XT| # note: domains left by $1, destroyed:$left"
}

# hang_report NAME: test NAME ran out of its time limit; what dom0's CPUs
# and its blocked tasks were doing then (sysrq l and w), as diagnostics,
# so that a hang names its place without a second run.
hang_report() {
	local mark="xt-runner: $1 hit its time limit"

	echo "$mark" > /dev/kmsg
	echo l > /proc/sysrq-trigger
	echo w > /proc/sysrq-trigger
	sleep 1
	echo "XT| # note: $1 hit its time limit; dom0's CPUs and blocked tasks:"
	dmesg | sed -n "/$mark/,\$p" | grep -v "^\[[ 0-9.]*\] *$" | head -300 | sed 's/^/XT| # /'
}

run_one() { # run_one NAME CMD...
	local name=$1 rc
	shift
	echo "XT-TEST-BEGIN $name"
	echo "xt-runner: begin $name" > /dev/kmsg
	"$@" 2>&1 | sed -u 's/^/XT| /'
	rc=${PIPESTATUS[0]}
	[ "$rc" = 124 ] && hang_report "$name"
	destroy_left "$name"
	echo "XT-TEST-END $name rc=$rc"
	emit_files "$name"
}

mkdir -p /run/xt/guest-logs
# netstamp_needed_key on for good: its switching (a ping's start and end)
# patches the receive path under running softirqs (see tstamp-hold.c).
/xt/bin/tstamp-hold &
# Only what the tests leave counts: boot's own allocations are not theirs.
[ -w /sys/kernel/debug/kmemleak ] && echo clear > /sys/kernel/debug/kmemleak
while read -r t; do
	[ -n "$t" ] || continue
	limit=$(sed -n 's/^# XT-TIMEOUT: *\([0-9]*\)$/\1/p' "/xt/tests/$t.sh")
	# make bench's limit follows the work it planned (repetitions, scenarios).
	[ "$t" = bench ] && [ -n "${XT_BENCH_LIMIT:-}" ] && limit=$XT_BENCH_LIMIT
	# The debug kernel (lockdep, kmemleak) runs the same work about three
	# times slower under TCG: coalesce_protocol ran out of its 600 s there.
	[ -e /xt/debug-kernel ] && limit=$((${limit:-600} * 3))
	mkdir -p "/xt/results/$t"
	export XT_TEST=$t
	run_one "$t" timeout -k 10 "${limit:-600}" bash "/xt/tests/$t.sh"
done < /xt/tests.list
mkdir -p /xt/results/guest_kernel_logs /xt/results/dom0_kernel_log
run_one dom0_kernel_log kernel_log_check
run_one guest_kernel_logs guest_log_check
