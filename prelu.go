package act

import "fmt"

// PReLU computes dst[i] = x[i] for x[i] >= 0 and slope[c]*x[i] below, where
// c = i mod len(slope): x is a sequence of rows whose last axis is the channel,
// and the slopes are broadcast over the rows (PyTorch's default is one slope,
// 0.25). len(x) must be a multiple of len(slope); dst may be x itself.
func PReLU(dst, x, slope []float32) {
	n := check2("PReLU", dst, x)
	c := checkSlope("PReLU", n, slope)
	if shares(dst, slope) {
		panic("act.PReLU: dst shares memory with slope")
	}
	if n == 0 {
		return
	}
	if c == 1 {
		LeakyReLU(dst, x, slope[0])
		return
	}
	var p [4]float32
	for i := 0; i < n; i += c {
		preluFwd(c, &dst[i], &x[i], &slope[0], nil, &p)
	}
}

// PReLUBackward computes dx[i] = dy[i] for x[i] > 0 and slope[c]*dy[i]
// elsewhere, and accumulates the slopes' gradient:
// dslope[c] += sum over rows of dy[i]*x[i] where x[i] < 0 (each row's term
// added with one rounding). len(dslope) == len(slope); dx may be dy or x.
func PReLUBackward(dx, dslope, dy, x, slope []float32) {
	n := check3("PReLUBackward", "x", dx, dy, x)
	c := checkSlope("PReLUBackward", n, slope)
	if len(dslope) != c {
		panic(fmt.Sprintf("act.PReLUBackward: len(dslope) = %d, len(slope) = %d", len(dslope), c))
	}
	if shares(dslope, dx) || shares(dslope, dy) || shares(dslope, x) || shares(dslope, slope) {
		panic("act.PReLUBackward: dslope shares memory with another slice")
	}
	if shares(dx, slope) {
		panic("act.PReLUBackward: dx shares memory with slope")
	}
	var p [4]float32
	for i := 0; i < n; i += c {
		// dslope first: dx may be dy or x itself.
		preluDslope(c, &dslope[0], &dy[i], &x[i], nil, &p)
		preluBwd(c, &dx[i], &dy[i], &x[i], &slope[0], &p)
	}
}

func checkSlope(fn string, n int, slope []float32) int {
	c := len(slope)
	if c == 0 || n%c != 0 {
		panic(fmt.Sprintf("act.%s: len(x) = %d is not a multiple of len(slope) = %d", fn, n, c))
	}
	return c
}
