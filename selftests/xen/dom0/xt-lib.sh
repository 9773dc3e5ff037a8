# SPDX-License-Identifier: GPL-2.0
# Helpers for the tests that run in dom0: TAP output, the choice of netback,
# domUs (start, wait, run a command in, destroy) and metrics as JSON.
# Sourced by every test in /xt/tests/.
PATH=$(echo /usr/lib/xen-4.*/bin):/usr/sbin:/usr/bin:/sbin:/bin
export PATH
XT_VERSION=$(cat /xt/version)
XT_RESULTS=/xt/results/${XT_TEST:-adhoc}
mkdir -p "$XT_RESULTS" /run/xt /run/xt/guest-logs
. /xt/kernel-log.sh
. /xt/xt-stats.sh

# ---- TAP ------------------------------------------------------------------
xt_n=0 xt_failed=0 xt_skipped=0
echo "TAP version 13"

# xt_result 0|1 NAME [DIAGNOSTIC...]: one result; diagnostics on failure.
xt_result() {
	local rc=$1 name=$2

	shift 2
	xt_n=$((xt_n + 1))
	if [ "$rc" = 0 ]; then
		echo "ok $xt_n - $name"
	else
		xt_failed=$((xt_failed + 1))
		echo "not ok $xt_n - $name"
		[ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/# /'
	fi
	return "$rc"
}

# xt_check NAME CMD...: passes when CMD succeeds; its output explains a failure.
# A shell function as CMD runs inside, where name, out and rc are
# xt_check's own: a test's globals of those names are hidden from it.
xt_check() {
	local name=$1 out rc

	shift
	out=$("$@" 2>&1)
	rc=$?
	[ $rc = 0 ] && xt_result 0 "$name" || xt_result 1 "$name" "$out"
}

xt_skip() { # xt_skip NAME WHY
	xt_n=$((xt_n + 1)) xt_skipped=$((xt_skipped + 1))
	echo "ok $xt_n - $1 # SKIP $2"
}

# xt_check_speed NAME CMD...: a throughput compared with a reference in the
# same boot. Asserted on Debian's kernel; on the debug kernel, whose
# checkers (lockdep, kmemleak's scans) slow each domain by their own varying
# factor, a SKIP that keeps the figures NAME carries: that tier is there
# for the checkers' reports (testing.rst).
xt_check_speed() {
	if [ -e /xt/debug-kernel ]; then
		xt_skip "$1" "the debug kernel: throughput is asserted on Debian's kernel"
	else
		xt_check "$@"
	fi
}

xt_info() { printf '%s\n' "$*" | sed 's/^/# /'; }
# xt_progress TEXT: what a long test is doing now; run.sh shows it on the
# terminal as it happens (the TAP output comes at the end).
xt_progress() { echo "# progress: $*"; }

# xt_done: the plan, and kselftest's exit codes (0 pass, 1 fail, 4 skip).
xt_done() {
	echo "1..$xt_n"
	[ $xt_failed -gt 0 ] && exit 1
	[ $xt_n -gt 0 ] && [ $xt_skipped = $xt_n ] && exit 4
	exit 0
}

# ---- netback -------------------------------------------------------------
# xt_netback stock|project: make that xen-netback the running one. Reloading
# destroys every domU first: a backend module with devices cannot go.
xt_netback() {
	local want=$1 have=none

	if [ -d /sys/module/xen_netback ]; then
		have=stock
		[ "$(cat /sys/module/xen_netback/version 2>/dev/null)" = "$XT_VERSION" ] && have=project
	fi
	[ "$have" = "$want" ] && return 0
	xt_domus_destroy_all
	if [ "$have" != none ]; then
		rmmod xen-netback || { echo "rmmod xen-netback failed"; return 1; }
	fi
	case "$want" in
	stock) modprobe xen-netback ;;
	project)
		[ -d /sys/module/xen_coalesce ] || insmod /xt/project/xen-coalesce.ko || return 1
		insmod /xt/project/xen-netback.ko ;;
	*) echo "xt_netback: stock or project, not '$want'"; return 1 ;;
	esac
}

# ---- domUs ---------------------------------------------------------------
# domU N is "domuN" at 169.254.100.(10+N), MAC 00:16:3e:00:00:0N.
xt_ip() { echo "169.254.100.$((10 + $1))"; }
xt_domid() { xl domid "domu$1" 2>/dev/null; }

