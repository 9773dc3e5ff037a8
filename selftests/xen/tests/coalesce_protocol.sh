#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The backend -> frontend coalescing protocol over xenstore
# (Documentation/protocol.rst), on real Xen:
#  - the project's netback advertises feature-coalesce, the project's
#    netfront says it follows; a stock netfront does not;
#  - values set in dom0 sysfs (frontend_*) reach xenstore in one piece and
#    the guest's ethtool -c shows them; invalid ones are refused, with
#    sysfs, xenstore and the guest unchanged;
#  - out-of-range and malformed keys in xenstore are clamped or ignored
#    by the guest; a guest's garbage feature flag reads as "invalid";
#    a guest flipping the flag in a loop moves class C's completion
#    deadline between dom0's two values only (the ceiling, 100 us);
#  - a guest whose netfront does not trust its backend (trusted=0) says
#    it does not follow and keeps its own settings under class C;
#  - dom0 flipping the vif between classes C and B: every set the guest
#    applies is one of the two (it reads the four keys in one transaction);
#  - removing the backend withdraws the feature and the keys; a project
#    netfront against the stock netback keeps its own settings.
# XT-TIMEOUT: 600
. /xt/xt-lib.sh

xt_check "dom0: the project's netback" xt_netback project
xt_check "domu1 (project netfront) answers" xt_domu_up 1 project 1
xt_check "domu2 (stock netfront) answers" xt_domu_up 2 stock 1
d1=$(xt_domid 1) d2=$(xt_domid 2)
be1=/local/domain/0/backend/vif/$d1/0
sys1=/sys/class/net/vif$d1.0/xen_coalesce
sys2=/sys/class/net/vif$d2.0/xen_coalesce

same() { [ "$1" = "$2" ] || { echo "expected '$2', seen '$1'"; return 1; }; }
keys() { # the backend's four coalesce/ keys, in the guest's ethtool order
	local k

	for k in rx-usecs rx-frames tx-usecs tx-frames; do
		xenstore-read "$1/coalesce/$k" 2>/dev/null || echo -
	done | paste -sd ' '
}
fe_sysfs() {
	paste -d ' ' "$1/frontend_rx_usecs" "$1/frontend_rx_frames" \
		"$1/frontend_tx_usecs" "$1/frontend_tx_frames"
}

# ---- feature negotiation ---------------------------------------------------
xt_check "the backend advertises feature-coalesce = 1" \
	same "$(xenstore-read "$be1/feature-coalesce" 2>&1)" 1
xt_check "the project netfront follows (frontend_follows = yes)" \
	same "$(cat "$sys1/frontend_follows")" yes
xt_check "the stock netfront does not (frontend_follows = no)" \
	same "$(cat "$sys2/frontend_follows")" no
xt_check "no coalesce/ keys until dom0 sets them" same "$(keys "$be1")" "- - - -"
xt_check "frontend values read 0 0 0 0 by default" same "$(fe_sysfs "$sys1")" "0 0 0 0"

# ---- dom0 sets the frontend's coalescing -----------------------------------
for kv in rx_usecs=3000 rx_frames=4 tx_usecs=2000 tx_frames=8; do
	xt_check "echo ${kv#*=} > frontend_${kv%=*}" \
		bash -c "echo ${kv#*=} > $sys1/frontend_${kv%=*}"
done
xt_check "sysfs reads back 3000 4 2000 8" same "$(fe_sysfs "$sys1")" "3000 4 2000 8"
xt_check "xenstore holds 3000 4 2000 8" same "$(keys "$be1")" "3000 4 2000 8"
xt_check "the guest's ethtool -c eth0 follows: 3000 4 2000 8" xt_guest_becomes 1 "3000 4 2000 8"
xt_check "the guest's debugfs has the new TX values" \
	grep -q '^tx: usecs 2000 frames 8' <<< \
	"$(xt_domu_exec 1 'cat /sys/kernel/debug/xen-coalesce/xen_netfront/vif0-q0')"
for bad in "tx_frames 257" "tx_usecs 10001" "rx_usecs 0" "tx_frames abc" \
	   "tx_frames -1" "tx_usecs 99999999999"; do
	read -r f v <<< "$bad"
	out=$(bash -c "echo '$v' > $sys1/frontend_$f" 2>&1)
	rc=$?
	xt_check "frontend_$f = $v refused with EINVAL" \
		bash -c "[ $rc != 0 ] && grep -q 'Invalid argument' <<< '$out' || { echo 'rc $rc: $out'; exit 1; }"
	xt_check "... sysfs, xenstore unchanged" \
		same "$(fe_sysfs "$sys1") / $(keys "$be1")" "3000 4 2000 8 / 3000 4 2000 8"
done
xt_check "dom0's log says why (frames without a deadline)" \
	grep -q "frontend coalesce refused: frames > 1 needs usecs > 0" <<< "$(dmesg)"
