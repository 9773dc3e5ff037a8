# SPDX-License-Identifier: GPL-2.0
# What counts as a kernel problem in a kernel log, dom0's or a guest's:
# WARN, BUG, Oops, and what the debug-kernel tier's checkers print
# (lockdep, hung tasks, DEBUG_OBJECTS, KFENCE, UBSAN, RCU stalls, soft
# lockups, kmemleak's reports). Sourced by the runner and by xt-lib.sh.
XT_KERNEL_BAD='WARNING:|BUG:|Oops|general protection|Call Trace|INFO: task .* blocked|ODEBUG:|UBSAN:|KFENCE:|soft lockup|rcu.* stall|inconsistent lock state|possible (circular|recursive) lock|unreferenced object'

# xt_kernel_upstream: the log on stdin, with each report of a defect of
# the stock drivers themselves, one the project's patches fix, replaced by
# a line naming it (which XT_KERNEL_BAD does not match). One is known:
# stock 6.1 xen-netfront reads xenstore inside wait_event()'s condition
# when it closes (xennet_bus_close()), which the debug kernel reports as a
# sleep with the task not running, when the backend was not yet closing at
# the first look; patch 0017 fixes it in the project's netfront. Only a
# report from a kernel without xen_coalesce loaded (so with the stock
# netfront) is replaced.
xt_kernel_upstream() {
	awk '
	function flush(i, pre) {
		if (text ~ /do not call blocking ops when !TASK_RUNNING/ &&
		    text ~ /prepare_to_wait_event/ && text ~ /xennet_/ &&
		    mods != "" && mods !~ /xen_coalesce/) {
			pre = blk[1]
			sub(/-+\[ cut here.*/, "", pre)
			print pre "known upstream: stock xen-netfront reads xenstore inside wait_event() (patch 0017 fixes ours)"
			return
		}
		for (i = 1; i <= n; i++)
			print blk[i]
	}
	/-+\[ cut here \]-+/ { inblk = 1; n = 0; text = ""; mods = "" }
	inblk {
		blk[++n] = $0
		text = text " " $0
		if (/Modules linked in:/)
			mods = $0
		if (/---\[ end trace/) {
			flush()
			inblk = 0
		}
		next
	}
	{ print }
	END { if (inblk) { mods = ""; flush() } }'
}

# xt_kernel_bad: the lines of the log on stdin that name a kernel problem.
xt_kernel_bad() {
	xt_kernel_upstream | grep -E "$XT_KERNEL_BAD"
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
