package fit

import (
	"math"
	"testing"
)

// expQ is the fit the exp kernels use: e^r = 1 + r + r^2 q(r).
func TestExpFit(t *testing.T) {
	pr := Problem{
		Name: "exp",
		F: func(r float64) float64 {
			if math.Abs(r) < 1e-4 {
				return 0.5 + r/6 + r*r/24 + r*r*r/120
			}
			return (math.Expm1(r) - r) / (r * r)
		},
		W:      func(r float64) float64 { return r * r / math.Exp(r) },
		A:      -math.Ln2 / 2,
		B:      math.Ln2 / 2,
		Degree: 4,
	}
	p := pr.Solve()
	t.Logf("%v %v", p.C, p)
	if p.Err > 0x1p-26 {
		t.Errorf("exp fit error %g", p.Err)
	}
	if math.Abs(float64(p.C[0])-0.5) > 1e-6 {
		t.Errorf("c0 = %g, want about 1/2", p.C[0])
	}
}
