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

// TestFollow fits 2^r = 1 + r (c + r q(r)) with c = float32(ln2), as exp2Q
// does: the exchange follows q's smooth part (Follow), and the error is
// measured against the whole of q's function, whose pole (ln2 - c)/r no
// polynomial follows. Fitted against that whole function instead, the
// exchange loses its alternation near the pole.
func TestFollow(t *testing.T) {
	c := float64(float32(math.Ln2))
	smooth := func(r float64) float64 {
		if l := math.Ln2; math.Abs(r) < 1e-4 {
			return l*l/2 + l*l*l*r/6 + l*l*l*l*r*r/24
		}
		return (math.Expm1(r*math.Ln2) - r*math.Ln2) / (r * r)
	}
	whole := func(r float64) float64 {
		if math.Abs(r) < 1e-4 {
			return smooth(r)
		}
		return smooth(r) + (math.Ln2-c)/r
	}
	pr := Problem{
		Name: "exp2", F: whole, Follow: smooth,
		W: func(r float64) float64 { return r * r / math.Exp2(r) },
		A: -0.5, B: 0.5, Degree: 4,
	}
	p := pr.Solve()
	t.Logf("%v %v", p.C, p)
	if p.Err > 0x1p-27 {
		t.Errorf("exp2 fit error %g, want below 2^-27", p.Err)
	}
	// The measured error includes the pole's part, (ln2 - c) r 2^-r.
	if pole := math.Abs(math.Ln2-c) * 0.5 / math.Sqrt2; p.Err < pole {
		t.Errorf("error %g below the pole's own %g: not measured against F", p.Err, pole)
	}
	pr.Follow = nil
	if q := pr.Solve(); !(q.Err > 8*p.Err) {
		t.Errorf("without Follow the fit errs by %g, with it %g: the test shows nothing", q.Err, p.Err)
	}
}
