#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The DKMS package on a host (make xen-test-dkms, not in make check's
# list): dom0's root was made with dkms, the kernel's headers and
# xen-coalesce-dkms installed, so DKMS built the three modules there at
# install time, as `apt install ./xen-coalesce-dkms_*.deb` does on an
# operator's host. Asserted:
#  - dkms status says the package's version is installed for the running
#    kernel; modinfo finds xen-coalesce, xen-netback and xen-netfront
#    under updates/, where depmod prefers them over the in-tree drivers;
#  - modprobe xen-netback loads DKMS's (the package's version, with
#    xen-coalesce), a guest passes traffic through it and its vif takes
#    and reads back a coalescing setting;
#  - apt-get remove: DKMS's modules and record are gone, and modprobe
#    loads the in-tree xen-netback again (no version, no xen_coalesce),
#    through which a guest answers.
# XT-TIMEOUT: 600
. /xt/xt-lib.sh

kv=$(uname -r)
pv=$(dpkg-query -W -f='${Version}' xen-coalesce-dkms 2> /dev/null)
xt_check "xen-coalesce-dkms is installed in dom0's root (${pv:-not installed})" test -n "$pv"
xt_info "dkms status: $(dkms status xen-coalesce 2>&1 | tr '\n' ' ')"
xt_check "dkms status: xen-coalesce/$pv installed for $kv" \
	bash -c "dkms status xen-coalesce | grep -F '$pv, $kv' | grep -q ': installed'"
for m in xen-coalesce xen-netback xen-netfront; do
	f=$(modinfo -n "$m" 2> /dev/null)
	xt_check "modinfo finds DKMS's $m under updates/ ($f)" bash -c "[[ '$f' == */updates/* ]]"
done

# loaded VERSION: xen-netback is loaded, with that version ("" for the
# in-tree driver, which has none) and xen-coalesce loaded iff VERSION is set.
loaded() {
	local v

	[ -d /sys/module/xen_netback ] || { echo "xen-netback not loaded"; return 1; }
	v=$(cat /sys/module/xen_netback/version 2> /dev/null)
	[ "$v" = "$1" ] || { echo "xen_netback version '$v', expected '$1'"; return 1; }
	if [ -n "$1" ]; then [ -d /sys/module/xen_coalesce ]; else [ ! -d /sys/module/xen_coalesce ]; fi
}
reload_netback() {
	xt_domus_destroy_all
	rmmod xen-netback 2> /dev/null
	rmmod xen-coalesce 2> /dev/null
	modprobe xen-netback
}
dkms_loaded() { reload_netback && loaded "$pv"; }
xt_check "modprobe xen-netback loads DKMS's, version $pv, with xen-coalesce" dkms_loaded
xt_check "domu1 (the project's netfront) answers through DKMS's netback" xt_domu_up 1 project 1
ip=$(xt_ip 1) vif=vif$(xt_domid 1).0
mbit=$(xt_iperf3 dkms-bulk "$ip" -t 2)
xt_check "bulk TCP to the guest through DKMS's netback (${mbit:-no} Mbit/s)" test "${mbit:-0}" -gt 0
xt_check "the vif takes tx-usecs 100 tx-frames 8 and reads them back" \
	bash -c "ethtool -C $vif tx-usecs 100 tx-frames 8 &&
		ethtool -c $vif | awk '/^tx-usecs:/ { u = \$2 } /^tx-frames:/ { f = \$2 } END { exit !(u == 100 && f == 8) }'"
xt_domus_destroy_all

# Removed: DKMS deletes its modules and runs depmod; the in-tree driver
# is what modprobe finds again.
rmmod xen-netback xen-coalesce
xt_check "apt-get remove xen-coalesce-dkms" \
	bash -c "DEBIAN_FRONTEND=noninteractive apt-get remove -y -q xen-coalesce-dkms > $XT_RESULTS/remove.txt 2>&1"
xt_check "dkms status lists no xen-coalesce after the removal" \
	bash -c "[ -z \"\$(dkms status xen-coalesce 2> /dev/null)\" ]"
f=$(modinfo -n xen-netback 2> /dev/null)
xt_check "modinfo finds the in-tree xen-netback again ($f)" bash -c "[[ '$f' == */kernel/drivers/net/xen-netback/* ]]"
intree_loaded() { modprobe xen-netback && loaded ""; }
xt_check "modprobe xen-netback loads the in-tree driver (no version, no xen_coalesce)" intree_loaded
xt_check "domu1 (stock netfront) answers through the in-tree netback" xt_domu_up 1 stock 1
xt_domus_destroy_all
xt_done
