package bench

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/simdact/act"
)

// BenchmarkSubnormal times the exp family where it meets subnormal numbers,
// beside the same kernels on ordinary inputs (inputs=ordinary: x in
// [-10, 10]), n = 65536, on every tier:
//
//   - inputs=subnormal: subnormal results, for sigmoid, exp and silu forward
//     on x in [-100, -87], where every result is subnormal;
//   - inputs=tiny: subnormal inputs (x uniform in +-2^-127), for every
//     kernel of the family, forward and backward (dy in [0, 1]).
//
// SPEC asks both to stay within a factor 2 of the ordinary time:
// benchstat -col /inputs.
func BenchmarkSubnormal(b *testing.B) {
	const n = 65536
	rng := rand.New(rand.NewPCG(3, 4))
	inputs := map[string][]float32{"ordinary": make([]float32, n), "subnormal": make([]float32, n), "tiny": make([]float32, n)}
	dy := make([]float32, n)
	for i := 0; i < n; i++ {
		inputs["ordinary"][i] = float32(-10 + 20*rng.Float64())
		inputs["subnormal"][i] = float32(-100 + 13*rng.Float64())
		inputs["tiny"][i] = float32((rng.Float64() - 0.5) * 0x1p-127)
		dy[i] = float32(rng.Float64())
	}
	y := make([]float32, n)
	was := act.ISA()
	defer act.SetISA(was)
	run := func(name, dir, isa, kind string, f func(x []float32)) {
		x := inputs[kind]
		b.Run(fmt.Sprintf("fn=%s/dir=%s/isa=%s/inputs=%s", name, dir, isa, kind), func(b *testing.B) {
			if err := act.SetISA(isa); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(8 * n)
			for b.Loop() {
				f(x)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/elem")
		})
	}
	for _, name := range []string{"exp", "sigmoid", "log_sigmoid", "tanh", "tanh_shrink", "softplus",
		"elu", "selu", "celu", "silu", "mish", "gelu_tanh"} {
		a, _ := act.Lookup(name)
		results := name == "exp" || name == "sigmoid" || name == "silu"
		for _, isa := range act.ISAs() {
			for _, kind := range []string{"ordinary", "subnormal", "tiny"} {
				if kind == "subnormal" && !results {
					continue
				}
				run(name, "fwd", isa, kind, func(x []float32) { a.Forward(y, x) })
				if kind != "subnormal" {
					// A backward that reads y is given x as y.
					run(name, "bwd", isa, kind, func(x []float32) { a.Backward(y, dy, x, x) })
				}
			}
		}
	}
}
