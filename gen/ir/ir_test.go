package ir

import (
	"math"
	"testing"
)

// TestSimplify checks that repeated operations merge, that values nothing
// reads are dropped, and that Uses counts what is left.
func TestSimplify(t *testing.T) {
	k := Build("t", func(b *Builder) {
		x := b.Load(A)
		n1, n2 := b.Neg(x), b.Neg(x)            // one negation
		_ = b.Sqrt(x)                           // dead
		y := b.FMA(n1, b.Load(A), b.Mul(n2, x)) // the second load merges too
		b.Store(y)
	})
	var ops []Op
	for _, v := range k.Body() {
		ops = append(ops, v.Op)
	}
	want := []Op{OpLoad, OpNeg, OpMul, OpFMA, OpStore}
	if len(ops) != len(want) {
		t.Fatalf("body %v, want %v", ops, want)
	}
	for i := range ops {
		if ops[i] != want[i] {
			t.Fatalf("body %v, want %v", ops, want)
		}
	}
	body := k.Body()
	if x, neg := body[0], body[1]; x.Uses != 3 || neg.Uses != 2 {
		t.Errorf("uses: load %d (want 3), neg %d (want 2)", x.Uses, neg.Uses)
	}
	// -(-x) is x: the FMA reads the load itself, and both negations go.
	k = Build("v", func(b *Builder) {
		x := b.Load(A)
		b.Store(b.FMA(x, x, b.Neg(b.Neg(x))))
	})
	if body := k.Body(); len(body) != 3 || body[1].Op != OpFMA || body[1].Args[2] != body[0] {
		t.Errorf("body of v: %v, want the FMA reading the load for -(-x)", body)
	}
	// Same op, different constants or predicates: kept apart.
	k = Build("u", func(b *Builder) {
		x := b.Load(A)
		lt, gt := b.Cmp(LT, x, b.Zero()), b.Cmp(GT, x, b.Zero())
		b.Store(b.Select(b.Or(lt, gt), b.Mul(x, b.Const(2, "two")), b.Mul(x, b.Const(3, "three"))))
	})
	if got := len(k.Body()); got != 8 {
		t.Errorf("body of u has %d values, want 8", got)
	}
}

// TestClampRanges checks that clamps that cannot bind are dropped and the
// others kept.
func TestClampRanges(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(b *Builder, x *Value) *Value
		want []Op
	}{
		{"clamp of min", func(b *Builder, x *Value) *Value { // min(89, .) after min(20, .)
			return b.Clamp(b.Min(b.Const(20, ""), x), b.Const(-150, ""), b.Const(89, ""))
		}, []Op{OpLoad, OpMin, OpMax, OpStore}},
		{"max of max", func(b *Builder, x *Value) *Value { // max(-2, .) after max(-1, .)
			return b.Max(b.Const(-2, ""), b.Max(b.Const(-1, ""), x))
		}, []Op{OpLoad, OpMax, OpStore}},
		{"min of -|x|", func(b *Builder, x *Value) *Value { return b.Min(b.Const(0, ""), b.NegAbs(x)) },
			[]Op{OpLoad, OpNegAbs, OpStore}},
		{"max of |x|", func(b *Builder, x *Value) *Value { return b.Max(b.Const(-0.5, ""), b.Abs(x)) },
			[]Op{OpLoad, OpAbs, OpStore}},
		{"binding clamps", func(b *Builder, x *Value) *Value { // all kept
			return b.Min(b.Const(-1, ""), b.Max(b.Const(1, ""), b.NegAbs(b.Min(b.Const(5, ""), x))))
		}, []Op{OpLoad, OpMin, OpNegAbs, OpMax, OpMin, OpStore}},
		{"constant second", func(b *Builder, x *Value) *Value { // Min(w, c) drops NaN: kept
			return b.Min(b.Min(b.Const(1, ""), x), b.Const(2, ""))
		}, []Op{OpLoad, OpMin, OpMin, OpStore}},
	} {
		k := Build(c.name, func(b *Builder) { b.Store(c.f(b, b.Load(A))) })
		var ops []Op
		for _, v := range k.Body() {
			ops = append(ops, v.Op)
		}
		if len(ops) != len(c.want) {
			t.Errorf("%s: body %v, want %v", c.name, ops, c.want)
			continue
		}
		for i := range ops {
			if ops[i] != c.want[i] {
				t.Errorf("%s: body %v, want %v", c.name, ops, c.want)
				break
			}
		}
	}
}