# xt_emulated_args: the detectors' limits for an emulated CPU that dom0
# was booted with (see lib/qemu.sh), for the guests too.
xt_emulated_args() {
	tr ' ' '\n' < /proc/cmdline | grep -E '^(rcupdate.rcu_cpu_stall_timeout|watchdog_thresh)=' | paste -sd ' '
}

# xt_domu_start N stock|project|none [VCPUS]: create domU N with that
# netfront (XT_DOMU_MEM MiB, default 256; XT_DOMU_VIFS vifs, default 1:
# vif K > 0 is the guest's ethK, MAC 00:16:3e:0K:00:0N, with no address).
# The vifs join xenbr0 through the harness's own hotplug script (vif-xt):
# Xen's vif-bridge took about 15 s of each xl create and 6 s of each
# destroy under TCG, vif-xt 8 and 3.
xt_domu_start() {
	local id=$1 nf=$2 vcpus=${3:-2} cfg=/run/xt/domu$1.cfg k vifs

	vifs="'mac=00:16:3e:00:00:0$id,bridge=xenbr0,script=/xt/vif-xt'"
	for k in $(seq 1 $((${XT_DOMU_VIFS:-1} - 1))); do
		vifs+=", 'mac=00:16:3e:0$k:00:0$id,bridge=xenbr0,script=/xt/vif-xt'"
	done

	cat > "$cfg" <<EOC
name = "domu$id"
type = "pv"
kernel = "/xt/vmlinux"
ramdisk = "/xt/domu.cpio.gz"
extra = "console=hvc0 rdinit=/init quiet $(xt_emulated_args) xt.netfront=$nf xt.ip=$(xt_ip "$id")"
memory = ${XT_DOMU_MEM:-256}
vcpus = $vcpus
vif = [ $vifs ]
on_crash = "preserve"
EOC
	xt_guest_log_keep "$id"
	xt_xl_create "$cfg"
}

# xt_xl_create CFG: xl create, once more when libxl gave up on a backend.
# libxl waits 10 s (LIBXL_INIT_TIMEOUT, not tunable) for a new backend to
# reach InitWait; an emulated dom0 busy with the last domain's teardown can
# miss that. The retry is told on stderr with what dom0 was doing then,
# so that a backend of ours that is slow to probe stays visible.
xt_xl_create() {
	local out start

	start=$(date +%s)
	out=$(xl create -q "$1" 2>&1) && return 0
	case $out in
	*"unable to add device"*) ;;
	*) printf '%s\n' "$out" >&2; return 1 ;;
	esac
	{ printf '%s\n' "xl create failed after $(($(date +%s) - start)) s, retrying once:" "$out"
	  xt_dom0_stuck; } | sed 's/^/# note: /' >&2
	xl create -q "$1"
}

# xt_dom0_stuck: dom0's tasks in uninterruptible sleep (xenwatch among them
# would explain a slow backend) with their kernel stacks, and its last
# kernel messages.
xt_dom0_stuck() {
	local t

	for t in /proc/[0-9]*; do
		grep -q '^State:[[:space:]]*D' "$t/status" 2> /dev/null || continue
		echo "D: $(cat "$t/comm" 2> /dev/null) (${t#/proc/})"
		sed 's/^/   /' "$t/stack" 2> /dev/null
	done
	echo "dom0 kernel log (last lines):"
	dmesg | tail -8
}

# xt_domu_diagnose N: what a failed wait should say about domU N.
xt_domu_diagnose() {
	local id=$1 domid be

	domid=$(xt_domid "$id")
	echo "xl list: $(xl list | awk -v n="domu$id" '$1 == n' | tr -s ' ')"
	if [ -n "$domid" ]; then
		be=/local/domain/0/backend/vif/$domid/0
		echo "backend state $(xenstore-read "$be/state" 2>&1), frontend state $(xenstore-read "/local/domain/$domid/device/vif/0/state" 2>&1) (4 = connected)"
	fi
	echo "bridge ports: $(ls /sys/class/net/xenbr0/brif 2> /dev/null | tr '\n' ' ')"
	echo "domU console (last lines):"
	tail -5 "/var/log/xen/console/guest-domu$id.log" 2>/dev/null
	echo "dom0 kernel log (last lines):"
	dmesg | tail -5
}

