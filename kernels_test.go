package act

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/simdact/act/kernels"
)

// forTiers runs f as a subtest once per tier this CPU runs, with that tier
// active, and restores the tier in use before.
func forTiers(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	was := ISA()
	defer SetISA(was)
	for _, name := range ISAs() {
		if err := SetISA(name); err != nil {
			t.Fatal(err)
		}
		t.Run(name, f)
	}
}

// run calls a kernel by name on whole slices (nil for unused streams).
func run(name string, dst, a, b, c []float32, p []float32) {
	k, ok := kernelFuncs[name]
	if !ok {
		panic("no kernel " + name)
	}
	var pp [4]float32
	copy(pp[:], p)
	if len(dst) == 0 {
		return
	}
	ptr := func(s []float32) *float32 {
		if s == nil {
			return nil
		}
		return &s[0]
	}
	k(len(dst), &dst[0], ptr(a), ptr(b), ptr(c), &pp)
}

// xStream says which stream of a kernel holds the activation's input (x or
// y): a for forward kernels, b for the others (a is dy).
func xStream(kernel string) int {
	if strings.HasSuffix(kernel, "_fwd") {
		return 0
	}
	return 1
}

// kernelReads lists the streams (0 = a, 1 = b, 2 = c) a kernel reads, and
// whether it accumulates into dst (the generated kernelStreams).
func kernelReads(kernel string) (streams []int, acc bool) {
	r := kernelStreams[kernel]
	for s := 0; s < 3; s++ {
		if r[s+1] {
			streams = append(streams, s)
		}
	}
	return streams, r[0]
}

// fill returns n values drawn from r: mostly normal around 0 with scale s.
func fill(r *rand.Rand, n int, s float64) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(r.NormFloat64() * s)
	}
	return out
}

type accuracy struct {
	max   float64
	worst string
}

func (a *accuracy) add(err float64, what func() string) {
	if err > a.max || math.IsNaN(err) {
		a.max, a.worst = err, what()
	}
}

// TestAccuracy holds every catalogue entry, forward and backward, on every
// tier, to its ULP budget against the float64 reference, and every assembly
// tier to the fallback bit for bit (the kernels take the same steps, and each
// step is correctly rounded, so they must agree exactly).
func TestAccuracy(t *testing.T) {
	for _, e := range kernels.All {
		for _, p := range append([][]float32{e.Defaults(), altParams(e.Defaults())}, e.TestParams...) {
			if len(p) == 0 && len(e.Params) > 0 {
				continue
			}
			t.Run(fmt.Sprintf("%s%v", e.Name, p), func(t *testing.T) { testEntry(t, e, p) })
			if len(e.Params) == 0 {
				break
			}
		}
	}
}

