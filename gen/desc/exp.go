package desc

import (
	"fmt"
	"math"
	"slices"

	"github.com/simdact/act/gen/fit"
	"github.com/simdact/act/gen/ir"
	"github.com/simdact/act/kernels"
)

// The exp family. Its recipes, in XNNPACK's naming:
//
//	exp    rr2-p6: n = round(x/ln2), r = x - n*ln2 in two FMAs (ln2 split
//	       in a float32 head and tail), rounded once, and e^r = 1 + r (1 +
//	       r q(r)) by Horner, q of degree 4 (a minimax fit, expQ); then 2^n,
//	       in one rounding: 0.894 ULPs at most for exp itself.
//	expm1  rr1-p6: the same with ln2 in one float (reduce1); 2^n (e^r - 1)
//	       + (2^n - 1) in one FMA, cancellation-free for n = 0.
//	log1p  lp-atanh-p5 on [0, 1]: u = t/(2+t), log1p(t) = 2u + u^3 g(u^2),
//	       with u carried as a head and a tail so that 2u is not rounded.
//	div    num/(d + de) with one division: r = 1/d, q = num*r, then one
//	       correction from the exact remainders (FMA).
//	tanh   expm1-rr2-p6-div: sign(x) E/(E + 2), E = expm1(2|x|), with one
//	       plain division: see tanh.
//	exp2   rr0-p6, for an argument the caller already holds in two floats
//	       in units of ln2 (gelu_tanh): m = round(wh), r = (m - wh) - wl,
//	       the first difference exact, and 2^r = 1 + r (c + r q(r)), c =
//	       float32(ln2), q of degree 4 (exp2Q); see sigmoidScaled2.

// Fitted polynomials. Each is derived at generation time by gen/fit from the
// function, interval, weight and degree written here.
var (
	// expQ: e^r = 1 + r + r^2 q(r) on [-ln2/2, ln2/2], relative error of e^r.
	expQ = fit.Problem{
		Name: "exp q",
		F:    expQF,
		W:    func(r float64) float64 { return r * r / math.Exp(r) },
		A:    -math.Ln2 / 2 * 1.0001, B: math.Ln2 / 2 * 1.0001, Degree: 4,
	}.Solve()

	// exp2Q: 2^r = 1 + r (c + r q(r)) on [-1/2, 1/2], c = float32(ln2),
	// relative error of 2^r. c is ln2 to 2^-28.4 of itself, where a fitted
	// first coefficient, rounded to float32, costs 2^-26 (2^r to 2^-25.9 in
	// all); q follows 2^r with ln2 exact, and c's part, (ln2 - c)/r in q's
	// function, is measured with the rest.
	exp2Q = fit.Problem{
		Name: "exp2 q",
		F: func(r float64) float64 {
			if math.Abs(r) < 1e-4 { // the pole's weighted part is under 2^-42 there
				return exp2QF(r)
			}
			return exp2QF(r) + (math.Ln2-float64(float32(math.Ln2)))/r
		},
		Follow: exp2QF,
		W:      func(r float64) float64 { return r * r / math.Exp2(r) },
		A:      -0.5 * 1.0001, B: 0.5 * 1.0001, Degree: 4,
	}.Solve()

	// tanhP: tanh(x) = x + x^3 p(x^2) for |x| < 0.75 (tanhCut), relative
	// error of tanh(x).
	tanhP = fit.Problem{
		Name: "tanh p",
		F: func(v float64) float64 {
			if v < 1e-6 {
				return -1.0/3 + 2*v/15 - 17*v*v/315
			}
			x := math.Sqrt(v)
			return (math.Tanh(x) - x) / (x * v)
		},
		W: func(v float64) float64 {
			x := math.Sqrt(v)
			return x * v / math.Tanh(x)
		},
		A: 1e-10, B: tanhCut * tanhCut * 1.0001, Degree: 6, // the weight vanishes at 0
	}.Solve()

	// expm1Q: the same form, e^r - 1 = r + r^2 q(r), fitted for the relative
	// error of e^r - 1, which is what expm1 and the activations built on it
	// return where n = 0.
	expm1Q = fit.Problem{
		Name: "expm1 q",
		F:    expQF,
		W: func(r float64) float64 {
			if math.Abs(r) < 1e-8 {
				return math.Abs(r)
			}
			return r * r / math.Abs(math.Expm1(r))
		},
		A: -math.Ln2 / 2 * 1.0001, B: math.Ln2 / 2 * 1.0001, Degree: 4, // the weight vanishes at 0
	}.Solve()

	// log1pG: 2 atanh(u) = 2u + u^3 g(u^2) on u^2 in [0, 1/9], relative error
	// of 2 atanh(u).
	log1pG = fit.Problem{
		Name: "log1p g",
		F: func(v float64) float64 {
			if v < 1e-6 {
				return 2.0/3 + 2*v/5 + 2*v*v/7
			}
			u := math.Sqrt(v)
			return (2*math.Atanh(u) - 2*u) / (u * v)
		},
		W: func(v float64) float64 {
			if v < 1e-12 {
				return v / 2
			}
			u := math.Sqrt(v)
			return u * v / (2 * math.Atanh(u))
		},
		A: 1e-10, B: 1.0 / 9 * 1.0001, Degree: 5, // the weight vanishes at 0
	}.Solve()

	// tanhShrinkH: x - tanh(x) = x^3 h(x^2) for |x| < 1.5, relative error.
	// Beyond 1.5, x - tanh(x) loses less than a factor 1.6 to cancellation.
	tanhShrinkH = fit.Problem{
		Name: "tanh_shrink h",
		F: func(v float64) float64 {
			if v < 1e-4 {
				return 1.0/3 - 2*v/15 + 17*v*v/315
			}
			x := math.Sqrt(v)
			return (x - math.Tanh(x)) / (x * v)
		},
		W: func(float64) float64 { return 1 },
		A: 0, B: 2.25 * 1.0001, Degree: 10,
	}.Solve()
)

// expQF is (e^r - 1 - r)/r^2, the function q of expQ and expm1Q.
func expQF(r float64) float64 {
	if math.Abs(r) < 1e-4 {
		return 0.5 + r/6 + r*r/24 + r*r*r/120
	}
	return (math.Expm1(r) - r) / (r * r)
}

// exp2QF is (2^r - 1 - r ln2)/r^2.
func exp2QF(r float64) float64 {
	if l := math.Ln2; math.Abs(r) < 1e-4 {
		return l*l/2 + l*l*l*r/6 + l*l*l*l*r*r/24 + l*l*l*l*l*r*r*r/120
	}
	return (math.Expm1(r*math.Ln2) - r*math.Ln2) / (r * r)
}

