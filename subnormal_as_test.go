package act

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/simdact/act/kernels"
)

// TestSubnormalAs holds every pass that kernels.Entry.SubnormalAs or
// SubnormalTimes lists to its claim: for a subnormal x (every 61st
// magnitude, the extremes, both signs) the pass gives, bit for bit, what it
// gives for the listed magnitude with x's sign (SubnormalAs), or the
// product c x rounded once (SubnormalTimes: dy y for a backward pass that
// reads y), with dy over 20 binades of both signs and, in every seventh
// lane, zeros, subnormal, tiny, huge and infinite values and NaN, at the
// default parameters, a variation of them and the test
// parameters (and, for a coefficient that is a parameter, at -2, 0, 1e-30,
// 3e38, +Inf and NaN), on every tier, with asm.SubnormalAssists set both
// ways where there is one (set, the assembly reads such an x as that number,
// or forms the product from x's bits; clear, it computes on x itself), into
// a separate slice and in place.
func TestSubnormalAs(t *testing.T) {
	var x []float32
	for m := uint32(1); m < 1<<23; m += 61 {
		for _, b := range []uint32{m, 1<<23 - m} {
			x = append(x, math.Float32frombits(b), math.Float32frombits(b|1<<31))
		}
	}
	n := len(x)
	dy := make([]float32, n)
	for i := range dy {
		dy[i] = float32(math.Ldexp(1+float64(i%13)/13, i%40-20))
		if i%3 == 0 {
			dy[i] = -dy[i]
		}
	}
	dySpecial := []float32{0, float32(math.Copysign(0, -1)), 0x1p-149, -0x1p-130, 0x1p-110, 3e38, -3e38, inf32, -inf32, nan32}
	for i := 6; i < n; i += 7 {
		dy[i] = dySpecial[(i/7)%len(dySpecial)]
	}
	// check runs e's pass dir at p on every tier, and compares each result
	// with want's: into a separate slice, and in place (dst = x) from the
	// third element on (another alignment, another tail).
	check := func(t *testing.T, e *kernels.Entry, dir string, p []float32, want func(i int) float32) {
		forAssists(t, func(t *testing.T) {
			forTiers(t, func(t *testing.T) {
				for _, from := range []int{0, 3} {
					got, in := make([]float32, n-from), x[from:]
					if from > 0 {
						in = slices.Clone(in)
						got = in
					}
					if dir == "fwd" {
						run(e.Kernel(dir), got, in, nil, nil, p)
					} else {
						run(e.Kernel(dir), got, dy[from:], in, nil, p)
					}
					for i := range got {
						if w := want(from + i); !sameBits(got[i], w) {
							at := fmt.Sprintf("x = %g", x[from+i])
							if dir == "bwd" {
								at += fmt.Sprintf(", dy = %g", dy[from+i])
							}
							t.Fatalf("from %d, at %s: %g, want %g", from, at, got[i], w)
						}
					}
				}
			})
		})
	}
	for _, e := range kernels.All {
		if len(e.SubnormalAs) == 0 && len(e.SubnormalTimes) == 0 {
			continue
		}
		if e.Shape != kernels.Elementwise {
			t.Fatalf("%s: SubnormalAs or SubnormalTimes on a channelwise entry", e.Name)
		}
		params := append([][]float32{e.Defaults(), altParams(e.Defaults())}, e.TestParams...)
		for i, p := range params {
			for dir, as := range e.SubnormalAs {
				if dir != "fwd" && !(dir == "bwd" && e.Reads == kernels.ReadsX) {
					t.Fatalf("%s: SubnormalAs lists %q: only fwd, and bwd where it reads x", e.Name, dir)
				}
				if as != 0 && (as < 0x1p-126 || math.IsInf(float64(as), 0)) {
					t.Fatalf("%s %s: SubnormalAs %g is neither 0 nor a normal number", e.Name, dir, as)
				}
				z := make([]float32, n)
				for i, v := range x {
					z[i] = float32(math.Copysign(float64(as), float64(v)))
				}
				want := make([]float32, n)
				if dir == "fwd" {
					run(e.Kernel(dir), want, z, nil, nil, p)
				} else {
					run(e.Kernel(dir), want, dy, z, nil, p)
				}
				t.Run(fmt.Sprintf("%s%v/%s/as", e.Name, p, dir), func(t *testing.T) {
					check(t, e, dir, p, func(i int) float32 { return want[i] })
				})
			}
			for dir, times := range e.SubnormalTimes {
				if times.Dy {
					if dir != "bwd" || e.Reads != kernels.ReadsY {
						t.Fatalf("%s: SubnormalTimes lists %q with Dy: only bwd, where it reads y", e.Name, dir)
					}
					t.Run(fmt.Sprintf("%s%v/%s/times", e.Name, p, dir), func(t *testing.T) {
						check(t, e, dir, p, func(i int) float32 {
							return float32(float64(dy[i]) * float64(x[i])) // exact, then rounded once
						})
					})
					continue
				}
				if dir != "fwd" {
					t.Fatalf("%s: SubnormalTimes lists %q: only fwd, and bwd with Dy", e.Name, dir)
				}
				ps := [][]float32{p}
				if times.NegParam != "" && i == 0 {
					for _, c := range []float32{-2, 0, 1e-30, 3e38, inf32, nan32} {
						q := append([]float32(nil), p...)
						q[e.ParamIndex(times.NegParam)] = c
						ps = append(ps, q)
					}
				}
				for _, p := range ps {
					pos, neg := times.Coefs(e, p)
					t.Run(fmt.Sprintf("%s%v/%s/times", e.Name, p, dir), func(t *testing.T) {
						check(t, e, dir, p, func(i int) float32 {
							c := pos
							if x[i] < 0 {
								c = neg
							}
							return float32(float64(c) * float64(x[i])) // exact, then rounded once
						})
					})
				}
			}
			if len(e.Params) == 0 {
				break
			}
		}
	}
}