func testEntry(t *testing.T, e *kernels.Entry, p []float32) {
	x := testInputs(e, p)
	n := len(x)
	p64 := params64(p)
	r := rand.New(rand.NewPCG(3, 4))

	// The kernels' extra streams: prelu's slope is the parameter, per lane.
	var slope []float32
	kp := p
	if e.Shape == kernels.Channelwise {
		slope = make([]float32, n)
		for i := range slope {
			slope[i] = p[0]
		}
		kp = nil
	}
	fwd := func(dst []float32) {
		if slope != nil {
			run(e.Kernel("fwd"), dst, x, slope, nil, kp)
		} else {
			run(e.Kernel("fwd"), dst, x, nil, nil, kp)
		}
	}
	bwd := func(dx, dy, in []float32) {
		if slope != nil {
			run(e.Kernel("bwd"), dx, dy, in, slope, kp)
		} else {
			run(e.Kernel("bwd"), dx, dy, in, nil, kp)
		}
	}

	ones := make([]float32, n)
	for i := range ones {
		ones[i] = 1
	}
	dys := map[string][]float32{"dy=1": ones, "dy random": fill(r, n, 2)}

	// The generic tier first: it is what the others must match bit for bit.
	was := ISA()
	defer SetISA(was)
	SetISA("generic")
	wantY := make([]float32, n)
	fwd(wantY)
	in := x
	if e.Reads == kernels.ReadsY {
		in = wantY
	}
	wantDX := map[string][]float32{}
	for name, dy := range dys {
		wantDX[name] = make([]float32, n)
		bwd(wantDX[name], dy, in)
	}

	forTiers(t, func(t *testing.T) {
		y := make([]float32, n)
		fwd(y)
		var acc accuracy
		for i, v := range y {
			if !sameBits(v, wantY[i]) {
				t.Fatalf("forward(%g) = %g, generic gives %g", x[i], v, wantY[i])
			}
			acc.add(ulpErr(v, e.F(float64(x[i]), p64)), func() string {
				return fmt.Sprintf("f(%g) = %g, want %g", x[i], v, e.F(float64(x[i]), p64))
			})
		}
		if acc.max > e.FwdULP {
			t.Errorf("forward: %.3g ULP > budget %g: %s", acc.max, e.FwdULP, acc.worst)
		}
		t.Logf("forward max %.3f ULP (%s)", acc.max, acc.worst)
		for _, c := range e.Special {
			if !slices.Equal(p, e.Defaults()) {
				break // special values are for the default parameters
			}
			got := []float32{0}
			cx := []float32{c.In}
			if slope != nil {
				run(e.Kernel("fwd"), got, cx, slope[:1], nil, kp)
			} else {
				run(e.Kernel("fwd"), got, cx, nil, nil, kp)
			}
			if !sameBits(got[0], c.Out) && !(c.Out == 0 && got[0] == 0) {
				t.Errorf("f(%g) = %g, want %g", c.In, got[0], c.Out)
			}
		}

		for name, dy := range dys {
			dx := make([]float32, n)
			bwd(dx, dy, in)
			var acc accuracy
			for i, v := range dx {
				if !sameBits(v, wantDX[name][i]) {
					t.Fatalf("%s: backward at %g = %g, generic gives %g", name, in[i], v, wantDX[name][i])
				}
				ref := float64(dy[i]) * e.D(float64(in[i]), p64)
				err := ulpErr(v, ref)
				if e.ZeroFloor && math.Abs(float64(v)-ref) <= 0x1p-24*math.Abs(float64(dy[i])) {
					err = 0
				}
				acc.add(err, func() string {
					return fmt.Sprintf("dy=%g %s=%g: dx = %g, want %g", dy[i], e.Reads, in[i], v, ref)
				})
			}
			if acc.max > e.BwdULP {
				t.Errorf("backward (%s): %.3g ULP > budget %g: %s", name, acc.max, e.BwdULP, acc.worst)
			}
			t.Logf("backward (%s) max %.3f ULP", name, acc.max)
		}
	})
}

// TestPReLUSlopeGradient checks the dslope accumulation against float64: one
// row at a time (each row's term is added with one rounding), and over many
// rows bit for bit against the fallback.
func TestPReLUSlopeGradient(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const c, rows = 37, 9
	x, dy, slope := fill(r, c*rows, 3), fill(r, c*rows, 1), fill(r, c, 0.2)
	x[5], x[40] = nan32, -inf32
	dslope0 := fill(r, c, 1)

	was := ISA()
	defer SetISA(was)
	SetISA("generic")
	want, wantDX := append([]float32(nil), dslope0...), make([]float32, len(x))
	PReLUBackward(wantDX, want, dy, x, slope)

	forTiers(t, func(t *testing.T) {
		got, dx := append([]float32(nil), dslope0...), make([]float32, len(x))
		PReLUBackward(dx, got, dy, x, slope)
		for i := range got {
			if !sameBits(got[i], want[i]) {
				t.Errorf("dslope[%d] = %g, generic gives %g", i, got[i], want[i])
			}
		}
		for i := range dx {
			if !sameBits(dx[i], wantDX[i]) {
				t.Errorf("dx[%d] = %g, generic gives %g", i, dx[i], wantDX[i])
			}
		}
		// One row: dslope + dy*x*[x<0], rounded once.
		one := append([]float32(nil), dslope0...)
		PReLUBackward(make([]float32, c), one, dy[:c], x[:c], slope)
		for i := range one {
			ref := float64(dslope0[i])
			if x[i] < 0 || x[i] != x[i] {
				ref += float64(dy[i]) * float64(x[i])
			}
			if e := ulpErr(one[i], ref); e > kernels.PReLU.BwdULP {
				t.Errorf("dslope[%d] = %g, want %g (%.3g ULP)", i, one[i], ref, e)
			}
		}
	})
}