# xt_domu_wait N [SECS]: wait (300 s unless told: a boot on a busy machine
# is slow, and only a guest that is stuck uses it up) until domU N answers
# ping and its exec service; on timeout explain why and fail.
xt_domu_wait() {
	local id=$1 secs=${2:-300} ip end

	ip=$(xt_ip "$id")
	end=$(($(date +%s) + secs))
	while [ "$(date +%s)" -lt $end ]; do
		if ping -c1 -W1 "$ip" > /dev/null 2>&1 &&
		   xt_domu_exec "$id" true > /dev/null 2>&1; then
			return 0
		fi
		sleep 0.5
	done
	echo "domu$id ($ip) did not answer within ${secs}s"
	xt_domu_diagnose "$id"
	return 1
}

# xt_domu_up N NETFRONT [VCPUS]: start and wait.
xt_domu_up() {
	xt_domu_start "$@" && xt_domu_wait "$1"
}

# xt_domu_exec N CMD: run the shell command CMD in domU N; prints its output
# and returns its exit status (255 when the domU did not answer).
xt_domu_exec() {
	local out rc

	out=$(timeout 120 busybox wget -qO- --post-data "$2" "http://$(xt_ip "$1")/cgi-bin/exec" 2>&1) ||
		{ echo "domu$1: exec did not answer: $out"; return 255; }
	rc=$(printf '%s\n' "$out" | sed -n 's/^XT-EXIT \([0-9]*\)$/\1/p' | tail -1)
	printf '%s\n' "$out" | sed '$d'
	return "${rc:-255}"
}

# xt_guest_coal N: "rx-usecs rx-frames tx-usecs tx-frames" of domU N's eth0.
xt_guest_coal() {
	xt_domu_exec "$1" "timeout 10 ethtool -c eth0" |
		awk '$1 ~ /^(rx|tx)-(usecs|frames):$/ {print $2}' | paste -sd ' '
}

# xt_becomes WANT CMD...: wait (20 s at most) until CMD prints WANT.
xt_becomes() {
	local want=$1 now

	shift
	for _ in $(seq 40); do
		now=$("$@")
		[ "$now" = "$want" ] && return 0
		sleep 0.5
	done
	echo "$* stayed at '$now', expected '$want'"
	return 1
}

# xt_guest_becomes N VALUES: wait (20 s at most) until domU N's eth0 has
# VALUES, as xt_guest_coal prints them.
xt_guest_becomes() { xt_becomes "$2" xt_guest_coal "$1"; }

# xt_vif_class N CLASS [BUDGET_US]: domU N's vif in latency class CLASS
# (none, A, B, C; B with BUDGET_US, 100 unless told), its guest following
# the plan's values (the frontend_* values for none); prints the plan.
xt_vif_class() {
	local vif sys want plan

	vif=vif$(xt_domid "$1").0
	sys=/sys/class/net/$vif/xen_coalesce
	[ "$2" = B ] && { echo "${3:-100}" > "$sys/budget_us" || return 1; }
	echo "$2" > "$sys/class" || return 1
	plan=$(sed -n 's/^plan: //p' "/sys/kernel/debug/xen-coalesce/xen_netback/$vif-q0")
	if [ "$2" = none ]; then
		want="$(cat "$sys/frontend_rx_usecs" "$sys/frontend_rx_frames" "$sys/frontend_tx_usecs" "$sys/frontend_tx_frames" | paste -sd ' ')"
	else
		want=$(awk '{ for (i = 1; i < NF; i++) if ($i == "front_rx") r = $(i + 1); else if ($i == "front_tx") t = $(i + 1)
			      split(r, a, "/"); split(t, b, "/"); print a[1], a[2], b[1], b[2] }' <<< "$plan")
	fi
	xt_guest_becomes "$1" "$want" || return 1
	echo "${plan:-none}"
}

# xt_stock_and_ours REP BOOT STOCK OURS: one repetition of a comparison
# interleaved with stock: "BOOT stock" then "STOCK REP", and "BOOT project"
# then "OURS REP", stock first in odd repetitions and last in even ones. A
# failed boot is added to $failed and its block skipped.
xt_stock_and_ours() {
	local b blocks="stock project"

	[ $(($1 % 2)) = 0 ] && blocks="project stock"
	for b in $blocks; do
		"$2" $b || { failed+=" rep $1: $b did not boot;"; continue; }
		if [ $b = stock ]; then "$3" "$1"; else "$4" "$1"; fi
	done
}

