package act

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/simdact/act/kernels"
)

// ulpErr is SPEC section 4's metric (kernels.ULPError).
func ulpErr(got float32, ref float64) float64 { return kernels.ULPError(got, ref) }

// sameBits reports whether a and b are the same float32, any NaN matching any NaN.
func sameBits(a, b float32) bool {
	if a != a || b != b {
		return a != a && b != b
	}
	return math.Float32bits(a) == math.Float32bits(b)
}

// Interesting float32 inputs.
var (
	nan32  = float32(math.NaN())
	inf32  = float32(math.Inf(1))
	negz32 = float32(math.Copysign(0, -1))
)

// specials are the values every kernel sees: zeros, infinities, NaN, the
// subnormal and normal extremes, and small integers.
func specials() []float32 {
	base := []float32{0, 1, 2, 3, 6, 0.5, 0x1p-149, 0x1p-126 - 0x1p-149, 0x1p-126, math.MaxFloat32,
		0x1p-24, 0x1p24, 0x1p63, 0x1p64, 1e10, 1e20, 1e30, 88, 89, 100}
	var out []float32
	for _, v := range base {
		out = append(out, v, -v)
	}
	return append(out, negz32, inf32, -inf32, nan32, -nan32)
}

// neighbours returns v and its float32 neighbours up to k ULPs away.
func neighbours(v float32, k int) []float32 {
	out := []float32{v}
	up, down := v, v
	for i := 0; i < k; i++ {
		up = math.Nextafter32(up, inf32)
		down = math.Nextafter32(down, -inf32)
		out = append(out, up, down)
	}
	return out
}

// testInputs is the deterministic sample of SPEC section 4 for an entry:
// special values, the entry's edges (and the parameters, where the formula
// changes branch) +-3 ULPs, 8192 bit-space-spaced values per sign and 4096
// random ones.
func testInputs(e *kernels.Entry, p []float32) []float32 {
	var in []float32
	in = append(in, specials()...)
	edges := append(slices.Clone(e.Edges), p...)
	for _, q := range p {
		edges = append(edges, -q)
	}
	for _, v := range edges {
		in = append(in, neighbours(v, 3)...)
		in = append(in, neighbours(-v, 3)...)
	}
	const perSign = 8192
	for i := uint32(0); i < perSign; i++ {
		bits := i * (0x7f800000 / perSign)
		in = append(in, math.Float32frombits(bits), math.Float32frombits(bits|1<<31))
	}
	r := rand.New(rand.NewPCG(1, 2))
	// Where exp's 2^n leaves the normal range (x 2^n subnormal, or 0, for
	// n from -126 to -151: x in about [-105, -87] and its mirror), every
	// other lane, so that vectors mix these lanes with others.
	for i := 0; i < 2048; i++ {
		v := float32(-110 + 25*r.Float64())
		if i%4 == 0 {
			v = -v
		}
		in = append(in, v, float32(r.NormFloat64()*4))
	}
	for i := 0; i < 4096; i++ {
		switch i % 3 {
		case 0:
			in = append(in, float32(r.NormFloat64()*4))
		case 1:
			in = append(in, float32(r.NormFloat64()*100))
		default:
			in = append(in, math.Float32frombits(r.Uint32()))
		}
	}
	return in
}

// altParams is a second parameter set for every parameterised entry.
func altParams(p []float32) []float32 {
	out := make([]float32, len(p))
	for i, v := range p {
		out[i] = v*1.5 + 0.25
	}
	return out
}

func params64(p []float32) []float64 {
	out := make([]float64, len(p))
	for i, v := range p {
		out[i] = float64(v)
	}
	return out
}
