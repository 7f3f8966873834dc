package pipes

import (
	"slices"
	"testing"

	"github.com/simdact/act"
)

func BenchmarkPipes(b *testing.B) {
	for _, c := range []struct {
		name string
		tier string // the act tier whose instructions the loop needs
		f    func(int)
	}{
		{"zmm/FMA", "avx512", zFMA},
		{"zmm/FMA+MAX", "avx512", zMax},
		{"zmm/FMA+MAX+ADD", "avx512", zMaxAdd},
		{"zmm/FMA+MUL", "avx512", zMul},
		{"zmm/FMA+MAX+RNDSCALE", "avx512", zMaxRound},
		{"zmm/FMA+SCALEF", "avx512", zScale},
		{"zmm/FMA+MAX+SCALEF", "avx512", zMaxScale},
		{"zmm/FMA+MAX+TERNLOG", "avx512", zMaxTernlog},
		{"zmm/FMA+MAX+BROADCAST", "avx512", zMaxBroadcast},
		{"zmm/FMA+DIV", "avx512", zDiv},
		{"zmm/FMA+3DIV", "avx512", zDiv3},
		{"ymm/FMA", "avx2", yFMA},
		{"ymm/FMA+MAX", "avx2", yMax},
		{"ymm/FMA+BLENDV", "avx2", yBlendv},
		{"ymm/FMA+MAX+ANDN", "avx2", yMaxAndn},
		{"ymm/FMA+DIV", "avx2", yDiv},
	} {
		b.Run(c.name, func(b *testing.B) {
			if !slices.Contains(act.ISAs(), c.tier) {
				b.Skipf("this CPU has no %s tier", c.tier)
			}
			c.f(b.N)
		})
	}
}
