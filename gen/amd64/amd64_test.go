package amd64

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/mmcloughlin/avo/printer"

	"github.com/simdact/act/gen/desc"
	"github.com/simdact/act/gen/ir"
)

func lower(t *testing.T, tg Target, k *ir.Kernel) string {
	t.Helper()
	f := NewFile(tg, "t")
	f.Kernel(k, "K")
	file, err := f.Ctx.Result()
	if err != nil {
		t.Fatal(err)
	}
	src, err := printer.NewGoAsm(printer.Config{Pkg: "asm"}).Print(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// compiled is lower's output after Avo's compile passes (with the
// registers allocated).
func compiled(t *testing.T, tg Target, k *ir.Kernel) string {
	t.Helper()
	f := NewFile(tg, "t")
	f.Kernel(k, "K")
	file, err := f.Ctx.Result()
	if err != nil {
		t.Fatal(err)
	}
	if err := tg.Compile(file); err != nil {
		t.Fatal(err)
	}
	src, err := printer.NewGoAsm(printer.Config{Pkg: "asm"}).Print(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// TestNegFold checks that negations read only by FMAs become VFNMADD,
// VFMSUB or VFNMSUB, with no sign mask left, and that a negation read
// elsewhere too is kept.
func TestNegFold(t *testing.T) {
	for _, tg := range []Target{AVX512, AVX2} {
		src := lower(t, tg, ir.Build("fold", func(b *ir.Builder) {
			x, y, z := b.Load(ir.A), b.Load(ir.B), b.Load(ir.C)
			p := b.FMA(b.Neg(x), y, z)            // -x*y + z
			q := b.FMA(x, y, b.Neg(p))            // x*y - p
			r := b.FMA(y, b.Neg(q), b.Neg(z))     // -y*q - z
			b.Store(b.FMA(r, b.Const(3, "3"), x)) // a constant multiplicand
		}))
		for _, want := range []string{"VFNMADD", "VFMSUB", "VFNMSUB"} {
			if !strings.Contains(src, want) {
				t.Errorf("%s: no %s in\n%s", tg.Name, want, src)
			}
		}
		if strings.Contains(src, "XOR") && strings.Contains(src, "$0x80000000") {
			t.Errorf("%s: a negation was not folded:\n%s", tg.Name, src)
		}
		src = lower(t, tg, ir.Build("keep", func(b *ir.Builder) {
			x, y := b.Load(ir.A), b.Load(ir.B)
			n := b.Neg(x)
			b.Store(b.Mul(b.FMA(n, y, y), n))
		}))
		if !strings.Contains(src, "$0x80000000") {
			t.Errorf("%s: a negation read by a product was dropped:\n%s", tg.Name, src)
		}
	}
}

// TestRangeOnly checks that AVX-512 computes a range-only clamp's operand in
// its place (no VMINPS, and no register for its constant), that AVX2 keeps
// the clamp, and that the clamped operand lives on for the clamp's readers.
func TestRangeOnly(t *testing.T) {
	k := func() *ir.Kernel {
		return ir.Build("range", func(b *ir.Builder) {
			x := b.Load(ir.A)
			c := b.RangeOnly(b.Min(b.Const(7, "seven"), b.Mul(x, x)))
			b.Store(b.Select(b.Cmp(ir.GT, x, b.Zero()), x, b.FMA(c, c, x)))
		})
	}
	if src := lower(t, AVX512, k()); strings.Contains(src, "VMINPS") || strings.Contains(src, "$0x40e00000") {
		t.Errorf("avx512: the range-only clamp was computed:\n%s", src)
	} else if !strings.Contains(src, "VFMADD") || !strings.Contains(src, "VMULPS") {
		t.Errorf("avx512: its readers are gone:\n%s", src)
	}
	if src := lower(t, AVX2, k()); !strings.Contains(src, "VMINPS") {
		t.Errorf("avx2: the range-only clamp was dropped:\n%s", src)
	}
}

// TestVRange checks that AVX-512 computes CapMag (a minimum and a sign
// flip) and ClampMag (a maximum and a minimum) as one VRANGEPS each, with
// no VMINPS, VMAXPS or sign mask left, and that AVX2 computes them as they
// are written.
func TestVRange(t *testing.T) {
	capMag := func() *ir.Kernel {
		return ir.Build("capmag", func(b *ir.Builder) {
			x := b.Load(ir.A)
			ax := b.Abs(x)
			b.Store(b.CapMag(b.Div(ax, b.Add(ax, b.One())), ax, x))
		})
	}
	clampMag := func() *ir.Kernel {
		return ir.Build("clampmag", func(b *ir.Builder) {
			x := b.Load(ir.A)
			c := b.ClampMag(x, b.Const(-12, "-12"), b.Const(12, "12"))
			b.Store(b.KeepNaN(x, b.Mul(c, c)))
		})
	}
	rng := regexp.MustCompile(`(?m)^\s+VRANGEPS\s+\$0x02,`) // not the comments
	for _, k := range []func() *ir.Kernel{capMag, clampMag} {
		src := lower(t, AVX512, k())
		if !rng.MatchString(src) || strings.Contains(src, "VMINPS") || strings.Contains(src, "VMAXPS") ||
			strings.Contains(src, "$0x80000000") {
			t.Errorf("avx512: not one VRANGEPS:\n%s", src)
		}
		if src := lower(t, AVX2, k()); rng.MatchString(src) || !strings.Contains(src, "VMINPS") {
			t.Errorf("avx2: no minimum:\n%s", src)
		}
	}
	// AVX2 takes CapMag's |x| afresh from x for the minimum: an AND right
	// before it, into the register it reads, rather than |x| kept live
	// from the top.
	src := lower(t, AVX2, capMag())
	fresh := regexp.MustCompile(`VANDPS\s+[^,\s]+, [^,\s]+, ([^,\s]+)\n\s+VMINPS\s+([^,\s]+),`)
	m := fresh.FindStringSubmatch(src)
	if m == nil || m[1] != m[2] {
		t.Errorf("avx2: CapMag's minimum does not take |x| afresh:\n%s", src)
	}
}

// TestMerges checks that AVX-512 computes a select whose arm is read by
// nothing else as that arm's instruction under the select's mask, written
// into the other arm's dying register (no blend): an FMA whose operand that
// arm is, a product that does not read it, and a false arm under the
// complemented comparison. It blends where the other arm lives on, where an
// operand of the arm is last read between the arm and the select, where the
// mask would come later than the arm's operands (leaky_relu's shape), and
// on AVX2.
func TestMerges(t *testing.T) {
	masked := regexp.MustCompile(`(?m)^\s*(VFMADD|VMULPS)\S*\s+[^,]+,[^,]+,[^,]+,[^,]+$`) // four operands: a mask
	// r is ready some cycles after the loads, the mask x < 0 sooner.
	merge := func(name string, arm func(b *ir.Builder, x, r *ir.Value) *ir.Value) *ir.Kernel {
		return ir.Build(name, func(b *ir.Builder) {
			x, y := b.Load(ir.A), b.Load(ir.B)
			r := b.Add(b.Mul(x, y), y)
			b.Store(b.Select(b.Cmp(ir.LT, x, b.Zero()), arm(b, x, r), r))
		})
	}
	fma := merge("fma", func(b *ir.Builder, x, r *ir.Value) *ir.Value { return b.FMA(x, r, b.Const(3, "3")) })
	mul := merge("mul", func(b *ir.Builder, x, r *ir.Value) *ir.Value { return b.Mul(r, x) })
	falseArm := ir.Build("false", func(b *ir.Builder) { // under the complement: NLT_UQ
		x, y := b.Load(ir.A), b.Load(ir.B)
		r := b.Add(b.Mul(x, y), y)
		b.Store(b.Select(b.Cmp(ir.LT, x, b.Zero()), b.Abs(y), b.Mul(r, x)))
	})
	if src := lower(t, AVX512, falseArm); !strings.Contains(src, "VCMPPS    $0x15") {
		t.Errorf("avx512 false: the comparison was not complemented:\n%s", src)
	}
	for _, k := range []*ir.Kernel{fma, mul, falseArm} {
		src := lower(t, AVX512, k)
		if strings.Contains(src, "VBLENDMPS") || !masked.MatchString(src) {
			t.Errorf("avx512 %s: the select was not merged:\n%s", k.Name, src)
		}
		if src := lower(t, AVX2, k); !strings.Contains(src, "VBLENDVPS") {
			t.Errorf("avx2 %s: no blend:\n%s", k.Name, src)
		}
	}
	blend := []*ir.Kernel{
		ir.Build("early", func(b *ir.Builder) { // x >= 0 ? x : 3x
			x := b.Load(ir.A)
			b.Store(b.Select(b.Cmp(ir.GE, x, b.Zero()), x, b.Mul(b.Const(3, "3"), x)))
		}),
		ir.Build("lives", func(b *ir.Builder) { // r is read after the select
			x, y := b.Load(ir.A), b.Load(ir.B)
			r := b.Add(x, y)
			b.Store(b.Mul(r, b.Select(b.Cmp(ir.LT, x, b.Zero()), b.Mul(x, x), r)))
		}),
		ir.Build("between", func(b *ir.Builder) { // m's last reader, an FMA, comes between
			x, y := b.Load(ir.A), b.Load(ir.B)
			m := b.Sub(x, y)
			p := b.Mul(m, x)
			r := b.FMA(m, y, y)
			b.Store(b.Select(b.Cmp(ir.LT, x, b.Zero()), p, b.Abs(r)))
		}),
	}
	for _, k := range blend {
		if src := lower(t, AVX512, k); !strings.Contains(src, "VBLENDMPS") {
			t.Errorf("avx512 %s: merged where it must blend:\n%s", k.Name, src)
		}
	}
}

// TestNoSelfMoves checks that the compiled kernels keep no vector move of a
// register to itself: the last unrolled copy of an FMA whose addend is a
// shared constant and whose other operands live on may be given the
// constant's register. (Without the pruning this kernel leaves one on AVX2;
// Avo's allocator happens to avoid it on AVX-512, checked all the same.)
func TestNoSelfMoves(t *testing.T) {
	k := ir.Build("selfmove", func(b *ir.Builder) {
		x := b.Load(ir.A)
		y := b.FMA(x, b.Const(3, "3"), b.Const(float32(math.Copysign(0, -1)), "-0"))
		b.Store(b.Add(b.Mul(y, y), x))
	})
	for _, tg := range []Target{AVX512, AVX2} {
		moves := 0
		for _, line := range strings.Split(compiled(t, tg, k), "\n") {
			f := strings.Fields(strings.ReplaceAll(line, ",", " "))
			if len(f) == 3 && (f[0] == "VMOVAPS" || f[0] == "VMOVUPS") && !strings.Contains(f[1], "(") {
				moves++
				if f[1] == f[2] {
					t.Errorf("%s: a self-move is left: %s", tg.Name, strings.TrimSpace(line))
				}
			}
		}
		if moves == 0 {
			t.Errorf("%s: no register copy: the kernel no longer exercises the case", tg.Name)
		}
	}
}

// TestStreamVariant checks the two variants of a kernel that does not read
// dst: the ordinary one stores with VMOVUPS only; the stream one stores whole
// vectors with VMOVNTPS and fences them with SFENCE before it returns. A long
// kernel's ordinary variant prefetches dst and its input, its stream variant
// the input only. A kernel that reads dst has no stream variant.
func TestStreamVariant(t *testing.T) {
	short := ir.Build("short", func(b *ir.Builder) {
		b.Store(b.Max(b.Load(ir.A), b.Zero()))
	})
	long := ir.Build("long", func(b *ir.Builder) {
		x := b.Load(ir.A)
		y := x
		for i := range prefetchMinOps {
			y = b.FMA(y, x, b.Const(float32(i), "c"))
		}
		b.Store(y)
	})
	acc := ir.Build("acc", func(b *ir.Builder) {
		b.Store(b.Add(b.Load(ir.Dst), b.Load(ir.A)))
	})
	for _, tg := range []Target{AVX512, AVX2} {
		for _, k := range []*ir.Kernel{short, long} {
			plain, stream := variants(t, tg, k)
			if strings.Contains(plain, "VMOVNTPS") || strings.Contains(plain, "SFENCE") {
				t.Errorf("%s: %s: the ordinary variant stores non-temporally:\n%s", tg.Name, k.Name, plain)
			}
			if !strings.Contains(stream, "VMOVNTPS") || !regexp.MustCompile(`SFENCE\s+VZEROUPPER\s+RET`).MatchString(stream) {
				t.Errorf("%s: %s: the stream variant lacks VMOVNTPS or the SFENCE before it returns:\n%s", tg.Name, k.Name, stream)
			}
		}
		plain, stream := variants(t, tg, long)
		if !prefetches(plain, "dst") || !prefetches(plain, "a") {
			t.Errorf("%s: the ordinary variant of a long kernel does not prefetch dst and a:\n%s", tg.Name, plain)
		}
		if prefetches(stream, "dst") || !prefetches(stream, "a") {
			t.Errorf("%s: the stream variant of a long kernel prefetches dst, or not a:\n%s", tg.Name, stream)
		}
		if Streams(acc) || strings.Contains(compiled(t, tg, acc), StreamSuffix) {
			t.Errorf("%s: kernel acc, which reads dst, has a stream variant", tg.Name)
		}
	}
}

// variants compiles k for tg and returns its ordinary and stream variants.
func variants(t *testing.T, tg Target, k *ir.Kernel) (plain, stream string) {
	t.Helper()
	src := compiled(t, tg, k)
	plain, stream, ok := strings.Cut(src, "TEXT ·K"+StreamSuffix+tg.Suffix)
	if !ok || !strings.Contains(plain, "TEXT ·K"+tg.Suffix) {
		t.Fatalf("%s: %s: no ordinary and stream variants in\n%s", tg.Name, k.Name, src)
	}
	return plain, stream
}

// prefetches reports whether the function src prefetches through the
// register that its parameter param is loaded into.
func prefetches(src, param string) bool {
	m := regexp.MustCompile(`MOVQ\s+` + param + `\+\d+\(FP\), (\w+)`).FindStringSubmatch(src)
	return m != nil && regexp.MustCompile(`PREFETCHT0\s+\d+\(`+m[1]+`\)`).MatchString(src)
}

// builtMask matches a sign mask built in a register.
var builtMask = regexp.MustCompile(`MOVL\s+\$0x(7fffffff|80000000)`)

// TestMasksInMemory checks the placement that puts the sign masks in the
// constants' table: no mask is built in a register, and each operation that
// reads one takes it from the table (AVX-512: broadcast). And that the tiers
// pick it where it fits more vectors an iteration than the masks in
// registers do (log_sigmoid and tanh forward on AVX2), and not otherwise
// (tanh_shrink forward, the same number).
func TestMasksInMemory(t *testing.T) {
	k := ir.Build("k", func(b *ir.Builder) {
		x := b.Load(ir.A)
		b.Store(b.Add(b.Abs(x), b.XorSign(b.Neg(b.Mul(x, b.Const(3, "c"))), x)))
	})
	for _, tc := range []struct {
		tg   Target
		uses []string
	}{
		{AVX512, []string{`VPANDD\.BCST\s+t_avx512_k_consts<>`, `VPXORD\.BCST\s+t_avx512_k_consts<>`, `VPTERNLOGD\.BCST\s+\$0x78, t_avx512_k_consts<>`}},
		{AVX2, []string{`VANDPS\s+t_avx2_k_consts<>`, `VXORPS\s+t_avx2_k_consts<>`}},
	} {
		f := NewFile(tc.tg, "t")
		f.lower(k, 2, masksInMemory, false).emit("K")
		file, err := f.Ctx.Result()
		if err != nil {
			t.Fatal(err)
		}
		if err := tc.tg.Compile(file); err != nil {
			t.Fatal(err)
		}
		src, err := printer.NewGoAsm(printer.Config{Pkg: "asm"}).Print(file)
		if err != nil {
			t.Fatal(err)
		}
		if builtMask.Match(src) {
			t.Errorf("%s: a sign mask built in a register:\n%s", tc.tg.Name, src)
		}
		for _, re := range tc.uses {
			if !regexp.MustCompile(re).Match(src) {
				t.Errorf("%s: no %s:\n%s", tc.tg.Name, re, src)
			}
		}
	}
	for _, tc := range []struct {
		name string
		tg   Target
		u    int
		want placement
	}{
		{"log_sigmoid_fwd", AVX2, 3, masksInMemory},
		{"tanh_fwd", AVX2, 3, masksInMemory},
		{"tanh_shrink_fwd", AVX2, 2, inMemory},
	} {
		d, _, err := desc.Lookup(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		src := compiled(t, tc.tg, ir.Build(tc.name, d))
		plain, _, _ := strings.Cut(src, "TEXT ·K"+StreamSuffix)
		inMem := !builtMask.MatchString(plain)
		stride := regexp.MustCompile(fmt.Sprintf(`ADDQ\s+\$0x%08x`, tc.u*tc.tg.Width))
		if !stride.MatchString(plain) || inMem != (tc.want == masksInMemory) {
			t.Errorf("%s on %s: want %d vectors an iteration, sign masks in memory %v:\n%s", tc.name, tc.tg.Name, tc.u, tc.want == masksInMemory, plain)
		}
	}
}
