#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The dom0 controller on real Xen, against two NICs in dom0's bridge: QEMU's
# e1000e (a real driver; its twin on the same QEMU hub, in a network
# namespace, plays the remote host) and netdevsim (the whole coalesce API,
# with a test-only patch that refuses rx-usecs above a limit).
#  - dom0's bridge carries dom0's own address: its NICs are shared, and
#    only ever tightened. Class C on one VIF (its 4 ms ceiling, looser than
#    e1000e's dynamic mode, 250 us, and netdevsim's adaptive mode,
#    nic_adaptive_us): the NICs keep their own values. Class A on another
#    VIF: A's profile at once (nic_usecs_min, never an interrupt per
#    frame); A withdrawn or its VIF destroyed: the NICs' own values back,
#    but only after nic_relax_ms (no flapping);
#  - class B: the NIC gets its quarter of the budget; shares under
#    nic_usecs_min become nic_usecs_min;
#  - a NIC leaving the bridge gets its own settings back, one joining gets
#    the demand; a port without coalesce ops (dummy) is skipped and counted;
#  - a bridge only a class C VIF and netdevsim use (no address): the class
#    decides alone, and the ceiling goes to the NIC; netdevsim refusing
#    rx-usecs above 1022 gets 1022 (the nearest tighter value, found once,
#    remembered, also after the NIC left and joined again, one warning);
#    another port or an address on that bridge makes the NIC shared
#    again: its own values back;
#  - the last class withdrawn: the NICs keep theirs for nic_relax_ms, then
#    get their own back; an administrator's ethtool -C made meanwhile (a
#    managed field and one the controller never touches) is kept;
#  - the last VIF gone, and the modules unloaded: every NIC's own values,
#    read back with ethtool -c; changes reach ethtool --monitor;
#  - traffic from the remote host crosses the e1000e pair to a guest.
# XT-TIMEOUT: 900
. /xt/xt-lib.sh

# The hold: long enough that reading a NIC and debugfs right after a
# looser demand usually ends within it; a read that ends later decides
# nothing (in_hold) and is tried again or reported as skipped.
HOLD_MS=8000
C_USECS=4000	# xen-netback's class_c_usecs default
A_USECS=10	# xen-coalesce's nic_usecs_min default
NSIM_MAX=1022	# the rx-usecs netdevsim is made to refuse above
ctl=/sys/kernel/debug/xen-coalesce/controller
par=/sys/module/xen_coalesce/parameters

