package act

import "math"

// The scalar operations of the generated Go kernels (zfallback_*.go). Each
// matches one vector instruction of the assembly tiers bit for bit.

// kernelFunc is the signature every kernel, of every tier, shares.
type kernelFunc func(n int, dst, a, b, c *float32, p *[4]float32)

// min32 is a < b ? a : b: x86 MINPS, which returns b when either is NaN.
func min32(a, b float32) float32 { return sel32(a < b, a, b) }

// max32 is a > b ? a : b: x86 MAXPS, which returns b when either is NaN.
func max32(a, b float32) float32 { return sel32(a > b, a, b) }

// sel32 is m ? a : b, on the bits so that the compiler can use a
// conditional move: activations see random signs, and a branch would be
// mispredicted half the time.
func sel32(m bool, a, b float32) float32 {
	ra, r := math.Float32bits(a), math.Float32bits(b)
	if m {
		r = ra // both moved out of the vector registers first: CMOV, not a branch
	}
	return math.Float32frombits(r)
}

// negZero32 is -0 (Go's constant -0.0 is +0), for the generated code.
var negZero32 = math.Float32frombits(1 << 31)

func abs32(a float32) float32 { return math.Float32frombits(math.Float32bits(a) &^ (1 << 31)) }

// negPos32 is -a for a > 0 (and for a NaN with the sign bit clear), a
// elsewhere, +0 included: the bits plus 2^31 - 1 carry into the sign bit
// exactly when they are nonzero, and or-ing that sign in is a no-op for a
// negative a. The Go code's range-only cap at 0 (see gen/golang).
func negPos32(a float32) float32 {
	b := math.Float32bits(a)
	return math.Float32frombits(b | (b+(1<<31-1))&(1<<31))
}

// xorSign32 is a with its sign flipped where s's sign bit is set.
func xorSign32(a, s float32) float32 {
	return math.Float32frombits(math.Float32bits(a) ^ math.Float32bits(s)&(1<<31))
}

// sqrt32 is the correctly rounded float32 square root: the float64 root,
// rounded again, is never off (53 >= 2*24 + 2).
func sqrt32(a float32) float32 { return float32(math.Sqrt(float64(a))) }

// fma32 is a*b + c rounded once to float32, as VFMADD231PS and FMLA compute it.
//
// The product is exact in float64; the sum s is rounded once to float64 and
// then again to float32. That second rounding can go wrong only when s lies
// exactly halfway between two float32 while the exact sum does not;
// fmaTie flags those (and a few others), fma32Tie settles them.
func fma32(a, b, c float32) float32 {
	s := float64(a)*float64(b) + float64(c)
	r := float32(s)
	if fmaTie(s, r) {
		return fma32Tie(a, b, c, s)
	}
	return r
}

// fmaTie reports whether r = float32(s) may differ from the correctly
// rounded a*b + c, s being that sum rounded to float64: whether s may lie
// halfway between two float32. (Elsewhere the float64 rounding cannot have
// crossed a float32 halfway point, a float64 number itself, and r is right.)
// In float32's normal range s is halfway exactly when the 29 bits that
// float32 drops are 1000...0. Below it, where the halfway points are the odd
// multiples of 2^-150, s is halfway exactly when it lies 2^-150 from r (the
// difference is exact). Only those go the slow way: products of operands
// with few significant bits (a constant rounded to a multiple of 2^-18, a
// tiny x) leave many exact subnormal sums whose low bits are zero, and a
// test of the bits alone sent them all there. The tests run in that order,
// so that ordinary sums and zeros decide at the first two, the same way
// nearly every time.
func fmaTie(s float64, r float32) bool {
	b := math.Float64bits(s)
	return b&(1<<29-1) == 1<<28 ||
		b<<1-1 < (1023-126)<<53-1 && math.Abs(s-float64(r)) == 0x1p-150 // 0 < |s| < 2^-126
}

// fma32Tie rounds a*b + c = s + e (e the float64 rounding error, from
// TwoSum) to float32 where fmaTie says float32(s) may be off.
func fma32Tie(a, b, c float32, s float64) float32 {
	r := float32(s)
	if float64(r) == s || math.IsNaN(s) || math.IsInf(s, 0) || math.IsInf(float64(r), 0) {
		return r
	}
	lo, hi := r, r
	if float64(r) < s {
		hi = math.Nextafter32(r, float32(math.Inf(1)))
	} else {
		lo = math.Nextafter32(r, float32(math.Inf(-1)))
	}
	if s != float64(lo)/2+float64(hi)/2 {
		return r // not a tie: the rounding was right
	}
	p := float64(a) * float64(b)
	bb := s - p
	e := (p - (s - bb)) + (float64(c) - bb) // exact sum = s + e
	switch {
	case e > 0:
		return hi
	case e < 0:
		return lo
	}
	return r
}

// round32 is a rounded to an integer, ties to even (VRNDSCALEPS, VROUNDPS, FRINTN).
func round32(a float32) float32 { return float32(math.RoundToEven(float64(a))) }

// scale32 is a*2^n rounded once to float32, for an integral n in
// [-226, 254], as VSCALEFPS computes it. For n >= -126 it is the AVX2 and
// NEON kernels' two products, a * 2^n1 * 2^n2 with n1 = min(n, 127), both
// powers built in the exponent field (see the AVX2 lowering); below, the
// product in float64, exact there, rounded once to float32: the same bits,
// where a float32 product of normal operands whose result is subnormal
// takes a microcode assist on x86, several times the time of the step.
func scale32(a, n float32) float32 {
	if n < -126 {
		return float32(float64(a) * math.Float64frombits(uint64(int64(n)+1023)<<52))
	}
	n1 := min(n, 127)
	s1 := math.Float32frombits(uint32(int32(n1)+127) << 23)
	s2 := math.Float32frombits(uint32(int32(n-n1)+127) << 23)
	return float32(a*s1) * s2
}