// horner evaluates c[0] + c[1] v + ... by FMAs.
func horner(b *ir.Builder, name string, p fit.Poly, v *ir.Value) *ir.Value {
	if math.IsNaN(p.Err) || p.Err > 0x1p-24 {
		panic(fmt.Sprintf("desc: the fit %s is off: %v", name, p))
	}
	n := len(p.C) - 1
	acc := b.Const(p.C[n], fmt.Sprintf("%s[%d]; %v", name, n, p))
	for i := n - 1; i >= 0; i-- {
		acc = b.FMA(acc, v, b.Const(p.C[i], fmt.Sprintf("%s[%d]", name, i)))
	}
	return acc
}

// expParts is e^x = P * 2^n with n = round(x/ln2) and P = e^r not yet
// scaled, for an x the caller has clamped to Scale's range: r = x - n ln2
// in two FMAs, rounded once, and e^r = 1 + r (1 + r q(r)), the last step
// rounded once. (A finer mode, r in two floats and e^r summed with one
// rounding, ten operations more, gave exp 0.779 ULPs instead of 0.894: the
// budget holds without it.)
func expParts(b *ir.Builder, x *ir.Value) (P, n *ir.Value) {
	one := b.One()
	r, n := reduce(b, x)
	return expPoly(b, r, one), n
}

// expPoly is e^r = 1 + r (1 + r q(r)) for r in [-ln2/2, ln2/2], the last
// step rounded once.
func expPoly(b *ir.Builder, r, one *ir.Value) *ir.Value {
	return b.FMA(b.FMA(horner(b, "expQ", expQ, r), r, one), r, one)
}

// exp2Poly is 2^r = 1 + r (c + r q(r)) for r in [-1/2, 1/2], c =
// float32(ln2), the last step rounded once.
func exp2Poly(b *ir.Builder, r, one *ir.Value) *ir.Value {
	c := b.Const(float32(math.Ln2), "float32(ln2)")
	return b.FMA(b.FMA(horner(b, "exp2Q", exp2Q, r), r, c), r, one)
}

// reduce is n = round(x/ln2) and r = x - n ln2 in one float (two FMAs).
// x/ln2 is an FMA with -0 (mulSub) in every kernel: x may be tiny (e^-|x|
// takes -|x| uncapped), and the rest of the exponential is FMAs, which x86
// computes at full speed with a subnormal operand, so that no product of
// e^x sees one. Where x is tiny, n is 0, r is x and e^r rounds to 1.
func reduce(b *ir.Builder, x *ir.Value) (r, n *ir.Value) {
	n = b.Round(mulSub(b, x, b.Const(float32(math.Log2E), "1/ln2")))
	hi := float32(math.Ln2)
	lo := float32(math.Ln2 - float64(hi))
	nn := b.Neg(n)
	r = b.FMA(nn, b.Const(lo, "ln2 tail"), b.FMA(nn, b.Const(hi, "ln2 head (float32(ln2)): x - n*head is exact"), x))
	return r, n
}

// reduce1 is reduce with ln2 in one float: r = x - n float32(ln2) in one
// FMA, off by d = n (ln2 - float32(ln2)), |d| < 1.9e-9 |n|. expm1's users
// can take it. For x <= 0 (elu, selu, celu) it reaches e^x - 1 scaled by
// e^x/(1 - e^x), under 4.6e-9 (0.08 ULP) of it for every n, and below
// -17.4 (e^x under half an ULP of -1) not at all. For tanh = E/(E + 2), E
// = e^y - 1, it reaches tanh scaled by 1/sinh(y), under 5.4e-9 of it.
func reduce1(b *ir.Builder, x *ir.Value) (r, n *ir.Value) {
	n = b.Round(mulT(b, x, b.Const(float32(math.Log2E), "1/ln2")))
	return b.FMA(b.Neg(n), b.Const(float32(math.Ln2), "float32(ln2)"), x), n
}

// expm1Parts is e^r - 1 = r + r^2 q(r) and n (reduce1's reduction).
func expm1Parts(b *ir.Builder, x *ir.Value) (em1r, n *ir.Value) {
	r, n := reduce1(b, x)
	q := horner(b, "expm1Q", expm1Q, r)
	return b.FMA(mulT(b, r, r), q, r), n // r^2 formed after q, as in expm1Half
}

// exp is e^x. x is clamped to [-104, 89] first: e^-104 < 2^-150 rounds to 0
// and e^89 > 2^128 overflows, so the clamp changes no result but keeps n in
// Scale's range ([-150, 129]); NaN passes the clamp.
func exp(b *ir.Builder, x *ir.Value) *ir.Value {
	x = b.Clamp(x, b.Const(-104, "-104: e^x < 2^-150 rounds to 0"), b.Const(89, "89: e^x > 2^128 overflows"))
	P, n := expParts(b, x)
	return b.Scale(P, n)
}

// mulSub is x*y for a product whose operands or result may be subnormal
// (where x is tiny): FMA(x, y, -0), the same bits, which x86 computes at
// full speed where MULPS takes a microcode assist (several times the cost
// of the whole kernel's vector). TestTinyInputs finds the products that
// need it.
func mulSub(b *ir.Builder, x, y *ir.Value) *ir.Value {
	return b.FMA(x, y, b.Const(float32(math.Copysign(0, -1)), "-0"))
}

// tinySafe names the kernels (wrapped in safe) that take mulSub in the
// shared helpers (mulT): those measured over twice as slow on subnormal
// inputs without it. Elsewhere (elu, selu backward, tanh, sigmoid, ...)
// the helpers' plain products ran at the ordinary speed on subnormal
// inputs, and FMAs with -0 in their place cost ordinary inputs up to 18%
// (the FMA's longer latency, and one more constant).
var tinySafe = map[string]bool{}

// safe marks a kernel description as tinySafe.
func safe(d Desc) Desc {
	return func(b *ir.Builder) {
		tinySafe[b.Name()] = true
		d(b)
	}
}

// mulT is x*y in a shared helper: mulSub in a tinySafe kernel, else a
// plain product (the same bits either way).
func mulT(b *ir.Builder, x, y *ir.Value) *ir.Value {
	if tinySafe[b.Name()] {
		return mulSub(b, x, y)
	}
	return b.Mul(x, y)
}

// negAbsArg is max(lo, -|x|), the argument of e^-|x|; NaN passes. It
// needs no cap below 0 for tiny x: e^-|x| takes them as they are (see
// reduce).
func negAbsArg(b *ir.Builder, x, lo *ir.Value) *ir.Value {
	return b.Max(lo, b.NegAbs(x))
}

// negPart is min(0, x), the argument of e^x on the branch of x <= 0, where
// the other lanes are dropped: range only (AVX-512 skips it), for AVX2 and
// NEON to scale by 2^n, n <= 0, in one step.
func negPart(b *ir.Builder, x *ir.Value) *ir.Value {
	return b.RangeOnly(b.Min(b.Zero(), x))
}