same() { [ "$1" = "$2" ] || { echo "expected '$2', seen '$1'"; return 1; }; }
# nic_by_mac MAC: the dom0 interface with that address.
nic_by_mac() { grep -l "^$1$" /sys/class/net/*/address | head -1 | cut -d/ -f5; }
# coal DEV: "rx-usecs/rx-frames/adaptive-rx" as ethtool -c reads them back.
coal() {
	ethtool -c "$1" | awk '/^Adaptive RX:/ {a = $3} /^rx-usecs:/ {u = $2}
		/^rx-frames:/ {f = $2} END {print u "/" f "/" a}'
}
# becomes DEV WANT [SECS]: wait for DEV's coalescing to read WANT.
becomes() {
	local now

	for _ in $(seq $((${3:-10} * 5))); do
		now=$(coal "$1")
		[ "$now" = "$2" ] && return 0
		sleep 0.2
	done
	echo "$1 stayed at $now, expected $2"
	grep . $ctl
	return 1
}
# in_hold T0 CMD...: CMD's status when it finished within the hold that
# began at T0 (date +%s%N); 2 when it finished later and so cannot tell.
in_hold() {
	local t0=$1 rc

	shift
	"$@"
	rc=$?
	[ $((($(date +%s%N) - t0) / 1000000)) -lt $HOLD_MS ] && return $rc
	echo "read after the $HOLD_MS ms hold had run out: undecided"
	return 2
}
# relaxing DEV WANT LINE: DEV reads WANT, and debugfs has a line matching LINE.
relaxing() {
	local now

	now=$(coal "$1")
	[ "$now" = "$2" ] && grep -q "$3" $ctl || { echo "$now"; grep . $ctl; return 1; }
}
# held NAME RC OUT: in_hold's outcome as a result; an undecided one skips.
held() {
	if [ "$2" = 2 ]; then
		xt_skip "$1" "read after the $HOLD_MS ms hold had run out (a busy machine)"
	else
		xt_result "$2" "$1" "$3"
	fi
}
stat_of() { awk -v k="$1" 'NR == 1 {for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}' $ctl; }
class() { echo "$2" > "/sys/class/net/$1/xen_coalesce/class"; }

# ---- the NICs --------------------------------------------------------------
xt_check "dom0: the project's netback" xt_netback project
xt_check "e1000e and netdevsim load" bash -c "modprobe e1000e && modprobe psample &&
	modprobe dummy && insmod /xt/test-modules/netdevsim.ko"
for _ in $(seq 50); do
	[ -n "$(nic_by_mac 52:54:00:00:c0:01)" ] && [ -n "$(nic_by_mac 52:54:00:00:c0:02)" ] && break
	sleep 0.2
done
nic=$(nic_by_mac 52:54:00:00:c0:01) remote=$(nic_by_mac 52:54:00:00:c0:02)
echo "1 1" > /sys/bus/netdevsim/new_device
sleep 0.5
nsim=$(ls /sys/bus/netdevsim/devices/netdevsim1/net/ 2>/dev/null | head -1)
xt_info "e1000e: $nic in xenbr0, $remote in netns remote; netdevsim: $nsim"
xt_check "two e1000e NICs and a netdevsim port" test -n "$nic" -a -n "$remote" -a -n "$nsim"

ip netns add remote
ip link set "$remote" netns remote
ip -n remote addr add 169.254.200.2/16 dev "$remote"
ip -n remote link set "$remote" up
ip link set "$nic" master xenbr0 up
ethtool -C "$nsim" adaptive-rx on rx-usecs 77 rx-frames 9
ip link set "$nsim" master xenbr0 up
nic_own=$(coal "$nic") nsim_own=$(coal "$nsim")
xt_info "own settings: $nic $nic_own, $nsim $nsim_own"
xt_check "netdevsim's own settings set (77/9/on)" same "$nsim_own" "77/9/on"
xt_check "nic_relax_ms $HOLD_MS taken" bash -c "echo $HOLD_MS > $par/nic_relax_ms"
out=$(bash -c "echo 60001 > $par/nic_relax_ms" 2>&1)
xt_check "nic_relax_ms 60001 refused, unchanged" \
	bash -c "grep -q 'Invalid argument' <<< '$out' && [ \$(cat $par/nic_relax_ms) = $HOLD_MS ]"
xt_check "the refusal says why" bash -c "dmesg | grep -q 'xen_coalesce.nic_relax_ms refused: not a number in 0..60000'"

xt_check "domu1 answers" xt_domu_up 1 project 1
xt_check "domu2 answers" xt_domu_up 2 project 1
vif1=vif$(xt_domid 1).0 vif2=vif$(xt_domid 2).0
xt_check "no class, no NIC taken" bash -c "! grep -q '^nic ' $ctl"
xt_check "the NICs keep their own values" \
	bash -c "[ '$(coal "$nic")' = '$nic_own' ] && [ '$(coal "$nsim")' = '$nsim_own' ]"

# ---- A and C on one bridge ---------------------------------------------------
stdbuf -oL ethtool --monitor --show-coalesce > /run/xt/monitor.txt 2>&1 &
mon=$!
sleep 0.5
applied0=$(stat_of applied)
class "$vif1" C
xt_check "C on $vif1, a shared bridge: the NICs keep their own values, nothing written" \
	bash -c "[ '$(coal "$nsim")' = '$nsim_own' ] && [ '$(coal "$nic")' = '$nic_own' ] && [ $(stat_of applied) = $applied0 ] || { grep . $ctl; exit 1; }"
xt_check "debugfs: netdevsim shared, adaptive: bounded by nic_adaptive_us (256 us) < $C_USECS" \
	grep -q "^nic $nsim vifs 1 want own applied own shared own rx-usecs 77 rx-frames 9 adaptive-rx 1 bound 256" $ctl
xt_check "debugfs: e1000e shared, its dynamic mode bounded by 250 us < $C_USECS" \
	grep -q "^nic $nic vifs 1 want own applied own shared own rx-usecs 3 rx-frames 0 adaptive-rx 0 bound 250" $ctl
class "$vif2" A
xt_check "A on $vif2: netdevsim at once, $A_USECS us, no interrupt per frame ($A_USECS/9/off)" \
	same "$(coal "$nsim")" "$A_USECS/9/off"
xt_check "A on $vif2: e1000e at once (rx-usecs $A_USECS)" same "$(coal "$nic")" "$A_USECS/n/a/n/a"
xt_check "debugfs: both NICs, two VIFs each, want $A_USECS" \
	bash -c "grep -q '^nic $nic vifs 2 want $A_USECS applied $A_USECS in_force $A_USECS shared' $ctl && grep -q '^nic $nsim vifs 2 want $A_USECS applied $A_USECS in_force $A_USECS shared' $ctl"
xt_check "debugfs: the VIFs, their classes and the bridge" \
	bash -c "grep -q '^vif $vif1 class C nic_usecs $C_USECS master xenbr0' $ctl && grep -q '^vif $vif2 class A nic_usecs $A_USECS master xenbr0' $ctl"
kill $mon
xt_check "ethtool --monitor saw the e1000e's coalescing change" grep -q "$nic" /run/xt/monitor.txt

ip -n remote neigh flush all
rx0=$(cat "/sys/class/net/$nic/statistics/rx_packets")
out=$(ip netns exec remote ping -q -c 20 -i 0.05 -W 2 "$(xt_ip 1)" 2>&1)
rx1=$(cat "/sys/class/net/$nic/statistics/rx_packets")
xt_check "the remote host's pings to domu1 answered, through $nic" \
	bash -c "grep -q ' 0% packet loss' <<< '$out' && [ $((rx1 - rx0)) -ge 20 ] || { echo '$out'; echo 'rx $rx0 -> $rx1'; exit 1; }"

# ---- hysteresis: looser waits, flapping does nothing -------------------------
applied0=$(stat_of applied)
for _ in 1 2 3 4 5; do
	class "$vif2" none
	class "$vif2" A
done
xt_check "A withdrawn and set 5 times within the hold: no NIC change" \
	bash -c "[ $(stat_of applied) = $applied0 ] && [ '$(coal "$nsim")' = '$A_USECS/9/off' ] || { grep . $ctl; exit 1; }"
# Up to three tries: a try read after the hold ran out decides nothing
# (A again puts A's profile back at once).
for try in 1 2 3; do
	[ $try = 1 ] || class "$vif2" A
	t0=$(date +%s%N)
	class "$vif2" none
	out=$(in_hold "$t0" relaxing "$nsim" "$A_USECS/9/off" \
		"^nic $nsim vifs 1 want own applied $A_USECS relaxing_ms [0-9]")
	rc=$?
	[ $rc != 2 ] && break
done
held "A withdrawn: the NIC keeps A's profile for now, relaxing" $rc "$out"
becomes "$nsim" "$nsim_own" 20 > /run/xt/relax.txt
rc=$? waited=$((($(date +%s%N) - t0) / 1000000))
xt_info "own values after $waited ms (hold $HOLD_MS ms)"
xt_check "then, C's share being looser, netdevsim's own values, after the hold ($waited ms >= $HOLD_MS)" \
	bash -c "[ $rc = 0 ] && [ $waited -ge $HOLD_MS ] || { cat /run/xt/relax.txt; exit 1; }"
xt_check "e1000e's too" becomes "$nic" "$nic_own" 2

# ---- B: a quarter of the budget; tiny shares become nic_usecs_min ------------
echo 100 > "/sys/class/net/$vif2/xen_coalesce/budget_us"
class "$vif2" B
xt_check "B 100 us on $vif2: the NICs get 25 us at once" \
	bash -c "[ '$(coal "$nic")' = '25/n/a/n/a' ] && [ '$(coal "$nsim")' = '25/9/off' ] || { grep . $ctl; exit 1; }"
echo 20 > "/sys/class/net/$vif2/xen_coalesce/budget_us"
xt_check "B 20 us: a 5 us share is below nic_usecs_min: $A_USECS" same "$(coal "$nic")" "$A_USECS/n/a/n/a"
class "$vif2" A

# ---- ports joining and leaving; a port without coalesce ops ------------------
ip link set "$nsim" nomaster
xt_check "netdevsim leaves the bridge: its own values back at once" same "$(coal "$nsim")" "$nsim_own"
ip link set "$nsim" master xenbr0
xt_check "netdevsim joins again: A's profile at once" same "$(coal "$nsim")" "$A_USECS/9/off"
skipped0=$(stat_of skipped)
ip link add xtdummy0 type dummy
out=$(ip link set xtdummy0 master xenbr0 up 2>&1)
xt_check "a dummy port joins without an error" test -z "$out"
xt_check "the dummy port is skipped and counted" \
	bash -c "[ $(stat_of skipped) = $((skipped0 + 1)) ] && grep -q '^nic xtdummy0 vifs 2 skipped' $ctl || { grep . $ctl; exit 1; }"
xt_check "class changes still work with it there" bash -c "echo C > /sys/class/net/$vif1/xen_coalesce/class"
ip link del xtdummy0
xt_check "no set errors" same "$(stat_of set_errors)" 0

# ---- a bridge only classed VIFs use; a driver that refuses ------------------
# No hold here (the hysteresis is checked above): each change applies at once.
echo 0 > $par/nic_relax_ms
nsimdbg=/sys/kernel/debug/netdevsim/netdevsim1/ports/0/ethtool
echo $NSIM_MAX > $nsimdbg/rx_usecs_max
ip link add xtbr1 type bridge
ip link set xtbr1 up
ip link set "$nsim" nomaster
class "$vif2" C
ip link set "$vif2" nomaster
ip link set "$nsim" master xtbr1
refused0=$(stat_of refused) applied0=$(stat_of applied)
ip link set "$vif2" master xtbr1
xt_check "xtbr1, only C's VIF and netdevsim: the ceiling $C_USECS refused, the nearest tighter accepted ($NSIM_MAX)" \
	becomes "$nsim" "$NSIM_MAX/9/off" 2
xt_check "debugfs: exclusive, wants $C_USECS, $NSIM_MAX in force, remembered" \
	grep -q "^nic $nsim vifs 1 want $C_USECS applied $C_USECS in_force $NSIM_MAX accepts_max $NSIM_MAX exclusive" $ctl
refusals=$(($(stat_of refused) - refused0))
xt_check "the search took a few refused writes ($refusals, <= 12), counted apart from set errors" \
	bash -c "[ $refusals -ge 1 ] && [ $refusals -le 12 ] && [ $(stat_of set_errors) = 0 ] || { grep . $ctl; exit 1; }"
xt_check "one warning names the value refused and the one used" \
	bash -c "[ \$(dmesg | grep -c '$nsim: xen-coalesce: rx-usecs $C_USECS refused, using $NSIM_MAX') = 1 ]"
echo 100 > "/sys/class/net/$vif2/xen_coalesce/budget_us"
class "$vif2" B
xt_check "B 100 us there: 25 us" becomes "$nsim" "25/9/off" 2
refused0=$(stat_of refused) applied0=$(stat_of applied)
class "$vif2" C
xt_check "C again: $NSIM_MAX with one write and no refusal (remembered)" \
	bash -c "[ '$(coal "$nsim")' = '$NSIM_MAX/9/off' ] && [ $(stat_of refused) = $refused0 ] && [ $(stat_of applied) = $((applied0 + 1)) ] || { grep . $ctl; exit 1; }"
ip link set "$nsim" nomaster
xt_check "netdevsim leaves xtbr1: its own values back" same "$(coal "$nsim")" "$nsim_own"
refused0=$(stat_of refused) applied0=$(stat_of applied)
ip link set "$nsim" master xtbr1
xt_check "it joins again: $NSIM_MAX with one write and no refusal (remembered beyond the hold)" \
	bash -c "[ '$(coal "$nsim")' = '$NSIM_MAX/9/off' ] && [ $(stat_of refused) = $refused0 ] && [ $(stat_of applied) = $((applied0 + 1)) ] || { grep . $ctl; exit 1; }"
xt_check "... and not warned about again" \
	bash -c "[ \$(dmesg | grep -c '$nsim: xen-coalesce: rx-usecs $C_USECS refused') = 1 ]"
ip link add xtdummy1 type dummy
ip link set xtdummy1 master xtbr1 up
xt_check "another port joins xtbr1: netdevsim is shared, its own values back ($nsim_own)" \
	becomes "$nsim" "$nsim_own" 2
ip link del xtdummy1
xt_check "the port gone: exclusive again, $NSIM_MAX" becomes "$nsim" "$NSIM_MAX/9/off" 2
ip addr add 169.254.250.1/32 dev xtbr1
xt_check "dom0 takes an address on xtbr1: shared, its own values back" becomes "$nsim" "$nsim_own" 3
ip addr del 169.254.250.1/32 dev xtbr1
xt_check "the address gone: $NSIM_MAX again" becomes "$nsim" "$NSIM_MAX/9/off" 3
# Back as the rest expects: both on xenbr0, vif2 in class A.
echo 0 > $nsimdbg/rx_usecs_max
class "$vif2" A
ip link set "$vif2" master xenbr0
ip link set "$nsim" master xenbr0
ip link del xtbr1
echo $HOLD_MS > $par/nic_relax_ms
xt_check "back on xenbr0: A's profile" becomes "$nsim" "$A_USECS/9/off" 2

# ---- the A VIF goes, then the last VIF goes ----------------------------------
xt_domu_destroy 2
xt_check "A's VIF destroyed: the NICs' own values after the hold" becomes "$nsim" "$nsim_own" 20
xt_check "e1000e's too" becomes "$nic" "$nic_own" 2
# The last class withdrawn: the NICs keep A's profile for the hold, and
# what an administrator sets meanwhile stays theirs.
class "$vif1" A
ethtool -C "$nsim" rx-usecs 500 tx-usecs 33
kept0=$(stat_of kept)
t0=$(date +%s%N)
class "$vif1" none
out=$(in_hold "$t0" relaxing "$nsim" "500/9/off" \
	"^nic $nsim vifs 0 want own applied $A_USECS relaxing_ms [0-9]")
held "the last class withdrawn: netdevsim keeps its values for now, relaxing" $? "$out"
xt_check "after the hold: netdevsim's own values where ours held, the administrator's rx-usecs kept (500/9/on)" \
	becomes "$nsim" "500/9/on" 20
xt_check "e1000e's own values back too ($nic_own)" becomes "$nic" "$nic_own" 2
xt_check "a field the controller never set is left alone (tx-usecs 33)" \
	bash -c "ethtool -c $nsim | grep -qx 'tx-usecs: *33'"
xt_check "the kept value is counted and logged once" \
	bash -c "[ $(stat_of kept) = $((kept0 + 1)) ] && [ \$(dmesg | grep -c '$nsim: xen-coalesce: kept rx-usecs set since by someone else') = 1 ]"
xt_check "debugfs: no NIC held" bash -c "! grep -q '^nic ' $ctl"
ethtool -C "$nsim" rx-usecs 77 tx-usecs 0
class "$vif1" A
xt_check "A again: netdevsim at $A_USECS" becomes "$nsim" "$A_USECS/9/off" 2
xt_domu_destroy 1
xt_check "the last VIF gone: netdevsim's own values back ($nsim_own)" becomes "$nsim" "$nsim_own" 20
xt_check "the last VIF gone: e1000e's own values back ($nic_own)" becomes "$nic" "$nic_own" 5
xt_check "debugfs: no NIC held" bash -c "! grep -q '^nic ' $ctl"

# ---- unload -------------------------------------------------------------------
xt_check "domu1 answers again" xt_domu_up 1 project 1
class "vif$(xt_domid 1).0" A
xt_check "A again: the NICs at $A_USECS" \
	bash -c "[ '$(coal "$nic")' = '$A_USECS/n/a/n/a' ] && [ '$(coal "$nsim")' = '$A_USECS/9/off' ]"
# A hold that cannot run out here: what the NICs get back at unload comes
# from the unload itself (xen-coalesce goes while the NICs wait).
echo 60000 > $par/nic_relax_ms
xl destroy domu1
sleep 1
xt_check "guest gone: the NICs keep A's values through the hold" \
	bash -c "[ '$(coal "$nsim")' = '$A_USECS/9/off' ] && grep -q '^nic $nsim vifs 0 want own' $ctl || { grep . $ctl; exit 1; }"
xt_check "unload: xen-netback and xen-coalesce removed" \
	bash -c "rmmod xen-netback && rmmod xen-coalesce"
xt_check "after unload: e1000e's own values ($nic_own)" same "$(coal "$nic")" "$nic_own"
xt_check "after unload: netdevsim's own values ($nsim_own)" same "$(coal "$nsim")" "$nsim_own"

# ---- leave dom0 as the other tests expect it ---------------------------------
ip link set "$nic" nomaster
ip netns del remote
echo 1 > /sys/bus/netdevsim/del_device
rmmod netdevsim e1000e dummy 2> /dev/null
xt_check "dom0: the project's netback again" xt_netback project
xt_done
