#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# make test: the unit tests, the corpus replayed on the emulator against
# the recorded kernel results, the corpus on the live kernel (skipped with
# a message without privilege; REQUIRE_KERNEL=1 makes that a failure), and
# the libbpf drop-in transcript, and the unit tests and corpus replay
# under valgrind and with ASan+UBSan. Ends with one "N passed, N failed"
# line.
set -u
objdir=${OBJDIR:-build}
harness=$objdir/bpfemu-harness
passed=0 failed=0 failures=()

step() {
	local name=$1; shift
	echo "== $name"
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures+=("$name")
	fi
}

for t in "$objdir"/tests/test_*; do
	step "unit $(basename "$t")" "$t"
done
step "corpus replay (emulator vs recorded)" \
	"$harness" replay --backend emu tests/corpus
step "corpus conformance (emulator vs live kernel)" \
	"$harness" conformance --json "$objdir/conformance.json" \
	--junit "$objdir/conformance.xml" tests/corpus
step "json and junit reports parse and agree" \
	python3 tests/check-reports.py "$objdir/conformance.json" \
	"$objdir/conformance.xml"
step "libbpf drop-in transcript" make --no-print-directory transcript-test
step "valgrind: unit tests and corpus replay" \
	make --no-print-directory OBJDIR="$objdir" valgrind
step "ASan+UBSan: unit tests and corpus replay" \
	make --no-print-directory OBJDIR="$objdir" asan

for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