// expNegAbs is e^-|x|, which needs the lower clamp only.
func expNegAbs(b *ir.Builder, x *ir.Value) *ir.Value {
	P, n := expParts(b, negAbsArg(b, x, b.Const(-104, "-104: e^x < 2^-150 rounds to 0")))
	return b.Scale(P, n)
}

// expm1 is e^z - 1 for z in [-104, 89] (the caller clamps): with s = 2^n,
// s*(e^r - 1) + (s - 1) in one FMA. s - 1 is exact for n <= 24 and beyond
// that its rounding is below the result's half ULP.
func expm1(b *ir.Builder, z *ir.Value) *ir.Value {
	em1r, n := expm1Parts(b, z)
	s := b.Scale(b.One(), n)
	return b.FMA(s, em1r, b.Sub(s, b.One()))
}

// expm1Half is expm1(2a)/2 for 2a in expm1's range, bit for bit, without
// forming 2a: each step is expm1's on 2a scaled by a power of two, which
// changes no rounding. n = round(a (2/ln2)), r/2 = a - n (ln2/2), q's
// coefficients times 2^(k+1) make each Horner sum 2^(k+1) times expm1's
// (2 q(r) at the end), then (e^r - 1)/2 = r/2 + (r/2)^2 (2 q(r)) and
// expm1(2a)/2 = s (e^r - 1)/2 + (s - 1)/2, (s - 1)/2 = s/2 - 1/2 in one FMA.
func expm1Half(b *ir.Builder, a *ir.Value) *ir.Value {
	n := b.Round(mulT(b, a, b.Const(float32(2*math.Log2E), "2/ln2 (2 float32(1/ln2))")))
	rh := b.FMA(b.Neg(n), b.Const(float32(math.Ln2)/2, "float32(ln2)/2"), a)
	q2 := fit.Poly{C: slices.Clone(expm1Q.C), Err: expm1Q.Err}
	for k := range q2.C {
		q2.C[k] *= float32(math.Ldexp(1, k+1))
	}
	q := horner(b, "expm1Q(r) 2^(k+1)", q2, rh)
	em1h := b.FMA(mulT(b, rh, rh), q, rh) // (r/2)^2 formed after q: one value fewer live across it
	s := b.Scale(b.One(), n)
	half := b.Const(0.5, "half")
	return b.FMA(s, em1h, b.FMA(s, half, b.Neg(half)))
}

// div is num / (d + de) for a small correction de and a finite num: one
// division r = 1/d, q = num*r, then q + (num - q d - q de) r, where
// num - q d is exact (FMA).
func div(b *ir.Builder, num, d, de *ir.Value) *ir.Value {
	r := b.Div(b.One(), d)
	q := mulT(b, num, r)
	return b.FMA(b.FMA(b.Neg(q), de, b.FMA(b.Neg(q), d, num)), r, q)
}

// onePlus is d = 1 + t and its exact rounding error t - (d - 1), for
// 0 <= t < 2^24 (Fast2Sum where t <= 1): 1 and d are multiples of ulp(d) and
// 0 <= d - 1 < d, so d - 1 is exact; the error is a multiple of ulp(t) no
// larger than half ulp(d), so it is exact too.
func onePlus(b *ir.Builder, t *ir.Value) (d, de *ir.Value) {
	one := b.One()
	d = b.Add(one, t)
	return d, b.Sub(t, b.Sub(d, one))
}

// log1p is log(1 + t) for t in [0, 1]: u = t/(2+t) = uh + ul (a quotient
// and its correction kept apart), then 2uh + (2ul + uh^3 g(uh^2)), rounded
// once. uh = t r with r = 1/(2 + t) rounded, and ul = (t - uh (2 + t)) r
// with the remainder formed from t itself, (t - 2uh) - uh t in one FMA
// (t - 2uh is exact: 2uh is within [t/2, 2t]), so that the rounding of
// 2 + t drops out.
func log1p(b *ir.Builder, t *ir.Value) *ir.Value {
	two := b.Const(2, "two")
	r := b.Div(b.One(), b.Add(two, t))
	uh := b.Mul(t, r)
	nuh := b.Neg(uh)
	ul := b.Mul(b.FMA(nuh, t, b.FMA(nuh, two, t)), r)
	v := b.Mul(uh, uh)
	g := horner(b, "log1pG", log1pG, v)
	tail := b.FMA(b.Mul(uh, v), g, b.Add(ul, ul)) // u v formed after g, as in expm1Half
	return b.Add(b.Add(uh, uh), tail)
}

// sigmoid is sigmoid-rr2-p6-nr1div-scale, q 2^m from sigmoidScaled, with
// x clamped to [-104, 18]: sigmoid(-104) < 2^-150 rounds to 0, and from
// 17.33 on (e^-x below 2^-25) sigmoid rounds to 1. 1.50 ULPs at most over
// all 2^32 inputs: P's rounding and its fit, and the last rounding.
func sigmoid(b *ir.Builder, x *ir.Value) *ir.Value {
	q, m, _ := sigmoidScaled(b, b.Clamp(x, b.Const(-104, "-104: sigmoid(x) < 2^-150 rounds to 0"), sigmoidHi(b)), true)
	return b.Scale(q, m)
}

// sigmoidHi is the cap on sigmoidScaled's argument.
func sigmoidHi(b *ir.Builder) *ir.Value {
	return b.Const(18, "18: sigmoid(x) rounds to 1 from 17.33 on")
}

// sigmoidScaled is sigmoid(z) = q 2^m for z in [-150, 80], NaN passing:
// 1/(1 + e^-z) = 2^m/(P + 2^m) with e^-z = P 2^-m, on one path for every
// z, with no select:
//
//	m = round(z/ln2), and P = e^(m ln2 - z) in [0.70, 1.42] (rr2, p6);
//	q = 1/(P + 2^m), and the rest as in sigmoidQ.
//
// P q is sigmoid(-z), unscaled. The caller scales last, so that a
// subnormal result is rounded once (and a product with q, as x sigmoid(x),
// is rounded before the scale, not after it). From z = 17.33 on, q 2^m
// rounds to 1: P vanishes against 2^m >= 2^25.
func sigmoidScaled(b *ir.Builder, z *ir.Value, newton bool) (q, m, P *ir.Value) {
	one := b.One()
	m = b.Round(mulSub(b, z, b.Const(float32(math.Log2E), "1/ln2")))
	hi := float32(math.Ln2)
	lo := float32(math.Ln2 - float64(hi))
	// r = m ln2 - z in two FMAs, the first exact.
	r := b.FMA(m, b.Const(lo, "ln2 tail"), b.FMA(m, b.Const(hi, "ln2 head (float32(ln2)): x - n*head is exact"), b.Neg(z)))
	P = expPoly(b, r, one)
	return sigmoidQ(b, one, P, m, newton), m, P
}

