package amd64

import (
	"strings"
	"testing"

	"github.com/mmcloughlin/avo/printer"

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
