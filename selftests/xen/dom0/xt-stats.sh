# SPDX-License-Identifier: GPL-2.0
# The harness's arithmetic on what tests measure: histogram percentiles,
# medians and the pairwise verdicts. Pure functions of their arguments
# (but xt_check_sign, which reports through its caller's checks), sourced
# by xt-lib.sh in dom0 and tested on the host by
# selftests/xen/test_xt_stats.sh (make check's "harness" suite).

# xt_hist_p99 BEFORE AFTER: two readings of an engine histogram (debugfs
# "... b0 b1 ...", bucket b holding waits <= 2^b us; non-numeric fields are
# labels): the bound in us of the bucket holding the 99th percentile of what
# was added between them, or "null" when nothing was.
xt_hist_p99() {
	paste <(tr ' ' '\n' <<< "$2" | grep -E '^[0-9]+$') \
	      <(tr ' ' '\n' <<< "$1" | grep -E '^[0-9]+$') | awk '
		BEGIN { k = 0 }	# bucket 0 is n[0], not n[""]
		NF == 2 { n[k] = $1 - $2; t += $1 - $2; k++ }
		END { if (!t) { print "null"; exit }
		      for (b = 0; b < k; b++) { c += n[b]; if (c * 100 >= t * 99) { print 2 ^ b; exit } } }'
}

# xt_median X...: the median of the numbers (an even count: the mean of
# the middle two), with two decimals.
xt_median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f\n", m }'
}

# xt_sign_verdict T RATIO...: the median of the pairwise ratios against T
# by the sign test: "above" (at or above T) or "below" when as many of
# the ratios lie on that side as a median on the other side would give
# with a chance of 5 % or less (5 of 5, 8 of 9, 12 of 15), else
# "undecided": the pairs' spread hides the answer, more pairs may not.
xt_sign_verdict() {
	local t=$1

	shift
	printf '%s\n' "$@" | awk -v t="$t" '
		function tail(n, k,    i, c, s) {	# P(X >= k), X ~ B(n, 1/2)
			c = 1
			for (i = 0; i <= n; i++) {
				if (i >= k)
					s += c
				c = c * (n - i) / (i + 1)
			}
			return s / 2 ^ n
		}
		NF { n++; if ($1 >= t) hi++ }
		END {
			if (n && tail(n, hi) <= 0.05)
				print "above"
			else if (n && tail(n, n - hi) <= 0.05)
				print "below"
			else
				print "undecided"
		}'
}

# xt_check_sign CHECK NAME T SIDE RATIO...: the pairwise RATIOs' median
# against T by the sign test (xt_sign_verdict) must come out SIDE ("above"
# or "below"), checked by CHECK (xt_check, or xt_check_speed for a
# throughput); a median the pairs leave undecided is a skip, not a pass.
# NAME gets the verdict, the median and the ratios. Not pure: it reports
# through the caller's CHECK and xt_skip (xt-lib.sh's in dom0).
xt_check_sign() {
	local check=$1 name=$2 t=$3 side=$4 v

	shift 4
	v=$(xt_sign_verdict "$t" "$@")
	name+=" ($v, median $(xt_median "$@"); $*)"
	if [ "$v" = undecided ]; then
		xt_skip "$name" "the pairs' spread leaves the median undecided"
	else
		"$check" "$name" test "$v" = "$side"
	fi
}

# xt_ratio A B: A / B with two decimals, 0 when B is 0 or empty.
xt_ratio() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
