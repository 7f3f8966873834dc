package act

import (
	"fmt"
	"math"
	"testing"

	"github.com/simdact/act/kernels"
)

// TestSubnormalAs holds every pass that kernels.Entry.SubnormalAs lists to
// its claim: for a subnormal x (every 61st magnitude, the extremes, both
// signs) the pass gives, bit for bit, what it gives for the listed
// magnitude with x's sign, with dy over 20 binades of both signs, at the
// default parameters,
// a variation of them and the test parameters, on every tier (on a CPU
// with assists, the assembly tiers read such an x as zero: there the
// generic tier is the one that checks the claim).
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
	for _, e := range kernels.All {
		if len(e.SubnormalAs) == 0 {
			continue
		}
		if e.Shape != kernels.Elementwise {
			t.Fatalf("%s: SubnormalAs on a channelwise entry", e.Name)
		}
		for _, p := range append([][]float32{e.Defaults(), altParams(e.Defaults())}, e.TestParams...) {
			for dir, as := range e.SubnormalAs {
				if dir != "fwd" && !(dir == "bwd" && e.Reads == kernels.ReadsX) {
					t.Fatalf("%s: SubnormalAs lists %q: only fwd, and bwd where it reads x", e.Name, dir)
				}
				if as != 0 && (as < 0x1p-126 || math.IsInf(float64(as), 0)) {
					t.Fatalf("%s %s: SubnormalAs %g is neither 0 nor a normal number", e.Name, dir, as)
				}
				z := make([]float32, len(x))
				for i, v := range x {
					z[i] = float32(math.Copysign(float64(as), float64(v)))
				}
				name := fmt.Sprintf("%s%v/%s", e.Name, p, dir)
				t.Run(name, func(t *testing.T) {
					pass := func(dst, in []float32) {
						if dir == "fwd" {
							run(e.Kernel(dir), dst, in, nil, nil, p)
						} else {
							run(e.Kernel(dir), dst, dy, in, nil, p)
						}
					}
					forTiers(t, func(t *testing.T) {
						got, want := make([]float32, n), make([]float32, n)
						pass(got, x)
						pass(want, z)
						for i := range got {
							if !sameBits(got[i], want[i]) {
								at := fmt.Sprintf("x = %g", x[i])
								if dir == "bwd" {
									at += fmt.Sprintf(", dy = %g", dy[i])
								}
								t.Fatalf("at %s: %g, at x = %g: %g", at, got[i], z[i], want[i])
							}
						}
					})
				})
			}
			if len(e.Params) == 0 {
				break
			}
		}
	}
}
