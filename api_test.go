package act

import (
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/simdact/act/kernels"
)

// lookupEntries are the catalogue entries Lookup serves: elementwise and
// channelwise ones (row-wise functions take a row length and are not
// Activations).
func lookupEntries() []*kernels.Entry {
	var out []*kernels.Entry
	for _, e := range kernels.All {
		if e.Shape == kernels.Elementwise || e.Shape == kernels.Channelwise {
			out = append(out, e)
		}
	}
	return out
}

// resolved pairs the entries Lookup serves with what it returns for them.
// Entries it does not find (TestLookup fails for those) are left out, so
// that one missing function does not hide the other tests' findings.
func resolved(t *testing.T) []struct {
	e *kernels.Entry
	a Activation
} {
	var out []struct {
		e *kernels.Entry
		a Activation
	}
	for _, e := range lookupEntries() {
		if a, ok := Lookup(e.Name); ok && a != nil {
			out = append(out, struct {
				e *kernels.Entry
				a Activation
			}{e, a})
		} else {
			t.Logf("Lookup(%q) fails; left out here", e.Name)
		}
	}
	return out
}

// mustLookup is Lookup that fails the test for an unknown name.
func mustLookup(t *testing.T, name string) Activation {
	t.Helper()
	a, ok := Lookup(name)
	if !ok || a == nil {
		t.Fatalf("Lookup(%q) = %v, %v", name, a, ok)
	}
	return a
}

// refKernels computes an entry's forward and backward with its kernels at the
// default parameters (prelu's slope stream filled with its default), as
// testEntry in kernels_test.go does.
func refKernels(e *kernels.Entry) (fwd func(dst, x []float32), bwd func(dx, dy, in []float32)) {
	p := e.Defaults()
	if e.Shape == kernels.Channelwise {
		slope := func(n int) []float32 {
			s := make([]float32, n)
			for i := range s {
				s[i] = p[0]
			}
			return s
		}
		return func(dst, x []float32) { run(e.Kernel("fwd"), dst, x, slope(len(x)), nil, nil) },
			func(dx, dy, in []float32) { run(e.Kernel("bwd"), dx, dy, in, slope(len(in)), nil) }
	}
	return func(dst, x []float32) { run(e.Kernel("fwd"), dst, x, nil, nil, p) },
		func(dx, dy, in []float32) { run(e.Kernel("bwd"), dx, dy, in, nil, p) }
}

// backwardOf calls a's Backward with in passed as x or y, whichever e reads
// (the other nil).
func backwardOf(e *kernels.Entry, a Activation) func(dx, dy, in []float32) {
	return func(dx, dy, in []float32) {
		if e.Reads == kernels.ReadsY {
			a.Backward(dx, dy, nil, in)
		} else {
			a.Backward(dx, dy, in, nil)
		}
	}
}

func sameSlice(a, b []float32) int {
	if len(a) != len(b) {
		return 0
	}
	for i := range a {
		if !sameBits(a[i], b[i]) {
			return i
		}
	}
	return -1
}

