package act

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/simdact/act/kernels"
)

// TestSweep is the exhaustive sweep of SPEC section 4: every catalogue entry
// it is asked for, at its default parameters, forward and backward (dy = 1),
// on every float32 input (all 2^32 bit patterns), on each tier asked for,
// against the float64 reference. It fails if a budget is exceeded.
//
// It runs only when ACT_SWEEP is set: "all", or catalogue names (or aliases)
// separated by commas. ACT_SWEEP_ISA picks the tiers (comma-separated; by
// default every tier in ISAs()). One entry on one tier takes tens of seconds
// per core; give go test -timeout 0 and -v to see the progress:
//
//	ACT_SWEEP=relu,squareplus ACT_SWEEP_ISA=avx512 go test -run TestSweep -v -timeout 0 .
//
// ACT_SWEEP_STRIDE=k sweeps one block of 2^16 inputs in k, for a quick look;
// its lines say so.
func TestSweep(t *testing.T) {
	sel := os.Getenv("ACT_SWEEP")
	if sel == "" {
		t.Skip("set ACT_SWEEP=all or ACT_SWEEP=name,... to sweep all 2^32 inputs")
	}
	var entries []*kernels.Entry
	if sel == "all" {
		entries = kernels.All
	} else {
		for _, name := range strings.Split(sel, ",") {
			e, ok := kernels.ByName(strings.TrimSpace(name))
			if !ok {
				t.Fatalf("ACT_SWEEP: no catalogue entry %q", name)
			}
			if !slices.Contains(entries, e) {
				entries = append(entries, e)
			}
		}
	}
	tiers := sweepTiers(t)

	was := ISA()
	defer SetISA(was)
	for _, e := range entries {
		if e.Shape != kernels.Elementwise && e.Shape != kernels.Channelwise {
			t.Logf("sweep %s: skipped (not elementwise)", e.Name)
			continue
		}
		if _, ok := kernelFuncs[e.Kernel("fwd")]; !ok {
			t.Errorf("sweep %s: no kernel %s", e.Name, e.Kernel("fwd"))
			continue
		}
		if _, ok := kernelFuncs[e.Kernel("bwd")]; !ok {
			t.Errorf("sweep %s: no kernel %s", e.Name, e.Kernel("bwd"))
			continue
		}
		for _, tier := range tiers {
			// SetISA is global: one tier at a time, all goroutines on it.
			if err := SetISA(tier); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			fwd, bwd := sweep(e, tier)
			for _, r := range []struct {
				dir    string
				res    sweepResult
				budget float64
			}{{"fwd", fwd, e.FwdULP}, {"bwd", bwd, e.BwdULP}} {
				line := fmt.Sprintf("sweep %s %s %s max=%.3f ULP at %s (budget %g)",
					e.Name, tier, r.dir, r.res.max, r.res.worst, r.budget)
				if s := sweepStride(); s > 1 {
					line += fmt.Sprintf(" [1/%d of the inputs]", s)
				}
				fmt.Println(line)
				if r.res.max > r.budget || math.IsNaN(r.res.max) {
					t.Errorf("%s: BUDGET EXCEEDED", line)
				}
			}
			fmt.Printf("sweep %s %s: %.1f s\n", e.Name, tier, time.Since(start).Seconds())
		}
	}
}

// sweepTiers is ACT_SWEEP_ISA, the tiers to sweep (comma-separated), or
// every tier this CPU runs.
func sweepTiers(t *testing.T) []string {
	s := os.Getenv("ACT_SWEEP_ISA")
	if s == "" {
		return ISAs()
	}
	var tiers []string
	for _, name := range strings.Split(s, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		if !slices.Contains(ISAs(), name) {
			t.Fatalf("ACT_SWEEP_ISA: tier %q is not available (have %v)", name, ISAs())
		}
		tiers = append(tiers, name)
	}
	return tiers
}

// sweepStride is ACT_SWEEP_STRIDE: sweep every k-th block of 2^16 inputs
// only (a quick look while developing; the published sweep is k = 1).
func sweepStride() int64 {
	k, err := strconv.ParseInt(os.Getenv("ACT_SWEEP_STRIDE"), 10, 64)
	if err != nil || k < 1 {
		return 1
	}
	return k
}

