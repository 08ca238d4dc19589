# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
#   make conformance   the corpus against the live kernel and the emulator
#   make test          unit tests + corpus replay (+ live kernel when root)
#   make bench         emulator vs kernel (syscall, test-run) vs uthash
#   make fuzz          the libFuzzer targets for FUZZ_SECONDS (clang; root
#                      for the default, differential one: FUZZ_TARGET=emu
#                      fuzzes the emulator alone)
#   make coverage      lcov line and branch coverage (HTML, emu/ summary)
#
# Quiet by default; V=1 shows the commands.

EMU_VERSION	:= 0.1.0
PREFIX		?= /usr/local
LIBDIR		?= $(PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include
OBJDIR		?= build

CC		?= gcc
CFLAGS		?= -g -O2
LDFLAGS		?=
WARN		:= -Wall -Wextra -Werror -std=gnu11
ALL_CFLAGS	:= $(WARN) $(CFLAGS) -D_GNU_SOURCE

ifeq ($(V),1)
Q	=
msg	=
else
Q	= @
msg	= @printf '  %-8s %s%s\n' "$(1)" "$(2)" "$(if $(3), $(3))";
endif

# --- emu/: libbpfemu ---------------------------------------------------
EMU_SHIM_SRCS	:= emu/libbpf_shim.c emu/libc_shim.c
EMU_CORE_SRCS	:= $(filter-out $(EMU_SHIM_SRCS),$(wildcard emu/*.c))
EMU_CORE_OBJS	:= $(EMU_CORE_SRCS:%.c=$(OBJDIR)/%.o)
EMU_SHIM_OBJS	:= $(EMU_SHIM_SRCS:%.c=$(OBJDIR)/%.o)
EMU_PIC_OBJS	:= $(EMU_CORE_SRCS:%.c=$(OBJDIR)/pic/%.o) \
		   $(EMU_SHIM_SRCS:%.c=$(OBJDIR)/pic/%.o)
EMU_CFLAGS	:= -fvisibility=hidden -Iemu -Iemu/include

EMU_CORE_LIB	:= $(OBJDIR)/libbpfemu-core.a
EMU_STATIC	:= $(OBJDIR)/libbpfemu.a
EMU_SHARED	:= $(OBJDIR)/libbpfemu.so.$(EMU_VERSION)
EMU_SONAME	:= libbpfemu.so.$(word 1,$(subst ., ,$(EMU_VERSION)))
EMU_MAP		:= emu/libbpfemu.map

# --- kern/: the executor, run in the kernel by BPF_PROG_TEST_RUN -------
BPF_CLANG	?= clang
BPFTOOL		?= bpftool
BPF_CFLAGS	:= -g -O2 -target bpf -Wall -Werror \
		   -I/usr/include/$(shell $(CC) -print-multiarch) -Ikern
KERN_BPF_OBJ	:= $(OBJDIR)/kern/map_exec.bpf.o
KERN_SKEL	:= $(OBJDIR)/kern/map_exec.skel.h
KERN_EXEC_OBJ	:= $(OBJDIR)/kern/exec.o
LIBBPF_LIBS	:= -lbpf -lelf -lz

# --- harness/ ----------------------------------------------------------
HARNESS_SRCS	:= $(wildcard harness/*.c)
HARNESS_OBJS	:= $(HARNESS_SRCS:%.c=$(OBJDIR)/%.o)
HARNESS_MAIN	:= $(OBJDIR)/harness/main.o
HARNESS_LIB	:= $(OBJDIR)/libharness.a
HARNESS		:= $(OBJDIR)/bpfemu-harness

# --- fuzz/: input decoder, engine, libFuzzer targets, replay driver -----
# Every fuzz/*.c but the mains goes into libfuzz.a. The libFuzzer targets
# are built with clang in their own OBJDIR (make fuzz); the same targets
# linked with replay.c (gcc, no libFuzzer) replay the committed corpus.
FUZZ_MAIN_SRCS	:= fuzz/fuzz_diff.c fuzz/fuzz_emu.c fuzz/replay.c fuzz/print.c
FUZZ_SRCS	:= $(filter-out $(FUZZ_MAIN_SRCS),$(wildcard fuzz/*.c))
FUZZ_OBJS	:= $(FUZZ_SRCS:%.c=$(OBJDIR)/%.o)
FUZZ_LIB	:= $(OBJDIR)/libfuzz.a
FUZZ_INC	:= -Ifuzz -Iharness -Iemu/include -Iemu -Ikern
FUZZ_LIBS	:= $(FUZZ_LIB) $(HARNESS_LIB) $(KERN_EXEC_OBJ) $(EMU_CORE_LIB)
FUZZ_PRINT	:= $(OBJDIR)/bpfemu-fuzz-print
FUZZ_REPLAYS	:= $(OBJDIR)/bpfemu-fuzz-replay-emu \
		   $(OBJDIR)/bpfemu-fuzz-replay-diff
FUZZ_DIR	:= $(OBJDIR)-fuzz
FUZZ_TARGETS	:= $(FUZZ_DIR)/fuzz_diff $(FUZZ_DIR)/fuzz_emu
FUZZ_CC		?= clang
FUZZ_SAN	:= -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_SECONDS	?= 180
FUZZ_TARGET	?= diff

# The objects whose coverage guides the fuzzers (make fuzz-targets sets
# FUZZ_COV): the emulator, the scenario parser and the input decoder. The
# harness, the executor loader and the engine run uninstrumented: their
# coverage says nothing of the maps, and libFuzzer's bookkeeping of it
# took a third of an input's time.
$(OBJDIR)/emu/%.o $(OBJDIR)/harness/scenario.o $(OBJDIR)/fuzz/decode.o \
$(OBJDIR)/fuzz/decode_%.o: \
	ALL_CFLAGS += $(FUZZ_COV)

# --- bench/ ------------------------------------------------------------
BENCH		:= $(OBJDIR)/bpfemu-bench

# --- tests/ ------------------------------------------------------------
UNIT_SRCS	:= $(wildcard tests/unit/test_*.c)
UNIT_BINS	:= $(UNIT_SRCS:tests/unit/%.c=$(OBJDIR)/tests/%)
CORPUS		:= tests/corpus

.PHONY: all lib harness unit deps test conformance corpus install clean \
	check-abi transcript-test bench valgrind asan fuzz fuzz-targets \
	fuzz-bench coverage

all: lib harness unit $(BENCH) $(FUZZ_PRINT) $(FUZZ_REPLAYS)

lib: $(EMU_CORE_LIB) $(EMU_STATIC) $(EMU_SHARED) check-abi
harness: $(HARNESS)
unit: $(UNIT_BINS)

$(OBJDIR)/emu/%.o: emu/%.c $(wildcard emu/*.h emu/include/*.h emu/include/bpf/*.h)
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(EMU_CFLAGS) -c $< -o $@

$(OBJDIR)/pic/emu/%.o: emu/%.c $(wildcard emu/*.h emu/include/*.h emu/include/bpf/*.h)
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(EMU_CFLAGS) -fPIC -c $< -o $@

$(EMU_CORE_LIB): $(EMU_CORE_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(EMU_STATIC): $(EMU_CORE_OBJS) $(EMU_SHIM_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(EMU_SHARED): $(EMU_PIC_OBJS) $(EMU_MAP)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(EMU_SONAME) \
		-Wl,--version-script=$(EMU_MAP) -o $@ $(EMU_PIC_OBJS) -lpthread
	$(Q)ln -sf $(notdir $@) $(OBJDIR)/$(EMU_SONAME)
	$(Q)ln -sf $(notdir $@) $(OBJDIR)/libbpfemu.so

# As libbpf does: the newest version node of the symbol map must be ours.
check-abi: $(EMU_SHARED)
	@node=$$(grep -oE '^LIBBPFEMU_[0-9.]+' $(EMU_MAP) | tail -1); \
	if [ "$$node" != "LIBBPFEMU_$(EMU_VERSION)" ]; then \
		echo "$(EMU_MAP): newest node $$node, expected LIBBPFEMU_$(EMU_VERSION)" >&2; \
		exit 1; fi

$(KERN_BPF_OBJ): kern/map_exec.bpf.c kern/exec_abi.h
	$(call msg,CLANG,$@)
	@mkdir -p $(@D)
	$(Q)$(BPF_CLANG) $(BPF_CFLAGS) -c $< -o $@

$(KERN_SKEL): $(KERN_BPF_OBJ)
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name map_exec > $@.tmp && mv $@.tmp $@

# The loader sees the system's <bpf/libbpf.h>, never the drop-in headers.
$(KERN_EXEC_OBJ): kern/exec.c kern/exec.h kern/exec_abi.h $(KERN_SKEL)
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Ikern -I$(OBJDIR)/kern -c $< -o $@

$(OBJDIR)/harness/%.o: harness/%.c $(wildcard harness/*.h emu/include/*.h emu/emu_types.h kern/*.h)
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Iharness -Iemu/include -Iemu -Ikern -c $< -o $@

$(HARNESS_LIB): $(filter-out $(HARNESS_MAIN),$(HARNESS_OBJS))
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(HARNESS): $(HARNESS_MAIN) $(HARNESS_LIB) $(EMU_CORE_LIB) $(KERN_EXEC_OBJ)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(HARNESS_MAIN) $(HARNESS_LIB) \
		$(KERN_EXEC_OBJ) $(EMU_CORE_LIB) $(LIBBPF_LIBS) -lpthread

$(OBJDIR)/fuzz/%.o: fuzz/%.c $(wildcard fuzz/*.h harness/*.h emu/include/*.h emu/emu_types.h kern/*.h)
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(FUZZ_INC) -c $< -o $@

$(FUZZ_LIB): $(FUZZ_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(FUZZ_PRINT): $(OBJDIR)/fuzz/print.o $(FUZZ_LIBS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(FUZZ_LIBS) $(LIBBPF_LIBS) \
		-lpthread

$(OBJDIR)/bpfemu-fuzz-replay-%: $(OBJDIR)/fuzz/replay.o \
		$(OBJDIR)/fuzz/fuzz_%.o $(FUZZ_LIBS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJDIR)/fuzz/replay.o \
		$(OBJDIR)/fuzz/fuzz_$*.o $(FUZZ_LIBS) $(LIBBPF_LIBS) -lpthread

# the mains, kept for the next link (make would delete them as intermediate)
.SECONDARY: $(FUZZ_MAIN_SRCS:%.c=$(OBJDIR)/%.o)

# The libFuzzer targets themselves: only where LDFLAGS brings libFuzzer.
$(OBJDIR)/fuzz_%: $(OBJDIR)/fuzz/fuzz_%.o $(FUZZ_LIBS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(FUZZ_LIBS) $(LIBBPF_LIBS) \
		-lpthread

# The emulator is measured through its libbpf-named API, loaded with
# dlopen() beside the system libbpf the kernel columns use.
$(BENCH): bench/bench.c $(wildcard bench/*.h) $(KERN_EXEC_OBJ)
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Ikern -o $@ $< $(KERN_EXEC_OBJ) \
		$(LIBBPF_LIBS) -ldl

bench: deps
	$(Q)$(MAKE) -s --no-print-directory lib $(BENCH)
	$(Q)$(BENCH) $(abspath $(EMU_SHARED))

# Unit tests link the core objects directly, hidden symbols included.
$(OBJDIR)/tests/%: tests/unit/%.c $(EMU_CORE_OBJS) $(wildcard tests/unit/*.h)
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Iemu -Iemu/include -Itests/unit \
		-o $@ $< $(EMU_CORE_OBJS) -lcmocka -lpthread

deps:
	$(Q)tests/install-deps.sh

# Memory checking: the unit tests and the corpus replayed on the emulator,
# under memcheck (any error or leak fails) and built with ASan + UBSan.
VALGRIND	:= valgrind -q --error-exitcode=1 --leak-check=full \
		   --errors-for-leak-kinds=definite,indirect,possible \
		   --show-leak-kinds=definite,indirect,possible
ASAN_DIR	:= $(OBJDIR)-asan
ASAN_CFLAGS	:= -g -O1 -fno-omit-frame-pointer \
		   -fsanitize=address,undefined -fno-sanitize-recover=undefined

valgrind:
	$(Q)$(MAKE) -s --no-print-directory harness unit
	$(Q)OBJDIR=$(OBJDIR) RUNNER="$(VALGRIND)" tests/run-memcheck.sh

# test_arraymap asks for a map too large to allocate: ENOMEM, not an abort.
asan:
	$(Q)$(MAKE) -s --no-print-directory OBJDIR=$(ASAN_DIR) \
		CFLAGS="$(ASAN_CFLAGS)" LDFLAGS="-fsanitize=address,undefined" \
		harness unit
	$(Q)OBJDIR=$(ASAN_DIR) RUNNER= \
		ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1 tests/run-memcheck.sh

test: deps
	$(Q)$(MAKE) -s --no-print-directory all
	$(Q)OBJDIR=$(OBJDIR) tests/run-tests.sh

# Every object (emu/, harness/, kern/, fuzz/) instrumented for libFuzzer
# and built with ASan+UBSan, in $(FUZZ_DIR).
fuzz-targets:
	$(Q)$(MAKE) -s --no-print-directory OBJDIR=$(FUZZ_DIR) CC=$(FUZZ_CC) \
		CFLAGS="-g -O1 -fno-omit-frame-pointer $(FUZZ_SAN)" \
		FUZZ_COV=-fsanitize=fuzzer-no-link \
		LDFLAGS="-fsanitize=fuzzer $(FUZZ_SAN)" $(FUZZ_TARGETS)

# fuzz/run-fuzz.sh: seeds, runs FUZZ_TARGET (diff or emu) for FUZZ_SECONDS,
# merges what adds coverage into fuzz/corpus/.
fuzz: deps
	$(Q)$(MAKE) -s --no-print-directory fuzz-targets $(FUZZ_PRINT)
	$(Q)FUZZ_BIN=$(FUZZ_DIR)/fuzz_$(FUZZ_TARGET) FUZZ_DIR=$(FUZZ_DIR) \
		FUZZ_PRINT=$(FUZZ_PRINT) \
		FUZZ_SECONDS=$(FUZZ_SECONDS) BPFEMU_FUZZ_TYPES=$(FUZZ_TYPES) \
		fuzz/run-fuzz.sh

# fuzz/bench-fuzz.sh: FUZZ_BENCH_RUNS inputs of each target, the same
# seed each time: wall and CPU time per input.
fuzz-bench: deps
	$(Q)$(MAKE) -s --no-print-directory fuzz-targets
	$(Q)FUZZ_BIN=$(FUZZ_DIR)/fuzz_diff fuzz/bench-fuzz.sh
	$(Q)FUZZ_BIN=$(FUZZ_DIR)/fuzz_emu fuzz/bench-fuzz.sh

coverage: deps
	$(Q)OBJDIR=$(OBJDIR)-cov tests/coverage.sh

conformance: deps
	$(Q)$(MAKE) -s --no-print-directory harness
	$(Q)$(HARNESS) conformance --json $(OBJDIR)/conformance.json \
		--junit $(OBJDIR)/conformance.xml $(CORPUS)

# Regenerates the corpus and records the kernel's results into it (root).
corpus: harness
	$(call msg,GEN,$(CORPUS))
	$(Q)python3 tests/gen/gen_corpus.py --out $(CORPUS)
	$(Q)$(HARNESS) record $$(find $(CORPUS) -name '*.scn' | sort)

install: lib
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/bpfemu/bpf
	$(Q)install -m 644 $(EMU_STATIC) $(DESTDIR)$(LIBDIR)/
	$(Q)install -m 755 $(EMU_SHARED) $(DESTDIR)$(LIBDIR)/
	$(Q)ln -sf $(notdir $(EMU_SHARED)) $(DESTDIR)$(LIBDIR)/$(EMU_SONAME)
	$(Q)ln -sf $(notdir $(EMU_SHARED)) $(DESTDIR)$(LIBDIR)/libbpfemu.so
	$(Q)install -m 644 emu/include/bpfemu.h $(DESTDIR)$(INCLUDEDIR)/bpfemu/
	$(Q)install -m 644 emu/include/bpf/*.h $(DESTDIR)$(INCLUDEDIR)/bpfemu/bpf/
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(EMU_VERSION)|' emu/libbpfemu.pc.in \
		> $(DESTDIR)$(LIBDIR)/pkgconfig/libbpfemu.pc

# The drop-in promise: one libbpf program, built against libbpf and against
# an installed libbpfemu (found through pkg-config), prints one transcript.
STAGE		:= $(abspath $(OBJDIR))/stage
TRANSCRIPT_EMU	:= $(OBJDIR)/examples/transcript-emu
TRANSCRIPT_BPF	:= $(OBJDIR)/examples/transcript-libbpf

$(TRANSCRIPT_EMU): examples/transcript.c lib
	$(Q)$(MAKE) --no-print-directory install PREFIX=$(STAGE) DESTDIR=
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $$(PKG_CONFIG_PATH=$(STAGE)/lib/pkgconfig \
		pkg-config --cflags --libs libbpfemu) -Wl,-rpath,$(STAGE)/lib

$(TRANSCRIPT_BPF): examples/transcript.c
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< -lbpf

transcript-test: $(TRANSCRIPT_EMU) $(TRANSCRIPT_BPF)
	$(Q)tests/transcript-test.sh $(TRANSCRIPT_EMU) $(TRANSCRIPT_BPF)

clean:
	$(call msg,CLEAN,$(OBJDIR))
	$(Q)rm -rf $(OBJDIR)
