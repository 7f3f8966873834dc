package desc

import "github.com/simdact/act/gen/ir"

// Piecewise is the rectifier, clamp and shrink family, with the algebraic
// activations (softsign, sparse_plus, squareplus) that need no exp or log.
// Streams: forward a = x; backward a = dy, b = x.
var Piecewise = family("piecewise", map[string]Desc{
	"relu_fwd": func(b *ir.Builder) {
		b.Store(b.Max(b.Zero(), b.Load(ir.A)))
	},
	"relu_bwd": func(b *ir.Builder) {
		dy, x := b.Load(ir.A), b.Load(ir.B)
		stepGrad(b, dy, x, b.Cmp(ir.GT, x, b.Zero()))
	},

	"relu6_fwd": func(b *ir.Builder) {
		b.Store(b.Clamp(b.Load(ir.A), b.Zero(), b.Const(6, "six")))
	},
	"relu6_bwd": func(b *ir.Builder) {
		dy, x := b.Load(ir.A), b.Load(ir.B)
		stepGrad(b, dy, x, b.And(b.Cmp(ir.GT, x, b.Zero()), b.Cmp(ir.LT, x, b.Const(6, "six"))))
	},

	// p[0] = slope
	"leaky_relu_fwd": func(b *ir.Builder) {
		x := b.Load(ir.A)
		b.Store(leaky(b, x, b.Param(0)))
	},
	"leaky_relu_bwd": func(b *ir.Builder) {
		dy, x := b.Load(ir.A), b.Load(ir.B)
		grad(b, dy, x, b.Select(b.Cmp(ir.GT, x, b.Zero()), b.One(), b.Param(0)))
	},

	// prelu walks one row at a time: b = the channel slopes, lined up with x.
	"prelu_fwd": func(b *ir.Builder) {
		x := b.Load(ir.A)
		b.Store(leaky(b, x, b.Load(ir.B)))
	},
	// dx: a = dy, b = x, c = slope.
	"prelu_bwd": func(b *ir.Builder) {
		dy, x, slope := b.Load(ir.A), b.Load(ir.B), b.Load(ir.C)
		grad(b, dy, x, b.Select(b.Cmp(ir.GT, x, b.Zero()), b.One(), slope))
	},
	// dslope += dy * x where x < 0, rounded once per row: dst = dslope, a = dy, b = x.
	"prelu_dslope": func(b *ir.Builder) {
		acc, dy, x := b.Load(ir.Dst), b.Load(ir.A), b.Load(ir.B)
		neg := b.Select(b.Cmp(ir.GE, x, b.Zero()), b.Zero(), x) // NaN x falls through
		b.Store(b.FMA(dy, neg, acc))
	},

	// p[0] = lo, p[1] = hi
	"hard_tanh_fwd": func(b *ir.Builder) {
		b.Store(b.Clamp(b.Load(ir.A), b.Param(0), b.Param(1)))
	},
	"hard_tanh_bwd": func(b *ir.Builder) {
		dy, x := b.Load(ir.A), b.Load(ir.B)
		stepGrad(b, dy, x, b.And(b.Cmp(ir.GT, x, b.Param(0)), b.Cmp(ir.LT, x, b.Param(1))))
	},

	// (x+3)/6 rather than x/6 + 1/2: near -3 the latter cancels (1e6 ULP).
	// x+3 is exact on [-6, -1.5] (Sterbenz), so the result has two roundings.
	"hard_sigmoid_fwd": func(b *ir.Builder) {
		b.Store(hardSigmoid(b, b.Load(ir.A)))
	},
	// dx = (dy * [|x| < 3]) / 6: one rounding.
	"hard_sigmoid_bwd": func(b *ir.Builder) {
		dy, x := b.Load(ir.A), b.Load(ir.B)
		three := b.Const(3, "three")
		in := b.And(b.Cmp(ir.GT, x, b.Const(-3, "-three")), b.Cmp(ir.LT, x, three))
		ind := b.KeepNaN(x, b.Select(in, b.One(), b.Zero()))
		b.Store(divSix(b, b.Mul(dy, ind)))
	},

	// max(x, -3) * hard_sigmoid(x): below -3 the product is -3 * 0 (so -Inf
	// gives -0, not NaN), above 3 it is x * 1. Three roundings: x+3 (exact
	// below -1.5), the division (divSix) and the product. (With a product
	// by float32(1/6) instead of divSix, the constant's own error makes a
	// fourth, and the sweep finds 2.48 ULP.)
	"hard_swish_fwd": func(b *ir.Builder) {
		x := b.Load(ir.A)
		b.Store(b.Mul(b.Max(b.Const(-3, "-three"), x), hardSigmoid(b, x)))
	},
	// f' = (2x + 3)/6 on [-3, 3]: 2x+3 is exact near the zero at -1.5.
	"hard_swish_bwd": func(b *ir.Builder) {
		dy, x := b.Load(ir.A), b.Load(ir.B)
		mid := divSix(b, b.Add(b.Add(x, x), b.Const(3, "three")))
		g := b.Select(b.Cmp(ir.GT, x, b.Const(3, "three")), b.One(), mid)
		g = b.Select(b.Cmp(ir.LT, x, b.Const(-3, "-three")), b.Zero(), g)
		grad(b, dy, x, g)
	},

	// x / (t + e) with t = 1 + |x| and e its rounding error (TwoSum), by
	// div: one division 1/t, q = x (1/t), then one correction from the
	// exact remainder x - q t (FMA). x is clamped to +-2^60 first so that
	// +-Inf gives +-1.
	"softsign_fwd": safe(func(b *ir.Builder) {
		x := b.Clamp(b.Load(ir.A), b.Const(-0x1p60, "-2^60"), b.Const(0x1p60, "2^60: softsign is +-1 beyond 2^25"))
		t, e := onePlusAbs(b, x)
		b.Store(div(b, x, t, e))
	}),
	// dy / (t+e)^2 = q * (1 - 2e/t) with q = dy/t/t (two divisions rather
	// than a square, which would overflow beyond 2^64). e is dropped beyond
	// 2^60 (there e/t < 2^-60), where an infinite t would make it NaN. |x|
	// is floored at 2^-30: below, t is 1 and q (1 - 2|x|) rounds to q
	// alike, and no step meets a subnormal (a product or quotient that
	// does runs several times slower on x86).
	// (safe: TestTinyInputs holds it to that.)
	"softsign_bwd": safe(func(b *ir.Builder) {
		dy, x := b.Load(ir.A), b.Load(ir.B)
		ax := b.Max(b.Const(0x1p-30, "2^-30: 1 - 2|x| rounds to 1 below"), b.Abs(x))
		t, e := onePlusNonNeg(b, ax)
		e = b.Select(b.Cmp(ir.LT, ax, b.Const(0x1p60, "2^60")), e, b.Zero())
		q := b.Div(b.Div(dy, t), t)
		b.Store(b.FMA(q, b.Mul(b.Const(-2, "minus two"), b.Div(e, t)), q))
	}),

	// p[0] = th, p[1] = value
	"threshold_fwd": func(b *ir.Builder) {
		x := b.Load(ir.A)
		b.Store(b.Select(b.Cmp(ir.LE, x, b.Param(0)), b.Param(1), x))
	},
	"threshold_bwd": func(b *ir.Builder) {
		dy, x := b.Load(ir.A), b.Load(ir.B)
		stepGrad(b, dy, x, b.Cmp(ir.GT, x, b.Param(0)))
	},

	// p[0] = lambda
	"hard_shrink_fwd": func(b *ir.Builder) {
		x := b.Load(ir.A)
		b.Store(b.Select(b.Cmp(ir.LE, b.Abs(x), b.Param(0)), b.Zero(), x))
	},
	"hard_shrink_bwd": shrinkBwd,
	"soft_shrink_fwd": func(b *ir.Builder) {
		x, l := b.Load(ir.A), b.Param(0)
		r := b.Select(b.Cmp(ir.GT, x, l), b.Sub(x, l), b.Add(x, l))
		b.Store(b.Select(b.Cmp(ir.LE, b.Abs(x), l), b.Zero(), r))
	},
	"soft_shrink_bwd": shrinkBwd,

	// (x+1)^2/4 on (-1, 1). x+1 rounds for |x| < 1/2, so its error
	// e = x - (t - 1) (exact: Fast2Sum, |x| < 1) is carried into the square:
	// (t+e)^2 ~ t*t + 2*t*e in one FMA. Then /4 is exact.
	"sparse_plus_fwd": func(b *ir.Builder) {
		x, one := b.Load(ir.A), b.One()
		t := b.Add(x, one)
		e := b.Sub(x, b.Sub(t, one))
		sq := b.FMA(t, t, b.Mul(b.Add(t, t), e))
		mid := b.Mul(sq, b.Const(0.25, "quarter"))
		y := b.Select(b.Cmp(ir.LE, x, b.Const(-1, "minus one")), b.Zero(), mid)
		b.Store(b.Select(b.Cmp(ir.GE, x, one), x, y))
	},
	// dx = dy*(x+1)/2 on (-1, 1), as (dy*x + dy)/2: one rounding.
	"sparse_plus_bwd": func(b *ir.Builder) {
		dy, x, one := b.Load(ir.A), b.Load(ir.B), b.One()
		mid := b.Mul(b.FMA(dy, x, dy), b.Const(0.5, "half"))
		dx := b.Select(b.Cmp(ir.LE, x, b.Const(-1, "minus one")), b.Mul(dy, b.Zero()), mid)
		b.Store(b.Select(b.Cmp(ir.GE, x, one), dy, dx))
	},

	// p[0] = b. See halfRoot for h = sqrt(x^2 + b)/2 = hs + hc.
	// x >= -h: x/2 + h, rounded once (sum3), and no worse than a factor 2
	//          of cancellation (x/2 + h >= h/2);
	// x < -h:  (b/4) / d with d = h - x/2, the cancellation-free form.
	"squareplus_fwd": func(b *ir.Builder) {
		x, bb := b.Load(ir.A), b.Param(0)
		hs, hc := halfRoot(b, x, bb)
		hx := b.Mul(b.Const(0.5, "half"), x)
		pos := sum3(b, hx, hs, hc)
		neg := b.Div(b.Mul(b.Const(0.25, "quarter"), bb), sum3(b, b.Neg(hx), hs, hc))
		b.Store(b.Select(b.Cmp(ir.LT, x, b.Neg(b.Add(hs, hc))), neg, pos))
	},
	// f' = 1/2 + (x/s)/2 for x >= -h (x/s capped at 1 so that +Inf/+Inf gives 1);
	// for x < -h, f' = b / (2 s (s - x)) = (b/4) / (d s) with d = h - x/2,
	// and dy joins the numerator so that a subnormal result is rounded once.
	// The product d*s = P + Pe is carried exactly (FMA): num/(P + Pe) =
	// t - t*Pe/P with t = num/P. Below -2^60, d*s would overflow: there the
	// two divisions go one by one.
	"squareplus_bwd": func(b *ir.Builder) {
		dy, x, bb := b.Load(ir.A), b.Load(ir.B), b.Param(0)
		hs, hc := halfRoot(b, x, bb)
		h := b.Add(hs, hc)
		s := b.Add(h, h)
		half := b.Const(0.5, "half")
		num := b.Mul(dy, b.Mul(b.Const(0.25, "quarter"), bb))
		d := sum3(b, b.Mul(b.Const(-0.5, "minus half"), x), hs, hc)
		P := b.Mul(d, s)
		t := b.Div(num, P)
		near := b.FMA(b.Neg(t), b.Div(b.FMA(d, s, b.Neg(P)), P), t)
		far := b.Cmp(ir.LT, x, b.Const(-0x1p60, "-2^60: d*s overflows from -2^64"))
		neg := b.Select(far, b.Div(b.Div(num, d), s), near)
		pos := b.Mul(dy, b.FMA(half, b.Min(b.Div(x, s), b.One()), half))
		b.Store(b.KeepNaN(x, b.Select(b.Cmp(ir.LT, x, b.Neg(h)), neg, pos)))
	},
})