# xt_guest_log_keep N: keep domU N's console log (the runner checks every
# guest kernel log at the end), labelled with the test that started that
# guest, and start the next one afresh for the current test.
xt_guest_log_keep() {
	local log=/var/log/xen/console/guest-domu$1.log label=/run/xt/guest-logs/test-domu$1

	if [ -s "$log" ]; then
		{ printf "\n=== domu%s started by %s\n" "$1" "$(cat "$label" 2> /dev/null || echo adhoc)"
		  cat "$log"; } >> /run/xt/guest-logs/all.log
		rm -f "$log"
	fi
	echo "${XT_TEST:-adhoc}" > "$label"
}

# xt_guest_leaks N: on the debug kernel, domU N's kmemleak report, kept
# with its console log; a guest that no longer answers is skipped.
xt_guest_leaks() {
	[ -e /xt/debug-kernel ] || return 0
	xt_domu_exec "$1" ". /xt/kernel-log.sh && xt_kmemleak_report" \
		> /run/xt/guest-leaks.txt 2> /dev/null || return 0
	[ -s /run/xt/guest-leaks.txt ] || return 0
	{ printf "\n=== domu%s kmemleak during %s\n" "$1" "${XT_TEST:-adhoc}"; cat /run/xt/guest-leaks.txt; } \
		>> /run/xt/guest-logs/all.log
}

xt_domu_destroy() {
	xt_guest_leaks "$1"
	xl destroy "domu$1" 2> /dev/null
}

xt_domus_destroy_all() {
	local d

	for d in $(xl list | awk 'NR > 2 {print $1}'); do
		xt_guest_leaks "${d#domu}"
		xl destroy "$d"
	done
}

# xt_kernel_log_clean WHERE LOG: no kernel problem in the kernel log text.
xt_kernel_log_clean() {
	local bad

	bad=$(printf '%s\n' "$2" | xt_kernel_bad)
	[ -z "$bad" ] || { echo "$1: $bad"; return 1; }
}

# ---- metrics -------------------------------------------------------------
# The metrics' parsers, awk functions shared by the helpers below:
# irqs(LINE, RE): a /proc/interrupts line's event channel, when its name
#	matches RE, as '"name":count' (the count summed over CPUs), or "";
# add(LIST, ITEM): a comma-separated list with ITEM added when not "";
# expiries(LINE): the coalescing timers' expiries in a line of a
#	xen-coalesce debugfs file (all of its points);
# busy(LINE): the busy time in a "cpu" line of /proc/stat (user, nice,
#	system, irq, softirq), in USER_HZ ticks: 10 ms, ten times finer than
#	xl list's CPU seconds.
XT_METRICS_AWK='
function irqs(line, re,   f, n, i, s) {
	n = split(line, f, " ")
	if (f[n] !~ re) return ""
	for (i = 2; i <= n && f[i] ~ /^[0-9]+$/; i++) s += f[i]
	return sprintf("\"%s\":%d", f[n], s)
}
function add(list, item) { return item == "" ? list : list (list == "" ? "" : ",") item }
function expiries(line,   f, n, i, s) {
	n = split(line, f, " ")
	for (i = 2; i < n; i++) if (f[i] == "expiries") s += f[i + 1]
	return s
}
function busy(line,   f) { split(line, f, " "); return f[2] + f[3] + f[4] + f[7] + f[8] }
'

# Interrupts per event channel, from /proc/interrupts text on stdin, for the
# channels whose name matches REGEX: JSON {"name": count, ...}.
xt_irq_json() {
	awk -v re="$1" "$XT_METRICS_AWK"'{ l = add(l, irqs($0, re)) } END { print "{" l "}" }'
}

