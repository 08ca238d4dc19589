#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# make valgrind / make asan: every unit test and the corpus replayed on
# the emulator, each run through $RUNNER (valgrind, or nothing for a
# sanitizer build in $OBJDIR). Any report fails the step.
set -u
objdir=${OBJDIR:-build}
runner=${RUNNER:-}
failed=0

for t in "$objdir"/tests/test_*; do
	# shellcheck disable=SC2086  # RUNNER is a command line
	if ! $runner "$t" >/dev/null; then
		echo "memcheck: $(basename "$t") FAILED" >&2
		failed=1
	fi
done
out=$(mktemp)
# shellcheck disable=SC2086
$runner "$objdir/bpfemu-harness" replay --backend emu tests/corpus >"$out"
status=$?
tail -1 "$out"
rm -f "$out"
[ "$status" -eq 0 ] || failed=1
if [ "$failed" -eq 0 ]; then
	echo "memcheck: clean (${runner:-sanitizers} on the unit tests and the corpus replay)"
fi
exit "$failed"
