# act's build, test and benchmark entry points. `make help` lists them.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

GO ?= go

# benchstat, pinned; installed into GOBIN (or GOPATH/bin) when missing.
BENCHSTAT_VERSION := v0.0.0-20260908200009-22c9c6c9d4da
GOBIN_DIR := $(or $(shell $(GO) env GOBIN),$(shell $(GO) env GOPATH)/bin)
BENCHSTAT ?= $(GOBIN_DIR)/benchstat

# Benchmark selection, passed to bench/ as ACT_BENCH_N, ACT_BENCH_FN and
# ACT_BENCH_ISA (comma-separated; empty means everything):
#   make bench N=2048,65536 FN=relu,hard_swish ISA=naive,avx2
N ?= $(ACT_BENCH_N)
FN ?= $(ACT_BENCH_FN)
ISA ?= $(ACT_BENCH_ISA)
COUNT ?= 6
BENCHTIME ?= 100ms
BENCH_HOST ?= $(shell hostname 2>/dev/null || uname -n)
RESULTS ?= bench/results/$(BENCH_HOST).txt
# -cpu=1: one thread, and names without a -GOMAXPROCS suffix, so that files
# from machines with different core counts line up in benchstat.
BENCH_ENV = ACT_BENCH_N='$(N)' ACT_BENCH_FN='$(FN)'
BENCH_FLAGS = -run='^$$' -bench=. -cpu=1 -count=$(COUNT) -benchtime=$(BENCHTIME) -timeout=0

# Fuzzing time per target.
FUZZTIME ?= 10s
# Exhaustive sweep selection, passed as ACT_SWEEP.
SWEEP ?= all

QEMU_AARCH64 ?= qemu-aarch64-static
QEMU_X86_64 ?= qemu-x86_64-static
HASWELL_TEST ?= /tmp/act-amd64.test
# qemu-user (7.2) loads all 32 bytes of a VMASKMOVPS load and faults on
# masked-off lanes, which real CPUs never touch; the guard-page test is left
# to real hardware there.
HASWELL_SKIP ?= ^TestGuardPages$$

.PHONY: help generate check-generated test test-race test-purego test-arm64 test-haswell \
	fuzz sweep bench benchcmp gofmt-check

help:
	@echo 'make test             go vet, go test, go test -tags purego, and the generator tests (the default goal)'
	@echo 'make bench            the accuracy table (max ULP per tier on 2^21 inputs), then every activation timed on every tier and the naive Go loop;'
	@echo '                      N=2048,65536 FN=relu,relu6 ISA=naive,avx2 COUNT=6 BENCHTIME=100ms'
	@echo 'make benchcmp         pure Go (-tags purego) against the best assembly tier'
	@echo 'make generate         regenerate asm/, zapi.go, zdispatch_*.go, zfallback_*.go and README.md'"'"'s table'
	@echo 'make check-generated  fail if the generated files differ from a fresh generation'
	@echo 'make test-race        the root package under the race detector'
	@echo 'make test-purego      the tests without assembly'
	@echo 'make test-arm64       the tests under qemu-aarch64 (NEON tier)'
	@echo 'make test-haswell     the tests under qemu-x86_64 -cpu Haswell (AVX2 tier, no AVX-512)'
	@echo 'make fuzz             each fuzz target for FUZZTIME (10s)'
	@echo 'make sweep            the exhaustive 2^32-input accuracy sweep (ACT_SWEEP=$(SWEEP))'
	@echo 'make gofmt-check      fail on files gofmt would change'

generate:
	cd gen && $(GO) run . -root ..
	cd bench && $(GO) test -count=1 -run='^TestREADME$$' -update .

