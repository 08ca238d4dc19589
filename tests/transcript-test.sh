#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Runs examples/transcript built against libbpfemu (no privilege needed)
# and against libbpf (on the kernel, as root) and diffs what they print.
# Without privilege the kernel half is skipped with a line saying so;
# with REQUIRE_KERNEL=1 that is a failure.
set -eu
emu_bin=$1 bpf_bin=$2
dir=$(mktemp -d /tmp/bpfemu-transcript.XXXXXX)
cleanup() {
	mountpoint -q "$dir/bpffs" 2>/dev/null && umount "$dir/bpffs"
	rm -rf "$dir"
}
trap cleanup EXIT
mkdir "$dir/bpffs"

BPFEMU_BPFFS="$dir/bpffs" "$emu_bin" "$dir/bpffs" > "$dir/emu.txt"
if ! mount -t bpf bpf "$dir/bpffs" 2>/dev/null; then
	echo "transcript: kernel half skipped: cannot mount bpffs (need root)"
	[ "${REQUIRE_KERNEL:-0}" = 1 ] && { echo "transcript: REQUIRE_KERNEL=1: failing"; exit 1; }
	exit 0
fi
"$bpf_bin" "$dir/bpffs" > "$dir/kernel.txt"
if ! diff -u "$dir/kernel.txt" "$dir/emu.txt"; then
	echo "transcript: libbpf (kernel) and libbpfemu transcripts differ"
	exit 1
fi
echo "transcript: libbpf and libbpfemu agree ($(wc -l < "$dir/emu.txt") lines)"
