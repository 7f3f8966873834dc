package act_test

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/simdact/act"
)

func ExampleReLU() {
	x := []float32{-2, -0.5, 0, 0.5, 2}
	y := make([]float32, len(x))
	act.ReLU(y, x)
	fmt.Println(y)
	// Output: [0 0 0 0.5 2]
}

func ExampleReLUBackward() {
	x := []float32{-2, -0.5, 0, 0.5, 2} // the forward pass's input
	dy := []float32{1, 1, 1, 1, 3}      // the gradient arriving from above
	dx := make([]float32, len(x))
	act.ReLUBackward(dx, dy, x)
	fmt.Println(dx)
	// Output: [0 0 0 1 3]
}

func ExampleLeakyReLU() {
	x := []float32{-100, -1, 0, 1, 100}
	act.LeakyReLU(x, x, 0.01) // in place
	fmt.Println(x)
	// Output: [-1 -0.01 0 1 100]
}

func ExamplePReLU() {
	// Two rows of three channels; each channel has its own slope.
	x := []float32{
		-1, -1, -1,
		-2, 2, -4,
	}
	slope := []float32{0.25, 0.5, 0}
	y := make([]float32, len(x))
	act.PReLU(y, x, slope)
	fmt.Println(y)
	// Output: [-0.25 -0.5 -0 -0.5 2 -0]
}

func ExamplePReLUBackward() {
	x := []float32{
		-1, -1, -1,
		-2, 2, -4,
	}
	dy := []float32{
		1, 1, 1,
		1, 1, 1,
	}
	slope := []float32{0.25, 0.5, 0}
	dx := make([]float32, len(x))
	dslope := make([]float32, len(slope)) // accumulated into: zero it first
	act.PReLUBackward(dx, dslope, dy, x, slope)
	fmt.Println(dx)
	fmt.Println(dslope)
	// Output:
	// [0.25 0.5 0 0.25 1 0]
	// [-3 -1 -5]
}

func ExampleHardSwish() {
	x := []float32{-4, -3, -1.5, 0, 1.5, 3, 4}
	y := make([]float32, len(x))
	act.HardSwish(y, x)
	fmt.Println(y)
	// Output: [-0 -0 -0.375 0 1.125 3 4]
}

func ExampleLookup() {
	// An activation named in a model's configuration, with PyTorch's defaults.
	for _, name := range []string{"relu", "hard_silu", "leaky_relu", "prelu", "no_such_thing"} {
		a, ok := act.Lookup(name)
		if !ok {
			fmt.Printf("%s: unknown\n", name)
			continue
		}
		y := make([]float32, 2)
		a.Forward(y, []float32{-1, 2})
		fmt.Printf("%s: %s %v\n", name, a.Name(), y)
	}
	// Output:
	// relu: relu [0 2]
	// hard_silu: hard_swish [-0.33333334 1.6666666]
	// leaky_relu: leaky_relu [-0.01 2]
	// prelu: prelu [-0.25 2]
	// no_such_thing: unknown
}

func ExampleISA() {
	// The tier depends on the CPU: "avx512", "avx2", "neon" or "generic".
	fmt.Println(slices.Contains(act.ISAs(), act.ISA()))
	fmt.Println(act.ISAs()[len(act.ISAs())-1])
	// Output:
	// true
	// generic
}

func ExampleRReLUSlopes() {
	// RReLU in training mode: one random slope per element, then PReLU.
	x := []float32{-1, -1, -1, -1, 2}
	slope := make([]float32, len(x))
	act.RReLUSlopes(slope, act.RReLULower, act.RReLUUpper, rand.New(rand.NewPCG(1, 2)))
	y := make([]float32, len(x))
	act.PReLU(y, x, slope)
	fmt.Printf("%.4f\n", y)

	// In evaluation mode it is a leaky ReLU with the mean slope.
	act.LeakyReLU(y, x, act.RReLUEvalSlope(act.RReLULower, act.RReLUUpper))
	fmt.Printf("%.4f\n", y)
	// Output:
	// [-0.3249 -0.2933 -0.2945 -0.3185 2.0000]
	// [-0.2292 -0.2292 -0.2292 -0.2292 2.0000]
}
