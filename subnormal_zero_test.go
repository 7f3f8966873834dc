package act

import (
	"fmt"
	"math"
	"testing"

	"github.com/simdact/act/kernels"
)

// TestSubnormalAsZero holds every pass that kernels.Entry.SubnormalAsZero
// lists to its claim: for a subnormal x (every 61st magnitude, the extremes,
// both signs) the pass gives, bit for bit, what it gives for a zero of x's
// sign, with dy over 20 binades of both signs, at the default parameters,
// a variation of them and the test parameters, on every tier (on a CPU
// with assists, the assembly tiers read such an x as zero: there the
// generic tier is the one that checks the claim).
func TestSubnormalAsZero(t *testing.T) {
	var x, z []float32
	for m := uint32(1); m < 1<<23; m += 61 {
		for _, b := range []uint32{m, 1<<23 - m} {
			x = append(x, math.Float32frombits(b), math.Float32frombits(b|1<<31))
			z = append(z, 0, float32(math.Copysign(0, -1)))
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
		if len(e.SubnormalAsZero) == 0 {
			continue
		}
		if e.Shape != kernels.Elementwise {
			t.Fatalf("%s: SubnormalAsZero on a channelwise entry", e.Name)
		}
		for _, p := range append([][]float32{e.Defaults(), altParams(e.Defaults())}, e.TestParams...) {
			for _, dir := range e.SubnormalAsZero {
				if dir != "fwd" && !(dir == "bwd" && e.Reads == kernels.ReadsX) {
					t.Fatalf("%s: SubnormalAsZero lists %q: only fwd, and bwd where it reads x", e.Name, dir)
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