// TestTails runs every kernel at every length 0 .. 3 vectors + 1 of the widest
// tier, at offsets 0..3, with a NaN placed in each lane in turn: each lane's
// result must be the one it has alone (NaN where its input is NaN), the same
// on every tier, and nothing outside [0, n) may change.
func TestTails(t *testing.T) {
	const maxN = 3*16 + 1
	r := rand.New(rand.NewPCG(7, 8))
	for name := range kernelFuncs {
		streams, _ := kernelReads(name)
		xs := xStream(name)
		t.Run(name, func(t *testing.T) {
			forTiers(t, func(t *testing.T) {
				for n := 0; n <= maxN; n++ {
					for off := 0; off < 4; off++ {
						ins := make([][]float32, 3)
						for _, s := range streams {
							ins[s] = fill(r, n+off+4, 3)[off : off+n]
						}
						init := fill(r, n+off+4, 1)
						dstBuf := append([]float32(nil), init...)
						dst := dstBuf[off : off+n]
						run(name, dst, ins[0], ins[1], ins[2], []float32{0.25, 2, 0.5, 0})
						for i := range dstBuf {
							if (i < off || i >= off+n) && !sameBits(dstBuf[i], init[i]) {
								t.Fatalf("n=%d off=%d: wrote dst[%d] outside the slice", n, off, i-off)
							}
						}
						// Each lane alone, then NaN in each lane.
						for i := 0; i < n; i++ {
							one := []float32{init[off+i]}
							lane := func(s int) []float32 {
								if ins[s] == nil {
									return nil
								}
								return ins[s][i : i+1]
							}
							run(name, one, lane(0), lane(1), lane(2), []float32{0.25, 2, 0.5, 0})
							if !sameBits(one[0], dst[i]) {
								t.Fatalf("n=%d off=%d lane %d: %g in the vector, %g alone", n, off, i, dst[i], one[0])
							}
						}
						if n == 0 || n > 20 && off > 0 {
							continue
						}
						for i := 0; i < n; i++ {
							saved := ins[xs][i]
							ins[xs][i] = nan32
							copy(dstBuf, init)
							run(name, dst, ins[0], ins[1], ins[2], []float32{0.25, 2, 0.5, 0})
							ins[xs][i] = saved
							if !math.IsNaN(float64(dst[i])) {
								t.Fatalf("n=%d off=%d: NaN in lane %d gave %g", n, off, i, dst[i])
							}
						}
					}
				}
			})
		})
	}
}

// TestRequiredISA fails unless the tier named by ACT_REQUIRE_ISA is available
// and is the one in use (set it together with ACT_ISA, as CI does under
// emulation), so that a CI job cannot silently test a lesser tier.
func TestRequiredISA(t *testing.T) {
	want := os.Getenv("ACT_REQUIRE_ISA")
	if want == "" {
		t.Skip("ACT_REQUIRE_ISA not set")
	}
	if got := ISA(); got != want {
		t.Fatalf("ACT_REQUIRE_ISA=%s but the tier in use is %s (available: %v)", want, got, ISAs())
	}
}

