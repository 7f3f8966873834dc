#!/usr/bin/env bash
# Benchmarks act, and the peers beside it, on an x86-64 machine that has no Go
# toolchain and no network: build everything here, copy one folder there, run.
#
#   bench/remote.sh pack DIR [ANCHORS]  (here) test binaries into DIR; with
#                                       ANCHORS, a built copy of the peers'
#                                       anchors, their driver and libraries too
#   bench/remote.sh run DIR OUT [SECS]  (there, from the repository's root)
#                                       results into OUT, new rounds started
#                                       until SECS seconds (default 240) pass
#
# run writes, in the order of their worth, so that a run cut short keeps the
# most: env.txt (the CPU, act's tests on each tier, the physical limits),
# accuracy.md (make bench's table), then rounds of act.txt (every activation,
# every tier, n = 2048 and 65536, one count a round) beside anchors.csv (the
# peers at the same sizes, one run a round), then act-16m.txt and the peers at
# n = 16777216 for the exp family, subnormal.txt (exp, sigmoid and silu forward
# on AVX-512 and AVX2), and pipes.txt. Everything
# runs on one core (taskset -c CPU, default 1), one thing at a time.
# bench/peers.py act.txt anchors.csv lays the two side by side.
#
# The peers' libraries travel with their own loader and C library, so the
# driver runs whatever the C library there. Build the anchors for the CPU
# there, not for the one here: make CXXFLAGS='-O3 -march=x86-64-v4 ...'.
set -euo pipefail

die() { echo "remote.sh: $*" >&2; exit 1; }

# The exp family, as the peers name its activations.
FAMILY=exp,sigmoid,tanh,softplus,elu,selu,silu,mish,gelu_tanh
# The activations PyTorch's anchor times beside act.
TORCH_ACTS=relu,leaky_relu,relu6,hard_sigmoid,hard_swish,$FAMILY

pack() {
	local dir anchors=${2:-} root
	mkdir -p "$1"
	dir=$(cd "$1" && pwd)
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	(cd "$root" && go test -c -o "$dir/act.test" .)
	(cd "$root/bench" && go test -c -o "$dir/bench.test" . && go test -c -o "$dir/pipes.test" ./pipes)
	if [ -n "$anchors" ]; then
		mkdir -p "$dir/lib"
		cp "$anchors/build/anchors" "$anchors/build/limits" "$anchors/torch_bench.py" "$dir/"
		# Every library the driver loads, the loader itself included.
		ldd "$anchors/build/anchors" "$anchors/build/limits" | awk '/=> \//{print $3} /^\t\/.*ld-linux/{print $1}' |
			sort -u | xargs -I{} cp -L {} "$dir/lib/"
		tar -C "$dir" -cJf "$dir/lib.tar.xz" lib
		rm -rf "$dir/lib"
	fi
	du -sh "$dir"
}