// sigmoidScaled2 is sigmoidScaled for z = (wh + wl) ln2, given in units of
// ln2 as a head and a small tail (|wl| < 2^-16), wh in [-207, 116]:
// m = round(wh), and P = 2^(m - wh - wl) in [0.70, 1.42], where m - wh is
// exact (Sterbenz's lemma, or m = 0) and the tail's subtraction the one
// rounding (rr0-p6: a caller that forms z in two floats anyway scales its
// constants by 1/ln2, and the reduction needs no product).
func sigmoidScaled2(b *ir.Builder, wh, wl *ir.Value, newton bool) (q, m, P *ir.Value) {
	one := b.One()
	m = b.Round(wh)
	P = exp2Poly(b, b.Sub(b.Sub(m, wh), wl), one)
	return sigmoidQ(b, one, P, m, newton), m, P
}

// sigmoidQ is q = 1/(P + 2^m), one division of the rounded sum; with
// newton, then one Newton step on the residual 1 - q P - q 2^m, formed
// from P and 2^m themselves, so that the sum's rounding drops out: q is
// 1/(P + 2^m) to about 2^-46 before its own rounding. Without it, the
// sum's rounding costs up to an ULP (sigmoid 2.48 ULPs instead of 1.50).
// No cancellation anywhere: P and 2^m are positive. (The sum cannot be
// taken into P's last FMA as (1 + 2^m) + r (1 + r q(r)) in place of the
// Newton step: 1 + 2^m is rounded from m = -24 down, sigmoid 2.447 ULPs at
// x = -16.64 over all 2^32 inputs; with the lost 2^m added back after the
// FMA, 2.481, from the two roundings.) 2^m in the sum is scaled by
// max(m, -125) (maxN).
func sigmoidQ(b *ir.Builder, one, P, m *ir.Value, newton bool) *ir.Value {
	s := b.Scale(one, maxN(b, m))
	q := b.Div(one, b.Add(P, s))
	if !newton {
		return q
	}
	nq := b.Neg(q)
	e := b.FMA(nq, s, b.FMA(nq, P, one))
	return b.FMA(q, e, q)
}

// sigmoidDiv is sigmoid(x) (or sigmoid(-x) for neg) from sigmoidScaled
// without its Newton step: the rounding of P + 2^m adds up to one ULP. For
// the backward passes, whose budgets (4 ULPs and more) leave room for it.
// The argument is clamped to [-104, 18] as in sigmoid.
func sigmoidDiv(b *ir.Builder, x *ir.Value, neg bool) *ir.Value {
	var z *ir.Value
	if neg { // x clamped to [-18, 104], then negated: the FMAs that read -x fold it
		z = b.Neg(b.Clamp(x, b.Const(-18, "-18: sigmoid(-x) rounds to 1"), b.Const(104, "104: sigmoid(-x) rounds to 0")))
	} else {
		z = b.Clamp(x, b.Const(-104, "-104: sigmoid(x) < 2^-150 rounds to 0"), sigmoidHi(b))
	}
	q, m, _ := sigmoidScaled(b, z, false)
	return b.Scale(q, m)
}

// softplusTail is log1p(e^-|x|), the part of softplus and log_sigmoid that
// is never large.
func softplusTail(b *ir.Builder, x *ir.Value) *ir.Value {
	return log1p(b, expNegAbs(b, x))
}

// tanh is tanh-rr2-p6-div: sign(x) E/(E + 2) with E = expm1(2|x|), which
// has no cancellation anywhere: E >= 0, and a relative error in E reaches
// the quotient shrunk by 2/(E + 2). |x| is capped at 9.1: tanh rounds to 1
// in float32 from atanh(1 - 2^-25) = 9.0109 on, and the cap keeps E finite.
// |x| is floored at 2^-40, so that no product or quotient is subnormal
// (x86 computes those up to a hundred times slower on Intel's cores; AMD's
// Zen 5 divides a subnormal 2.1 times slower, bench/pipes), and the result
// is capped at |x| (tanh(x) < x for x > 0): below 2^-40 the cap gives x,
// which tanh(x) is in float32 (it is from 2^-12 on down), and above it the
// cap binds only where t is above |x|, and so farther from tanh(x) than |x|
// is. One minimum instead of a comparison and a select; with the sign, one
// VRANGEPS on AVX-512 (CapMag: t >= 0, and NaN exactly where x is).
func tanh(b *ir.Builder, x *ir.Value) *ir.Value {
	ax := b.Abs(x)
	t := tanhAbs(b, b.Max(b.Const(0x1p-40, "2^-40: tanh(x) is x below 2^-12"), ax))
	return b.CapMag(t, ax, x) // NaN: ax
}

// tanhAbs is tanh(ax) for ax >= 0 (NaN passes): E/(E + 2), E = expm1(2 ax),
// computed as h/(h + 1) with h = E/2 (expm1Half), the same bits. Its
// error, up to 2.6 ULP, is mostly the rounding of E + 2.
func tanhAbs(b *ir.Builder, ax *ir.Value) *ir.Value {
	ax = b.Min(b.Const(9.1, "9.1: tanh(x) rounds to 1 beyond 9.0109"), ax)
	h := expm1Half(b, ax)
	return b.Div(h, b.Add(h, b.One()))
}

// tanhAbsFine is tanh(ax) for ax >= 0 to about 1 ULP, on two ranges, for
// tanh_shrink's backward (tanh^2, which doubles tanh's error):
//
//   - ax < 0.75: the odd polynomial x + x^3 p(x^2) (tanhP), rounded once at
//     the end (tanhNear).
//   - ax >= 0.75: 1 - 2/(E + 1), E = e^(2 ax) (tanhFar).
//
// The cutoff trades the polynomial's degree for the far form's error.
const tanhCut = 0.75

func tanhAbsFine(b *ir.Builder, ax *ir.Value) *ir.Value {
	return b.Select(b.Cmp(ir.LT, ax, b.Const(tanhCut, "0.75: the polynomial's cutoff")), tanhNear(b, ax, ax), tanhFar(b, ax))
}

// tanhNear is tanh(x) for |x| < 0.75 (ax = |x|). Below 2^-40 tanh(x) is x
// in float32 (it is from 2^-12 on down), and x is taken as it is, so that no
// product is subnormal.
func tanhNear(b *ir.Builder, x, ax *ir.Value) *ir.Value {
	tiny := b.Const(0x1p-40, "2^-40: tanh(x) is x below 2^-12")
	xn := b.Select(b.Cmp(ir.LT, ax, tiny), tiny, x)
	v := b.Mul(xn, xn)
	p := horner(b, "tanhP", tanhP, v)
	y := b.FMA(b.Mul(xn, v), p, xn) // x^3 formed after p, as in expm1Half
	return b.Select(b.Cmp(ir.LT, ax, tiny), x, y)
}

