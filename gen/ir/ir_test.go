package ir

import "testing"

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