// leaky is x >= 0 ? x : slope*x, NaN passed through.
func leaky(b *ir.Builder, x, slope *ir.Value) *ir.Value {
	return b.Select(b.Cmp(ir.GE, x, b.Zero()), x, b.Mul(slope, x))
}

// divSix is y/6 without a division (which costs several times three FMAs):
// t = y * (1/6) rounded, then the remainder y - 6t, exact by FMA, corrects it:
// t + (y - 6t)/6. The result is the correctly rounded quotient but for ties
// at the last bit, within half an ULP plus 2^-48 relative.
func divSix(b *ir.Builder, y *ir.Value) *ir.Value {
	sixth := b.Const(1.0/6, "1/6 rounded to float32")
	t := b.Mul(y, sixth)
	return b.FMA(b.FMA(b.Const(-6, "minus six"), t, y), sixth, t)
}

// hardSigmoid is (clamp(x, -3, 3) + 3) / 6: clamping first keeps the
// infinities out of divSix and puts the result in [0, 1] exactly.
func hardSigmoid(b *ir.Builder, x *ir.Value) *ir.Value {
	x = b.Clamp(x, b.Const(-3, "-three"), b.Const(3, "three"))
	return divSix(b, b.Add(x, b.Const(3, "three")))
}

func shrinkBwd(b *ir.Builder) {
	dy, x := b.Load(ir.A), b.Load(ir.B)
	stepGrad(b, dy, x, b.Cmp(ir.GT, b.Abs(x), b.Param(0)))
}

