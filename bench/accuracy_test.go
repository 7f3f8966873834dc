package bench

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/simdact/act"
	"github.com/simdact/act/kernels"
)

// TestAccuracyTable prints, for every activation selected (ACT_BENCH_FN) and
// every tier this CPU runs, the largest error in ULPs against the catalogue's
// float64 reference, forward and backward (dy = 1), over a sample of 2^21
// inputs evenly spaced in bit space (every 2048th float32, both signs, with
// the special values), next to the budget. It runs only when ACT_ACCURACY is
// set (make bench sets it); the exhaustive proof is the root package's sweep.
func TestAccuracyTable(t *testing.T) {
	if os.Getenv("ACT_ACCURACY") == "" {
		t.Skip("set ACT_ACCURACY=1 to print the accuracy table")
	}
	cfg := loadConfig(t)
	var x []float32
	for bits := uint64(0); bits < 1<<32; bits += 2048 {
		x = append(x, math.Float32frombits(uint32(bits)))
	}
	for _, v := range []float32{0, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())} {
		x = append(x, v)
	}
	isas := act.ISAs()
	was := act.ISA()
	defer act.SetISA(was)

	var out strings.Builder
	fmt.Fprintf(&out, "\nMax ULP error vs the float64 reference, forward / backward (dy = 1), on %d inputs spaced evenly in bit space:\n\n", len(x))
	fmt.Fprintf(&out, "| activation | budget | %s |\n|---|---|%s\n", strings.Join(isas, " | "), strings.Repeat("---|", len(isas)))
	y, dx, ones := make([]float32, len(x)), make([]float32, len(x)), make([]float32, len(x))
	for i := range ones {
		ones[i] = 1
	}
	for _, e := range cfg.entries {
		a, ok := act.Lookup(e.Name)
		if !ok {
			t.Fatalf("Lookup(%q) failed", e.Name)
		}
		p := params64(e)
		budget := func(u float64) string {
			if u == kernels.Exact {
				return "exact"
			}
			return fmt.Sprint(u)
		}
		fmt.Fprintf(&out, "| %s | %s / %s |", e.Name, budget(e.FwdULP), budget(e.BwdULP))
		for _, isa := range isas {
			if err := act.SetISA(isa); err != nil {
				t.Fatal(err)
			}
			a.Forward(y, x)
			a.Backward(dx, ones, x, y)
			fwd, bwd := 0.0, 0.0
			for i := range x {
				fwd = math.Max(fwd, kernels.ULPError(y[i], e.F(float64(x[i]), p)))
				in := x[i]
				if e.Reads == kernels.ReadsY {
					in = y[i]
				}
				ref := e.D(float64(in), p)
				err := kernels.ULPError(dx[i], ref)
				if e.ZeroFloor && math.Abs(float64(dx[i])-ref) <= 0x1p-24 {
					err = 0
				}
				bwd = math.Max(bwd, err)
			}
			fmt.Fprintf(&out, " %.2f / %.2f |", fwd, bwd)
			if fwd > e.FwdULP || bwd > e.BwdULP {
				t.Errorf("%s on %s: %.3g / %.3g ULP exceeds the budget %g / %g", e.Name, isa, fwd, bwd, e.FwdULP, e.BwdULP)
			}
		}
		out.WriteString("\n")
	}
	fmt.Print(out.String())
}

// params64 is the entry's default parameters as the reference takes them;
// prelu (through Lookup) has one slope.
func params64(e *kernels.Entry) []float64 {
	var p []float64
	for _, v := range e.Defaults() {
		p = append(p, float64(v))
	}
	return p
}