xt_check "the guest still has 3000 4 2000 8" same "$(xt_guest_coal 1)" "3000 4 2000 8"
xt_check "a stock netfront's vif takes the values (stored, published)" \
	bash -c "echo 500 > $sys2/frontend_tx_usecs && [ \$(xenstore-read /local/domain/0/backend/vif/$d2/0/coalesce/tx-usecs) = 500 ]"
xt_check "domu2 (stock netfront, keys ignored) still answers" xt_domu_wait 2 60

# ---- the guest distrusts out-of-range or malformed keys --------------------
xenstore-write "$be1/coalesce/tx-usecs" 99999 "$be1/coalesce/tx-frames" 100000
xt_check "keys above the limits: the guest clamps them (3000 4 10000 256)" \
	xt_guest_becomes 1 "3000 4 10000 256"
xt_check "the guest's log says it clamped" \
	grep -q "backend's coalescing out of range, clamped" <<< "$(xt_domu_exec 1 dmesg)"
xenstore-write "$be1/coalesce/tx-usecs" 12abc
sleep 2
xt_check "a malformed key changes nothing in the guest" same "$(xt_guest_coal 1)" "3000 4 10000 256"
xt_check "the guest's log says the key was unreadable" \
	grep -q "backend's coalesce/tx-usecs unreadable (-22), coalescing unchanged" <<< "$(xt_domu_exec 1 dmesg)"
xenstore-rm "$be1/coalesce/rx-frames"
xenstore-write "$be1/coalesce/tx-usecs" 100
sleep 2
xt_check "an incomplete set changes nothing in the guest" same "$(xt_guest_coal 1)" "3000 4 10000 256"
xt_check "domu1 still answers" xt_domu_wait 1 60

# A guest may write anything in its own directory; dom0 reads a flag only.
fe1=/local/domain/$d1/device/vif/0
xenstore-write "$fe1/feature-coalesce" "99999999999999 garbage"
xt_check "a garbage feature flag from the guest reads as invalid" \
	same "$(cat "$sys1/frontend_follows")" invalid
xenstore-write "$fe1/feature-coalesce" 1

# A guest flipping its flag in a loop. dom0 reads it as a flag when it
# applies a class: class C's completion deadline is then the ceiling
# (the guest follows and orphans what it sends) or 100 us, never a number
# of the guest's. (dom0 writes in the guest's directory here, as the guest
# would: netback cannot tell the writer apart.)
dbg1=/sys/kernel/debug/xen-coalesce/xen_netback/vif$d1.0-q0
complete_usecs() { sed -n 's/^plan: .* complete \([0-9]*\)\/.*/\1/p' "$dbg1"; }
(
	end=$(($(date +%s) + 15))
	while [ "$(date +%s)" -lt $end ]; do
		for v in 1 0 garbage 2 "" 4294967296 1x 1; do
			xenstore-write "$fe1/feature-coalesce" "$v"
		done
	done
) &
flipper=$! n=0 seen=
while kill -0 $flipper 2> /dev/null; do
	echo C > "$sys1/class" && n=$((n + 1)) && seen="$seen $(complete_usecs)"
	echo none > "$sys1/class"
