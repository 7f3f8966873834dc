// Package bench measures act's activations, forward and backward, on every
// tier this CPU runs and against the naive Go loop (float64 math per element
// through the catalogue's reference).
//
// Sub-benchmarks are named fn=<catalogue name>/isa=<tier>/n=<elements>, so
// that benchstat lays the tiers side by side:
//
//	go test -run='^$' -bench . -count 10 | tee new.txt
//	benchstat -col /isa new.txt
//
// isa=naive comes first in every group and is benchstat's base column. The
// set of functions, tiers and sizes can be narrowed with environment variables
// (or the equivalent test flags -act.fn, -act.isa, -act.n):
//
//	ACT_BENCH_FN=relu,hard_swish   catalogue names or aliases (default: all)
//	ACT_BENCH_ISA=naive,avx2       tiers, "naive", or "best" for ISAs()[0]
//	ACT_BENCH_N=2048,65536         element counts (default 2048,65536,16777216)
//
// Each result reports sec/op, throughput (B/s over every stream read or
// written) and ns/elem.
package bench

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/simdact/act"
	"github.com/simdact/act/kernels"
)

var (
	flagFn  = flag.String("act.fn", os.Getenv("ACT_BENCH_FN"), "comma-separated catalogue names to run (default all; env ACT_BENCH_FN)")
	flagISA = flag.String("act.isa", os.Getenv("ACT_BENCH_ISA"), "comma-separated tiers to run: naive, best or names from act.ISAs() (default all; env ACT_BENCH_ISA)")
	flagN   = flag.String("act.n", os.Getenv("ACT_BENCH_N"), "comma-separated element counts (default 2048,65536,16777216; env ACT_BENCH_N)")
)

// defaultN spans L1-resident, L2-resident and DRAM-bound working sets.
var defaultN = []int{2048, 65536, 16777216}

// preluChannels is the row length of PReLU's slope in the benchmarks.
const preluChannels = 64

// naive is the name of the plain Go loop's column.
const naive = "naive"

func BenchmarkForward(b *testing.B)  { benchAll(b, false) }
func BenchmarkBackward(b *testing.B) { benchAll(b, true) }

// config is the selection made by the flags and environment variables.
type config struct {
	entries []*kernels.Entry
	isas    []string
	ns      []int
}

func loadConfig(b testing.TB) config {
	b.Helper()
	var c config
	// Functions.
	if *flagFn == "" {
		c.entries = kernels.All
	} else {
		for _, name := range splitList(*flagFn) {
			e, ok := kernels.ByName(name)
			if !ok {
				var all []string
				for _, e := range kernels.All {
					all = append(all, e.Name)
				}
				b.Fatalf("ACT_BENCH_FN: no activation %q (have %s)", name, strings.Join(all, ", "))
			}
			if !slices.Contains(c.entries, e) {
				c.entries = append(c.entries, e)
			}
		}
	}
	// Tiers, naive first so that it is benchstat's base column.
	all := append([]string{naive}, act.ISAs()...)
	if *flagISA == "" {
		c.isas = all
	} else {
		want := splitList(*flagISA)
		for i, w := range want {
			if w == "best" {
				want[i] = act.ISAs()[0]
			}
		}
		for _, w := range want {
			if !slices.Contains(all, w) {
				b.Logf("ACT_BENCH_ISA: tier %q is not available on this CPU (have %s); skipped", w, strings.Join(all, ", "))
			}
		}
		for _, isa := range all {
			if slices.Contains(want, isa) {
				c.isas = append(c.isas, isa)
			}
		}
	}
	// Sizes.
	if *flagN == "" {
		c.ns = defaultN
	} else {
		for _, s := range splitList(*flagN) {
			n, err := strconv.Atoi(s)
			if err != nil || n <= 0 {
				b.Fatalf("ACT_BENCH_N: %q is not a positive element count", s)
			}
			c.ns = append(c.ns, n)
		}
	}
	return c
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		out = append(out, strings.ToLower(f))
	}
	return out
}

// buffers are one size's inputs (deterministic, normal(0, 3)) and outputs.
type buffers struct {
	x, dy, out []float32
}

var (
	bufMu sync.Mutex
	bufs  = map[int]*buffers{}
)

func buffersFor(n int) *buffers {
	bufMu.Lock()
	defer bufMu.Unlock()
	if b, ok := bufs[n]; ok {
		return b
	}
	rng := rand.New(rand.NewPCG(0x6163742d62656e63, uint64(n)))
	b := &buffers{x: make([]float32, n), dy: make([]float32, n), out: make([]float32, n)}
	for i := range b.x {
		b.x[i] = float32(3 * rng.NormFloat64())
	}
	for i := range b.dy {
		b.dy[i] = float32(3 * rng.NormFloat64())
	}
	// Touch every page of the output now, not in the first timed iteration.
	for i := range b.out {
		b.out[i] = 1
	}
	bufs[n] = b
	return b
}

// impl is one way of computing an activation: a tier of act or the naive loop.
type impl struct {
	fwd func(dst, x []float32)
	bwd func(dx, dy, x, y []float32)
	// rowLen, when not 0, is a length that n must be a multiple of.
	rowLen int
}