run() {
	local dir out secs
	dir=$(cd "$1" && pwd)
	mkdir -p "$2"
	out=$(cd "$2" && pwd)
	secs=${3:-240}
	local cpu=${CPU:-1} t0=$SECONDS
	local pin=()
	command -v taskset >/dev/null && pin=(taskset -c "$cpu")
	local env=$out/env.txt

	# The peers' libraries, unpacked beside the driver (python3 reads .xz
	# where tar may not).
	local peers=()
	if [ -f "$dir/lib.tar.xz" ]; then
		python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$dir/lib.tar.xz" "$dir"
		local ld
		ld=$(ls "$dir"/lib/ld-linux-x86-64.so.*)
		peers=("$ld" --library-path "$dir/lib")
	fi
	local torch=0
	python3 -c 'import torch, numpy' 2>/dev/null && torch=1

	{
		echo "date: $(date -u +%FT%TZ)"
		echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-) ($(nproc) cpus), pinned to CPU $cpu"
		echo "flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx|fma|amx)' | tr '\n' ' ')"
		command -v lscpu >/dev/null && lscpu | grep -E 'Model name|Thread|Core|Socket|MHz|L1d|L2|L3|NUMA node\(s\)'
		echo "kernel: $(uname -r)"
		[ $torch = 1 ] && echo "torch: $(python3 -c 'import torch; print(torch.__version__, torch.backends.cpu.get_cpu_capability())')"
		[ ${#peers[@]} -gt 0 ] && echo "anchors: $("${peers[@]}" "$dir/anchors" info)"
		# act's own tests, on each tier the CPU runs, from the repository's root.
		for isa in avx512 avx2 generic; do
			printf 'tests, ACT_ISA=%s: ' $isa
			ACT_ISA=$isa ACT_REQUIRE_ISA=$isa "$dir/act.test" -test.count=1 2>&1 | tail -1
		done
		if [ ${#peers[@]} -gt 0 ]; then
			echo "limits (metric,value,alt,unit,detail), 2 runs:"
			for r in 1 2; do "${pin[@]}" "${peers[@]}" "$dir/limits"; done
		fi
	} > "$env" 2>&1
	cat "$env"

	(cd bench && ACT_ACCURACY=1 "$dir/bench.test" -test.run='^TestAccuracyTable$' -test.count=1 -test.v 2>&1 |
		grep -v -e '^=== ' -e '^--- ' -e '^PASS' > "$out/accuracy.md") || echo "accuracy table failed" >> "$env"

	# Rounds, act and the peers in turn, until the time is spent.
	local r=0
	echo "anchor,act,dir,n,run,min_ns,med_ns" > "$out/anchors.csv"
	while [ $r -lt 1 ] || [ $((SECONDS - t0)) -lt "$secs" ]; do
		r=$((r + 1))
		echo "round $r at $((SECONDS - t0)) s" >&2
		ACT_BENCH_N=2048,65536 "${pin[@]}" "$dir/bench.test" -test.run='^$' -test.bench='^Benchmark(Forward|Backward)$' \
			-test.cpu=1 -test.count=1 -test.benchtime=30ms >> "$out/act.txt"
		if [ ${#peers[@]} -gt 0 ]; then
			"${pin[@]}" "${peers[@]}" "$dir/anchors" bench --sizes 2048,65536 --run $r --out "$out/anchors.csv" 2>/dev/null
			DNNL_MAX_CPU_ISA=AVX2 ONEDNN_LABEL=onednn_avx2 "${pin[@]}" "${peers[@]}" "$dir/anchors" bench \
				--anchors onednn_avx2 --sizes 2048,65536 --run $r --out "$out/anchors.csv" 2>/dev/null
		fi
		if [ $torch = 1 ]; then
			"${pin[@]}" python3 "$dir/torch_bench.py" bench --anchor torch --acts "$TORCH_ACTS" --sizes 2048,65536 \
				--run $r --out "$out/anchors.csv" 2>/dev/null || echo "torch bench failed" >> "$env"
		fi
	done
	echo "rounds: $r" >> "$env"

	# DRAM-sized arrays, the exp family's forward and backward.
	echo "n = 16777216 at $((SECONDS - t0)) s" >&2
	ACT_BENCH_N=16777216 ACT_BENCH_FN=$FAMILY ACT_BENCH_ISA=avx512,avx2 "${pin[@]}" "$dir/bench.test" -test.run='^$' \
		-test.bench='^Benchmark(Forward|Backward)$' -test.cpu=1 -test.count=2 -test.benchtime=30ms > "$out/act-16m.txt"
	if [ ${#peers[@]} -gt 0 ]; then
		"${pin[@]}" "${peers[@]}" "$dir/anchors" bench --sizes 16777216 --acts $FAMILY --run 1 \
			--out "$out/anchors.csv" 2>/dev/null
	fi

	echo "subnormal at $((SECONDS - t0)) s" >&2
	"${pin[@]}" "$dir/bench.test" -test.run='^$' -test.bench='^BenchmarkSubnormal$/^fn=(exp|sigmoid|silu)$/^dir=fwd$/^isa=avx' \
		-test.cpu=1 -test.count=3 -test.benchtime=30ms > "$out/subnormal.txt"

	echo "pipes at $((SECONDS - t0)) s" >&2
	"${pin[@]}" "$dir/pipes.test" -test.run='^$' -test.bench=. -test.count=1 > "$out/pipes.txt"
	echo "done in $((SECONDS - t0)) s" | tee -a "$env"
}

case ${1:-} in
pack) [ $# -ge 2 ] || die "usage: remote.sh pack DIR [ANCHORS]"; pack "$2" "${3:-}" ;;
run) [ $# -ge 3 ] || die "usage: remote.sh run DIR OUT [SECS]"; run "$2" "$3" "${4:-240}" ;;
*) die "usage: remote.sh pack DIR [ANCHORS] | run DIR OUT [SECS]" ;;
esac