# xt_snapshot N: event-channel interrupts in dom0 (vifD.*) and in domU N,
# the coalescing timers' expiries on both sides, the backend's xenbus
# counters, the vif's packet counts, CPU seconds of every domain: one JSON
# object.
xt_snapshot() {
	local id=$1 domid

	domid=$(xt_domid "$id")
	# One awk over the guest's answer (stdin) and dom0's files, no jq:
	# under TCG each process costs a few hundred ms, jq's start a second.
	{ xt_domu_exec "$id" 'cat /proc/interrupts; head -1 /proc/stat; echo XT-EXPIRIES; cat /sys/kernel/debug/xen-coalesce/xen_netfront/*-q* 2> /dev/null'
	  echo XT-XL; xl list; } |
	awk -v d="$domid" -v dbg="$(echo /sys/kernel/debug/xen-coalesce/xen_netback/vif"$domid".*-q*)" "$XT_METRICS_AWK"'
	function num(file,   v) {	# a counter file, null when it is missing
		v = ""
		if ((getline v < file) <= 0) v = "null"
		close(file)
		return v
	}
	BEGIN { part = "guest"; gbusy = 0; dbusy = 0 }
	$0 == "XT-EXPIRIES" { part = "gexp"; next }
	$0 == "XT-XL" { part = "xl"; next }
	part == "guest" && $1 == "cpu" { gbusy = busy($0); next }
	part == "guest" { gi = add(gi, irqs($0, "^(vif|eth)")); next }
	part == "gexp" { gexp += expiries($0); next }
	part == "xl" && FNR > 1 && $1 != "Name" { xl = add(xl, sprintf("\"%s\":%s", $1, $NF)) }
	END {
		while ((getline line < "/proc/interrupts") > 0) di = add(di, irqs(line, "^vif" d "\\."))
		n = split(dbg, files, " ")
		for (i = 1; i <= n; i++) {
			while ((getline line < files[i]) > 0) dexp += expiries(line)
			close(files[i])
		}
		getline line < "/proc/stat"
		dbusy = busy(line)
		xb = "/sys/bus/xen-backend/devices/vif-" d "-0/xenbus/"
		st = "/sys/class/net/vif" d ".0/statistics/"
		printf "{\"dom0_irqs\":{%s},\"domu_irqs\":{%s},\"dom0_expiries\":%d,\"domu_expiries\":%d,", di, gi, dexp, gexp
		printf "\"busy_ticks\":{\"dom0\":%d,\"domu\":%d},", dbusy, gbusy
		printf "\"xenbus\":{\"events\":%s,\"spurious_events\":%s,\"jiffies_eoi_delayed\":%s},", \
			num(xb "events"), num(xb "spurious_events"), num(xb "jiffies_eoi_delayed")
		printf "\"vif\":{\"rx_packets\":%s,\"tx_packets\":%s,\"rx_bytes\":%s,\"tx_bytes\":%s},", \
			num(st "rx_packets"), num(st "tx_packets"), num(st "rx_bytes"), num(st "tx_bytes")
		printf "\"cpu_s\":{%s}}\n", xl
	}'
}

# xt_save NAME: stdin into the test's results (copied back to the host).
xt_save() {
	cat > "$XT_RESULTS/$1"
}

# xt_iperf3 NAME IP ARGS...: iperf3 -J against IP, saved as NAME.json;
# prints the receiver's Mbit/s.
xt_iperf3() {
	local name=$1 ip=$2

	shift 2
	timeout 120 iperf3 -J -c "$ip" "$@" > "$XT_RESULTS/$name.json" || return 1
	# .end.sum_received.bits_per_second, without jq's second of start-up
	# under TCG: iperf3 writes one key a line, sum_received once.
	awk '/"sum_received":/ { f = 1 } f && /"bits_per_second":/ { printf "%d\n", $2 / 1e6; exit }' \
		"$XT_RESULTS/$name.json"
}

# xt_sockperf NAME IP ARGS...: sockperf ping-pong (full round trips) against
# the domU at IP, its report saved as NAME.txt; prints "p50 p99" in us.
xt_sockperf() {
	local name=$1 ip=$2 f

	shift 2
	f=$XT_RESULTS/$name.txt
	timeout 120 sockperf ping-pong -i "$ip" --full-rtt "$@" > "$f" 2>&1 || return 1
	awk '/percentile 50.000 =/ {p50 = $NF} /percentile 99.000 =/ {p99 = $NF}
	     END { if (p50 == "" || p99 == "") exit 1; print p50, p99 }' "$f"
}