// TestLookup reaches every exported elementwise function through Lookup, by
// its catalogue name and by every alias, and checks that it computes what the
// entry's kernels compute at the catalogue's default parameters, within the
// entry's budgets of the float64 reference.
func TestLookup(t *testing.T) {
	for _, e := range lookupEntries() {
		t.Run(e.Name, func(t *testing.T) {
			a := mustLookup(t, e.Name)
			if a.Name() != e.Name {
				t.Errorf("Lookup(%q).Name() = %q", e.Name, a.Name())
			}
			for _, alias := range e.Aliases {
				if b := mustLookup(t, alias); b.Name() != e.Name {
					t.Errorf("Lookup(%q).Name() = %q, want %q", alias, b.Name(), e.Name)
				}
			}
			p64 := params64(e.Defaults())
			x := testInputs(e, e.Defaults())
			n := len(x)
			dy := fill(rand.New(rand.NewPCG(9, 10)), n, 2)
			for _, dir := range []string{"fwd", "bwd"} {
				if _, ok := kernelFuncs[e.Kernel(dir)]; !ok {
					t.Fatalf("no kernel %s", e.Kernel(dir))
				}
			}
			fwd, bwd := refKernels(e)
			forTiers(t, func(t *testing.T) {
				want, got := make([]float32, n), make([]float32, n)
				fwd(want, x)
				a.Forward(got, x)
				if i := sameSlice(got, want); i >= 0 {
					t.Fatalf("Forward(%g) = %g, the kernel at default parameters gives %g", x[i], got[i], want[i])
				}
				for i := range got {
					if err := ulpErr(got[i], e.F(float64(x[i]), p64)); err > e.FwdULP {
						t.Fatalf("Forward(%g) = %g, reference %g: %.3g ULP > %g", x[i], got[i], e.F(float64(x[i]), p64), err, e.FwdULP)
					}
				}
				in := x
				if e.Reads == kernels.ReadsY {
					in = slices.Clone(got)
				}
				wantDX, gotDX := make([]float32, n), make([]float32, n)
				bwd(wantDX, dy, in)
				backwardOf(e, a)(gotDX, dy, in)
				if i := sameSlice(gotDX, wantDX); i >= 0 {
					t.Fatalf("Backward(dy=%g, %s=%g) = %g, the kernel gives %g", dy[i], e.Reads, in[i], gotDX[i], wantDX[i])
				}
			})
		})
	}

	// prelu (one slope, 0.25) and rrelu (evaluation mode) are leaky ReLUs.
	for _, c := range []struct {
		name  string
		slope float32
	}{{"prelu", 0.25}, {"rrelu", RReLUEvalSlope(RReLULower, RReLUUpper)}} {
		a := mustLookup(t, c.name)
		if a.Name() != c.name {
			t.Errorf("Lookup(%q).Name() = %q", c.name, a.Name())
		}
		x := fill(rand.New(rand.NewPCG(1, 1)), 100, 3)
		dy := fill(rand.New(rand.NewPCG(2, 2)), 100, 1)
		want, got := make([]float32, 100), make([]float32, 100)
		LeakyReLU(want, x, c.slope)
		a.Forward(got, x)
		if i := sameSlice(got, want); i >= 0 {
			t.Errorf("Lookup(%q).Forward(%g) = %g, LeakyReLU(slope %g) gives %g", c.name, x[i], got[i], c.slope, want[i])
		}
		LeakyReLUBackward(want, dy, x, c.slope)
		a.Backward(got, dy, x, nil)
		if i := sameSlice(got, want); i >= 0 {
			t.Errorf("Lookup(%q).Backward at %g = %g, LeakyReLUBackward(slope %g) gives %g", c.name, x[i], got[i], c.slope, want[i])
		}
	}

	for _, name := range []string{"", "nonsense", "relu ", "Relu_", "softmax2", "leaky-relu"} {
		if a, ok := Lookup(name); ok || a != nil {
			t.Errorf("Lookup(%q) = %v, %v; want nil, false", name, a, ok)
		}
	}
}

// mustPanic runs f and returns its panic's message; it fails if f does not
// panic.
func mustPanic(t *testing.T, what string, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Errorf("%s: did not panic", what)
		}
		msg = fmt.Sprint(r)
	}()
	f()
	return ""
}

// mentions reports whether msg names word as a whole word (so that "ReLU" is
// not found in "LeakyReLU" or "ReLUBackward").
func mentions(msg, word string) bool {
	return regexp.MustCompile(`(^|[^A-Za-z0-9_])` + regexp.QuoteMeta(word) + `($|[^A-Za-z0-9_])`).MatchString(msg)
}

// wantPanic checks that f panics with a message that names every word.
func wantPanic(t *testing.T, what string, f func(), words ...string) {
	t.Helper()
	msg := mustPanic(t, what, f)
	for _, w := range words {
		if !mentions(msg, w) {
			t.Errorf("%s: panic %q does not mention %q", what, msg, w)
		}
	}
}