// onePlusAbs is t = 1 + |x| and its rounding error e (TwoSum: 1 + |x| = t + e
// exactly).
func onePlusAbs(b *ir.Builder, x *ir.Value) (t, e *ir.Value) { return onePlusNonNeg(b, b.Abs(x)) }

// onePlusNonNeg is onePlusAbs for an ax >= 0 (or NaN).
func onePlusNonNeg(b *ir.Builder, ax *ir.Value) (t, e *ir.Value) {
	one := b.One()
	t = b.Add(ax, one)
	return t, twoSumErr(b, ax, one, t)
}

// twoSumErr is the exact error of s = x + y rounded: x + y = s + err
// (Knuth's TwoSum, branch-free).
func twoSumErr(b *ir.Builder, x, y, s *ir.Value) *ir.Value {
	yy := b.Sub(s, x)
	return b.Add(b.Sub(x, b.Sub(s, yy)), b.Sub(y, yy))
}

// sum3 is a + b + c rounded about once, for |c| much smaller than a + b:
// a + b = S + E exactly (TwoSum), then S + (E + c). Where S is infinite, E is
// NaN and is dropped.
func sum3(bl *ir.Builder, a, b, c *ir.Value) *ir.Value {
	S := bl.Add(a, b)
	E := bl.Add(twoSumErr(bl, a, b, S), c)
	return bl.Add(S, bl.Select(bl.Cmp(ir.Unord, E, E), bl.Zero(), E))
}

