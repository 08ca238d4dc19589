#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# make fuzz-bench: the fuzzers' throughput, measured the same way each
# time: $FUZZ_BIN on a copy of fuzz/corpus/ for $FUZZ_BENCH_RUNS inputs
# (the corpus first, then mutations of a fixed seed), one core. Prints
# wall and CPU time per input; fuzz/corpus/ is not changed.
set -u
bin=${FUZZ_BIN:?FUZZ_BIN: the libFuzzer target to measure}
runs=${FUZZ_BENCH_RUNS:-6000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp fuzz/corpus/* "$dir"/
export ASAN_OPTIONS=${ASAN_OPTIONS:-allocator_may_return_null=1:detect_leaks=0}
export BPFEMU_FUZZ_OUT=$dir/out
TIMEFORMAT='%R %U %S'
t=$( { time "$bin" -runs="$runs" -seed=1 -rss_limit_mb=4096 \
	-artifact_prefix="$dir/" "$dir" >"$dir/log" 2>&1; } 2>&1 )
status=$?
read -r wall user sys <<<"$t"
if [ "$status" -ne 0 ]; then
	echo "fuzz-bench: $(basename "$bin") stopped (exit $status):"
	tail -5 "$dir/log"
	exit 1
fi
awk -v b="$(basename "$bin")" -v n="$runs" -v w="$wall" -v u="$user" \
    -v s="$sys" 'BEGIN {
	printf("fuzz-bench: %s: %d inputs in %.1f s: %.0f execs/s, " \
	       "%.2f ms of CPU per input (%.0f%% of the wall time)\n",
	       b, n, w, n / w, (u + s) * 1000 / n, (u + s) * 100 / w) }'