# Copies the tree (tracked and untracked, not ignored files) to a temporary
# directory, deletes every generated file there, regenerates, and compares the
# generated files (asm/ and z*.go) with the working tree, stale files included;
# then checks README.md's activation table against the catalogue and asm/.
check-generated:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z --cached --others --exclude-standard | \
			while IFS= read -r -d '' f; do [ -e "$$f" ] && printf '%s\0' "$$f"; done | \
			xargs -0 cp --parents -t "$$tmp"; \
	else \
		cp -a . "$$tmp"; \
	fi; \
	(cd "$$tmp" && { grep -l -s '^// Code generated .* DO NOT EDIT\.$$' asm/* z*.go || true; } | xargs -r rm -f); \
	(cd "$$tmp/gen" && $(GO) run . -root ..); \
	status=0; \
	for f in $$( (ls -d asm/* z*.go; cd "$$tmp" && ls -d asm/* z*.go) 2>/dev/null | sort -u); do \
		diff -ruN --label="tree/$$f" --label="generated/$$f" "$$f" "$$tmp/$$f" || status=1; \
	done; \
	if [ $$status -ne 0 ]; then \
		echo 'check-generated: the generated files are out of date; run make generate' >&2; exit 1; \
	fi; \
	echo 'check-generated: generated files are up to date'
	@cd bench && $(GO) test -count=1 -run='^TestREADME$$' . || \
		{ echo 'check-generated: the activation table in README.md is out of date; run make generate' >&2; exit 1; }
	@echo 'check-generated: README.md activation table is up to date'

test:
	$(GO) vet ./...
	$(GO) test ./...
	$(GO) test -tags purego ./...
	cd gen && $(GO) test ./...

test-race:
	$(GO) test -race -count=1 .

test-purego:
	$(GO) test -tags purego ./...

test-arm64:
	GOARCH=arm64 QEMU_CPU=cortex-a57 $(GO) test -exec $(QEMU_AARCH64) ./...

# qemu's Haswell model has AVX2 and FMA but no AVX-512: avx2 must be the best
# tier there, and ACT_REQUIRE_ISA makes the tests fail if it is not in use.
test-haswell:
	GOARCH=amd64 $(GO) test -c -o $(HASWELL_TEST) .
	ACT_ISA=avx2 ACT_REQUIRE_ISA=avx2 $(QEMU_X86_64) -cpu Haswell $(HASWELL_TEST) -test.count=1 -test.skip='$(HASWELL_SKIP)' 2>&1 | \
		{ grep -v "TCG doesn't support requested feature" || true; }

fuzz:
	@targets=$$($(GO) test -list '^Fuzz' . | grep '^Fuzz' || true); \
	if [ -z "$$targets" ]; then echo 'fuzz: no fuzz targets'; fi; \
	for t in $$targets; do \
		echo "fuzz: $$t for $(FUZZTIME)"; \
		$(GO) test -run='^$$' -fuzz="^$$t\$$" -fuzztime=$(FUZZTIME) .; \
	done

sweep:
	ACT_SWEEP=$(SWEEP) $(GO) test -run TestSweep -timeout 0 -v .

$(BENCHSTAT):
	GOFLAGS= $(GO) install golang.org/x/perf/cmd/benchstat@$(BENCHSTAT_VERSION)

# Per activation and size, ns/element on every tier, naive Go loop first.
# The raw results stay in $(RESULTS) (benchstat them again with other flags,
# or against another machine's file).
bench: $(BENCHSTAT)
	@mkdir -p $(dir $(RESULTS))
	cd bench && $(BENCH_ENV) ACT_ACCURACY=1 $(GO) test -run='^TestAccuracyTable$$' -count=1 -v . | \
		grep -v -e '^=== ' -e '^--- ' -e '^PASS' -e '^ok ' | tee $(abspath $(RESULTS:.txt=-accuracy.md))
	cd bench && $(BENCH_ENV) ACT_BENCH_ISA='$(ISA)' $(GO) test $(BENCH_FLAGS) | tee $(abspath $(RESULTS))
	$(BENCHSTAT) -col /isa -filter '.unit:ns/elem' $(RESULTS)

# Pure Go (-tags purego) against the best assembly tier, benchstat old new.
benchcmp: $(BENCHSTAT)
	@mkdir -p $(dir $(RESULTS))
	cd bench && $(BENCH_ENV) ACT_BENCH_ISA=best $(GO) test -tags purego $(BENCH_FLAGS) | tee $(abspath $(RESULTS:.txt=-purego.txt))
	cd bench && $(BENCH_ENV) ACT_BENCH_ISA=best $(GO) test $(BENCH_FLAGS) | tee $(abspath $(RESULTS:.txt=-asm.txt))
	$(BENCHSTAT) -ignore /isa purego=$(RESULTS:.txt=-purego.txt) asm=$(RESULTS:.txt=-asm.txt)

gofmt-check:
	@out=$$(gofmt -l .); \
	if [ -n "$$out" ]; then echo 'gofmt-check: these files need gofmt:' >&2; echo "$$out" >&2; exit 1; fi
