#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# make coverage: builds with gcov into $OBJDIR, runs every unit test, the
# corpus replayed on the emulator, the conformance run (its kernel half
# when the kernel can be used: the harness decides and says so), the
# libbpf drop-in transcript (the drop-in library as a program links it)
# and the fuzz corpus replay (the differential one with the kernel), then
# writes an lcov HTML report to $OBJDIR/coverage/ and prints one summary
# line for emu/. The steps' output and lcov's go to $OBJDIR/coverage.log.
#
# Branches on lines that invoke uthash's macros (HASH_ADD, HASH_FIND,
# HASH_ITER ...) are left out: they are uthash's own (bucket expansion,
# bloom filter, key compare), not decisions of the emulator, which acts
# on their result on the lines after.
set -u
objdir=${OBJDIR:-build-cov}
log=$objdir/coverage.log
html=$objdir/coverage
lcov_rc=(--rc lcov_branch_coverage=1
	 --rc 'lcov_excl_br_line=LCOV_EXCL_BR_LINE|\bHASH_[A-Z_]+\(')
cov_make=(make -s --no-print-directory OBJDIR="$objdir"
	  CFLAGS="-O0 -g --coverage" LDFLAGS="--coverage")
replay_emu=$objdir/bpfemu-fuzz-replay-emu
replay_diff=$objdir/bpfemu-fuzz-replay-diff

die() {
	echo "coverage: $*" >&2
	exit 1
}

# Runs a step with its output in the log; on failure shows the log's tail.
run() {
	local name=$1; shift
	echo "== $name" >>"$log"
	if ! "$@" >>"$log" 2>&1; then
		tail -20 "$log" >&2
		die "$name failed (log: $log)"
	fi
}

# The first line of the log that says a kernel half was skipped.
said_skipped() {
	grep -h -m1 "$1" "$log" | sed "s/^/coverage: ${2:-}/"
}

command -v lcov >/dev/null && command -v genhtml >/dev/null ||
	die "lcov is not installed (apt-get install lcov)"
mkdir -p "$objdir" && : >"$log" || die "cannot write $log"
start=$SECONDS

targets=(lib harness unit)
[ -f fuzz/replay.c ] && targets+=("$replay_emu" "$replay_diff")
# test_dropin compiles emu/*_shim.c in: make cannot see them change
rm -f "$objdir"/tests/test_dropin
run "build" "${cov_make[@]}" "${targets[@]}"
run "reset counters" lcov -q --zerocounters --directory "$objdir"
# Every instrumented line counts, also in files no run reaches.
run "baseline" lcov -q "${lcov_rc[@]}" --capture --initial \
	--directory "$objdir" --output-file "$objdir/base.info"

for t in "$objdir"/tests/test_*; do
	[ -x "$t" ] || continue
	run "unit $(basename "$t")" "$t"
done
said_skipped "^kernel half skipped" "unit tests: "
run "corpus replay (emulator)" \
	"$objdir/bpfemu-harness" replay --backend emu tests/corpus
run "corpus conformance" "$objdir/bpfemu-harness" conformance tests/corpus
kernel_skipped=$(said_skipped "^conformance: kernel half skipped")
[ -n "$kernel_skipped" ] && echo "$kernel_skipped"
run "libbpf drop-in transcript" "${cov_make[@]}" transcript-test
said_skipped "^transcript: kernel half skipped"

if [ ! -x "$replay_emu" ]; then
	echo "coverage: fuzz corpus replay skipped: no fuzz/replay.c"
elif [ ! -d fuzz/corpus ]; then
	echo "coverage: fuzz corpus replay skipped: no fuzz/corpus/"
else
	run "fuzz corpus replay (emulator)" "$replay_emu" fuzz/corpus
	if [ -n "$kernel_skipped" ]; then
		echo "coverage: differential fuzz replay skipped: no kernel"
	else
		run "fuzz corpus replay (differential)" "$replay_diff" \
			fuzz/corpus
	fi
fi

run "capture" lcov -q "${lcov_rc[@]}" --capture --directory "$objdir" \
	--output-file "$objdir/run.info"
run "merge" lcov -q "${lcov_rc[@]}" --add-tracefile "$objdir/base.info" \
	--add-tracefile "$objdir/run.info" --output-file "$objdir/all.info"
run "extract emu/" lcov -q "${lcov_rc[@]}" --extract "$objdir/all.info" \
	"$PWD/emu/*" --output-file "$objdir/emu.info"
rm -rf "$html"
run "genhtml" genhtml -q "${lcov_rc[@]}" --branch-coverage \
	--title "bpfemu emu/" --output-directory "$html" "$objdir/emu.info"

# lcov --summary: "  lines......: 95.7% (2355 of 2461 lines)"
lcov "${lcov_rc[@]}" --summary "$objdir/emu.info" >"$objdir/summary.txt" 2>&1 ||
	die "lcov --summary failed"
rate() {
	awk -v k="$1" '$1 ~ "^" k "\\.+:$" { print $2 }' "$objdir/summary.txt"
}
lines=$(rate lines) funcs=$(rate functions) branches=$(rate branches)
[ -n "$lines" ] && [ -n "$funcs" ] && [ -n "$branches" ] ||
	die "no summary in $objdir/summary.txt"
echo "== done in $((SECONDS - start)) s" >>"$log"
printf 'coverage: lines: %s  functions: %s  branches: %s  (emu/, HTML: %s)\n' \
	"$lines" "$funcs" "$branches" "$html/index.html"