// tanhFar is tanh(ax) as 1 - 2/(E + 1), E = e^(2 ax), for ax >= 0.75 (and any
// ax >= 0, less accurately): there 2/(E + 1) <= 0.37 carries about 3
// half-ULPs of relative error, at most 1.1 ULP of the result, no
// cancellation.
func tanhFar(b *ir.Builder, ax *ir.Value) *ir.Value {
	ax = b.Min(b.Const(9.1, "9.1: tanh(x) rounds to 1 beyond 9.0109"), ax)
	P, n := expParts(b, b.Add(ax, ax))
	one := b.One()
	return b.Sub(one, b.Div(b.Const(2, "two"), b.Add(b.Scale(P, n), one)))
}

// expSplit is e^x = P * 2^n with P in [1/sqrt2, sqrt2] not yet scaled, for x
// clamped to [-150, 89] (n >= -217, in Scale's range): a product with e^x can
// then be formed in full precision and scaled once, even where e^x alone
// would be subnormal.
func expSplit(b *ir.Builder, x *ir.Value) (P, n *ir.Value) {
	return expParts(b, b.Clamp(x, b.Const(-150, "-150"), b.Const(89, "89: e^x > 2^128 overflows")))
}

// expSplitNeg is expSplit for an x <= 0 (or NaN), which needs the lower
// clamp only.
func expSplitNeg(b *ir.Builder, x *ir.Value) (P, n *ir.Value) {
	return expParts(b, b.Max(b.Const(-150, "-150"), x))
}

// maxN is max(n, -125), for the power of two 2^n in sigmoidScaled's sum P +
// 2^n: where n < -125 the sum rounds to P either way, and the residual of
// the Newton step changes by less than 2^-100, so the clamp changes no
// result. Its bound below, with the caller's above (n <= 116), lets AVX2
// and NEON build 2^n in one step, and keeps it normal; AVX-512, whose
// VSCALEFPS takes any n, and whose sums take subnormal operands at full
// speed, skips it (range only).
func maxN(b *ir.Builder, n *ir.Value) *ir.Value {
	return b.RangeOnly(b.Max(b.Const(-125, "-125"), n))
}

// xTimes is x q 2^m, for q 2^m from sigmoidScaled or sigmoidScaled2 (x
// sigmoid(z)), x finite or NaN, scaled last so that the product does not
// lose the precision of a subnormal result. silu's forward: 2.249 ULPs at
// most over all 2^32 inputs.
func xTimes(b *ir.Builder, x, q, m *ir.Value) *ir.Value {
	return b.Scale(mulT(b, x, q), m)
}

// sigmoids is sigmoid(z) and sigmoid(-z), without cancellation and with no
// select, from sigmoidScaled or sigmoidScaled2 without the Newton step
// (the backward passes' budgets leave room for the rounding of P + 2^m):
// q 2^m and P q (2^m/(P + 2^m) and P/(P + 2^m)). The callers cap z at 80
// (or w = z/ln2 at 116: 2^m stays below 2^117, and q normal), where
// sigmoid(-z) < 2^-115 is below any ULP of 1 + x (1 - s) z' (gelu_tanh) or
// of sigmoid(z) (1 + z sigmoid(-z)) (silu).
func sigmoids(b *ir.Builder, q, m, P *ir.Value) (sp, sn *ir.Value) {
	return b.Scale(q, m), mulT(b, P, q)
}

// eluNeg is alpha * expm1(x) for x <= 0; the caller drops the lanes where
// x > 0. x is floored at -86: expm1 is -1 in float32 from -17.4 on, and
// from -86 up 2^n stays normal, n >= -124, which spares AVX2's scale its
// range check; -Inf then gives -alpha. The cap at 0, which proves n <= 0
// for the same check, binds only in the dropped lanes (range only).
func eluNeg(b *ir.Builder, x, alpha *ir.Value) *ir.Value {
	x = b.RangeOnly(b.Min(b.Zero(), b.Max(b.Const(-86, "-86: expm1(x) is -1, and 2^n normal"), x)))
	return mulT(b, alpha, expm1(b, x))
}

// eluBwd is dx = dy for x > 0 and dy * alpha * e^x elsewhere, with e^x =
// P 2^n scaled after the products so that a subnormal dx is rounded once.
func eluBwd(b *ir.Builder, dy, x, alpha *ir.Value) {
	P, n := expSplitNeg(b, negPart(b, x))
	neg := b.Scale(b.Mul(dy, b.Mul(alpha, P)), n)
	b.Store(b.Select(b.Cmp(ir.GT, x, b.Zero()), b.Mul(dy, b.One()), neg))
}

// floorLeft is max(x, -200): at -200 every product with e^x is -0 already,
// and -Inf must not meet a zero.
func floorLeft(b *ir.Builder, x *ir.Value) *ir.Value {
	return b.Max(b.Const(-200, "-200: x e^x underflows to -0 from -108 on"), x)
}

// clampGrad is x clamped to [-200, 200], for the x in a derivative's
// x*sigmoid(x)*sigmoid(-x)-like term: beyond 200 the term is 0 in float32
// either way, and an infinity must not meet a zero.
func clampGrad(b *ir.Builder, x *ir.Value) *ir.Value {
	return b.Clamp(x, b.Const(-200, "-200"), b.Const(200, "200: x e^-x is 0 in float32"))
}

// mishT is, for mish = x * t with t = tanh(softplus(x)) = n/(n + 2), n =
// E (E + 2), E = e^x: t itself where x >= 0 (x capped at 20, where t is 1
// in float32) and t 2^-k for x < 0, where E = P 2^k (see expSplit), so that
// the caller scales once, after its product. Halving n and n + 2 gives t =
// m/(1 + m) with m = E + E h, h = E/2 (exact): m is one FMA, and t one
// division by 1 + m rounded. Its numerator is m 2^-k = P + P h for x < 0.
// Where m is small (x < 0) the rounding of 1 + m costs up to an ULP of t,
// which mish's budget (4 ULPs) takes: 3.949 at most over all 2^32 inputs,
// at x = -13.8; the quotient corrected for it (div, six operations more)
// gave 2.963, and without the correction the kernel runs 28% faster on
// AVX-512 (24% on AVX2).
func mishT(b *ir.Builder, x *ir.Value) (t, k *ir.Value) {
	P, k := expSplit(b, b.Min(b.Const(20, "20: tanh(softplus(x)) is 1 in float32 beyond 9.02"), x))
	E := b.Scale(P, k)
	h := b.Mul(E, b.Const(0.5, "half"))
	F := b.Select(b.Cmp(ir.LT, x, b.Zero()), P, E)
	return b.Div(b.FMA(F, h, F), b.Add(b.One(), b.FMA(E, h, E))), k
}

