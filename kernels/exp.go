package kernels

import "math"

// The exp family: activations built on e^x, e^x - 1 and log(1 + x).

// sigma is the logistic function, accurate in float64 for every x.
func sigma(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// gated gives the reference of x*g(x) for a gate g that goes from 0 to 1
// (silu, mish, gelu_tanh), or of its derivative: f(x) in between, and the
// limits at -Inf and +Inf where the formula would meet Inf*0.
func gated(atNegInf, atPosInf float64, f func(x float64) float64) func(float64, []float64) float64 {
	return func(x float64, _ []float64) float64 {
		switch {
		case math.IsInf(x, -1):
			return atNegInf
		case math.IsInf(x, 1):
			return atPosInf
		}
		return f(x)
	}
}

// softplus is log(1 + e^x) in float64, accurate for every x.
func softplus(x float64) float64 {
	if math.IsInf(x, 1) {
		return x
	}
	return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
}

var (
	Exp = register(&Entry{
		Name: "exp", Aliases: []string{"exponential"}, Func: "Exp",
		Doc:   "Exp computes dst[i] = e^x[i], with subnormal results rounded, not flushed.",
		F:     func(x float64, _ []float64) float64 { return math.Exp(x) },
		D:     func(y float64, _ []float64) float64 { return y },
		Reads: ReadsY, FwdULP: 1, BwdULP: 2,
		Special:        []Case{{0, 1}, {float32(-inf), 0}, {float32(inf), float32(inf)}, {-200, 0}, {100, float32(inf)}},
		Edges:          []float32{88.72283, -87.33655, -103.27893},
		SubnormalAs:    map[string]float32{"fwd": 0},
		SubnormalTimes: map[string]Times{"bwd": {Dy: true}}, // dy y
	})

	Sigmoid = register(&Entry{
		Name: "sigmoid", Aliases: []string{"logistic"}, Func: "Sigmoid",
		Doc: "Sigmoid computes dst[i] = 1 / (1 + e^-x[i]), from e^-|x| so that neither tail cancels; " +
			"the left tail is subnormal from x = -87.3 on and exact to the last bit there.",
		F:     func(x float64, _ []float64) float64 { return sigma(x) },
		D:     func(y float64, _ []float64) float64 { return y * (1 - y) },
		Reads: ReadsY, FwdULP: 2, BwdULP: 4,
		Special:        []Case{{0, 0.5}, {float32(-inf), 0}, {float32(inf), 1}, {-200, 0}, {100, 1}},
		Edges:          []float32{-87.33655, -103.27893, 16.635532},
		SubnormalAs:    map[string]float32{"fwd": 0},
		SubnormalTimes: map[string]Times{"bwd": {Dy: true}}, // dy y (1 - y), 1 - y = 1
	})

	LogSigmoid = register(&Entry{
		Name: "log_sigmoid", Aliases: []string{"logsigmoid"}, Func: "LogSigmoid",
		Doc:   "LogSigmoid computes dst[i] = log(sigmoid(x[i])) = min(x, 0) - log1p(e^-|x|).",
		F:     func(x float64, _ []float64) float64 { return -softplus(-x) },
		D:     func(x float64, _ []float64) float64 { return sigma(-x) },
		Reads: ReadsX, FwdULP: 3, BwdULP: 4,
		Special:     []Case{{float32(-inf), float32(-inf)}, {float32(inf), 0}},
		Edges:       []float32{0, 16.635532, -16.635532},
		SubnormalAs: map[string]float32{"fwd": 0, "bwd": 0},
	})

	Tanh = register(&Entry{
		Name: "tanh", Func: "Tanh",
		Doc:   "Tanh computes dst[i] = tanh(x[i]), from e^(2|x|) - 1 with the sign put back.",
		F:     func(x float64, _ []float64) float64 { return math.Tanh(x) },
		D:     func(y float64, _ []float64) float64 { return (1 - y) * (1 + y) },
		Reads: ReadsY, FwdULP: 3, BwdULP: 4,
		Special: []Case{{0, 0}, {float32(math.Copysign(0, -1)), float32(math.Copysign(0, -1))},
			{float32(inf), 1}, {float32(-inf), -1}, {20, 1}, {-20, -1}},
		Edges: []float32{9.010913, -9.010913, 0.0004, -0.0004},
	})

	Softplus = register(&Entry{
		Name: "softplus", Func: "Softplus",
		Doc:   "Softplus computes dst[i] = log(1 + e^x[i]) = max(x, 0) + log1p(e^-|x|).",
		F:     func(x float64, _ []float64) float64 { return softplus(x) },
		D:     func(x float64, _ []float64) float64 { return sigma(x) },
		Reads: ReadsX, FwdULP: 3, BwdULP: 4,
		Special:     []Case{{float32(-inf), 0}, {float32(inf), float32(inf)}, {-200, 0}},
		Edges:       []float32{0, 16.635532, -16.635532, -87.33655, -103.27893},
		SubnormalAs: map[string]float32{"fwd": 0, "bwd": 0},
	})
)

// SELU's constants (Klambauer et al. 2017), exact in the reference.
const (
	SELULambda = 1.0507009873554804934193349852946
	SELUAlpha  = 1.6732632423543772848170429916717
)

func elu(x, alpha float64) float64 {
	if x > 0 || math.IsNaN(x) {
		return x
	}
	return alpha * math.Expm1(x)
}

func eluD(x, alpha float64) float64 {
	switch {
	case math.IsNaN(x):
		return x
	case x > 0:
		return 1
	}
	return alpha * math.Exp(x)
}

// tanhSoftplus is tanh(softplus(x)) = n / (n + 2), n = e^x (e^x + 2).
func tanhSoftplus(x float64) float64 {
	if x > 20 {
		return 1 - 2/(math.Exp(2*x)+2*math.Exp(x)+2)
	}
	e := math.Exp(x)
	n := e * (e + 2)
	return n / (n + 2)
}

var (
	TanhShrink = register(&Entry{
		Name: "tanh_shrink", Aliases: []string{"tanhshrink"}, Func: "TanhShrink",
		Doc: "TanhShrink computes dst[i] = x[i] - tanh(x[i]), by a polynomial near 0 where the difference " +
			"cancels.",
		F: func(x float64, _ []float64) float64 {
			switch v := x * x; {
			case math.IsInf(x, 0):
				return x
			case math.Abs(x) < 0.01: // float64 would cancel: the series
				return x * v * (1.0/3 - v*(2.0/15-v*(17.0/315-v*62.0/2835)))
			}
			return x - math.Tanh(x)
		},
		D:     func(x float64, _ []float64) float64 { t := math.Tanh(x); return t * t },
		Reads: ReadsX, FwdULP: 4, BwdULP: 5,
		Special: []Case{{0, 0}, {float32(math.Copysign(0, -1)), float32(math.Copysign(0, -1))},
			{float32(inf), float32(inf)}, {float32(-inf), float32(-inf)}},
		Edges:       []float32{1.5, -1.5, 9.010913},
		SubnormalAs: map[string]float32{"fwd": 0, "bwd": 0},
	})

	ELU = register(&Entry{
		Name: "elu", Func: "ELU",
		Doc: "ELU computes dst[i] = x[i] for x[i] > 0 and alpha*(e^x[i] - 1) elsewhere, through an " +
			"expm1 that keeps its accuracy near 0.",
		Params: []Param{{Name: "alpha", Default: 1, Doc: "the negative saturation value's magnitude"}},
		F:      func(x float64, p []float64) float64 { return elu(x, p[0]) },
		D:      func(x float64, p []float64) float64 { return eluD(x, p[0]) },
		Reads:  ReadsX, FwdULP: 2, BwdULP: 3,
		Special:        []Case{{float32(-inf), -1}, {float32(inf), float32(inf)}, {0, 0}},
		Edges:          []float32{0, -104},
		SubnormalAs:    map[string]float32{"bwd": 0x1p-100},
		SubnormalTimes: map[string]Times{"fwd": {Pos: 1, NegParam: "alpha"}}, // x, alpha expm1(x) = alpha x
	})

	SELU = register(&Entry{
		Name: "selu", Func: "SELU",
		Doc: "SELU computes dst[i] = lambda*x[i] for x[i] > 0 and lambda*alpha*(e^x[i] - 1) elsewhere, " +
			"with lambda = 1.0507009873554805 and alpha = 1.6732632423543772.",
		F:     func(x float64, _ []float64) float64 { return SELULambda * elu(x, SELUAlpha) },
		D:     func(x float64, _ []float64) float64 { return SELULambda * eluD(x, SELUAlpha) },
		Reads: ReadsX, FwdULP: 2, BwdULP: 3,
		Special:     []Case{{float32(inf), float32(inf)}, {0, 0}},
		Edges:       []float32{0, -104},
		SubnormalAs: map[string]float32{"bwd": 0x1p-100},
		// lambda x: its head alone (the tail's product rounds to 0), and
		// lambda alpha expm1(x) = lambda alpha x.
		SubnormalTimes: map[string]Times{"fwd": {Pos: float32(SELULambda), Neg: float32(SELULambda * SELUAlpha)}},
	})

	CELU = register(&Entry{
		Name: "celu", Func: "CELU",
		Doc: "CELU computes dst[i] = x[i] for x[i] > 0 and alpha*(e^(x[i]/alpha) - 1) elsewhere; alpha " +
			"must be positive.",
		Params: []Param{{Name: "alpha", Default: 1, Doc: "the negative saturation value's magnitude, > 0"}},
		F:      func(x float64, p []float64) float64 { return elu(x/p[0], 1) * p[0] },
		D: func(x float64, p []float64) float64 {
			return eluD(x/p[0], 1)
		},
		Reads: ReadsX, FwdULP: 2, BwdULP: 3,
		Special: []Case{{float32(-inf), -1}, {float32(inf), float32(inf)}, {0, 0}},
		Edges:   []float32{0},
		// alpha near MaxFloat32, where 1/alpha is subnormal and x/alpha
		// never saturates, and alpha so small that x/alpha overflows.
		TestParams:  [][]float32{{1e-30}, {3e-3}, {1e30}, {3e38}},
		SubnormalAs: map[string]float32{"bwd": 0},
	})

	SiLU = register(&Entry{
		Name: "silu", Aliases: []string{"swish"}, Func: "SiLU",
		Doc: "SiLU computes dst[i] = x[i] * sigmoid(x[i]) (swish); silu(-Inf) = -0 and silu(+Inf) = +Inf. " +
			"Far left, where sigmoid is subnormal, the product is formed before the final scaling so that " +
			"it keeps its precision.",
		F:     gated(0, inf, func(x float64) float64 { return x * sigma(x) }),
		D:     gated(0, 1, func(x float64) float64 { return sigma(x) * (1 + x*sigma(-x)) }),
		Reads: ReadsX, FwdULP: 3, BwdULP: 5, ZeroFloor: true,
		Special:        []Case{{float32(-inf), 0}, {float32(inf), float32(inf)}, {0, 0}},
		Edges:          []float32{-87.33655, -103.27893, -108, -1.2784645},
		SubnormalAs:    map[string]float32{"bwd": 0},
		SubnormalTimes: map[string]Times{"fwd": {Pos: 0.5, Neg: 0.5}}, // x sigmoid(0)
	})

	Mish = register(&Entry{
		Name: "mish", Func: "Mish",
		Doc: "Mish computes dst[i] = x[i] * tanh(softplus(x[i])) = x*n/(n+2) with n = e^x (e^x + 2); " +
			"mish(-Inf) = -0 and mish(+Inf) = +Inf.",
		F: gated(0, inf, func(x float64) float64 { return x * tanhSoftplus(x) }),
		D: gated(0, 1, func(x float64) float64 {
			t := tanhSoftplus(x)
			return t + x*sigma(x)*(1-t)*(1+t)
		}),
		Reads: ReadsX, FwdULP: 4, BwdULP: 6, ZeroFloor: true,
		Special:        []Case{{float32(-inf), 0}, {float32(inf), float32(inf)}, {0, 0}},
		Edges:          []float32{-87.33655, -103.27893, -108, 20, -1.1924},
		SubnormalAs:    map[string]float32{"bwd": 0},
		SubnormalTimes: map[string]Times{"fwd": {Pos: 0.6, Neg: 0.6}}, // x tanh(ln 2) = 3x/5
	})
)

// GELU-tanh's constants: sqrt(2/pi) and the cubic coefficient, exact in the
// reference.
const (
	GELUTanhC = 0.79788456080286535587989211986876 // sqrt(2/pi)
	GELUTanhK = 0.044715
)

// geluTanhZ is 2u = 2 sqrt(2/pi) (x + 0.044715 x^3).
func geluTanhZ(x float64) float64 { return 2 * GELUTanhC * (x + GELUTanhK*x*x*x) }

var GELUTanh = register(&Entry{
	Name: "gelu_tanh", Func: "GELUTanh",
	Doc: "GELUTanh computes dst[i] = x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) for x = x[i] " +
		"(PyTorch's approximate='tanh'), as x * sigmoid(2u) with 2u carried in two floats so that the " +
		"left tail keeps its precision; gelu_tanh(-Inf) = -0 and gelu_tanh(+Inf) = +Inf.",
	F: gated(0, inf, func(x float64) float64 { return x * sigma(geluTanhZ(x)) }),
	D: gated(0, 1, func(x float64) float64 {
		z := geluTanhZ(x)
		return sigma(z) + x*sigma(z)*sigma(-z)*2*GELUTanhC*(1+3*GELUTanhK*x*x)
	}),
	Reads: ReadsX, FwdULP: 3, BwdULP: 5, ZeroFloor: true,
	Special:        []Case{{float32(-inf), 0}, {float32(inf), float32(inf)}, {0, 0}},
	Edges:          []float32{-10, -10.9, -12, 12},
	SubnormalAs:    map[string]float32{"bwd": 0},
	SubnormalTimes: map[string]Times{"fwd": {Pos: 0.5, Neg: 0.5}}, // x sigmoid(0)
})
