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

// BenchmarkSubnormal times each instruction on normal operands and on
// subnormal ones (ns per instruction): in = a subnormal input, the result
// normal; out = normal inputs, a subnormal result; in+out = both. A CPU that
// takes a slow path for subnormal numbers shows it here, instruction by
// instruction.
func BenchmarkSubnormal(b *testing.B) {
	const (
		tiny = 0x1p-130 // subnormal
		big  = 0x1p20
	)
	type ops struct{ a, b, c float32 }
	for _, c := range []struct {
		name  string
		tier  string
		f     func(int, float32, float32, float32)
		k     int // instructions per iteration
		cases map[string]ops
	}{
		{"zmm/FMA", "avx512", zFMAv, 12, map[string]ops{
			"normal": {1.5, 1.25, 1}, "in": {tiny, big, 0}, "out": {0x1p-70, 0x1p-70, 0}, "in+out": {tiny, 1.25, 0},
			"addend-in": {1.5, 1.25, tiny}}},
		{"zmm/MUL", "avx512", zMulv, 12, map[string]ops{
			"normal": {1.5, 1.25, 0}, "in": {tiny, big, 0}, "out": {0x1p-70, 0x1p-70, 0}, "in+out": {tiny, 1.25, 0}}},
		{"zmm/ADD", "avx512", zAddv, 12, map[string]ops{
			"normal": {1.5, 1.25, 0}, "in": {tiny, 1.25, 0}, "out": {0x1.8p-126, -0x1.4p-126, 0}, "in+out": {tiny, tiny, 0}}},
		{"zmm/MAX", "avx512", zMaxv, 12, map[string]ops{"normal": {1.5, 1.25, 0}, "in": {tiny, 1.25, 0}, "in+out": {tiny, -tiny, 0}}},
		{"zmm/CMP", "avx512", zCmpv, 12, map[string]ops{"normal": {1.5, 1.25, 0}, "in": {tiny, 1.25, 0}}},
		{"zmm/RNDSCALE", "avx512", zRoundv, 12, map[string]ops{"normal": {0, 1.25, 0}, "in": {0, tiny, 0}}},
		{"zmm/GETEXP", "avx512", zGetexpv, 12, map[string]ops{"normal": {0, 1.25, 0}, "in": {0, tiny, 0}}},
		{"zmm/SCALEF", "avx512", zScalev, 12, map[string]ops{
			"normal": {-3, 1.25, 0}, "in": {20, tiny, 0}, "out": {-130, 1.25, 0}}},
		{"zmm/DIV", "avx512", zDivv, 12, map[string]ops{
			"normal": {1.4142135, 1.236068, 0}, "in": {0x1p-20, tiny, 0}, "out": {0x1p70, 0x1p-60, 0}}},
		{"ymm/FMA", "avx2", yFMAv, 10, map[string]ops{
			"normal": {1.5, 1.25, 1}, "in": {tiny, big, 0}, "out": {0x1p-70, 0x1p-70, 0}, "in+out": {tiny, 1.25, 0}}},
		{"ymm/MUL", "avx2", yMulv, 10, map[string]ops{
			"normal": {1.5, 1.25, 0}, "in": {tiny, big, 0}, "out": {0x1p-70, 0x1p-70, 0}, "in+out": {tiny, 1.25, 0}}},
		{"ymm/ADD", "avx2", yAddv, 10, map[string]ops{
			"normal": {1.5, 1.25, 0}, "in": {tiny, 1.25, 0}, "out": {0x1.8p-126, -0x1.4p-126, 0}, "in+out": {tiny, tiny, 0}}},
	} {
		for _, name := range []string{"normal", "in", "out", "in+out", "addend-in"} {
			o, ok := c.cases[name]
			if !ok {
				continue
			}
			b.Run(c.name+"/"+name, func(b *testing.B) {
				if !slices.Contains(act.ISAs(), c.tier) {
					b.Skipf("this CPU has no %s tier", c.tier)
				}
				c.f(b.N, o.a, o.b, o.c)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*c.k), "ns/instr")
			})
		}
	}
}