// lambdaTimes is (lh + ll) v rounded once: lh v + ll v in one FMA, with v
// capped at +-MaxFloat32 in the tail product so that an infinite v meets no
// infinity of the other sign. tiny: v may be subnormal (mulSub).
func lambdaTimes(b *ir.Builder, lh, ll, v *ir.Value, tiny bool) *ir.Value {
	vc := b.Clamp(v, b.Const(-0x1.fffffep127, "-MaxFloat32"), b.Const(0x1.fffffep127, "MaxFloat32"))
	if tiny {
		return b.FMA(lh, v, mulSub(b, ll, vc))
	}
	return b.FMA(lh, v, b.Mul(ll, vc))
}

// split is a float32 head and tail of a float64 constant.
func split(b *ir.Builder, c float64, name string) (hi, lo *ir.Value) {
	h := float32(c)
	return b.Const(h, name+" head"), b.Const(float32(c-float64(h)), name+" tail")
}

// geluTanh holds z = x (A + B x^2), A = 2 sqrt(2/pi) and B = A k with
// k = 0.044715, in units of ln2 (w = z/ln2, for sigmoidScaled2) as wh + wl
// to about 2^-40 relative, with the parts it is made of. A sum S = a + c
// x^2 (a = A/ln2 and c = B/ln2 for w; a = A and c = 3B for the derivative)
// is taken as a head and a tail without ordering its addends (plusA): the
// head is one FMA, Sh = a' + c v, where a' is a rounded to a multiple of
// 2^-18 and v = x^2 rounded; then a' - Sh is exact (Sterbenz's lemma up to
// 2a', and above it a' is a multiple of Sh's ULP, for Sh < 64), so a
// second FMA, c v + (a' - Sh), gives the head's rounding error, to 2^-24
// of itself. The tail adds a's own tail (a - a', below 2^-19) and, for w,
// the errors of x^2 and of c's rounding. The product by x keeps its
// rounding error. (With z as (c x)(1 + k x^2), both factors in two floats,
// leaving out the rounding of x^2 and k's tail took the forward pass to
// 88.6 ULPs at x = -10.07, where |z| is 88.) Eleven multiplications, FMAs
// and additions, where a Fast2Sum of A + B v ordered by a minimum and a
// maximum took sixteen. x is capped at +-12, beyond which x sigmoid(z) is
// x or -0 in float32 (and the derivative 1 or 0).
type geluTanh struct {
	x      *ir.Value // x clamped to [-12, 12]
	v      *ir.Value // x^2, rounded
	wh, wl *ir.Value // z/ln2
}

func geluTanhZ(b *ir.Builder, x *ir.Value) geluTanh {
	// The NaN lanes are dropped: the forward pass keeps x beyond 12, the
	// backward pass keeps x where it is NaN (grad).
	g := geluTanh{x: b.ClampMag(x, b.Const(-12, "-12: gelu_tanh is -0 in float32 from -10.9 on"), b.Const(12, "12"))}
	x = g.x
	ah, al := splitAt18(b, 2*kernels.GELUTanhC/math.Ln2, "2 sqrt(2/pi)/ln2")
	ch, cl := split(b, 2*kernels.GELUTanhC*kernels.GELUTanhK/math.Ln2, "2 sqrt(2/pi) 0.044715/ln2")
	g.v = mulT(b, x, x)
	ve := b.FMA(x, x, b.Neg(g.v))
	// c v's errors beside a's tail: x^2's rounding and c's tail.
	tail := b.FMA(ch, ve, b.FMA(cl, g.v, al))
	g.wh, g.wl = g.timesX(b, g.plusA(b, ah, ch, tail))
	return g
}

// splitAt18 is c rounded to a multiple of 2^-18, and the rest in float32.
func splitAt18(b *ir.Builder, c float64, name string) (hi, lo *ir.Value) {
	h := math.Round(c*0x1p18) / 0x1p18
	return b.Const(float32(h), name+" head, a multiple of 2^-18"), b.Const(float32(c-h), name+" tail")
}

// plusA is ah + c v + tail (ah a multiple of 2^-18, c >= 0, ah + c v < 64,
// tail small) as a head and a tail: see geluTanh.
func (g geluTanh) plusA(b *ir.Builder, ah, c, tail *ir.Value) [2]*ir.Value {
	h := b.FMA(c, g.v, ah)
	return [2]*ir.Value{h, b.Add(b.FMA(c, g.v, b.Sub(ah, h)), tail)}
}

// timesX is x (h + l) as a head and a tail, s = [h, l].
func (g geluTanh) timesX(b *ir.Builder, s [2]*ir.Value) (zh, zl *ir.Value) {
	zh = mulT(b, g.x, s[0])
	return zh, b.FMA(g.x, s[1], b.FMA(g.x, s[0], b.Neg(zh)))
}

// xdz is x z' = x (A + 3B x^2) as a head and a tail (gelu_tanh's backward).
// Its tail takes the rounding of the sum, A's tail and the product's
// rounding, and leaves out x^2's rounding and 3B's tail (2^-24 of 3B x^2
// at most). (In an earlier form, (c x)(1 + 3k x^2), those errors moved no
// largest error, 3.504 ULPs either way, and without the sum's rounding
// error it came to 8.83, over the budget of 5.)
func (g geluTanh) xdz(b *ir.Builder) (h, l *ir.Value) {
	ah, al := splitAt18(b, 2*kernels.GELUTanhC, "2 sqrt(2/pi)")
	b3 := b.Const(float32(6*kernels.GELUTanhC*kernels.GELUTanhK), "3 * 2 sqrt(2/pi) 0.044715")
	return g.timesX(b, g.plusA(b, ah, b3, al))
}