// halfRoot is h = sqrt(x^2 + bb) / 2 as an unevaluated sum hs + hc, good to
// a small fraction of an ULP, without overflow.
//
// From |x| >= 2^63 on, x is scaled by 2^-64 and bb by 2^-128 (exact, but for a
// subnormal bb*2^-128, which is then negligible beside x^2*2^-128 >= 1/4) and
// h by 2^64 back. The radicand is carried with its rounding errors:
// x^2 = p + pe (FMA) and p + bb = w + we (TwoSum); then s = sqrt(w) gets one
// Newton step, s + (w - s*s + we + pe) / (2s), where w - s*s is exact (FMA):
// hs = s/2 and hc is the step's half. An infinite x is taken as
// +-MaxFloat32 (so that the error terms stay finite); the callers' own use of
// x makes their results right.
func halfRoot(b *ir.Builder, x, bb *ir.Value) (hs, hc *ir.Value) {
	x = b.Clamp(x, b.Const(-0x1.fffffep127, "-MaxFloat32"), b.Const(0x1.fffffep127, "MaxFloat32"))
	big := b.Cmp(ir.GE, b.Abs(x), b.Const(0x1p63, "2^63: x^2 would overflow from 2^64"))
	sx := b.Select(big, b.Mul(x, b.Const(0x1p-64, "2^-64")), x)
	sb := b.Select(big, b.Mul(bb, b.Const(0x1p-128, "2^-128")), bb)
	p := b.Mul(sx, sx)
	pe := b.FMA(sx, sx, b.Neg(p))
	w := b.Add(p, sb)
	we := twoSumErr(b, p, sb, w)
	s := b.Sqrt(w)
	ds := b.Div(b.Add(b.FMA(b.Neg(s), s, w), b.Add(we, pe)), s) // 2 * Newton step
	scale := b.Select(big, b.Const(0x1p64, "2^64"), b.One())
	hs = b.Mul(b.Mul(b.Const(0.5, "half"), s), scale)
	hc = b.Mul(b.Mul(b.Const(0.25, "quarter"), ds), scale)
	return hs, hc
}
