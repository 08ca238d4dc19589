#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# make valgrind / make asan: every unit test, the corpus replayed on the
# emulator and the corpus on the live kernel (conformance: bpf(2), the
# executor loaded through libbpf, BPF_PROG_TEST_RUN), each run through
# $RUNNER (valgrind, or nothing for a sanitizer build in $OBJDIR). Any
# report fails the step. Without privilege the kernel half is skipped with
# the harness's one line; with REQUIRE_KERNEL=1 that is a failure.
set -u
objdir=${OBJDIR:-build}
runner=${RUNNER:-}
harness=$objdir/bpfemu-harness
checked="the unit tests, the corpus replay and the live-kernel run"
failed=0

# valgrind's false positives from bpf(2) (see the file) are suppressed on
# the kernel half only: the unit tests and the replay run with none.
# valgrind answers mmap(2) itself when it cannot place a mapping: EINVAL
# where the kernel gives ENOMEM (a length past the address space), and
# the emulator asks the host's mmap(2) whether such a range exists, so
# the scenarios asking for such a length are left out under valgrind
# (they still run natively and under ASan).
vg_left_out=(tests/corpus/common/mmap_huge_len.scn)
kernel_runner=$runner
paths=(tests/corpus)
case $runner in
valgrind*)
	kernel_runner="$runner --suppressions=$(dirname "$0")/valgrind.supp"
	mapfile -t paths < <(find tests/corpus -name '*.scn' | sort |
		grep -vxF -f <(printf '%s\n' "${vg_left_out[@]}"))
	echo "memcheck: under valgrind, left out: ${vg_left_out[*]}" \
	     "(valgrind's mmap: EINVAL for ENOMEM)"
	;;
esac

# Runs the harness through a runner; prints the skip line of the kernel
# half or the last line. valgrind 3.19 warns on each call of a bpf command
# it does not model (the batch commands, PROG_BIND_MAP): not an error
# (the harness fills every buffer the kernel writes), so not shown.
harness_run() {
	local name=$1 run=$2 out err status
	shift 2
	out=$(mktemp) err=$(mktemp)
	# shellcheck disable=SC2086  # a runner is a command line
	$run "$harness" "$@" >"$out" 2>"$err"
	status=$?
	grep -Ev '^--[0-9]+-- WARNING: unhandled eBPF command [0-9]+$' \
		"$err" >&2
	if grep -m1 '^conformance: kernel half skipped' "$out"; then
		checked="the unit tests and the replay; kernel half skipped"
	else
		tail -1 "$out"
	fi
	rm -f "$out" "$err"
	if [ "$status" -ne 0 ]; then
		echo "memcheck: $name FAILED" >&2
		failed=1
	fi
}

for t in "$objdir"/tests/test_*; do
	# shellcheck disable=SC2086
	if ! $runner "$t" >/dev/null; then
		echo "memcheck: $(basename "$t") FAILED" >&2
		failed=1
	fi
done
harness_run "corpus replay" "$runner" replay --backend emu "${paths[@]}"
harness_run "kernel half" "$kernel_runner" conformance "${paths[@]}"
if [ "$failed" -eq 0 ]; then
	echo "memcheck: clean (${runner:-sanitizers} on $checked)"
fi
exit "$failed"
