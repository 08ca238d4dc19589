#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# make fuzz: runs one libFuzzer target ($FUZZ_BIN, built by `make
# fuzz-targets`) for $FUZZ_SECONDS on one core, seeded with fuzz/corpus/
# and every scenario of tests/corpus/. Prints a progress line every
# $FUZZ_PROGRESS seconds; a divergence (or a crash) restarts the target
# until the time is up. At the end: the scenarios the engine wrote, and
# the inputs that add coverage merged into fuzz/corpus/. Exit 1 if
# anything diverged or crashed.
set -u
bin=${FUZZ_BIN:?FUZZ_BIN: the libFuzzer target to run}
print=${FUZZ_PRINT:?FUZZ_PRINT: bpfemu-fuzz-print, which decodes inputs}
dir=${FUZZ_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-180}
every=${FUZZ_PROGRESS:-10}
corpus=fuzz/corpus
# BPFEMU_FUZZ_TYPES (make fuzz FUZZ_TYPES=...): binary inputs create
# only these types; the run's files are named after them too.
types=${BPFEMU_FUZZ_TYPES:-}
target=$(basename "$bin")	# what the target calls itself
name=$target${types:+-${types//,/-}}
work=$dir/work-$name		# the run's corpus: seeds, then what it finds
out=$dir/out-$name		# divergent scenarios and crash inputs (kept)
log=$dir/$name.log		# everything libFuzzer and the engine said
seeds=$dir/seeds-$name		# the scenarios' names in $work

# The emulator may be asked for maps too large to allocate: ENOMEM, as
# on the kernel, not an abort. Any UB is a crash.
export ASAN_OPTIONS=${ASAN_OPTIONS:-allocator_may_return_null=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export BPFEMU_FUZZ_OUT=$out BPFEMU_FUZZ_STATS=$every

# Every input in $work is named by its SHA-1, as libFuzzer names what it
# adds: an input that diverges (or crashes) at startup is taken out by its
# artifact's name before the target restarts.
rm -rf "$work" "$log" "$seeds"
mkdir -p "$work" "$out" "$corpus"
since=$dir/.since-$name		# what this run wrote is newer
touch "$since"
nfuzz=0 nscn=0
while IFS= read -r f; do
	sum=$(sha1sum <"$f" | cut -d' ' -f1)
	cp "$f" "$work/$sum"
	case $f in
	tests/*) echo "$sum" >>"$seeds"; nscn=$((nscn + 1)) ;;
	*) nfuzz=$((nfuzz + 1)) ;;
	esac
done < <(find "$corpus" -type f; find tests/corpus -name '*.scn' | sort)
echo "fuzz: $name for $seconds s${types:+ (binary inputs create $types only)}, seeds: $nfuzz fuzz inputs + $nscn" \
     "scenarios; log: $log"

# The value of key=N in the last `fuzz-stats:` line of a file, or 0.
stat_of() {
	local v
	v=$(grep -a '^fuzz-stats:' "$2" 2>/dev/null | tail -1 |
	    grep -o " $1=[0-9]*" | cut -d= -f2)
	echo "${v:-0}"
}

progress() {
	local execs=$1 now rate
	now=$(date +%s.%N)
	rate=$(awk -v e="$execs" -v pe="$last_execs" -v t="$now" \
		-v pt="$last_t" 'BEGIN { d = t - pt;
			printf("%d", d > 0 ? (e - pe) / d : 0) }')
	echo "fuzz: $execs execs, $rate execs/s, corpus" \
	     "$(find "$work" -type f | wc -l), divergences $divergences"
	last_execs=$execs
	last_t=$now
}

start=$(date +%s)
end=$((start + seconds))
done_execs=0 divergences=0 crashes=0 run=0
last_execs=0 last_t=$(date +%s.%N)
while [ "$(date +%s)" -lt "$end" ]; do
	run=$((run + 1))
	runlog=$dir/$name.run$run.log
	"$bin" -max_total_time=$((end - $(date +%s))) -timeout=120 \
		-rss_limit_mb=4096 -artifact_prefix="$out/" \
		-print_final_stats=1 "$work" >"$runlog" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		for _ in $(seq "$every"); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 1
		done
		kill -0 "$pid" 2>/dev/null &&
			progress $((done_execs + $(stat_of execs "$runlog")))
	done
	wait "$pid"
	status=$?
	cat "$runlog" >>"$log"
	done_execs=$((done_execs + $(stat_of execs "$runlog")))
	# fuzz/target.h: FUZZ_EXIT_NO_KERNEL
	if [ "$status" -eq 75 ] && grep -aq 'cannot run' "$runlog"; then
		grep -a -m1 'cannot run' "$runlog"
		echo "fuzz: $name needs the live kernel (root);" \
		     "FUZZ_TARGET=emu fuzzes the emulator alone"
		exit 1
	fi
	# the input it stopped on (libFuzzer: "Test unit written to ...")
	art=$(grep -ao 'Test unit written to [^ ]*' "$runlog" | tail -1 |
	      sed 's/.*-//')
	[ -n "$art" ] && rm -f "$work/$art"
	if grep -aq "^$target: divergence: " "$runlog"; then
		divergences=$((divergences + 1))
		# the engine's report: both sides next to each other
		sed -n '/^fuzz: divergence, written to/,/^  replay: /p' \
			"$runlog"
	elif [ "$status" -ne 0 ]; then
		crashes=$((crashes + 1))
		echo "fuzz: $name stopped (exit $status):"
		grep -a -A30 -m1 -E '^==[0-9]+==|deadly signal|ALARM|out-of-memory|runtime error' \
			"$runlog" | head -40
	fi
	rm -f "$runlog"
done
elapsed=$(($(date +%s) - start))
echo "fuzz: done: $done_execs execs in $elapsed s" \
     "($((done_execs / (elapsed ? elapsed : 1))) execs/s), corpus" \
     "$(find "$work" -type f | wc -l), divergences $divergences," \
     "crashes $crashes"
find "$out" -name 'div-*.scn' -newer "$since" | sort |
	sed 's/^/fuzz: divergence scenario: /'
find "$out" \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) \
	-newer "$since" | sort |
	sed 's/^/fuzz: input kept (bpfemu-fuzz-print shows it): /'

# What the run found that adds coverage to fuzz/corpus/ and the
# scenarios (always seeded, never copied in) goes into fuzz/corpus/:
# the binary inputs, and the scenario texts up to $text_max bytes (the
# texts mutated from the scenarios are many and large; they come back
# from the seeds in every run).
text_max=2048
merge=$dir/merge-$name
rm -rf "$merge"
mkdir -p "$merge"
cp "$corpus"/* "$merge"/ 2>/dev/null
while IFS= read -r sum; do
	[ -e "$work/$sum" ] && cp "$work/$sum" "$merge/"
done <"$seeds"
before=$(find "$merge" -type f | wc -l)
# set cover over edges (not hit counts): the fewest inputs that reach
# every edge the run reached
if "$bin" -set_cover_merge=1 -use_counters=0 -timeout=120 \
	-rss_limit_mb=4096 -artifact_prefix="$out/" "$merge" "$work" \
	>>"$log" 2>&1; then
	added=0
	for f in "$merge"/*; do
		b=$(basename "$f")
		grep -qx "$b" "$seeds" && continue
		[ -e "$corpus/$b" ] && continue		# in fuzz/corpus/ already
		if head -c1 "$f" | grep -q '#'; then
			[ "$(stat -c %s "$f")" -gt "$text_max" ] && continue
		elif [ -n "$types" ]; then
			# A binary input of a FUZZ_TYPES run decodes to other
			# types without BPFEMU_FUZZ_TYPES: it goes in as its
			# scenario text.
			{ echo "# decoded from a FUZZ_TYPES=$types input"
			  "$print" "$f"; } >"$merge.text"
			b=$(sha1sum <"$merge.text" | cut -d' ' -f1)
			mv "$merge.text" "$f"
			[ -e "$corpus/$b" ] && continue
		fi
		cp "$f" "$corpus/$b"
		added=$((added + 1))
	done
	echo "fuzz: merged $added new inputs into $corpus/ (now" \
	     "$(find "$corpus" -type f | wc -l); $before before the merge" \
	     "with the scenarios)"
else
	echo "fuzz: the merge failed (see $log); $corpus/ unchanged"
	crashes=$((crashes + 1))
fi
rm -rf "$merge"
[ "$divergences" -eq 0 ] && [ "$crashes" -eq 0 ]
