package bench

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/simdact/act"
)

// BenchmarkSubnormal times activations whose results are subnormal on part of
// the line, on such inputs (inputs=subnormal: sigmoid and exp on x in
// [-100, -87], where every result is subnormal) and on ordinary ones
// (inputs=ordinary: x in [-10, 10]), n = 65536, on every tier. The two
// columns should be within a factor 2: benchstat -col /inputs.
func BenchmarkSubnormal(b *testing.B) {
	const n = 65536
	rng := rand.New(rand.NewPCG(3, 4))
	inputs := map[string][]float32{"ordinary": make([]float32, n), "subnormal": make([]float32, n)}
	for i := 0; i < n; i++ {
		inputs["ordinary"][i] = float32(-10 + 20*rng.Float64())
		inputs["subnormal"][i] = float32(-100 + 13*rng.Float64())
	}
	y := make([]float32, n)
	was := act.ISA()
	defer act.SetISA(was)
	for _, name := range []string{"sigmoid", "exp", "silu"} {
		a, _ := act.Lookup(name)
		for _, isa := range act.ISAs() {
			for _, kind := range []string{"ordinary", "subnormal"} {
				x := inputs[kind]
				b.Run(fmt.Sprintf("fn=%s/isa=%s/inputs=%s", name, isa, kind), func(b *testing.B) {
					if err := act.SetISA(isa); err != nil {
						b.Fatal(err)
					}
					b.SetBytes(8 * n)
					for b.Loop() {
						a.Forward(y, x)
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/elem")
				})
			}
		}
	}
}
