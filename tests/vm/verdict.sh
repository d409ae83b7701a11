#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Usage: verdict.sh CONSOLE_LOG STEP...
# Judges a guest run from its serial console log: the end marker must be
# there and each STEP must have reported `MNGTEST <step> PASS` (and no
# FAIL).  Prints the failures with the checks and command output behind
# them; exits 0 only when everything passed.
set -u
log=$1
shift
lines=$(mktemp)
trap 'rm -f "$lines"' EXIT
# A kernel message may share a line with ours: keep from the marker on.
tr -d '\r' <"$log" | grep -o 'MNG[A-Z-]*.*' >"$lines" || true

bad=0
for s in "$@"; do
	if grep -q "^MNGTEST $s PASS" "$lines" && ! grep -q "^MNGTEST $s FAIL" "$lines"; then
		echo "check-vm: PASS $s"
		continue
	fi
	bad=$((bad + 1))
	res=$(grep "^MNGTEST $s " "$lines" | head -n 1)
	if [ -n "$res" ]; then
		echo "check-vm: FAIL $s: ${res#MNGTEST "$s" FAIL }"
		# The failed checks and the commands' output around them.
		grep -E "^MNG(CHECK $s .* FAIL|RUN $s |OUT $s |ERR $s )" "$lines" | sed 's/^/check-vm:     /'
	elif grep -q "^MNGTEST-BEGIN $s\$" "$lines"; then
		echo "check-vm: FAIL $s: started but never finished (hung or crashed); its last lines:"
		sed -n "/^MNGTEST-BEGIN $s\$/,\$p" "$lines" | tail -n 15 | sed 's/^/check-vm:     /'
	else
		echo "check-vm: FAIL $s: never ran"
	fi
done
# Verdicts for steps the host did not ask for mean the image is stale.
grep '^MNGTEST [^ ]* ' "$lines" | while read -r _ s _; do
	case " $* " in *" $s "*) ;; *) echo "check-vm: note: the guest ran an unexpected step $s" ;; esac
done
if ! grep -q '^MNGTEST-END' "$lines"; then
	echo "check-vm: FAIL: no MNGTEST-END marker (guest hung, crashed or timed out); console tail:"
	tr -d '\r' <"$log" | tail -n 20 | sed 's/^/check-vm:     /'
	bad=$((bad + 1))
fi
[ "$bad" -eq 0 ]
