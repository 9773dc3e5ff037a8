#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The harness itself: a domU whose network never comes up (no netfront at
# all) makes the wait fail within its limit, with a message that names the
# domU and the frontend's state, instead of hanging.
# XT-TIMEOUT: 200
. /xt/xt-lib.sh

xt_check "dom0: stock netback" xt_netback stock
xt_check "domu3 without netfront is created" xt_domu_start 3 none 1
start=$(date +%s)
msg=$(xt_domu_wait 3 20)
rc=$?
took=$(($(date +%s) - start))
xt_check "the wait fails" test $rc = 1
xt_check "within its 20 s limit plus slack (took ${took}s)" test $took -le 35
xt_check "the failure names the domU" grep -q "domu3 (169.254.100.13) did not answer within 20s" <<< "$msg"
xt_check "the failure tells the frontend's state" grep -q "frontend state" <<< "$msg"
xt_info "what a failed wait says:"
printf '%s\n' "$msg" | sed 's/^/#   /'
xt_domu_destroy 3
xt_done