// Exp is the family's kernels. Streams as in piecewise: forward a = x;
// backward a = dy, b = x or y.
var Exp = family("exp", map[string]Desc{
	"exp_fwd": safe(func(b *ir.Builder) { b.Store(exp(b, b.Load(ir.A))) }),
	// dx = dy * y.
	"exp_bwd": func(b *ir.Builder) { b.Store(b.Mul(b.Load(ir.A), b.Load(ir.B))) },

	"sigmoid_fwd": func(b *ir.Builder) { b.Store(sigmoid(b, b.Load(ir.A))) },
	// dx = dy * y (1 - y); 1 - y is exact for y >= 1/2 (Sterbenz).
	"sigmoid_bwd": func(b *ir.Builder) {
		dy, y := b.Load(ir.A), b.Load(ir.B)
		b.Store(b.Mul(dy, b.Mul(y, b.Sub(b.One(), y))))
	},

	// min(x, 0) - log1p(e^-|x|); d/dx = sigmoid(-x).
	"log_sigmoid_fwd": func(b *ir.Builder) {
		x := b.Load(ir.A)
		b.Store(b.Sub(b.Min(b.Zero(), x), softplusTail(b, x)))
	},
	"log_sigmoid_bwd": func(b *ir.Builder) {
		dy, x := b.Load(ir.A), b.Load(ir.B)
		b.Store(b.Mul(dy, sigmoidDiv(b, x, true)))
	},

	"tanh_fwd": func(b *ir.Builder) { b.Store(tanh(b, b.Load(ir.A))) },
	// dx = dy (1 - y)(1 + y).
	"tanh_bwd": func(b *ir.Builder) {
		dy, y := b.Load(ir.A), b.Load(ir.B)
		one := b.One()
		b.Store(b.Mul(dy, b.Mul(b.Sub(one, y), b.Add(one, y))))
	},

	// max(x, 0) + log1p(e^-|x|); d/dx = sigmoid(x).
	"softplus_fwd": func(b *ir.Builder) {
		x := b.Load(ir.A)
		b.Store(b.Add(b.Max(b.Zero(), x), softplusTail(b, x)))
	},
	"softplus_bwd": func(b *ir.Builder) {
		dy, x := b.Load(ir.A), b.Load(ir.B)
		b.Store(b.Mul(dy, sigmoidDiv(b, x, false)))
	},

	// |x| < 1.5: x^3 h(x^2); beyond, x - tanh(x). Below 2^-30 the cube is
	// formed on x 2^40 and scaled back by 2^-120 once, h is fed
	// max(|x|, 2^-30)^2 (h(2^-60) rounds to h(0)), and the far branch
	// max(|x|, 1.5): tiny inputs then meet few subnormal intermediates,
	// which x86 computes up to a hundred times slower.
	//
	// The order is for the registers: the far branch first; tanh's sign as
	// one XorSign; the masks each read right after they are made (h's
	// argument needs none, and 2^-120 is the 2^40's exponent times -3), and
	// the branches' mask taken from x at the end (-|x| > -1.5, false on NaN
	// as |x| < 1.5 is). So 3 vectors an iteration fit on AVX-512 and 2 on
	// AVX2, where 2 and 1 did, each mask having lived across the other
	// branch or the polynomial: the same bits, 10-11% faster on AVX-512
	// and 18% on AVX2 than the near branch first with a sign select.
	"tanh_shrink_fwd": safe(func(b *ir.Builder) {
		x := b.Load(ir.A)
		ax := b.Abs(x)
		t := tanhFar(b, b.Max(b.Const(1.5, "1.5"), ax))
		far := b.Sub(x, b.XorSign(t, x)) // t >= 0 (or NaN, where x is)
		zero := b.Zero()
		// Below 2^-100 the result is +-0 (x^3/3 < 2^-300): x taken as +-0
		// keeps the squares out of the subnormal range there too.
		x0 := b.Select(b.Cmp(ir.LT, ax, b.Const(0x1p-100, "2^-100")), mulSub(b, x, zero), x)
		up := b.Select(b.Cmp(ir.LT, ax, b.Const(0x1p-30, "2^-30")), b.Const(40, "40"), zero)
		xs := b.Scale(x0, up)
		a := b.Max(b.Const(0x1p-30, "2^-30"), ax)
		h := horner(b, "tanhShrinkH", tanhShrinkH, b.Mul(a, a))
		near := b.Scale(b.Mul(b.Mul(xs, b.Mul(xs, xs)), h), b.Mul(up, b.Const(-3, "-3")))
		b.Store(b.Select(b.Cmp(ir.GT, b.NegAbs(x), b.Const(-1.5, "-1.5")), near, far))
	}),
	// dx = dy tanh(x)^2.
	"tanh_shrink_bwd": safe(func(b *ir.Builder) {
		dy, x := b.Load(ir.A), b.Load(ir.B)
		t := tanhAbsFine(b, b.Abs(x))
		b.Store(mulSub(b, dy, mulSub(b, t, t))) // t is x where x is tiny
	}),

	// p[0] = alpha
	"elu_fwd": func(b *ir.Builder) {
		x := b.Load(ir.A)
		b.Store(b.Select(b.Cmp(ir.GT, x, b.Zero()), x, eluNeg(b, x, b.Param(0))))
	},
	"elu_bwd": func(b *ir.Builder) {
		eluBwd(b, b.Load(ir.A), b.Load(ir.B), b.Param(0))
	},

	// lambda x as lambda_head x + lambda_tail x in one FMA: with lambda
	// rounded to float32 alone, x near MaxFloat32/lambda would overflow
	// where the exact product rounds to MaxFloat32.
	"selu_fwd": safe(func(b *ir.Builder) {
		x := b.Load(ir.A)
		lh, ll := split(b, kernels.SELULambda, "lambda")
		la := b.Const(float32(kernels.SELULambda*kernels.SELUAlpha), "lambda*alpha")
		b.Store(b.Select(b.Cmp(ir.GT, x, b.Zero()), lambdaTimes(b, lh, ll, x, true), eluNeg(b, x, la)))
	}),
	"selu_bwd": func(b *ir.Builder) {
		dy, x := b.Load(ir.A), b.Load(ir.B)
		lh, ll := split(b, kernels.SELULambda, "lambda")
		la := b.Const(float32(kernels.SELULambda*kernels.SELUAlpha), "lambda*alpha")
		P, n := expSplitNeg(b, negPart(b, x))
		neg := b.Scale(b.Mul(dy, b.Mul(la, P)), n)
		b.Store(b.Select(b.Cmp(ir.GT, x, b.Zero()), lambdaTimes(b, lh, ll, dy, false), neg))
	},

	// p[0] = alpha. x/alpha = q + rem/alpha with q = x (1/alpha) and rem =
	// x - q alpha (one FMA; exact but in rare cases, where its rounding is
	// 2^-47 of the result); then alpha expm1(x/alpha) = alpha m + rem (m +
	// 1), m = expm1(q), rounded once. q is a product, not x/alpha: a
	// division with a subnormal x takes x86 a microcode assist, and the
	// form takes any q near x/alpha.
	"celu_fwd": safe(func(b *ir.Builder) {
		x, a := b.Load(ir.A), b.Param(0)
		q := b.Min(b.Zero(), b.Max(b.Const(-86, "-86: expm1(x) is -1, and 2^n normal"), mulSub(b, x, b.Div(b.One(), a))))
		// rem is -Inf at x = -Inf only; floored, it meets m + 1 = 0 there
		// (q = -86, m = -1 exactly) and gives -0, not NaN.
		rem := b.Max(b.Const(-math.MaxFloat32, "-MaxFloat32"), b.FMA(b.Neg(q), a, x))
		m := expm1(b, q)
		neg := b.FMA(a, m, mulSub(b, rem, b.Add(m, b.One())))
		b.Store(b.Select(b.Cmp(ir.GT, x, b.Zero()), x, neg))
	}),
	// dx = dy e^(x/alpha) = dy e^q (1 + rem/alpha), scaled last (expSplitNeg
	// clamps q at -150, where the product is 0 for any ordinary dy); q and
	// rem/alpha are products by 1/alpha, as in the forward pass. At x =
	// -Inf, q is -Inf and rem NaN, which the select below q < -104 drops.
	"celu_bwd": safe(func(b *ir.Builder) {
		dy, x, a := b.Load(ir.A), b.Load(ir.B), b.Param(0)
		ra := b.Div(b.One(), a)
		q := b.Min(b.Zero(), mulSub(b, x, ra))
		ql := mulSub(b, b.FMA(b.Neg(q), a, x), ra)
		far := b.Cmp(ir.LT, q, b.Const(-104, "-104"))
		ql = b.Select(far, b.Zero(), ql) // e^q is 0 there, and q+ql no small sum
		P, n := expSplitNeg(b, q)
		neg := b.Scale(b.Mul(dy, b.FMA(P, ql, P)), n)
		b.Store(b.Select(b.Cmp(ir.GT, x, b.Zero()), b.Mul(dy, b.One()), neg))
	}),

	// x is floored at -150 (-Inf must not meet a zero), where x sigmoid(x)
	// is -0 already; the multiplier needs no cap: from 17.33 on, sigmoid's
	// q 2^m rounds to 1, and x q 2^m is x, +Inf included.
	"silu_fwd": safe(func(b *ir.Builder) {
		x := b.Load(ir.A)
		xl := b.Max(b.Const(-150, "-150: x sigmoid(x) is -0 in float32 from -110 on"), x)
		q, m, _ := sigmoidScaled(b, b.Min(sigmoidHi(b), xl), true)
		b.Store(xTimes(b, xl, q, m))
	}),
	// f' = sigmoid(x) (1 + x sigmoid(-x)).
	"silu_bwd": safe(func(b *ir.Builder) {
		dy, x := b.Load(ir.A), b.Load(ir.B)
		z := b.Max(b.Const(-150, "-150"), x)
		q, m, P := sigmoidScaled(b, b.Min(b.Const(80, "80: sigmoid(-z) < 2^-115"), z), false)
		sp, sn := sigmoids(b, q, m, P)
		grad(b, dy, x, b.FMA(mulSub(b, clampGrad(b, x), sp), sn, sp))
	}),

	"mish_fwd": safe(func(b *ir.Builder) {
		x := b.Load(ir.A)
		t, k := mishT(b, x)
		y := mulSub(b, floorLeft(b, x), t)
		b.Store(b.Select(b.Cmp(ir.LT, x, b.Zero()), b.Scale(y, k), y))
	}),
	// f' = E w / d^2 with E = e^x, d = E^2 + 2E + 2 = (n + 2) and w = 4(x + 1)
	// + E (4x + 6 + 4E + E^2). Every term is positive for x > -1; below,
	// w cancels near f''s zero (x = -1.19) only, where the absolute floor
	// takes over, and the factor E/d^2 (about 0.04 there) shrinks its
	// error. An error in E mostly cancels between w and d^2. x is capped at
	// 20 (f' is 1 in float32 beyond 9) and floored at -200 (f' is 0).
	"mish_bwd": safe(func(b *ir.Builder) {
		dy, x := b.Load(ir.A), b.Load(ir.B)
		xc := b.Min(b.Const(20, "20: mish' is 1 in float32 from 9 on"), floorLeft(b, x))
		P, k := expSplit(b, xc)
		E := b.Scale(P, k)
		two, four := b.Const(2, "two"), b.Const(4, "four")
		d := b.FMA(E, b.Add(E, two), two)
		x4 := mulSub(b, four, xc)
		inner := b.FMA(E, b.Add(E, four), b.Add(x4, b.Const(6, "six")))
		w := b.FMA(E, inner, b.Add(x4, four))
		grad(b, dy, x, b.Div(b.Mul(E, w), b.Mul(d, d)))
	}),

	// x sigmoid(z) with z = 2u in two floats (sigmoidScaled2), without the
	// Newton step: 2.780 ULPs at most over all 2^32 inputs, at x =
	// -4.9997315, where the rounding of P + 2^m reaches sigmoid(z) nearly
	// whole. With the step (three FMAs more, 13% slower on AVX-512), 2.267.
	"gelu_tanh_fwd": safe(func(b *ir.Builder) {
		x := b.Load(ir.A)
		g := geluTanhZ(b, x)
		q, m, _ := sigmoidScaled2(b, b.Min(b.Const(26, "26: sigmoid(w ln2) rounds to 1 from w = 25.0 on"), g.wh), g.wl, false)
		y := xTimes(b, g.x, q, m)
		b.Store(b.Select(b.Cmp(ir.LE, x, b.Const(12, "12")), y, x)) // NaN: x
	}),
	// f' = s (1 + x (1 - s) z'), s = sigmoid(z), z = 2u, z' = 2 sqrt(2/pi)
	// (1 + 3k x^2). 1 + x (1 - s) z' cancels: by a factor 1.8 at x = -1.27
	// and without bound near f''s zero (x = -0.754), where the absolute floor
	// takes over. So z is carried in two floats (an error in z moves s by
	// (1 - s) |z| times as much), x z' = A is carried in two floats (see
	// xdz), s and 1 - s come from one division (sigmoids), and
	// 1 + A (1 - s) is rounded once. 3.774 ULPs at most over all 2^32
	// inputs, at x = 0.7412706, where s (1.38 ULPs) and 1 - s (1.89) carry
	// the rounding of P + 2^m.
	"gelu_tanh_bwd": safe(func(b *ir.Builder) {
		dy, x := b.Load(ir.A), b.Load(ir.B)
		g := geluTanhZ(b, x)
		// A = x z', formed first so that fewer values are live across
		// the exponential.
		ah, al := g.xdz(b)
		q, m, P := sigmoidScaled2(b, b.Min(b.Const(116, "116 = 80/ln2: sigmoid(-z) < 2^-115"), g.wh), g.wl, false)
		sp, sn := sigmoids(b, q, m, P)
		h := b.FMA(ah, sn, b.One())
		grad(b, dy, x, b.Mul(sp, b.FMA(al, sn, h)))
	}),
})