done
wait $flipper
odd=$(tr ' ' '\n' <<< "$seen" | grep -vxE '4000|100|' | sort -u | paste -sd ' ')
xt_info "class C set $n times under the flips; completion deadlines seen: $(tr ' ' '\n' <<< "${seen# }" | sort | uniq -c | paste -sd ' ' | tr -s ' ')"
xt_check "a guest flipping its flag in a loop: class C's completion deadline is 4000 or 100 us, nothing else" \
	test "$n" -gt 0 -a -z "$odd" -a "$(wc -w <<< "$seen")" = "$n"
settled() { # FLAG USECS: with the flag settled, class C completes at USECS
	xenstore-write "$fe1/feature-coalesce" "$1"
	echo C > "$sys1/class"
	same "$(complete_usecs)" "$2"
}
xt_check "the flag settled at 0, class C completes at 100 us" settled 0 100
xt_check "the flag settled at garbage, class C completes at 100 us" settled garbage 100
xt_check "the flag settled at 1, class C completes at the 4000 us ceiling" settled 1 4000
echo none > "$sys1/class"
xt_check "domu1 answers after the flips" xt_domu_wait 1 60

# ---- an untrusted backend is not followed ----------------------------------
# netfront's trust model (trusted=0, or the frontend's "trusted" key at 0):
# every buffer shared with the backend is bounced. Such a backend does not
# choose the guest's coalescing either, and the guest tells it so.
untrusted_stands() { # the guest keeps 700 3 900 5 while class C waits 20 s for it
	if xt_vif_class 1 C > /dev/null; then
		echo "the guest followed class C"
		return 1
	fi
	same "$(xt_guest_coal 1)" "700 3 900 5"
}
xt_domu_log_has() { # N TEXT: domU N's kernel log has TEXT
	xt_domu_exec "$1" dmesg | grep -qF "$2" || { echo "not in domu$1's kernel log: $2"; return 1; }
}
follows_becomes() { xt_becomes "$1" cat "$sys1/frontend_follows"; }
trusts() { same "$(xt_domu_exec 1 "cat /sys/module/xen_netfront/parameters/trusted")" "$1"; }
xt_domu_exec 1 "netfront-reload trusted=0" > /dev/null
sleep 3
xt_check "domu1's netfront reloaded with trusted=0 answers" xt_domu_wait 1
xt_check "its netfront does not trust the backend (trusted N)" trusts N
xt_check "the untrusted guest says it does not follow (frontend_follows no)" follows_becomes no
xt_domu_exec 1 "ethtool -C eth0 rx-usecs 700 rx-frames 3 tx-usecs 900 tx-frames 5" > /dev/null
xt_check "class C at its vif: the untrusted guest keeps its own settings" untrusted_stands
xt_check "the guest's kernel log says why" xt_domu_log_has 1 "backend not trusted: its coalesce/ keys are not followed"
echo none > "$sys1/class"
xt_domu_exec 1 "netfront-reload" > /dev/null
sleep 3
xt_check "domu1's netfront reloaded trusting answers" xt_domu_wait 1
xt_check "its netfront trusts the backend (trusted Y)" trusts Y
xt_check "the trusting guest follows again (frontend_follows yes)" follows_becomes yes

# ---- all four keys or none -------------------------------------------------
# dom0 publishes the four keys in one transaction; the guest must read them
# in one too: read one by one, a set published between two reads gives a
# mix of two sets. dom0 flips the vif between class C and class B (all
# four values differ) for 30 s; every set the guest logs it applied must
# be one of the two. The guest logs at most 10 sets in 5 s (its peer can
# make it log: net_ratelimit), so this samples about 60 of the sets
# applied; a mix was 1 in 20 to 30 of them where it happened.
xt_vif_class 1 C > /dev/null
set_c=$(xt_guest_coal 1)
xt_vif_class 1 B 300 > /dev/null
set_b=$(xt_guest_coal 1)
xt_domu_exec 1 "dmesg -c" > /dev/null
end=$(($(date +%s) + 30)) flips=0
while [ "$(date +%s)" -lt $end ]; do
	echo C > "$sys1/class" && echo B > "$sys1/class" && flips=$((flips + 2))
done
applied=$(xt_domu_exec 1 dmesg | sed -n 's/.*coalescing set by the backend: tx-usecs \([0-9]*\) tx-frames \([0-9]*\) rx-usecs \([0-9]*\) rx-frames \([0-9]*\)$/\3 \4 \1 \2/p')
mixed=$(grep -vxF -e "$set_c" -e "$set_b" <<< "$applied" | sort | uniq -c | paste -sd ';')
xt_info "$flips class flips; the guest logged $(grep -c . <<< "$applied") sets applied (C: $set_c, B: $set_b)"
xt_check "dom0 flipping class C and B: every set the guest applied is one of the two" \
	test -n "$applied" -a -z "$mixed"
[ -n "$mixed" ] && xt_info "mixed sets applied: $mixed"
xt_check "after the flips the guest follows class B" xt_guest_becomes 1 "$set_b"
echo none > "$sys1/class"

# ---- local settings stand against a stock backend --------------------------
xl destroy domu2
# (rmmod refuses while a vif exists; unbinding runs the same removal)
xt_check "the netback unbinds from domu1's vif" \
	bash -c "echo vif-$d1-0 > /sys/bus/xen-backend/drivers/vif/unbind"
xt_check "the removal withdrew feature-coalesce and coalesce/ from the backend" \
	same "$(xenstore-read "$be1/feature-coalesce" > /dev/null 2>&1 && echo feature) $(keys "$be1")" \
	" - - - -"
xt_check "bound again, the backend advertises feature-coalesce again" bash -c "
	echo vif-$d1-0 > /sys/bus/xen-backend/drivers/vif/bind &&
	[ \$(xenstore-read $be1/feature-coalesce) = 1 ]"
xt_domus_destroy_all
xt_check "dom0: the stock netback" xt_netback stock
xt_check "domu3 (project netfront) against the stock netback answers" xt_domu_up 3 project 1
xt_check "the stock backend has no feature-coalesce" \
	bash -c "! xenstore-read /local/domain/0/backend/vif/$(xt_domid 3)/0/feature-coalesce"
xt_domu_exec 3 "ethtool -C eth0 rx-usecs 700 rx-frames 3 tx-usecs 900 tx-frames 5" > /dev/null
sleep 2
xt_check "the guest's own settings stand (700 3 900 5)" same "$(xt_guest_coal 3)" "700 3 900 5"
xt_check "domu3's kernel log is clean" xt_kernel_log_clean domu3 "$(xt_domu_exec 3 dmesg)"
xt_domus_destroy_all
xt_done
