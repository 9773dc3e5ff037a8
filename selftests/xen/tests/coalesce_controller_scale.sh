#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The dom0 controller with 50 classed VIFs on one bridge, without 50
# guests: 50 dummies handed to the controller as VIFs by the test module
# xt_ctl_vifs (through xcoal_ctl_vif_set(), as netback hands a vif's
# class), with a netdevsim NIC on the same bridge.
#  - a recompute visits each VIF once and each port of their bridge twice:
#    the last one's visits are V + 2P = 50 + 2 * 51, not a bridge walk per
#    VIF (V * P = 2550); its time is in debugfs (reported, not asserted);
#  - a port joining an unrelated bridge recomputes nothing;
#  - class A on all 50, withdrawn and set again 20 times: the NIC is
#    written once (the hysteresis holds the looser demand);
#  - the NIC deleted while held: dropped, nothing restored to it, no
#    error; a NIC added later is taken; one below a VLAN or a bond on the
#    bridge is looked through to, and gets its own values back when the
#    VLAN or bond goes;
#  - the dummies deleted: no VIF or NIC left in debugfs, the NIC's own
#    values back.
# XT-TIMEOUT: 300
. /xt/xt-lib.sh

V=50
C_USECS=4000
ctl=/sys/kernel/debug/xen-coalesce/controller
par=/sys/module/xen_coalesce/parameters
mod=/sys/module/xt_ctl_vifs/parameters
stat_of() { awk -v k="$1" 'NR == 1 {for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}' $ctl; }
coal() {
	ethtool -c "$1" | awk '/^Adaptive RX:/ {a = $3} /^rx-usecs:/ {u = $2}
		/^rx-frames:/ {f = $2} END {print u "/" f "/" a}'
}
# same SEEN WANTED: equal, or the controller's state without the 50 VIF lines.
same() { [ "$1" = "$2" ] || { echo "expected '$2', seen '$1'"; grep -v '^vif ' $ctl; return 1; }; }
hand() { echo "$1" > $mod/class && cat $mod/handed; }
# new_nsim ID: a netdevsim device with one port, named on stdout, with
# adaptive-rx, rx-usecs 77 and rx-frames 9 as its own settings.
new_nsim() {
	local port

	echo "$1 1" > /sys/bus/netdevsim/new_device
	for _ in $(seq 25); do
		port=$(ls "/sys/bus/netdevsim/devices/netdevsim$1/net/" 2> /dev/null | head -1)
		[ -n "$port" ] && break
		sleep 0.2
	done
	ethtool -C "$port" adaptive-rx on rx-usecs 77 rx-frames 9 && echo "$port"
}

xt_check "dom0: the project's netback" xt_netback project
xt_check "netdevsim and the test module load" bash -c "modprobe psample && modprobe dummy &&
	insmod /xt/test-modules/netdevsim.ko && insmod /xt/test-modules/xt_ctl_vifs.ko prefix=xtd"
nsim=$(new_nsim 1)
nsim_own=$(coal "$nsim")
{
	echo "link add xtbr2 type bridge"
	for i in $(seq $V); do echo "link add xtd$i type dummy"; echo "link set xtd$i master xtbr2 up"; done
	echo "link set $nsim master xtbr2 up"
	# No IPv6 address: its arrival would recompute at a time of its own.
	echo "link set xtbr2 addrgenmode none"
	echo "link set xtbr2 up"
} > /run/xt/scale.batch
xt_check "$V dummies and netdevsim ($nsim, own $nsim_own) on xtbr2" ip -batch /run/xt/scale.batch

echo 1000 > $par/nic_relax_ms
out=$(hand C)
xt_check "class C handed to $V VIFs ($out)" test "$out" = $V
xt_check "netdevsim, used by classed VIFs only, gets C's ceiling" same "$(coal "$nsim")" "$C_USECS/9/off"
xt_check "debugfs: $V VIFs, exclusive" grep -q "^nic $nsim vifs $V want $C_USECS applied $C_USECS in_force $C_USECS exclusive" $ctl
visits=$(stat_of visits) last=$(stat_of last_ns) max=$(stat_of max_ns)
xt_info "the last recompute: $visits visits, $last ns (longest $max ns) with $V VIFs and $((V + 1)) ports"
xt_check "the last recompute visited V + 2P = $((V + 2 * (V + 1))) devices ($visits; a walk per VIF: $((V * (V + 1))))" \
	test "$visits" = $((V + 2 * (V + 1)))

