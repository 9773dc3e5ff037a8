# SPDX-License-Identifier: GPL-2.0
# What counts as a kernel problem in a kernel log, dom0's or a guest's:
# WARN, BUG, Oops, and what the debug-kernel tier's checkers print
# (lockdep, hung tasks, DEBUG_OBJECTS, KFENCE, UBSAN, RCU stalls, soft
# lockups, kmemleak's reports). Sourced by the runner and by xt-lib.sh.
XT_KERNEL_BAD='WARNING:|BUG:|Oops|general protection|Call Trace|INFO: task .* blocked|ODEBUG:|UBSAN:|KFENCE:|soft lockup|rcu.* stall|inconsistent lock state|possible (circular|recursive) lock|unreferenced object'

# xt_kernel_bad: the lines of the log on stdin that name a kernel problem.
xt_kernel_bad() {
	grep -E "$XT_KERNEL_BAD"
}

# xt_kmemleak_report: force two scans (kmemleak wants two to be sure) and
# print what it reports; nothing when kmemleak is not in this kernel.
xt_kmemleak_report() {
	local f=/sys/kernel/debug/kmemleak

	[ -w $f ] || return 0
	echo scan > $f
	sleep 1
	echo scan > $f
	cat $f
}
