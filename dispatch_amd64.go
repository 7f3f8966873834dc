//go:build amd64 && gc && !purego

package act

import (
	"os"

	"github.com/klauspost/cpuid/v2"

	"github.com/simdact/act/asm"
)

// tierFeatures lists, per tier, exactly the CPU features its generated code
// uses (the "// Requires:" lines Avo writes; TestRequires holds the two
// together). cpuid reports an AVX feature only when the OS saves its state.
var tierFeatures = map[Tier][]cpuid.FeatureID{
	tierAVX512: {cpuid.AVX, cpuid.AVX512F, cpuid.AVX512DQ},
	tierAVX2:   {cpuid.AVX, cpuid.AVX2, cpuid.FMA3},
}

func detectTiers() []Tier {
	// Intel's cores take a microcode assist, some hundred cycles, for each
	// FMA, product or scale that reads or rounds to a subnormal number;
	// AMD's compute those at full speed (bench/pipes: BenchmarkSubnormal).
	// ACT_SUBNORMAL_ASSISTS=1 or 0 says otherwise (to time or test either
	// path on any CPU).
	asm.SubnormalAssists = cpuid.CPU.VendorID == cpuid.Intel
	if s := os.Getenv("ACT_SUBNORMAL_ASSISTS"); s != "" {
		asm.SubnormalAssists = s == "1"
	}
	var ts []Tier
	for _, t := range []Tier{tierAVX512, tierAVX2} {
		if cpuid.CPU.Supports(tierFeatures[t]...) {
			ts = append(ts, t)
		}
	}
	return ts
}

// defaultStreamMin is the length at which dst alone fills half the
// last-level cache, and the input as much again. Where the CPU does not
// report that cache (some virtual machines), 32 MiB is taken: 4M elements.
// On an AMD EPYC (Zen 5, 32 MiB of L3 a core complex), relu forward with
// non-temporal stores took 25% longer at 1M elements (4 MiB, which the L3
// holds) and 22% less at 4M; the short backward passes 12-38% less at 4M
// and 16M; the exp family's forward passes 12-31% less at 4M, but for those
// that stay compute-bound there (softplus and log_sigmoid 5% less,
// tanh_shrink the same), and its backward passes 13-26% less.
func defaultStreamMin() int64 {
	l3 := int64(cpuid.CPU.Cache.L3)
	if l3 <= 0 {
		l3 = 32 << 20
	}
	return l3 / 8
}
