package kernels

import "math"

// The piecewise family: rectifiers, clamps, shrinks and the algebraic
// (division and square-root) activations.

var (
	ReLU = register(&Entry{
		Name: "relu", Func: "ReLU",
		Doc:   "ReLU computes dst[i] = max(x[i], 0). A NaN input gives NaN.",
		F:     func(x float64, _ []float64) float64 { return math.Max(x, 0) },
		D:     func(x float64, _ []float64) float64 { return step(x, x > 0) },
		Reads: ReadsX, FwdULP: Exact, BwdULP: Exact, BitExact: true,
		Special: []Case{{1, 1}, {-1, 0}, {float32(inf), float32(inf)}, {float32(-inf), 0}},
		Edges:   []float32{0},
	})

	ReLU6 = register(&Entry{
		Name: "relu6", Func: "ReLU6",
		Doc:   "ReLU6 computes dst[i] = min(max(x[i], 0), 6).",
		F:     func(x float64, _ []float64) float64 { return math.Min(math.Max(x, 0), 6) },
		D:     func(x float64, _ []float64) float64 { return step(x, x > 0 && x < 6) },
		Reads: ReadsX, FwdULP: Exact, BwdULP: Exact, BitExact: true,
		Special: []Case{{float32(inf), 6}, {float32(-inf), 0}, {7, 6}},
		Edges:   []float32{0, 6},
	})

	LeakyReLU = register(&Entry{
		Name: "leaky_relu", Func: "LeakyReLU",
		Doc: "LeakyReLU computes dst[i] = x[i] for x[i] >= 0 and slope*x[i] below. " +
			"PyTorch's default slope is 0.01 (Keras: 0.2 for the function, 0.3 for the layer).",
		Params: []Param{{Name: "slope", Default: 0.01, Doc: "the gradient below zero"}},
		F: func(x float64, p []float64) float64 {
			if x >= 0 || math.IsNaN(x) {
				return x
			}
			return p[0] * x
		},
		D: func(x float64, p []float64) float64 {
			switch {
			case math.IsNaN(x):
				return x
			case x > 0:
				return 1
			}
			return p[0]
		},
		Reads: ReadsX, FwdULP: Exact, BwdULP: Exact, BitExact: true,
		Edges: []float32{0},
	})

	PReLU = register(&Entry{
		Name: "prelu", Func: "PReLU", Shape: Channelwise,
		Doc: "PReLU computes dst[i] = x[i] for x[i] >= 0 and slope[c]*x[i] below, where c = i mod len(slope): " +
			"the slope is broadcast over rows whose last axis is the channel (PyTorch's default: one slope, 0.25).",
		Params: []Param{{Name: "slope", Default: 0.25, Doc: "per-channel gradient below zero"}},
		F:      LeakyReLU.F,
		D:      LeakyReLU.D,
		Reads:  ReadsX, FwdULP: Exact, BwdULP: 1, BitExact: true,
		Edges: []float32{0},
	})

	HardTanh = register(&Entry{
		Name: "hard_tanh", Aliases: []string{"hardtanh"}, Func: "HardTanh",
		Doc: "HardTanh computes dst[i] = min(max(x[i], lo), hi).",
		Params: []Param{{Name: "lo", Default: -1, Doc: "the lower bound"},
			{Name: "hi", Default: 1, Doc: "the upper bound"}},
		F:     func(x float64, p []float64) float64 { return math.Min(math.Max(x, p[0]), p[1]) },
		D:     func(x float64, p []float64) float64 { return step(x, x > p[0] && x < p[1]) },
		Reads: ReadsX, FwdULP: Exact, BwdULP: Exact, BitExact: true,
		Edges: []float32{-1, 1},
	})

	HardSigmoid = register(&Entry{
		Name: "hard_sigmoid", Aliases: []string{"hardsigmoid"}, Func: "HardSigmoid",
		Doc: "HardSigmoid computes dst[i] = min(max(x[i]/6 + 1/2, 0), 1) (PyTorch's definition), " +
			"as (x+3)/6 so that it stays accurate near -3.",
		F: func(x float64, _ []float64) float64 { return math.Min(math.Max(x/6+0.5, 0), 1) },
		D: func(x float64, _ []float64) float64 {
			if math.IsNaN(x) {
				return x
			}
			if x > -3 && x < 3 {
				return 1.0 / 6
			}
			return 0
		},
		Reads: ReadsX, FwdULP: 1, BwdULP: 1,
		Special: []Case{{-3, 0}, {3, 1}, {float32(inf), 1}, {float32(-inf), 0}},
		Edges:   []float32{-3, 3},
	})

	HardSwish = register(&Entry{
		Name: "hard_swish", Aliases: []string{"hardswish", "hard_silu"}, Func: "HardSwish",
		Doc: "HardSwish computes dst[i] = x[i] * min(max(x[i]/6 + 1/2, 0), 1); its backward follows " +
			"PyTorch (x/3 + 1/2 on [-3, 3]).",
		F: func(x float64, _ []float64) float64 {
			switch {
			case x <= -3:
				return 0
			case x >= 3:
				return x
			}
			return x * (x + 3) / 6
		},
		D: func(x float64, _ []float64) float64 {
			switch {
			case math.IsNaN(x):
				return x
			case x < -3:
				return 0
			case x > 3:
				return 1
			}
			return x/3 + 0.5
		},
		Reads: ReadsX, FwdULP: 2, BwdULP: 2,
		Special: []Case{{float32(-inf), 0}, {float32(inf), float32(inf)}, {-3, 0}, {3, 3}},
		Edges:   []float32{-3, 3, -1.5},
	})

	Softsign = register(&Entry{
		Name: "softsign", Func: "Softsign",
		Doc: "Softsign computes dst[i] = x[i] / (1 + |x[i]|); softsign(+-Inf) = +-1.",
		F: func(x float64, _ []float64) float64 {
			if math.IsInf(x, 0) {
				return math.Copysign(1, x)
			}
			return x / (1 + math.Abs(x))
		},
		D: func(x float64, _ []float64) float64 {
			t := 1 + math.Abs(x)
			return 1 / (t * t)
		},
		Reads: ReadsX, FwdULP: 1, BwdULP: 2, BitExact: true,
		Special: []Case{{float32(inf), 1}, {float32(-inf), -1}, {float32(math.Copysign(0, -1)), float32(math.Copysign(0, -1))}},
	})

	Threshold = register(&Entry{
		Name: "threshold", Func: "Threshold",
		Doc: "Threshold computes dst[i] = x[i] where x[i] > th and value elsewhere (a NaN input stays NaN).",
		Params: []Param{{Name: "th", Default: 0, Doc: "the threshold"},
			{Name: "value", Default: 0, Doc: "the value that replaces x <= th"}},
		F: func(x float64, p []float64) float64 {
			if x <= p[0] {
				return p[1]
			}
			return x
		},
		D:     func(x float64, p []float64) float64 { return step(x, x > p[0]) },
		Reads: ReadsX, FwdULP: Exact, BwdULP: Exact, BitExact: true,
		Edges: []float32{0},
	})

	HardShrink = register(&Entry{
		Name: "hard_shrink", Aliases: []string{"hardshrink"}, Func: "HardShrink",
		Doc:    "HardShrink computes dst[i] = x[i] where |x[i]| > lambda and 0 elsewhere.",
		Params: []Param{{Name: "lambda", Default: 0.5, Doc: "the half-width of the zeroed band"}},
		F: func(x float64, p []float64) float64 {
			if math.Abs(x) <= p[0] {
				return 0
			}
			return x
		},
		D:     func(x float64, p []float64) float64 { return step(x, math.Abs(x) > p[0]) },
		Reads: ReadsX, FwdULP: Exact, BwdULP: Exact, BitExact: true,
		Edges: []float32{-0.5, 0.5},
	})

	SoftShrink = register(&Entry{
		Name: "soft_shrink", Aliases: []string{"softshrink"}, Func: "SoftShrink",
		Doc:    "SoftShrink computes dst[i] = x[i] - lambda*sign(x[i]) where |x[i]| > lambda and 0 elsewhere.",
		Params: []Param{{Name: "lambda", Default: 0.5, Doc: "the half-width of the zeroed band"}},
		F: func(x float64, p []float64) float64 {
			switch {
			case x > p[0]:
				return x - p[0]
			case x < -p[0]:
				return x + p[0]
			case math.IsNaN(x):
				return x
			}
			return 0
		},
		D:     func(x float64, p []float64) float64 { return step(x, math.Abs(x) > p[0]) },
		Reads: ReadsX, FwdULP: Exact, BwdULP: Exact, BitExact: true,
		Edges: []float32{-0.5, 0.5},
	})

	SparsePlus = register(&Entry{
		Name: "sparse_plus", Func: "SparsePlus",
		Doc: "SparsePlus computes dst[i] = 0 for x[i] <= -1, x[i] for x[i] >= 1 and (x[i]+1)^2/4 between " +
			"(Keras' sparse_plus).",
		F: func(x float64, _ []float64) float64 {
			switch {
			case x <= -1:
				return 0
			case x >= 1:
				return x
			}
			return (x + 1) * (x + 1) / 4
		},
		D: func(x float64, _ []float64) float64 {
			switch {
			case math.IsNaN(x):
				return x
			case x <= -1:
				return 0
			case x >= 1:
				return 1
			}
			return (x + 1) / 2
		},
		Reads: ReadsX, FwdULP: 1, BwdULP: 1,
		Special: []Case{{float32(-inf), 0}, {float32(inf), float32(inf)}, {-1, 0}, {1, 1}},
		Edges:   []float32{-1, 1},
	})

	Squareplus = register(&Entry{
		Name: "squareplus", Func: "Squareplus",
		Doc: "Squareplus computes dst[i] = (x[i] + sqrt(x[i]^2 + b)) / 2, as b / (2(sqrt(x^2+b) - x)) for " +
			"x < 0 so that it keeps its accuracy far left; b must be positive (default 4).",
		Params: []Param{{Name: "b", Default: 4, Doc: "the smoothing constant, > 0"}},
		F: func(x float64, p []float64) float64 {
			s := math.Sqrt(x*x + p[0])
			if x < 0 {
				return p[0] / (2 * (s - x))
			}
			return (x + s) / 2
		},
		D: func(x float64, p []float64) float64 {
			s := math.Sqrt(x*x + p[0])
			switch {
			case math.IsInf(x, 1):
				return 1
			case x < 0:
				return p[0] / (2 * s * (s - x))
			}
			return 0.5 + 0.5*x/s
		},
		Reads: ReadsX, FwdULP: 2, BwdULP: 3,
		Special: []Case{{float32(-inf), 0}, {float32(inf), float32(inf)}, {0, 1}},
		Edges:   []float32{0},
	})
)
