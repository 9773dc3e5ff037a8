#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs the tests /xt/tests.list names, in order, each under a time limit
# (a "# XT-TIMEOUT: secs" line in the test, default 600), and frames their
# output for the host: XT-TEST-BEGIN/END around each test's TAP, every line
# prefixed "XT| ", and each result file as base64 between XT-FILE markers.
# Last, a check of the whole dom0 kernel log.
export PATH=/usr/lib/xen-4.17/bin:/usr/sbin:/usr/bin:/sbin:/bin

emit_files() { # emit_files TEST: the files the test left in /xt/results/TEST
	local f

	[ -d "/xt/results/$1" ] || return 0
	find "/xt/results/$1" -type f | sort | while read -r f; do
		echo "XT-FILE ${f#/xt/results/}"
		base64 -w 76 "$f"
		echo "XT-FILE-END"
	done
}

# kernel_log_check: no WARN, BUG or Oops in dom0's kernel log, naming the
# test that was running (the runner marks each start in the log). Faults
# of user-space programs ("traps:") are told, not counted: not the kernel's.
kernel_log_check() {
	local bad user

	echo "TAP version 13"
	dmesg | awk '/xt-runner: begin /{t=$NF} {print "during " t ": " $0}' > /run/xt/dmesg
	user=$(grep -E 'traps:|segfault at' /run/xt/dmesg)
	bad=$(grep -vE 'traps:|segfault at' /run/xt/dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|Call Trace')
	if [ -z "$bad" ]; then
		echo "ok 1 - no WARN, BUG or Oops in the dom0 kernel log"
	else
		echo "not ok 1 - no WARN, BUG or Oops in the dom0 kernel log"
		echo "$bad" | head -20 | sed 's/^/# /'
	fi
	[ -n "$user" ] && echo "$user" | head -5 | sed 's/^/# note: a user-space fault, not a kernel problem: /'
	echo "1..1"
	[ -z "$bad" ]
}

run_one() { # run_one NAME CMD...
	local name=$1 rc
	shift
	echo "XT-TEST-BEGIN $name"
	echo "xt-runner: begin $name" > /dev/kmsg
	"$@" 2>&1 | sed -u 's/^/XT| /'
	rc=${PIPESTATUS[0]}
	echo "XT-TEST-END $name rc=$rc"
	emit_files "$name"
}

while read -r t; do
	[ -n "$t" ] || continue
	limit=$(sed -n 's/^# XT-TIMEOUT: *\([0-9]*\)$/\1/p' "/xt/tests/$t.sh")
	mkdir -p "/xt/results/$t"
	export XT_TEST=$t
	run_one "$t" timeout -k 10 "${limit:-600}" bash "/xt/tests/$t.sh"
done < /xt/tests.list
run_one dom0_kernel_log kernel_log_check
