#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# make test: the unit tests, the corpus replayed on the emulator against
# the recorded kernel results, the corpus on the live kernel (skipped with
# a message without privilege; REQUIRE_KERNEL=1 makes that a failure), and
# the libbpf drop-in transcript, the fuzz decoder and the committed fuzz
# corpus (fuzz/corpus/) replayed on the emulator and differentially on the
# live kernel, and the unit tests and corpus replay under valgrind and with
# ASan+UBSan. Ends with one "N passed, N failed" line.
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

# Random inputs decode to scenarios the parser takes; the conformance
# scenarios (the fuzzers' seeds) pass the decoder as written.
fuzz_decoder() {
	local out status

	"$objdir/bpfemu-fuzz-print" --check 200000 "$RANDOM" || return 1
	# shellcheck disable=SC2046  # one argument per file
	out=$("$objdir/bpfemu-fuzz-print" --check-text \
		$(find tests/corpus -name '*.scn' | sort))
	status=$?
	echo "${out##*$'\n'}"
	return "$status"
}

# The differential replay needs the kernel: without privilege (exit 75)
# one line says so, and REQUIRE_KERNEL=1 makes that a failure.
fuzz_replay_diff() {
	local status

	BPFEMU_FUZZ_OUT="$objdir/fuzz-out" \
		"$objdir/bpfemu-fuzz-replay-diff" fuzz/corpus
	status=$?
	[ "$status" -ne 75 ] && return "$status"
	if [ "${REQUIRE_KERNEL:-}" = 1 ]; then
		echo "fuzz replay: REQUIRE_KERNEL=1 but the kernel half" \
		     "cannot run" >&2
		return 1
	fi
	echo "fuzz replay: kernel half skipped (no privilege)"
}

step "fuzz decoder: random inputs parse, seeds pass unchanged" fuzz_decoder
step "fuzz corpus replay (emulator)" \
	env BPFEMU_FUZZ_OUT="$objdir/fuzz-out" \
	"$objdir/bpfemu-fuzz-replay-emu" fuzz/corpus
step "fuzz corpus replay (differential, live kernel)" fuzz_replay_diff
step "valgrind: unit tests and corpus replay" \
	make --no-print-directory OBJDIR="$objdir" valgrind
step "ASan+UBSan: unit tests and corpus replay" \
	make --no-print-directory OBJDIR="$objdir" asan

for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