// TestSpans checks the bounds simplify gives values: tanh's n = round(2
// min(|x|, 9.1) / ln2) lies in [0, 27], and an unbounded chain stays
// unbounded.
func TestSpans(t *testing.T) {
	var n, m, f *Value
	Build("spans", func(b *Builder) {
		x := b.Load(A)
		a := b.Min(b.Const(9.1, ""), b.Abs(x))
		n = b.Round(b.Mul(b.Add(a, a), b.Const(1.442695, "")))
		m = b.Round(b.Mul(x, b.Const(-2, "")))
		f = b.Round(b.FMA(a, b.Const(1.442695, ""), b.Const(-0.0, "")))
		b.Store(b.Add(b.Add(n, m), f))
	})
	if n.Lo < -0.5 || n.Lo > 0 || n.Hi < 26 || n.Hi > 27 {
		t.Errorf("n in [%g, %g], want [0, 27] or a little wider", n.Lo, n.Hi)
	}
	if f.Lo < -0.5 || f.Lo > 0 || f.Hi < 13 || f.Hi > 14 {
		t.Errorf("f in [%g, %g], want [0, 13] or a little wider (an FMA by a constant, plus a constant)", f.Lo, f.Hi)
	}
	if !math.IsInf(m.Lo, -1) || !math.IsInf(m.Hi, 1) {
		t.Errorf("m in [%g, %g], want unbounded", m.Lo, m.Hi)
	}
}

// TestSpansProducts checks bounds through products and FMAs of two bounded
// values, -|w| and selects, and that a clamp they prove idle is dropped.
func TestSpansProducts(t *testing.T) {
	var p, q, s *Value
	k := Build("products", func(b *Builder) {
		x := b.Clamp(b.Load(A), b.Const(-12, ""), b.Const(12, ""))
		p = b.FMA(x, b.Add(b.One(), b.Mul(x, x)), b.Const(-0.0, "")) // x (1 + x^2): [-1740, 1740]
		q = b.NegAbs(p)
		s = b.Select(b.Cmp(LT, x, b.Zero()), q, b.Neg(x))
		b.Store(b.Add(b.Max(b.Const(-2000, ""), q), s)) // the Max cannot bind
	})
	if p.Lo > -1740 || p.Lo < -1741 || p.Hi < 1740 || p.Hi > 1741 {
		t.Errorf("p in [%g, %g], want [-1740, 1740] or a little wider", p.Lo, p.Hi)
	}
	if q.Lo > -1740 || q.Lo < -1741 || q.Hi != 0 {
		t.Errorf("q in [%g, %g], want [-1740, 0] or a little wider", q.Lo, q.Hi)
	}
	if s.Lo > -1740 || s.Hi < 12 || s.Hi > 12.1 {
		t.Errorf("s in [%g, %g], want [-1740, 12] or a little wider", s.Lo, s.Hi)
	}
	for _, v := range k.Values {
		if v.Op == OpMax && v.Args[0].Op == OpConst && v.Args[0].F == -2000 {
			t.Errorf("the Max(-2000, q) clamp was kept: %v", v)
		}
	}
}

// TestKeepNaNAtReader checks where sinkMasks puts KeepNaN's test of x: right
// before the select that reads it in a long body, right after x in a short
// one (the piecewise family's place).
func TestKeepNaNAtReader(t *testing.T) {
	for _, steps := range []int{2, longBody} {
		k := Build("k", func(b *Builder) {
			x := b.Load(A)
			y := x
			for i := range steps {
				y = b.FMA(y, x, b.Const(float32(i+1), "c"))
			}
			b.Store(b.KeepNaN(x, y))
		})
		body := k.Body()
		at, sel := -1, -1
		for i, v := range body {
			switch {
			case v.Op == OpCmp && v.Pred == Unord:
				at = i
			case v.Op == OpSelect:
				sel = i
			}
		}
		want := 1 // after the load
		if len(k.Values) >= longBody {
			want = sel - 1
		}
		if at != want {
			t.Errorf("%d values: the NaN test at %d of the body, want %d (select at %d)", len(k.Values), at, want, sel)
		}
	}
}