# xt_delta BEFORE AFTER: what changed between two xt_snapshot objects:
# notifications each side received, the coalescing timers' expiries, the
# wake-ups (both: every interrupt and timer the traffic cost), packets and
# bytes the vif moved, CPU seconds per domain (xl list, 0.1 s) and the busy
# seconds of dom0 and the domU from their /proc/stat (10 ms).
xt_delta() {
	jq -n --argjson a "$1" --argjson b "$2" '
		def total(o): [o[]] | add // 0;
		(total($b.dom0_irqs) - total($a.dom0_irqs)) as $n0 |
		(total($b.domu_irqs) - total($a.domu_irqs)) as $nu |
		(($b.dom0_expiries + $b.domu_expiries) - ($a.dom0_expiries + $a.domu_expiries)) as $exp |
		{dom0_notifications: $n0, domu_notifications: $nu,
		 timer_expiries: $exp, wakeups: ($n0 + $nu + $exp),
		 packets: (($b.vif.rx_packets + $b.vif.tx_packets) - ($a.vif.rx_packets + $a.vif.tx_packets)),
		 bytes: (($b.vif.rx_bytes + $b.vif.tx_bytes) - ($a.vif.rx_bytes + $a.vif.tx_bytes)),
		 spurious_events: (if $a.xenbus.spurious_events == null then null
			else $b.xenbus.spurious_events - $a.xenbus.spurious_events end),
		 xenbus_events: (if $a.xenbus.events == null then null
			else $b.xenbus.events - $a.xenbus.events end),
		 jiffies_eoi_delayed: (if $a.xenbus.jiffies_eoi_delayed == null then null
			else $b.xenbus.jiffies_eoi_delayed - $a.xenbus.jiffies_eoi_delayed end),
		 cpu_s: ($b.cpu_s | with_entries(.value -= ($a.cpu_s[.key] // 0))),
		 busy_s: {dom0: (($b.busy_ticks.dom0 - $a.busy_ticks.dom0) / 100),
			  domu: (($b.busy_ticks.domu - $a.busy_ticks.domu) / 100)}}'
}

# xt_ethtool_coal_matches QUEUE NQUEUES: on stdin, "ethtool -S DEV", a line
# "--", the queue's coalescing debugfs file, "--", "ethtool -S DEV" again,
# read in that order. ethtool -S names 14 coalescing counters per queue
# for NQUEUES queues, and each of queue QUEUE's lies between its two
# readings' values for what debugfs said in between (traffic may move
# them); the queue moved frames (not vacuous).
xt_ethtool_coal_matches() {
	awk -v q="q$1_coal_" -v nq="$2" '
	BEGIN { part = 0 }
	$0 == "--" { part++; next }
	part != 1 && $1 ~ /^q[0-9]+_coal_/ {
		if (part == 0) all++
		if (index($1, q) != 1) next
		k = substr($1, length(q) + 1); sub(/:$/, "", k); v[part, k] = $2; next
	}
	part == 1 && ($1 == "tx:" || $1 == "rx:") && $2 == "frames" {
		p = substr($1, 1, 2)
		for (i = 2; i < NF; i += 2) { d[p "_" $i] = $(i + 1); n++ }
	}
	END {
		if (all != 14 * nq) { printf "%d coalescing counters, not 14 x %d queues\n", all, nq; bad = 1 }
		if (n != 14) { printf "debugfs gave %d counters, not 14\n", n; bad = 1 }
		for (k in d) {
			if (!((0, k) in v) || !((2, k) in v)) { print "ethtool -S has no " q k; bad = 1; continue }
			if (v[0, k] + 0 > d[k] + 0 || d[k] + 0 > v[2, k] + 0) {
				printf "%s%s: ethtool %s then %s, debugfs %s between\n", q, k, v[0, k], v[2, k], d[k]; bad = 1
			}
		}
		if (d["tx_frames"] + d["rx_frames"] == 0) { print "the queue moved no frame"; bad = 1 }
		printf "%stx_sent %s, %srx_sent %s\n", q, v[2, "tx_sent"], q, v[2, "rx_sent"]
		exit bad
	}'
}

# xt_frames_per_event PACKETS SECONDS USECS FRAMES: the frames one deferred
# event can gather from a stream received at PACKETS / SECONDS, with a
# deadline of USECS and a threshold of FRAMES: the first frame and those
# within the deadline, at most FRAMES. A check of "events per packet"
# against 1/FRAMES holds only when the stream is fast enough; this is the
# bound the received rate allows (and it is part of the check's name).
xt_frames_per_event() {
	local k=$((1 + $1 * $3 / ($2 * 1000000)))

	echo $((k < $4 ? k : $4))
}