// TestScaleEdges drives Scale (x 2^n rounded once) through every n the exp
// family produces and through products down to the smallest subnormal:
// elu's backward is dy * alpha * P * 2^n, scaled last, for x in [-110, 0]
// and dy from 1 down to 2^-149 with random mantissas, and NaN, +-Inf and
// +-0; then exp, sigmoid,
// silu and softplus over the same x, whose tails are subnormal. Every tier
// must give the fallback's bits (which TestScale32 holds to the exact
// result).
func TestScaleEdges(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var x, dy []float32
	special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 0, float32(math.Copysign(0, -1))}
	for n := 0; n <= 110*16; n++ {
		for k := 0; k <= 149; k += 3 {
			x = append(x, -float32(n)/16-float32(r.Float64())/16)
			dy = append(dy, float32(math.Ldexp(1+r.Float64(), -k)))
		}
		// A NaN or infinite dy must come through the rare path as it is.
		for _, d := range special {
			x = append(x, -float32(n)/16)
			dy = append(dy, d)
		}
	}
	want := make([]float32, len(x))
	was := ISA()
	defer SetISA(was)
	if err := SetISA("generic"); err != nil {
		t.Fatal(err)
	}
	run("elu_bwd", want, dy, x, nil, []float32{1})
	got := make([]float32, len(x))
	for _, name := range ISAs() {
		if err := SetISA(name); err != nil {
			t.Fatal(err)
		}
		run("elu_bwd", got, dy, x, nil, []float32{1})
		for i := range got {
			if !sameBits(got[i], want[i]) {
				t.Fatalf("%s: elu_bwd(dy=%g, x=%g) = %s, generic %s", name, dy[i], x[i], fmtBits(got[i]), fmtBits(want[i]))
			}
		}
	}
	// The exp tails themselves: results subnormal from x = -87.3 on; then
	// ordinary inputs with a few whose results are subnormal and a few NaN
	// and infinite, at random, so that the vectors that take AVX2's rare
	// path hold NaN, infinite and ordinary lanes beside the lanes out of
	// range, in every mix.
	xs := make([]float32, 1<<18)
	for i := range xs {
		switch p := r.IntN(100); {
		case p < 2:
			xs[i] = -100 - float32(r.Float64())
		case p < 4:
			xs[i] = special[r.IntN(3)]
		default:
			xs[i] = float32(10*r.Float64() - 5)
		}
	}
	want, got = slices.Grow(want, len(xs)), slices.Grow(got, len(xs))
	for _, k := range []string{"exp_fwd", "sigmoid_fwd", "silu_fwd", "softplus_fwd", "gelu_tanh_fwd", "mish_fwd"} {
		for _, x := range [][]float32{x, xs} {
			want, got := want[:len(x)], got[:len(x)]
			SetISA("generic")
			run(k, want, x, nil, nil, nil)
			for _, name := range ISAs() {
				SetISA(name)
				run(k, got, x, nil, nil, nil)
				for i := range got {
					if !sameBits(got[i], want[i]) {
						t.Fatalf("%s: %s(%g) = %s, generic %s", name, k, x[i], fmtBits(got[i]), fmtBits(want[i]))
					}
				}
			}
		}
	}
}

// TestScale32 holds the fallback's Scale to a*2^n rounded once, for n over
// the whole domain and a over every binade.
func TestScale32(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for n := -226; n <= 254; n++ {
		for i := 0; i < 2000; i++ {
			a := float32(math.Ldexp(1+r.Float64(), r.IntN(280)-149))
			if i%2 == 1 {
				a = -a
			}
			want := float32(math.Ldexp(float64(a), n)) // exact in float64, then rounded once
			if got := scale32(a, float32(n)); !sameBits(got, want) {
				t.Fatalf("scale32(%g, %d) = %g, want %g", a, n, got, want)
			}
		}
	}
}

// TestFMATie checks that fmaTie misses no point halfway between two finite
// float32, in the normal range and below it (where the halfway points are
// the odd multiples of 2^-150), in the normal range flags nothing else, and
// never flags a float32 (0 and exact subnormal results among them, which
// would otherwise all take the slow path).
func TestFMATie(t *testing.T) {
	halfway := func(s float64) bool {
		r := float32(s)
		if float64(r) == s || math.IsNaN(s) || math.IsInf(float64(r), 0) {
			return false
		}
		lo, hi := r, r
		if float64(r) < s {
			hi = math.Nextafter32(r, float32(math.Inf(1)))
		} else {
			lo = math.Nextafter32(r, float32(math.Inf(-1)))
		}
		return s == float64(lo)/2+float64(hi)/2
	}
	r := rand.New(rand.NewPCG(9, 10))
	check := func(s float64) {
		got, want := fmaTie(s, float32(s)), halfway(s)
		if want && !got || got && !want && (math.Abs(s) >= 0x1p-126 || float64(float32(s)) == s) {
			t.Fatalf("fmaTie(%g = %#x) = %v, want %v", s, math.Float64bits(s), got, want)
		}
	}
	ties := 0
	for i := 0; i < 1<<20; i++ {
		// A float32 anywhere from 0 to the top of the normal range, the
		// point halfway to the next one, and the float64 either side.
		f := math.Float32frombits(uint32(r.Uint64N(0x7f7fffff)))
		if i%2 == 1 {
			f = -f
		}
		m := float64(f)/2 + float64(math.Nextafter32(f, float32(math.Copysign(math.Inf(1), float64(f)))))/2
		for _, s := range []float64{float64(f), m, math.Nextafter(m, 0), math.Nextafter(m, math.Inf(1))} {
			check(s)
		}
		if fmaTie(m, float32(m)) {
			ties++
		}
		// Any float64 below float32's normal range.
		check(math.Float64frombits(r.Uint64N(0x3810000000000000)) * float64(1-2*(i%2)))
	}
	if ties < 1<<19 {
		t.Fatalf("only %d of the halfway points were ties", ties)
	}
	for _, s := range []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 0x1p-150, 3 * 0x1p-150, 0x1p-151,
		0x1p-149, 0x1p-140, -0x1.8p-130, 0x1p-127 - 0x1p-149, 0x1p-126} {
		check(s)
	}
}