// implFor returns e's implementation for tier isa (the naive loop for
// "naive"), or ok == false when the benchmark does not cover e's shape.
func implFor(e *kernels.Entry, isa string) (im impl, ok bool, err error) {
	p := make([]float64, len(e.Params))
	for i, v := range e.Defaults() {
		p[i] = float64(v)
	}
	switch e.Shape {
	case kernels.Elementwise:
		if isa == naive {
			return naiveElementwise(e, p), true, nil
		}
		a, ok := act.Lookup(e.Name)
		if !ok {
			return impl{}, false, fmt.Errorf("act.Lookup(%q) finds nothing for a catalogue entry", e.Name)
		}
		return impl{fwd: a.Forward, bwd: a.Backward}, true, nil
	case kernels.Channelwise:
		if e.Name != "prelu" {
			return impl{}, false, nil
		}
		slope, dslope := preluSlopes(e), make([]float32, preluChannels)
		if isa == naive {
			return naivePReLU(e, slope, dslope), true, nil
		}
		return impl{
			fwd: func(dst, x []float32) { act.PReLU(dst, x, slope) },
			bwd: func(dx, dy, x, _ []float32) {
				clear(dslope)
				act.PReLUBackward(dx, dslope, dy, x, slope)
			},
			rowLen: preluChannels,
		}, true, nil
	}
	return impl{}, false, nil
}

// preluSlopes is a deterministic row of slopes around PyTorch's default.
func preluSlopes(e *kernels.Entry) []float32 {
	rng := rand.New(rand.NewPCG(1, 2))
	s := make([]float32, preluChannels)
	d := e.Defaults()[0]
	for i := range s {
		s[i] = d * (0.5 + rng.Float32())
	}
	return s
}

// naiveElementwise is the plain Go loop: float64 per element through the
// catalogue's reference.
func naiveElementwise(e *kernels.Entry, p []float64) impl {
	f, d, readsY := e.F, e.D, e.Reads == kernels.ReadsY
	return impl{
		fwd: func(dst, x []float32) {
			dst = dst[:len(x)]
			for i := range x {
				dst[i] = float32(f(float64(x[i]), p))
			}
		},
		bwd: func(dx, dy, x, y []float32) {
			in := x
			if readsY {
				in = y
			}
			dx, in = dx[:len(dy)], in[:len(dy)]
			for i := range dy {
				dx[i] = float32(float64(dy[i]) * d(float64(in[i]), p))
			}
		},
	}
}

// naivePReLU is naiveElementwise with a slope per channel, and the backward
// pass accumulates the slopes' gradient as PReLUBackward does.
func naivePReLU(e *kernels.Entry, slope, dslope []float32) impl {
	c := len(slope)
	ps := make([][]float64, c)
	for i, s := range slope {
		ps[i] = []float64{float64(s)}
	}
	f, d := e.F, e.D
	return impl{
		fwd: func(dst, x []float32) {
			for r := 0; r+c <= len(x); r += c {
				dr, xr := dst[r:r+c], x[r:r+c]
				for j := range xr {
					dr[j] = float32(f(float64(xr[j]), ps[j]))
				}
			}
		},
		bwd: func(dx, dy, x, _ []float32) {
			clear(dslope)
			for r := 0; r+c <= len(x); r += c {
				dxr, dyr, xr := dx[r:r+c], dy[r:r+c], x[r:r+c]
				for j := range xr {
					g, v := float64(dyr[j]), float64(xr[j])
					if v < 0 {
						dslope[j] += float32(g * v)
					}
					dxr[j] = float32(g * d(v, ps[j]))
				}
			}
		},
		rowLen: c,
	}
}

func benchAll(b *testing.B, backward bool) {
	cfg := loadConfig(b)
	was := act.ISA()
	defer act.SetISA(was)
	for _, e := range cfg.entries {
		b.Run("fn="+e.Name, func(b *testing.B) {
			// The forward output, for backward passes that read y; computed
			// once per size with the best tier.
			ys := map[int][]float32{}
			yFor := func(n int, x []float32) []float32 {
				if y, ok := ys[n]; ok {
					return y
				}
				a, ok := act.Lookup(e.Name)
				if !ok {
					b.Fatalf("act.Lookup(%q) finds nothing", e.Name)
				}
				y := make([]float32, n)
				act.SetISA(act.ISAs()[0])
				a.Forward(y, x)
				ys[n] = y
				return y
			}
			for _, isa := range cfg.isas {
				im, ok, err := implFor(e, isa)
				if err != nil {
					b.Fatal(err)
				}
				if !ok {
					b.Skipf("%s: shape not covered by the benchmarks", e.Name)
				}
				b.Run("isa="+isa, func(b *testing.B) {
					for _, n := range cfg.ns {
						b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
							if im.rowLen != 0 && n%im.rowLen != 0 {
								b.Skipf("n = %d is not a multiple of the row length %d", n, im.rowLen)
							}
							bf := buffersFor(n)
							var y []float32
							if backward && e.Reads == kernels.ReadsY {
								y = yFor(n, bf.x)
							}
							if isa != naive {
								if err := act.SetISA(isa); err != nil {
									b.Fatal(err)
								}
							}
							run(b, im, bf, y, n, backward)
						})
					}
				})
			}
		})
	}
}

func run(b *testing.B, im impl, bf *buffers, y []float32, n int, backward bool) {
	x, dy, out := bf.x[:n], bf.dy[:n], bf.out[:n]
	if backward {
		b.SetBytes(int64(4 * n * 3)) // dy and x (or y) in, dx out
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			im.bwd(out, dy, x, y)
		}
	} else {
		b.SetBytes(int64(4 * n * 2)) // x in, dst out
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			im.fwd(out, x)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
}
