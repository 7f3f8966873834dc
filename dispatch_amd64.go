//go:build amd64 && gc && !purego

package act

import "github.com/klauspost/cpuid/v2"

// tierFeatures lists, per tier, exactly the CPU features its generated code
// uses (the "// Requires:" lines Avo writes; TestRequires holds the two
// together). cpuid reports an AVX feature only when the OS saves its state.
var tierFeatures = map[Tier][]cpuid.FeatureID{
	tierAVX512: {cpuid.AVX, cpuid.AVX512F},
	tierAVX2:   {cpuid.AVX, cpuid.AVX2, cpuid.FMA3},
}

func detectTiers() []Tier {
	var ts []Tier
	for _, t := range []Tier{tierAVX512, tierAVX2} {
		if cpuid.CPU.Supports(tierFeatures[t]...) {
			ts = append(ts, t)
		}
	}
	return ts
}