// TestFMA32 holds the fallback's FMA to a*b + c rounded once to float32
// (big.Float's exact sum, then its rounding), over operands whose sums
// spread from the subnormal range to overflow.
func TestFMA32(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	f32 := func() float32 {
		return float32(math.Ldexp(1+r.Float64(), r.IntN(297)-170)) * float32(1-2*r.IntN(2))
	}
	for i := 0; i < 1<<18; i++ {
		a, b, c := f32(), f32(), f32()
		if p := float64(a) * float64(b); i%3 == 0 && math.Abs(p) < math.MaxFloat32 {
			c = -float32(p * (1 + 0x1p-20*r.NormFloat64())) // cancellation, tiny results
		}
		x := new(big.Float).SetPrec(1000).SetFloat64(float64(a))
		x.Mul(x, new(big.Float).SetFloat64(float64(b)))
		x.Add(x, new(big.Float).SetFloat64(float64(c)))
		want, _ := x.Float32()
		if got := fma32(a, b, c); !sameBits(got, want) && !(got == 0 && want == 0) {
			t.Fatalf("fma32(%g, %g, %g) = %g, want %g", a, b, c, got, want)
		}
	}
	// Subnormal results whose float64 sum lands on a float32 halfway point,
	// an odd multiple of 2^-150, where the exact sum lies 2^-196 below it:
	// (1 + 2^-23) 2^-100 (1 - 2^-23) 2^-50 = 2^-150 - 2^-196, plus c a
	// multiple of 2^-149 near 2^-130, whose float64 ULP is 2^-182. Rounded
	// twice, the even neighbour comes out where c is an odd multiple.
	a, b := float32(0x1.000002p-100), float32(0x1.fffffcp-51)
	for _, k := range []float32{0, 1, 2, 3, 1<<19 + 1, 1<<20 + 1, 1<<22 - 1} {
		for _, sign := range []float32{1, -1} {
			c := sign * k * 0x1p-149
			x := new(big.Float).SetPrec(1000).SetFloat64(float64(sign * a))
			x.Mul(x, new(big.Float).SetFloat64(float64(b)))
			x.Add(x, new(big.Float).SetFloat64(float64(c)))
			want, _ := x.Float32()
			if got := fma32(sign*a, b, c); !sameBits(got, want) {
				t.Fatalf("fma32(%g, %g, %g) = %g, want %g", sign*a, b, c, got, want)
			}
		}
	}
}

// TestNegPos32 holds negPos32 to its definition: -a for a > 0, a for a <= 0
// (both zeros kept), a NaN for a NaN, on one float32 in 997 and the edges.
func TestNegPos32(t *testing.T) {
	check := func(a float32) {
		want := a
		if a > 0 {
			want = -a
		}
		if got := negPos32(a); !sameBits(got, want) {
			t.Fatalf("negPos32(%g = %#x) = %#x, want %#x", a, math.Float32bits(a), math.Float32bits(got), math.Float32bits(want))
		}
	}
	for i := uint64(0); i < 1<<32; i += 997 {
		check(math.Float32frombits(uint32(i)))
	}
	for _, a := range []float32{0, float32(math.Copysign(0, -1)), 0x1p-149, -0x1p-149, 1, -1, float32(math.Inf(1)), float32(math.Inf(-1))} {
		check(a)
	}
}
