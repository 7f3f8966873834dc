package act

import (
	"math"
	"math/rand/v2"

	"github.com/simdact/act/kernels"
)

// Activation is an elementwise activation with its parameters bound, as
// configured by name in a Keras or PyTorch model.
type Activation interface {
	// Name is the catalogue name ("relu", "hard_swish", ...).
	Name() string
	// Forward computes dst[i] = f(x[i]).
	Forward(dst, x []float32)
	// Backward computes dx[i] = dy[i] * f'(x[i]). It reads x or y (the
	// forward output), whichever the activation's backward reads; the other
	// may be nil.
	Backward(dx, dy, x, y []float32)
}

// activation is an Activation: its forward and backward functions, the
// backward reading in = x, or y where readsY.
type activation struct {
	name   string
	fwd    func(dst, x []float32)
	bwd    func(dx, dy, in []float32)
	readsY bool
}

func (a *activation) Name() string             { return a.name }
func (a *activation) Forward(dst, x []float32) { a.fwd(dst, x) }
func (a *activation) Backward(dx, dy, x, y []float32) {
	if a.readsY {
		x = y
	}
	a.bwd(dx, dy, x)
}

// prelu is PReLU with PyTorch's default single slope, 0.25.
var prelu = activation{"prelu",
	func(dst, x []float32) { LeakyReLU(dst, x, kernels.PReLU.Params[0].Default) },
	func(dx, dy, x []float32) { LeakyReLUBackward(dx, dy, x, kernels.PReLU.Params[0].Default) },
	false,
}

// rrelu is RReLU in evaluation mode: a leaky ReLU whose slope is the mean of
// PyTorch's default bounds, (1/8 + 1/3)/2.
var rrelu = activation{"rrelu",
	func(dst, x []float32) { LeakyReLU(dst, x, RReLUEvalSlope(RReLULower, RReLUUpper)) },
	func(dx, dy, x []float32) { LeakyReLUBackward(dx, dy, x, RReLUEvalSlope(RReLULower, RReLUUpper)) },
	false,
}

// Lookup finds an elementwise activation by its catalogue name or an alias
// ("swish" for "silu", "hard_silu" for "hard_swish", "hardtanh", ...), with
// PyTorch's default parameters. "prelu" has one slope of 0.25 and "rrelu" is
// in evaluation mode (slope (lower+upper)/2).
func Lookup(name string) (Activation, bool) {
	switch name {
	case "prelu":
		return &prelu, true
	case "rrelu":
		return &rrelu, true
	}
	e, ok := kernels.ByName(name)
	if !ok {
		return nil, false
	}
	for i := range elementwise {
		if elementwise[i].name == e.Name {
			return &elementwise[i], true
		}
	}
	return nil, false
}

// PyTorch's default RReLU bounds.
const (
	RReLULower = 1.0 / 8
	RReLUUpper = 1.0 / 3
)

// RReLUSlopes fills slope with the training-mode slopes of RReLU: each drawn
// uniformly from [lower, upper) with rng. Pass the result to PReLU and
// PReLUBackward (len(slope) == len(x) for one slope per element, as PyTorch
// draws them). In evaluation mode RReLU is LeakyReLU with the slope
// RReLUEvalSlope(lower, upper).
func RReLUSlopes(slope []float32, lower, upper float32, rng *rand.Rand) {
	for i := range slope {
		s := lower + (upper-lower)*rng.Float32()
		if s >= upper && upper > lower { // the sum can round up to upper itself
			s = math.Nextafter32(upper, lower)
		}
		slope[i] = s
	}
}

// RReLUEvalSlope is RReLU's evaluation-mode slope, (lower + upper) / 2.
func RReLUEvalSlope(lower, upper float32) float32 { return (lower + upper) / 2 }
