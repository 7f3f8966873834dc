package kernels

import "math"

// ULPError is the error of got against the float64 reference ref, in ULPs
// (SPEC section 4): |got - ref| / ulp(ref), where ulp(ref) is the spacing of
// float32 at |ref|, floored at 2^-149 (the SLEEF and Highway convention). A
// NaN on one side only, or an infinity (or float32 overflow of ref) that does
// not match exactly, is an infinite error.
func ULPError(got float32, ref float64) float64 {
	g := float64(got)
	switch {
	case math.IsNaN(g) || math.IsNaN(ref):
		if math.IsNaN(g) && math.IsNaN(ref) {
			return 0
		}
		return math.Inf(1)
	case math.IsInf(g, 0) || math.IsInf(float64(float32(ref)), 0):
		if g == float64(float32(ref)) {
			return 0
		}
		return math.Inf(1)
	}
	return math.Abs(g-ref) / ULP(ref)
}

// ULP is the spacing of float32 at |r|, floored at 2^-149 (r finite).
func ULP(r float64) float64 {
	r = math.Abs(r)
	if r < 0x1p-126 {
		return 0x1p-149
	}
	_, e := math.Frexp(r) // r = f * 2^e, f in [0.5, 1)
	return math.Ldexp(1, e-24)
}
