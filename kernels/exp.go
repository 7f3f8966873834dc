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
		Special: []Case{{0, 1}, {float32(-inf), 0}, {float32(inf), float32(inf)}, {-200, 0}, {100, float32(inf)}},
		Edges:   []float32{88.72283, -87.33655, -103.27893},
	})

	Sigmoid = register(&Entry{
		Name: "sigmoid", Aliases: []string{"logistic"}, Func: "Sigmoid",
		Doc: "Sigmoid computes dst[i] = 1 / (1 + e^-x[i]), from e^-|x| so that neither tail cancels; " +
			"the left tail is subnormal from x = -87.3 on and exact to the last bit there.",
		F: func(x float64, _ []float64) float64 { return sigma(x) },
		D: func(y float64, _ []float64) float64 { return y * (1 - y) },
		Reads: ReadsY, FwdULP: 2, BwdULP: 4,
		Special: []Case{{0, 0.5}, {float32(-inf), 0}, {float32(inf), 1}, {-200, 0}, {100, 1}},
		Edges:   []float32{-87.33655, -103.27893, 16.635532},
	})

	LogSigmoid = register(&Entry{
		Name: "log_sigmoid", Aliases: []string{"logsigmoid"}, Func: "LogSigmoid",
		Doc:   "LogSigmoid computes dst[i] = log(sigmoid(x[i])) = min(x, 0) - log1p(e^-|x|).",
		F:     func(x float64, _ []float64) float64 { return -softplus(-x) },
		D:     func(x float64, _ []float64) float64 { return sigma(-x) },
		Reads: ReadsX, FwdULP: 3, BwdULP: 4,
		Special: []Case{{float32(-inf), float32(-inf)}, {float32(inf), 0}},
		Edges:   []float32{0, 16.635532, -16.635532},
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
		Special: []Case{{float32(-inf), 0}, {float32(inf), float32(inf)}, {-200, 0}},
		Edges:   []float32{0, 16.635532, -16.635532, -87.33655, -103.27893},
	})
)