rec0=$(stat_of recomputes)
ip -batch - <<EOB
link add xtbr3 type bridge
link add xtu0 type dummy
link set xtu0 master xtbr3
link set xtu0 nomaster
EOB
xt_check "ports joining and leaving an unrelated bridge recompute nothing" same "$(stat_of recomputes)" "$rec0"

echo 60000 > $par/nic_relax_ms
echo 0 > $mod/nic_usecs	# class A's share, as netback's plan gives it
applied0=$(stat_of applied)
for _ in $(seq 20); do
	hand A > /dev/null && hand none > /dev/null
done
hand A > /dev/null
xt_check "A on all $V, withdrawn and set again 20 times: netdevsim written once ($(($(stat_of applied) - applied0)))" \
	test $(($(stat_of applied) - applied0)) = 1
xt_check "... and at A's $(cat $par/nic_usecs_min) us" same "$(coal "$nsim")" "$(cat $par/nic_usecs_min)/9/off"

# ---- a NIC hot-removed while held; one added later; look-through ------------
echo 0 > $par/nic_relax_ms
A_USECS=$(cat $par/nic_usecs_min)
set0=$(stat_of set_errors) restored0=$(stat_of restored)
echo 1 > /sys/bus/netdevsim/del_device
xt_check "netdevsim deleted while held: dropped, nothing restored to it, no error" \
	bash -c "! grep -q '^nic $nsim ' $ctl && [ $(stat_of set_errors) = $set0 ] && [ $(stat_of restored) = $restored0 ] || { grep . $ctl; exit 1; }"
nsim=$(new_nsim 2)
ip link set "$nsim" master xtbr2 up
xt_check "a NIC added later to the classed bridge ($nsim) is taken: A's $A_USECS us" \
	same "$(coal "$nsim")" "$A_USECS/9/off"
ip link set "$nsim" nomaster
xt_check "it leaves: its own values back" same "$(coal "$nsim")" "$nsim_own"
out=$(modprobe 8021q 2>&1 && ip link add link "$nsim" name xtv0 type vlan id 5 2>&1 &&
	ip link set xtv0 master xtbr2 up 2>&1)
xt_check "a VLAN on it joins the bridge ($out)" test -z "$out"
xt_check "looked through the VLAN: $nsim at A's $A_USECS us" same "$(coal "$nsim")" "$A_USECS/9/off"
xt_check "debugfs: the NIC below the VLAN, $V VIFs" grep -q "^nic $nsim vifs $V want $A_USECS" $ctl
ip link del xtv0
xt_check "the VLAN deleted: its own values back" same "$(coal "$nsim")" "$nsim_own"
out=$(modprobe bonding 2>&1 && ip link add xtbond0 type bond mode active-backup 2>&1 &&
	ip link set "$nsim" down && ip link set "$nsim" master xtbond0 2>&1 &&
	ip link set xtbond0 master xtbr2 up 2>&1)
xt_check "a bond over it joins the bridge ($out)" test -z "$out"
xt_check "looked through the bond: $nsim at A's $A_USECS us" same "$(coal "$nsim")" "$A_USECS/9/off"
ip link del xtbond0
xt_check "the bond deleted: its own values back" same "$(coal "$nsim")" "$nsim_own"
ip link set "$nsim" master xtbr2 up
xt_check "back in the bridge: A's $A_USECS us" same "$(coal "$nsim")" "$A_USECS/9/off"

{ for i in $(seq $V); do echo "link del xtd$i"; done; echo "link del xtu0"; echo "link del xtbr3"; } > /run/xt/scale.batch
xt_check "the $V dummies deleted" ip -batch /run/xt/scale.batch
xt_check "debugfs: no VIF and no NIC left" bash -c "! grep -q '^\(vif\|nic\) ' $ctl || { grep . $ctl; exit 1; }"
xt_check "netdevsim's own values back ($nsim_own)" same "$(coal "$nsim")" "$nsim_own"

ip link del xtbr2
echo 1000 > $par/nic_relax_ms
echo 2 > /sys/bus/netdevsim/del_device
rmmod bonding 8021q 2> /dev/null
xt_check "the test module and netdevsim unload" bash -c "rmmod xt_ctl_vifs && rmmod netdevsim"
xt_done
