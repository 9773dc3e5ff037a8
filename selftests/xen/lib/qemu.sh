# SPDX-License-Identifier: GPL-2.0
# Boot Xen with the dom0 kernel and initramfs under QEMU's software
# emulation, with no network leaving the machine, and keep the serial log.
# Sourced by run.sh.

# xt_qemu SERIAL: QEMU with Xen, the dom0 kernel and initramfs, the serial
# console as SERIAL (stdio, or mon:stdio for a person at the keyboard).
# -cpu Nehalem: no AVX, XSAVE, PCID or SMAP. With -cpu max (and with
# max,-avx) dom0 user space saw corrupted state under TCG now and then
# (xl faulting in libc, xl's XZ decompression failing, "malloc(): unsorted
# double linked list corrupted" in test tools); an older model keeps to the
# instructions TCG has emulated longest. (smap=0 stays for models with
# SMAP: without it a PV dom0 crashes at its first page fault under TCG.)
# PV guests only: PVH/HVM need emulated SVM.
# dom0_mem 1280M: with 1024M dom0's initramfs (rootfs, domU images,
# modules: ~290 MB) no longer unpacked ("Initramfs unpacking failed:
# write error") once the NIC modules joined it. XT_DOM0_MEM overrides it:
# the DKMS root (make xen-test-dkms: dkms, headers and a compiler, ~450 MB)
# boots with 2048M.
# rcu_cpu_stall_timeout=300, watchdog_thresh=60 (their maxima): the stall
# and soft-lockup detectors' limits (21 s, 20 s) are made for hardware; a
# busy host starves the emulated CPUs for longer than that ("rcu_preempt
# kthread starved for 6404 jiffies", CPU idle, "false positive?"), while a
# real lockup still shows within five minutes.
# Two e1000e NICs on one QEMU hub, and nothing else on it: dom0's physical
# NIC and, in a network namespace, the remote host it talks to. Their
# traffic never leaves QEMU.
XT_KERNEL_EMULATED="rcupdate.rcu_cpu_stall_timeout=300 watchdog_thresh=60"
xt_qemu() {
	qemu-system-x86_64 \
		-machine q35 -accel tcg -cpu Nehalem -smp 2 -m 3072 \
		-display none -monitor none -serial "$1" -no-reboot -nic none \
		-netdev hubport,id=wire0,hubid=0 -device e1000e,netdev=wire0,mac=52:54:00:00:c0:01 \
		-netdev hubport,id=wire1,hubid=0 -device e1000e,netdev=wire1,mac=52:54:00:00:c0:02 \
		-kernel "$XT_CACHE/xen" \
		-append "console=com1 com1=115200,8n1 dom0_mem=${XT_DOM0_MEM:-1280M},max:${XT_DOM0_MEM:-1280M} dom0_max_vcpus=2 loglvl=all guest_loglvl=all noreboot smap=0" \
		-initrd "$XT_BOOT/vmlinuz console=hvc0 earlyprintk=xen rdinit=/init quiet $XT_KERNEL_EMULATED,$XT_WORK/dom0.cpio"
}

# xt_boot LOG TIMEOUT: boot, log the serial console with timestamps, stop
# at XT-DONE, a Xen or dom0 crash, or TIMEOUT seconds. Returns 0 when the
# runner finished, 2 on a crash, 3 on a timeout.
xt_boot() {
	local log=$1 tmo=$2 rc qpid

	coproc XT_QEMU { exec timeout -k 5 "$tmo" bash -c "$(declare -f xt_qemu); XT_KERNEL_EMULATED='$XT_KERNEL_EMULATED' XT_CACHE='$XT_CACHE' XT_BOOT='$XT_BOOT' XT_WORK='$XT_WORK' XT_DOM0_MEM='${XT_DOM0_MEM:-}' xt_qemu stdio" < /dev/null 2>&1; }
	qpid=$XT_QEMU_PID
	# The serial log, and on stderr what runs now: each test as it begins,
	# a long test's own progress lines, each failed check at once.
	perl -MTime::HiRes=time -ne 'BEGIN { $| = 1; $s = time }
		s/\r//g; printf("[%8.2f] %s", time - $s, $_);
		my $p;
		$p = "dom0 is up" if /XT-DOM0-READY/;
		$p = "$1 begins" if /XT-TEST-BEGIN (\S+)/;
		$p = "  $1" if /XT\| # progress: (.*)/ || /XT\| (not ok .*)/;
		printf(STDERR "# [%4d s] %s\n", time - $s, $p) if defined $p;
		if (/XT-DONE/) { $done = 1; exit 0 }
		exit 2 if /Dom0 crashed|Kernel panic|\(XEN\) Panic/;
		END { $? = 3 unless $done || $? == 2 }' <&"${XT_QEMU[0]}" > "$log"
	rc=$?
	# The reader is done: QEMU goes too (timeout passes the signal on;
	# the pattern catches a QEMU whose timeout is gone).
	kill "$qpid" 2> /dev/null
	wait "$qpid" 2> /dev/null
	pkill -f "$XT_WORK/dom0.cpio" 2> /dev/null
	return "$rc"
}
