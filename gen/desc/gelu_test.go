package desc

import (
	"math"
	"math/big"
	"testing"

	"github.com/simdact/act/gen/ir"
	"github.com/simdact/act/kernels"
)

// TestGeluTanhW holds geluTanh's heads and tails to what its comment
// claims, on x over [-12, 12] (one float32 in 2^14 and the ends): each
// a' - Sh of plusA is exact, w = wh + wl is z/ln2 to 2^-38 of itself, and
// x z' = h + l (xdz) to 2^-38 as well, less the errors xdz leaves out
// (x^2's rounding and 3B's, 2^-23 of 3B x^3 at most); where the tails are
// subnormal, to their grid (2^-148).
func TestGeluTanhW(t *testing.T) {
	var g geluTanh
	var zh, zl *ir.Value
	k := ir.Build("gelu_tanh_w_test", func(b *ir.Builder) {
		g = geluTanhZ(b, b.Load(ir.A))
		zh, zl = g.xdz(b)
		b.Store(b.Add(b.Add(g.wh, g.wl), b.Add(zh, zl))) // keeps every part live
	})
	exact := func(f func(x *big.Float) *big.Float, x float32) float64 {
		r, _ := f(new(big.Float).SetPrec(200).SetFloat64(float64(x))).Float64()
		return r
	}
	c := new(big.Float).SetPrec(200).SetFloat64(2 * kernels.GELUTanhC)
	k3 := new(big.Float).SetPrec(200).SetFloat64(kernels.GELUTanhK)
	// float64's ln2, 2^-54 off, well below the bound.
	ln2 := new(big.Float).SetPrec(200).SetFloat64(math.Ln2)
	// w = 2 sqrt(2/pi) (x + k x^3)/ln2.
	w := func(x *big.Float) *big.Float {
		t := new(big.Float).SetPrec(200).Mul(x, x)
		t.Mul(t, x).Mul(t, k3).Add(t, x).Mul(t, c)
		return t.Quo(t, ln2)
	}
	// x z' = 2 sqrt(2/pi) x (1 + 3k x^2).
	xdz := func(x *big.Float) *big.Float {
		t := new(big.Float).SetPrec(200).Mul(x, x)
		t.Mul(t, k3).Mul(t, new(big.Float).SetFloat64(3)).Add(t, new(big.Float).SetFloat64(1))
		return t.Mul(t, x).Mul(t, c)
	}
	var xs []float32
	for b := uint32(0); b <= math.Float32bits(12); b += 1 << 14 {
		xs = append(xs, math.Float32frombits(b), -math.Float32frombits(b))
	}
	xs = append(xs, 12, -12)
	subs := 0
	for _, x := range xs {
		val := map[*ir.Value]float32{}
		eval(k, [4]float32{0, x, 0, 0}, [4]float32{}, func(v *ir.Value, args []float32, r float32) {
			val[v] = r
			// plusA's a' - Sh: a constant less the FMA that it is the addend of.
			if v.Op == ir.OpSub && v.Args[0].Op == ir.OpConst && v.Args[1].Op == ir.OpFMA && v.Args[1].Args[2] == v.Args[0] {
				subs++
				if float64(args[0])-float64(args[1]) != float64(r) {
					t.Errorf("x = %g: %v = %g - %g = %g is not exact", x, v, args[0], args[1], r)
				}
			}
		})
		if want := exact(w, x); math.Abs(float64(val[g.wh])+float64(val[g.wl])-want) > 0x1p-38*math.Abs(want)+0x1p-148 {
			t.Errorf("x = %g: w = %g + %g, want %g (%.3g relative)", x, val[g.wh], val[g.wl], want,
				(float64(val[g.wh])+float64(val[g.wl])-want)/want)
		}
		left := 0x1p-23 * 3 * 2 * kernels.GELUTanhC * kernels.GELUTanhK * math.Abs(float64(x*x*x))
		if want := exact(xdz, x); math.Abs(float64(val[zh])+float64(val[zl])-want) > 0x1p-38*math.Abs(want)+left+0x1p-148 {
			t.Errorf("x = %g: x z' = %g + %g, want %g", x, val[zh], val[zl], want)
		}
	}
	if subs != 2*len(xs) {
		t.Errorf("found %d of plusA's subtractions, want %d (two an input)", subs, 2*len(xs))
	}
}