// TestLengthMismatch: every function panics on slices of different lengths,
// with a message that names the function and the lengths.
func TestLengthMismatch(t *testing.T) {
	s := func(n int) []float32 { return make([]float32, n) }
	for _, l := range resolved(t) {
		e, a := l.e, l.a
		if e.Shape != kernels.Elementwise {
			continue // Lookup("prelu") is LeakyReLU; PReLU is checked below
		}
		bwd := backwardOf(e, a)
		fn, fnB := e.Func, e.Func+"Backward"
		wantPanic(t, fn+"(5, 7)", func() { a.Forward(s(5), s(7)) }, fn, "5", "7")
		wantPanic(t, fn+"(7, 5)", func() { a.Forward(s(7), s(5)) }, fn, "5", "7")
		wantPanic(t, fn+"(0, 1)", func() { a.Forward(nil, s(1)) }, fn, "0", "1")
		wantPanic(t, fnB+"(5, 7, 5)", func() { bwd(s(5), s(7), s(5)) }, fnB, "5", "7")
		wantPanic(t, fnB+"(5, 5, 7)", func() { bwd(s(5), s(5), s(7)) }, fnB, "5", "7")
		wantPanic(t, fnB+"(7, 5, 5)", func() { bwd(s(7), s(5), s(5)) }, fnB, "5", "7")
	}
	// The exported functions themselves, not only through Lookup.
	wantPanic(t, "ReLU", func() { ReLU(s(3), s(4)) }, "ReLU", "3", "4")
	wantPanic(t, "ReLUBackward", func() { ReLUBackward(s(3), s(3), s(4)) }, "ReLUBackward", "3", "4")
	wantPanic(t, "LeakyReLU", func() { LeakyReLU(s(3), s(4), 0.1) }, "LeakyReLU", "3", "4")

	slope := []float32{0.1, 0.2, 0.3}
	wantPanic(t, "PReLU len(dst)", func() { PReLU(s(5), s(6), slope) }, "PReLU", "5", "6")
	wantPanic(t, "PReLU len(x) % len(slope)", func() { PReLU(s(10), s(10), slope) }, "PReLU", "10", "3")
	wantPanic(t, "PReLU no slope", func() { PReLU(s(4), s(4), nil) }, "PReLU", "4", "0")
	wantPanic(t, "PReLUBackward len(dy)", func() { PReLUBackward(s(6), s(3), s(9), s(6), slope) }, "PReLUBackward", "6", "9")
	wantPanic(t, "PReLUBackward len(x)", func() { PReLUBackward(s(6), s(3), s(6), s(9), slope) }, "PReLUBackward", "6", "9")
	wantPanic(t, "PReLUBackward len(x) % len(slope)", func() { PReLUBackward(s(10), s(3), s(10), s(10), slope) }, "PReLUBackward", "10", "3")
	wantPanic(t, "PReLUBackward len(dslope)", func() { PReLUBackward(s(6), s(2), s(6), s(6), slope) }, "PReLUBackward", "2", "3")
	wantPanic(t, "PReLUBackward len(dslope) > len(slope)", func() { PReLUBackward(s(6), s(4), s(6), s(6), slope) }, "PReLUBackward", "4", "3")
}

