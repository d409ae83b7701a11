# SPDX-License-Identifier: GPL-2.0-or-later
# Runs every /mng/steps/*.sh in name order (busybox ash).  Each file
# defines a shell function `step`; it is sourced and run in a subshell
# together with lib.sh, then the runner prints the step's verdict:
#   MNGTEST-BEGIN <step>
#   MNGTEST <step> PASS
#   MNGTEST <step> FAIL <detail>
# A step passes when it recorded at least one check, none failed, and the
# test modules could all be unloaded afterwards (so every step starts
# from a kernel without test modules).

. /mng/lib.sh

# Unloads every test module, users first; returns 1 if some stay.
unload_all() {
	for pass_no in 1 2 3 4 5 6 7 8 9 10; do
		left=$(loaded_mods)
		[ -z "$left" ] && return 0
		for m in $left; do
			busybox rmmod "$m" 2>/dev/null
		done
	done
	[ -z "$(loaded_mods)" ]
}

MNG_STEP=init
if ! unload_all; then
	echo "MNGINFO test modules loaded before the first step: $(loaded_mods)"
fi

for f in /mng/steps/*.sh; do
	[ -e "$f" ] || continue
	name=$(basename "$f" .sh)
	MNG_CHECKS=/tmp/mng-checks.$name
	: >"$MNG_CHECKS"
	echo "MNGTEST-BEGIN $name"
	start=$(date +%s)
	(
		MNG_STEP=$name
		cd /tmp
		# shellcheck disable=SC1090 # the step files are only known at run time
		. "$f"
		step
	)
	MNG_STEP=$name
	snapshot after
	detail=
	nfail=$(grep -c '^FAIL ' "$MNG_CHECKS")
	npass=$(grep -c '^PASS ' "$MNG_CHECKS")
	if [ "$nfail" -gt 0 ]; then
		detail="$nfail of $((nfail + npass)) checks failed: $(grep '^FAIL ' "$MNG_CHECKS" | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//')"
	elif [ "$npass" -eq 0 ]; then
		detail="the step recorded no checks"
	fi
	if ! unload_all; then
		detail="$detail; modules left loaded after the step: $(loaded_mods)"
	fi
	# Marker files the steps or the config hooks write live under /tmp/mng-*.
	rm -f /tmp/mng-*
	secs=$(($(date +%s) - start))
	if [ -z "$detail" ]; then
		echo "MNGTEST $name PASS (${npass} checks, ${secs}s)"
	else
		echo "MNGTEST $name FAIL $detail"
	fi
done