// sweepResult is the largest error found and where.
type sweepResult struct {
	max   float64
	bits  uint32 // the input (x) at the worst error
	worst string
	what  func() string // formats worst; called once, when the sweep ends
}

// add records err at input bits; ties go to the smaller bits, so that the
// result does not depend on the goroutines' schedule. The description is
// formatted only at the end: where the error grows steadily (a tail of tiny
// results) a new maximum comes at almost every input.
func (r *sweepResult) add(err float64, bits uint32, what func() string) {
	if math.IsNaN(err) {
		err = math.Inf(1)
	}
	if err > r.max || err == r.max && bits < r.bits {
		r.max, r.bits, r.what, r.worst = err, bits, what, "set"
	}
}

func (r *sweepResult) merge(o sweepResult) {
	if o.worst == "" {
		return
	}
	if o.what != nil {
		o.worst, o.what = o.what(), nil
	}
	if o.max > r.max || o.max == r.max && o.bits < r.bits || r.worst == "" {
		*r = o
	}
}

// sweep runs e's forward and backward (dy = 1) kernels on all 2^32 inputs on
// the active tier, in chunks of 2^16 spread over GOMAXPROCS goroutines, and
// prints a progress line every 5%.
func sweep(e *kernels.Entry, tier string) (fwd, bwd sweepResult) {
	const chunkBits = 16
	const chunk = 1 << chunkBits
	const chunks = 1 << (32 - chunkBits)
	stride := sweepStride()
	total := (chunks + stride - 1) / stride // blocks this sweep runs
	p := e.Defaults()
	p64 := params64(p)

	var next, done atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x, y, dx := make([]float32, chunk), make([]float32, chunk), make([]float32, chunk)
			ones := make([]float32, chunk)
			for i := range ones {
				ones[i] = 1
			}
			// prelu's kernels take the slope as a stream (as testEntry does).
			var slope, kp []float32 = nil, p
			if e.Shape == kernels.Channelwise {
				slope = make([]float32, chunk)
				for i := range slope {
					slope[i] = p[0]
				}
				kp = nil
			}
			var f, b sweepResult
			for {
				c := (next.Add(1) - 1) * stride
				if c >= chunks {
					break
				}
				base := uint32(c) << chunkBits
				for i := range x {
					x[i] = math.Float32frombits(base + uint32(i))
				}
				run(e.Kernel("fwd"), y, x, slope, nil, kp)
				for i, v := range y {
					ref := e.F(float64(x[i]), p64)
					if float64(v) == ref {
						continue // exact (and not NaN)
					}
					err := ulpErr(v, ref)
					if err > 0 && err >= f.max {
						xv, at := x[i], base+uint32(i) // x is refilled: copy
						f.add(err, at, func() string {
							return fmt.Sprintf("x=%g (%#08x): got %g, want %g", xv, at, v, ref)
						})
					}
				}
				in := x
				if e.Reads == kernels.ReadsY {
					in = y
				}
				run(e.Kernel("bwd"), dx, ones, in, slope, kp)
				for i, v := range dx {
					ref := e.D(float64(in[i]), p64)
					if float64(v) == ref {
						continue
					}
					err := ulpErr(v, ref)
					if e.ZeroFloor && math.Abs(float64(v)-ref) <= 0x1p-24 {
						err = 0 // SPEC section 4's absolute floor, 2^-24*|dy|
					}
					if err > 0 && err >= b.max {
						xv, inv, at := x[i], in[i], base+uint32(i)
						b.add(err, at, func() string {
							return fmt.Sprintf("x=%g (%#08x) %s=%g: got %g, want %g", xv, at, e.Reads, inv, v, ref)
						})
					}
				}
				if d := done.Add(1); d*20/total != (d-1)*20/total {
					mu.Lock()
					el := time.Since(start).Seconds()
					fmt.Printf("sweep %s %s: %3d%% (%.0f s, about %.0f s left)\n",
						e.Name, tier, d*100/total, el, el*float64(total-d)/float64(d))
					mu.Unlock()
				}
			}
			mu.Lock()
			fwd.merge(f)
			bwd.merge(b)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if fwd.worst == "" {
		fwd.worst = "every input (all exact)"
	}
	if bwd.worst == "" {
		bwd.worst = "every input (all exact)"
	}
	return fwd, bwd
}
