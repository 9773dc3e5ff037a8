#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The harness's arithmetic (dom0/xt-stats.sh) on the host, as TAP: what the
# real-Xen tests conclude from their measurements is only as good as this.
set -uo pipefail
. "$(dirname "$0")/dom0/xt-stats.sh"

n=0 failed=0
echo "TAP version 13"
# is NAME WANT GOT
is() {
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1"
		echo "# want '$2', got '$3'"
	fi
}

is "median of an odd count" 0.96 "$(xt_median 1.2 0.96 0.5)"
is "median of an even count: the middle two's mean" 0.75 "$(xt_median 1 0.5 0.8 0.7)"
is "median sorts numerically (10 after 9)" 9.00 "$(xt_median 10 9 2)"
is "ratio with two decimals" 0.33 "$(xt_ratio 1 3)"
is "ratio over 0 is 0" 0.00 "$(xt_ratio 5 0)"
is "ratio over nothing is 0" 0.00 "$(xt_ratio 5 "")"

# The sign test at 5 %: k of n on one side decides when P(X >= k) <= 0.05
# for X ~ B(n, 1/2): 5 of 5, 6 of 6, 7 of 7, 7 of 8, 8 of 9, 12 of 15.
is "5 of 5 above" above "$(xt_sign_verdict 0.8 1.05 1.04 0.96 1.00 1.06)"
is "4 of 5 above: undecided" undecided "$(xt_sign_verdict 0.8 1 1 1 1 0.5)"
is "5 of 5 below" below "$(xt_sign_verdict 0.8 0.61 0.65 0.63 0.6 0.62)"
is "T itself counts as above" above "$(xt_sign_verdict 0.8 0.8 0.8 0.8 0.8 0.8)"
is "7 of 8 above" above "$(xt_sign_verdict 0.8 1 1 1 1 1 1 1 0.1)"
is "8 of 9 above" above "$(xt_sign_verdict 0.8 1 1 1 1 1 1 1 1 0.1)"
is "7 of 9 above: undecided" undecided "$(xt_sign_verdict 0.8 1 1 1 1 1 1 1 0.1 0.1)"
is "12 of 15 below" below "$(xt_sign_verdict 0.8 1 1 1 0 0 0 0 0 0 0 0 0 0 0 0)"
is "11 of 15 below: undecided" undecided "$(xt_sign_verdict 0.8 1 1 1 1 0 0 0 0 0 0 0 0 0 0 0)"
is "a spread around T (a busy host's pairs): undecided" undecided \
	"$(xt_sign_verdict 0.8 4.31 0.53 6.72 0.41 0.26 3.23 0.49 1.31 0.74)"
is "no pairs: undecided" undecided "$(xt_sign_verdict 0.8)"

# xt_check_sign's outcomes, through stand-ins for dom0's reporters
check() { local name=$1; shift; if "$@"; then echo "pass: $name"; else echo "fail: $name"; fi; }
xt_skip() { echo "skip: $1 ($2)"; }
is "sign check: decided on the wanted side passes, the verdict and median named" \
	"pass: r (above, median 1.04; 1.05 1.04 0.96 1.00 1.06)" \
	"$(xt_check_sign check r 0.8 above 1.05 1.04 0.96 1.00 1.06)"
is "sign check: decided on the other side fails" "fail: r (below, median 0.62; 0.61 0.65 0.63 0.6 0.62)" \
	"$(xt_check_sign check r 0.8 above 0.61 0.65 0.63 0.6 0.62)"
is "sign check: below wanted, below found passes" pass \
	"$(xt_check_sign check r 0.5 below 0.2 0.3 0.1 0.25 0.4 | cut -d: -f1)"
is "sign check: undecided is a skip, never a pass" \
	"skip: r (undecided, median 1.00; 1 1 1 1 0.5) (the pairs' spread leaves the median undecided)" \
	"$(xt_check_sign check r 0.8 above 1 1 1 1 0.5)"

is "p99 of what was added between two readings" 4 \
	"$(xt_hist_p99 "rx: w 5 0 0 0" "rx: w 5 0 100 0")"
is "p99: bucket 0 holds 0 and 1 us" 1 "$(xt_hist_p99 "w 0 0" "w 200 0")"
is "p99 where 1 % lies beyond it" 1 "$(xt_hist_p99 "w 0 0 0" "w 99 0 1")"
is "p99 where more than 1 % lies beyond it" 4 "$(xt_hist_p99 "w 0 0 0" "w 98 0 2")"
is "p99 of nothing added is null" null "$(xt_hist_p99 "w 3 4" "w 3 4")"

echo "1..$n"
[ "$failed" = 0 ]