// TestOverlap: partial overlap panics; exact aliasing (dst == x, dx == dy,
// dx == x or y) works, on every tier and at every tail length, and gives what
// separate buffers give.
func TestOverlap(t *testing.T) {
	buf := make([]float32, 16)
	for _, l := range resolved(t) {
		e, a := l.e, l.a
		bwd := backwardOf(e, a)
		fn, fnB := e.Func, e.Func+"Backward"
		if e.Shape == kernels.Channelwise {
			fn, fnB = "LeakyReLU", "LeakyReLUBackward" // what Lookup("prelu") runs
		}
		other := make([]float32, 8)
		wantPanic(t, fn+" dst=buf[0:8] x=buf[1:9]", func() { a.Forward(buf[0:8], buf[1:9]) }, fn)
		wantPanic(t, fn+" dst=buf[1:9] x=buf[0:8]", func() { a.Forward(buf[1:9], buf[0:8]) }, fn)
		wantPanic(t, fnB+" dx overlaps dy", func() { bwd(buf[0:8], buf[1:9], other) }, fnB)
		wantPanic(t, fnB+" dx overlaps in", func() { bwd(buf[0:8], other, buf[7:15]) }, fnB)
		wantPanic(t, fnB+" dy overlaps dx", func() { bwd(buf[4:12], buf[0:8], other) }, fnB)
	}
	slope := []float32{0.1, 0.2}
	wantPanic(t, "PReLU overlap", func() { PReLU(buf[0:8], buf[2:10], slope) }, "PReLU")
	wantPanic(t, "PReLU dst = slope", func() { PReLU(buf[0:2], make([]float32, 2), buf[0:2]) }, "PReLU")
	wantPanic(t, "PReLUBackward dx overlaps x", func() {
		PReLUBackward(buf[0:8], make([]float32, 2), make([]float32, 8), buf[1:9], slope)
	}, "PReLUBackward")
	wantPanic(t, "PReLUBackward dslope in dy", func() { PReLUBackward(make([]float32, 8), buf[0:2], buf[0:8], make([]float32, 8), slope) }, "PReLUBackward")

	r := rand.New(rand.NewPCG(12, 13))
	for _, l := range resolved(t) {
		e, a := l.e, l.a
		bwd := backwardOf(e, a)
		t.Run(e.Name, func(t *testing.T) {
			forTiers(t, func(t *testing.T) {
				for n := 1; n <= 3*16+1; n++ {
					x, dy := fill(r, n, 3), fill(r, n, 1)
					x[r.IntN(n)] = nan32
					y := make([]float32, n)
					a.Forward(y, x)
					in := x
					if e.Reads == kernels.ReadsY {
						in = y
					}
					io := slices.Clone(x)
					a.Forward(io, io)
					if i := sameSlice(io, y); i >= 0 {
						t.Fatalf("n=%d: Forward(x, x)[%d] = %g, separate buffers give %g", n, i, io[i], y[i])
					}
					want := make([]float32, n)
					bwd(want, dy, in)
					dx := slices.Clone(dy)
					bwd(dx, dx, in)
					if i := sameSlice(dx, want); i >= 0 {
						t.Fatalf("n=%d: Backward(dy, dy, in)[%d] = %g, separate buffers give %g", n, i, dx[i], want[i])
					}
					dx = slices.Clone(in)
					bwd(dx, dy, dx)
					if i := sameSlice(dx, want); i >= 0 {
						t.Fatalf("n=%d: Backward(in, dy, in)[%d] = %g, separate buffers give %g", n, i, dx[i], want[i])
					}
				}
			})
		})
	}

	// PReLU in place, with three channels.
	forTiers(t, func(t *testing.T) {
		slope := []float32{0.1, -0.5, 2}
		for rows := 1; rows <= 20; rows++ {
			n := 3 * rows
			x, dy := fill(r, n, 3), fill(r, n, 1)
			ds0 := fill(r, 3, 1)
			y := make([]float32, n)
			PReLU(y, x, slope)
			io := slices.Clone(x)
			PReLU(io, io, slope)
			if i := sameSlice(io, y); i >= 0 {
				t.Fatalf("rows=%d: PReLU(x, x)[%d] = %g, separate buffers give %g", rows, i, io[i], y[i])
			}
			want, wantDS := make([]float32, n), slices.Clone(ds0)
			PReLUBackward(want, wantDS, dy, x, slope)
			for _, which := range []string{"dy", "x"} {
				dx, ds := slices.Clone(dy), slices.Clone(ds0)
				if which == "dy" {
					PReLUBackward(dx, ds, dx, x, slope)
				} else {
					dx = slices.Clone(x)
					PReLUBackward(dx, ds, dy, dx, slope)
				}
				if i := sameSlice(dx, want); i >= 0 {
					t.Fatalf("rows=%d: PReLUBackward with dx = %s: dx[%d] = %g, separate buffers give %g", rows, which, i, dx[i], want[i])
				}
				if i := sameSlice(ds, wantDS); i >= 0 {
					t.Fatalf("rows=%d: PReLUBackward with dx = %s: dslope[%d] = %g, separate buffers give %g", rows, which, i, ds[i], wantDS[i])
				}
			}
		}
	})
}

// TestEmpty: length 0 is a no-op, nil slices too.
func TestEmpty(t *testing.T) {
	buf := []float32{1, 2, 3}
	for _, l := range resolved(t) {
		a := l.a
		a.Forward(nil, nil)
		a.Forward(buf[:0], buf[1:1])
		a.Forward([]float32{}, nil)
		a.Backward(nil, nil, nil, nil)
		a.Backward(buf[:0], buf[1:1], buf[2:2], buf[3:])
		a.Backward(nil, []float32{}, nil, []float32{})
	}
	ReLU(nil, nil)
	ReLUBackward(nil, nil, nil)
	LeakyReLU(nil, nil, 0.1)
	Squareplus(nil, nil, 4)
	PReLU(nil, nil, []float32{0.25})
	PReLU(buf[:0], buf[:0], []float32{0.25, 0.5})
	ds := []float32{7, 8}
	PReLUBackward(nil, ds, nil, nil, []float32{0.25, 0.5})
	if ds[0] != 7 || ds[1] != 8 {
		t.Errorf("PReLUBackward on empty slices changed dslope to %v", ds)
	}
	if buf[0] != 1 || buf[1] != 2 || buf[2] != 3 {
		t.Errorf("empty calls changed the buffer to %v", buf)
	}
}

// TestConcurrent: 8 goroutines calling every function at once get the bits a
// lone call gets.
func TestConcurrent(t *testing.T) {
	const n, goroutines = 10000, 8
	calls := 300
	if testing.Short() {
		calls = 50
	}
	r := rand.New(rand.NewPCG(14, 15))
	x, dy := fill(r, n, 4), fill(r, n, 1)
	x[17] = nan32
	type job struct {
		name    string
		fwd     func(dst []float32)
		bwd     func(dx []float32)
		wantY   []float32
		wantDX  []float32
		wantDS  []float32
		dslope  func(dx, ds []float32)
		slopes0 []float32
	}
	var jobs []*job
	for _, l := range resolved(t) {
		e, a := l.e, l.a
		j := &job{name: e.Name}
		j.fwd = func(dst []float32) { a.Forward(dst, x) }
		var y []float32
		if e.Reads == kernels.ReadsY {
			y = make([]float32, n)
			a.Forward(y, x)
		}
		j.bwd = func(dx []float32) { a.Backward(dx, dy, x, y) }
		jobs = append(jobs, j)
	}
	slope := []float32{0.1, 0.2, 0.3, 0.4}
	jobs = append(jobs, &job{
		name:    "PReLU",
		fwd:     func(dst []float32) { PReLU(dst, x, slope) },
		dslope:  func(dx, ds []float32) { PReLUBackward(dx, ds, dy, x, slope) },
		slopes0: []float32{1, 2, 3, 4},
	})
	for _, j := range jobs {
		j.wantY, j.wantDX = make([]float32, n), make([]float32, n)
		j.fwd(j.wantY)
		if j.dslope != nil {
			j.wantDS = slices.Clone(j.slopes0)
			j.dslope(j.wantDX, j.wantDS)
		} else {
			j.bwd(j.wantDX)
		}
	}

	var wg sync.WaitGroup
	errs := make(chan string, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			y, dx := make([]float32, n), make([]float32, n)
			ds := make([]float32, 4)
			for c := range calls {
				j := jobs[(g+c)%len(jobs)]
				j.fwd(y)
				if i := sameSlice(y, j.wantY); i >= 0 {
					errs <- fmt.Sprintf("goroutine %d call %d: %s forward[%d] = %g, want %g", g, c, j.name, i, y[i], j.wantY[i])
					return
				}
				if j.dslope != nil {
					copy(ds, j.slopes0)
					j.dslope(dx, ds)
					if i := sameSlice(ds, j.wantDS); i >= 0 {
						errs <- fmt.Sprintf("goroutine %d call %d: %s dslope[%d] = %g, want %g", g, c, j.name, i, ds[i], j.wantDS[i])
						return
					}
				} else {
					j.bwd(dx)
				}
				if i := sameSlice(dx, j.wantDX); i >= 0 {
					errs <- fmt.Sprintf("goroutine %d call %d: %s backward[%d] = %g, want %g", g, c, j.name, i, dx[i], j.wantDX[i])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestNoAllocs: no call allocates, on any tier.
func TestNoAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 17))
	const n = 999
	x, dy, dx, y := fill(r, n, 3), fill(r, n, 1), make([]float32, n), make([]float32, n)
	slope, dslope := []float32{0.1, 0.2, 0.3}, make([]float32, 3)
	relu := mustLookup(t, "relu")
	calls := []struct {
		name string
		f    func()
	}{
		{"ReLU", func() { ReLU(y, x) }},
		{"ReLUBackward", func() { ReLUBackward(dx, dy, x) }},
		{"ReLU in place", func() { ReLU(y, y) }},
		{"LeakyReLU", func() { LeakyReLU(y, x, 0.01) }},
		{"LeakyReLUBackward", func() { LeakyReLUBackward(dx, dy, x, 0.01) }},
		{"HardSwish", func() { HardSwish(y, x) }},
		{"HardSwishBackward", func() { HardSwishBackward(dx, dy, x) }},
		{"Squareplus", func() { Squareplus(y, x, 4) }},
		{"SquareplusBackward", func() { SquareplusBackward(dx, dy, x, 4) }},
		{"PReLU", func() { PReLU(y, x, slope) }},
		{"PReLUBackward", func() { PReLUBackward(dx, dslope, dy, x, slope) }},
		{"PReLU one slope", func() { PReLU(y, x, slope[:1]) }},
		{"Lookup relu Forward", func() { relu.Forward(y, x) }},
		{"Lookup relu Backward", func() { relu.Backward(dx, dy, x, nil) }},
		{"Lookup", func() { Lookup("hard_silu") }},
		{"ISA", func() { ISA() }},
	}
	forTiers(t, func(t *testing.T) {
		for _, c := range calls {
			if a := testing.AllocsPerRun(20, c.f); a != 0 {
				t.Errorf("%s: %v allocations per call", c.name, a)
			}
		}
	})
}

// TestRReLUSlopes: the slopes lie in [lower, upper), are reproducible for a
// seeded generator and differ for another seed.
func TestRReLUSlopes(t *testing.T) {
	bounds := [][2]float32{{RReLULower, RReLUUpper}, {0.1, 0.3}, {0, 1}, {-1, 1}, {0.01, 0.02}, {1, 3}}
	for _, b := range bounds {
		lower, upper := b[0], b[1]
		s := make([]float32, 10000)
		RReLUSlopes(s, lower, upper, rand.New(rand.NewPCG(1, 2)))
		lo, hi := float32(math.Inf(1)), float32(math.Inf(-1))
		for i, v := range s {
			if !(v >= lower && v < upper) {
				t.Fatalf("[%g, %g): slope[%d] = %g", lower, upper, i, v)
			}
			lo, hi = min(lo, v), max(hi, v)
		}
		if upper-lower > 0.01 && (lo > lower+(upper-lower)/100 || hi < upper-(upper-lower)/100) {
			t.Errorf("[%g, %g): 10000 slopes span only [%g, %g]", lower, upper, lo, hi)
		}
		again := make([]float32, len(s))
		RReLUSlopes(again, lower, upper, rand.New(rand.NewPCG(1, 2)))
		if !slices.Equal(s, again) {
			t.Errorf("[%g, %g): the same seed gave different slopes", lower, upper)
		}
		other := make([]float32, len(s))
		RReLUSlopes(other, lower, upper, rand.New(rand.NewPCG(3, 4)))
		if slices.Equal(s, other) {
			t.Errorf("[%g, %g): another seed gave the same slopes", lower, upper)
		}
	}
	RReLUSlopes(nil, 0.1, 0.2, rand.New(rand.NewPCG(1, 2))) // no-op

	if got, want := RReLUEvalSlope(RReLULower, RReLUUpper), float32((1.0/8+1.0/3)/2); got != want {
		t.Errorf("RReLUEvalSlope(1/8, 1/3) = %g, want %g", got, want)
	}
	if got := RReLUEvalSlope(0.1, 0.3); math.Abs(float64(got)-0.2) > 1e-7 {
		t.Errorf("RReLUEvalSlope(0.1, 0.3) = %g, want 0.2", got)
	}
	if got := RReLUEvalSlope(0.25, 0.25); got != 0.25 {
		t.Errorf("RReLUEvalSlope(0.25, 0.25) = %g", got)
	}
}

// TestRReLUSlopesUpperBound: even the largest draw a generator can make
// (rng.Float32() = 1 - 2^-24) stays below upper, and the smallest gives lower.
func TestRReLUSlopesUpperBound(t *testing.T) {
	bounds := [][2]float32{{RReLULower, RReLUUpper}, {0.1, 0.3}, {0, 1}, {-1, 1}, {0.01, 0.02}, {1, 3}, {0.2, 0.2 + 0x1p-24}}
	for _, b := range bounds {
		lower, upper := b[0], b[1]
		for _, src := range []constSource{math.MaxUint64, 0} {
			one := make([]float32, 1)
			RReLUSlopes(one, lower, upper, rand.New(src))
			if !(one[0] >= lower && one[0] < upper) {
				t.Errorf("RReLUSlopes in [%g, %g) with rng.Float32() = %g gives %g (%#08x), outside the interval",
					lower, upper, rand.New(src).Float32(), one[0], math.Float32bits(one[0]))
			}
		}
	}
}

// constSource always returns the same number.
type constSource uint64

func (c constSource) Uint64() uint64 { return uint64(c) }

// TestISAs: ISAs ends with "generic", ISA is one of them, SetISA takes each
// and refuses anything else.
func TestISAs(t *testing.T) {
	isas := ISAs()
	if len(isas) == 0 || isas[len(isas)-1] != "generic" {
		t.Fatalf("ISAs() = %v, want generic last", isas)
	}
	if !slices.Contains(isas, ISA()) {
		t.Fatalf("ISA() = %q, not in ISAs() = %v", ISA(), isas)
	}
	known := []string{"avx512", "avx2", "neon", "generic"}
	seen := map[string]bool{}
	for _, name := range isas {
		if !slices.Contains(known, name) {
			t.Errorf("ISAs() has unknown tier %q", name)
		}
		if seen[name] {
			t.Errorf("ISAs() lists %q twice", name)
		}
		seen[name] = true
	}
	was := ISA()
	defer SetISA(was)
	for _, name := range isas {
		if err := SetISA(name); err != nil {
			t.Errorf("SetISA(%q) = %v", name, err)
		}
		if got := ISA(); got != name {
			t.Errorf("after SetISA(%q), ISA() = %q", name, got)
		}
		y := make([]float32, 3)
		ReLU(y, []float32{-1, 0, 2})
		if !slices.Equal(y, []float32{0, 0, 2}) {
			t.Errorf("%s: ReLU(-1, 0, 2) = %v", name, y)
		}
	}
	SetISA(was)
	for _, name := range []string{"nonsense", "", "avx1024", "sse2"} {
		if err := SetISA(name); err == nil {
			t.Errorf("SetISA(%q) = nil, want an error", name)
		} else if !strings.Contains(err.Error(), fmt.Sprintf("%q", name)) {
			t.Errorf("SetISA(%q) = %v: the error does not name the tier", name, err)
		}
		if ISA() != was {
			t.Errorf("a failed SetISA(%q) changed the tier to %q", name, ISA())
		}
	}
	// A tier this CPU lacks is refused too.
	for _, name := range known {
		if !slices.Contains(isas, name) {
			if err := SetISA(name); err == nil {
				t.Errorf("SetISA(%q) on a CPU with %v = nil, want an error", name, isas)
				SetISA(was)
			}
		}
	}
}

// TestOverlapHelpers holds overlap and overlap2, the branch-free tests that
// check2 and check3 inline, to their definition (sharing an element without
// starting at the same place), for every pair of slices of one length within
// a buffer, empty ones included, and at misaligned starts (a byte buffer
// seen as float32: a partial overlap of bytes is an overlap).
func TestOverlapHelpers(t *testing.T) {
	want := func(a, b []float32) bool {
		if len(a) == 0 {
			return false
		}
		pa, pb := uintptr(unsafe.Pointer(&a[0])), uintptr(unsafe.Pointer(&b[0]))
		return pa != pb && pa < pb+uintptr(len(b))*4 && pb < pa+uintptr(len(a))*4
	}
	raw := make([]byte, 4*24+3)
	view := func(off, n int) []float32 {
		return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(raw[off:]))), n)
	}
	far := make([]float32, 8)
	for n := 0; n <= 8; n++ {
		for i := 0; i <= 4*12+3; i++ {
			for j := 0; j <= 4*12+3; j++ {
				a, b := view(i, n), view(j, n)
				if got, w := overlap(a, b), want(a, b); got != w {
					t.Fatalf("overlap(bytes %d+%d, bytes %d+%d) = %v, want %v", i, 4*n, j, 4*n, got, w)
				}
				for _, c := range [][]float32{far[:n], a, b, view((i+j)/2, n)} {
					if got, w := overlap2(a, b, c), want(a, b) || want(a, c); got != w {
						t.Fatalf("overlap2(bytes %d+%d, bytes %d+%d, ...) = %v, want %v", i, 4*n, j, 4*n, got, w)
					}
				}
			}
		}
	}
}
