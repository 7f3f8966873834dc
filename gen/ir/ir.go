// Package ir is the one description of every act kernel.
//
// A kernel is written once, as a short Go function over a Builder: it loads
// lanes from the input streams, combines them with float32 vector operations,
// and stores one result per lane. The function runs once, at generation time,
// and records a straight-line program (a DAG of Values). Each backend lowers
// that same program: Avo for AVX-512 and AVX2 (width and tail masking are
// parameters of the lowering), the A64 text emitter for NEON, and Go source for
// the pure-Go fallback. Because all of them execute the same operations in the
// same order, with the same rounding, the fallback and every assembly tier
// agree bit for bit.
//
// Semantics are those of one float32 lane, IEEE 754 binary32 with round to
// nearest even, no flush to zero:
//
//   - Add, Sub, Mul, Div, Sqrt: correctly rounded.
//   - FMA(a, b, c) = a*b + c with a single rounding.
//   - Min(a, b) = a < b ? a : b and Max(a, b) = a > b ? a : b (x86 MINPS and
//     MAXPS): when the comparison is unordered the SECOND operand is returned.
//     Put the input second (Max(zero, x)) to let a NaN through.
//   - Cmp gives a mask; ordered predicates are false on NaN, NE and Unord are
//     true on NaN. Select(m, a, b) = m ? a : b.
//   - Abs, Neg and NegAbs (-|a|) act on the sign bit only.
//   - Round(a) is a rounded to an integer, ties to even (RNDSCALE, ROUNDPS,
//     FRINTN).
//   - Scale(a, n) is a*2^n rounded once (so subnormal results are right),
//     for any a and an integral n in [-226, 254] (VSCALEFPS; elsewhere
//     (a*2^n1)*2^n2 with powers of two built in the exponent field, n1 = n
//     where that one product is the result, 127 above, -100 below: the
//     first product is exact whenever the result is not 0; see each
//     backend). Outside that range the result is unspecified, but for a
//     NaN a.
//
// A kernel's ABI is the same for every tier:
//
//	func name(n int, dst, a, b, c *float32, p *[4]float32)
//
// computing dst[i] for i < n from a[i], b[i], c[i] (and dst[i] when the kernel
// loads Dst: an accumulating kernel), with scalar parameters p[0..3]
// broadcast to every lane.
package ir

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Stream names one of the kernel's slices.
type Stream int

const (
	Dst Stream = iota // the output; loading it makes the kernel accumulate
	A                 // first input
	B                 // second input
	C                 // third input
	NumStreams
)

func (s Stream) String() string { return [...]string{"dst", "a", "b", "c"}[s] }

// Op is one operation of the program.
type Op int

const (
	OpLoad    Op = iota // lane of Stream
	OpConst             // F broadcast
	OpParam             // p[Index] broadcast
	OpAdd               // a + b
	OpSub               // a - b
	OpMul               // a * b
	OpDiv               // a / b
	OpFMA               // a*b + c, one rounding
	OpMin               // a < b ? a : b
	OpMax               // a > b ? a : b
	OpAbs               // |a|
	OpNeg               // -a
	OpNegAbs            // -|a|
	OpXorSign           // a with its sign flipped where b's sign bit is set (copysign(a, b) for a >= 0)
	OpSqrt              // sqrt(a)
	OpCmp               // mask: a Pred b
	OpAnd               // mask: a && b
	OpOr                // mask: a || b
	OpSelect            // mask a ? b : c
	OpRound             // a rounded to the nearest integer, ties to even
	OpScale             // a * 2^b for an integral b in [-226, 254], rounded once
	OpStore             // dst = a
)

var opNames = [...]string{"load", "const", "param", "add", "sub", "mul", "div", "fma", "min", "max",
	"abs", "neg", "negabs", "xorsign", "sqrt", "cmp", "and", "or", "select", "round", "scale", "store"}

func (o Op) String() string { return opNames[o] }

// Pred is a comparison predicate.
type Pred int

const (
	LT    Pred = iota // a < b, ordered (false on NaN)
	LE                // a <= b, ordered
	GT                // a > b, ordered
	GE                // a >= b, ordered
	EQ                // a == b, ordered
	NE                // a != b, unordered (true on NaN)
	Unord             // a or b is NaN
)

func (p Pred) String() string { return [...]string{"lt", "le", "gt", "ge", "eq", "ne", "unord"}[p] }

// Kind tells a float vector from a lane mask.
type Kind int

const (
	Vec Kind = iota
	Mask
)

// Value is one node of the program.
type Value struct {
	ID     int
	Op     Op
	Kind   Kind
	Args   []*Value
	Stream Stream  // OpLoad
	F      float32 // OpConst
	Index  int     // OpParam
	Pred   Pred    // OpCmp
	Note   string  // OpConst: what the constant means
	Uses   int     // number of later Values reading this one
	// Lo <= v <= Hi in every lane where v is not NaN, as far as simplify
	// can tell from constants, clamps, signs and monotone steps (-Inf and
	// +Inf where it cannot). Backends may rely on it: AVX2's Scale skips
	// its range check when n is known to lie in [-125, 127].
	Lo, Hi float64
	// RangeOnly marks a clamp (Builder.RangeOnly) that changes no stored
	// result: it is there for its bounds alone, and a backend that has no
	// use for them may compute its operand in its place.
	RangeOnly bool
	// CapMag marks an XorSign of a Min (Builder.CapMag), and ClampMag
	// the Min of a symmetric Clamp (Builder.ClampMag), that AVX-512
	// computes as one VRANGEPS.
	CapMag, ClampMag bool
	// AtReader marks a mask that sinkMasks places right before its first
	// reader in a long body (KeepNaN's test of x).
	AtReader bool
}

// IsInvariant reports whether v is the same for every lane and iteration
// (constants and parameters): backends hoist these out of the loop.
func (v *Value) IsInvariant() bool { return v.Op == OpConst || v.Op == OpParam }

// Kernel is a recorded program.
type Kernel struct {
	Name   string
	Values []*Value // in program order; invariants first
	Reads  [NumStreams]bool
	Params int // number of parameters read (highest index + 1)
	// SubnormalIn: a subnormal lane of this stream's load may be read as
	// SubnormalAs with the lane's sign, the result unchanged
	// (kernels.Entry.SubnormalAs); HasSubnormalAs says they are set.
	SubnormalIn    Stream
	SubnormalAs    float32
	HasSubnormalAs bool
	// SubnormalTimes: a subnormal lane of SubnormalIn's load gives c x
	// rounded once (kernels.Entry.SubnormalTimes), c = TimesPos for x > 0
	// and, for x < 0, the parameter TimesNegParam where it is not -1, else
	// TimesNeg; or, with TimesDy, c = the lane's dy (stream A), for a
	// backward pass that reads y (SubnormalIn).
	SubnormalTimes     bool
	TimesPos, TimesNeg float32
	TimesNegParam      int
	TimesDy            bool
}

// Invariants returns the hoisted values (constants, parameters), in order.
func (k *Kernel) Invariants() []*Value {
	var out []*Value
	for _, v := range k.Values {
		if v.IsInvariant() {
			out = append(out, v)
		}
	}
	return out
}

// Body returns the per-lane values, in order.
func (k *Kernel) Body() []*Value {
	var out []*Value
	for _, v := range k.Values {
		if !v.IsInvariant() {
			out = append(out, v)
		}
	}
	return out
}

// Builder records a kernel.
type Builder struct {
	k      *Kernel
	body   []*Value
	consts map[uint32]*Value
	params map[int]*Value
	stored bool
}

// Build runs desc against a fresh Builder and returns the recorded kernel.
func Build(name string, desc func(b *Builder)) *Kernel {
	b := &Builder{k: &Kernel{Name: name}, consts: map[uint32]*Value{}, params: map[int]*Value{}}
	desc(b)
	if !b.stored {
		panic(fmt.Sprintf("ir: kernel %s stores nothing", name))
	}
	body := sinkMasks(simplify(b.body))
	var inv []*Value
	for _, v := range body {
		if v.IsInvariant() {
			inv = append(inv, v)
		}
	}
	var rest []*Value
	for _, v := range body {
		if !v.IsInvariant() {
			rest = append(rest, v)
		}
	}
	b.k.Values = append(inv, rest...)
	for i, v := range b.k.Values {
		v.ID = i
	}
	return b.k
}

// simplify merges values that compute the same thing from the same operands
// (a description may ask for -q twice, or for x^2 in two helpers), takes
// -(-w) for w, drops clamps that cannot bind (a Min(c, w) where w <= c
// already, as in clamp(min(x, 20), -150, 89); a Max(c, w) where w >= c),
// drops values nothing reads, and recounts Uses. Every operation is a pure function of
// its operands, and a dropped clamp returns its operand on every input, NaN
// included, so this changes no result on any tier.
func simplify(body []*Value) []*Value {
	type key struct {
		op     Op
		args   [3]*Value
		stream Stream
		f      uint32
		index  int
		pred   Pred
		range_ bool
		capMag bool
		clamp  bool
	}
	seen := map[key]*Value{}
	repl := map[*Value]*Value{}
	var kept []*Value
	for _, v := range body {
		for i, a := range v.Args {
			if r, ok := repl[a]; ok {
				v.Args[i] = r
			}
		}
		if v.Op == OpStore {
			kept = append(kept, v)
			continue
		}
		if v.Op == OpNeg && v.Args[0].Op == OpNeg { // -(-w) is w, bit for bit
			repl[v] = v.Args[0].Args[0]
			continue
		}
		if v.Op == OpMin || v.Op == OpMax {
			// Min(c, w) is c < w ? c : w, and Max(c, w) is c > w ? c : w:
			// w itself (NaN too) wherever the comparison cannot hold.
			if c, w := v.Args[0], v.Args[1]; c.Op == OpConst &&
				(v.Op == OpMin && w.Hi <= float64(c.F) || v.Op == OpMax && w.Lo >= float64(c.F)) {
				repl[v] = w
				continue
			}
		}
		v.Lo, v.Hi = span(v)
		k := key{op: v.Op, stream: v.Stream, f: math.Float32bits(v.F), index: v.Index, pred: v.Pred, range_: v.RangeOnly, capMag: v.CapMag, clamp: v.ClampMag}
		copy(k.args[:], v.Args)
		if w, ok := seen[k]; ok {
			repl[v] = w
			continue
		}
		seen[k] = v
		kept = append(kept, v)
	}
	// Dead values: walk back from the store.
	live := map[*Value]bool{}
	for i := len(kept) - 1; i >= 0; i-- {
		v := kept[i]
		if v.Op == OpStore || live[v] {
			live[v] = true
			for _, a := range v.Args {
				live[a] = true
			}
		}
	}
	var out []*Value
	for _, v := range kept {
		if live[v] {
			v.Uses = 0
			out = append(out, v)
		}
	}
	for _, v := range out {
		for _, a := range v.Args {
			a.Uses++
		}
	}
	return out
}

// finite reports whether every one of vs has finite bounds.
func finite(vs ...*Value) bool {
	for _, v := range vs {
		if math.IsInf(v.Lo, 0) || math.IsInf(v.Hi, 0) {
			return false
		}
	}
	return true
}

// span bounds v where it is not NaN, from the bounds of its operands: every
// step below is monotone in each operand, and its float32 rounding keeps the
// bounds of the exact result's, widened here by a relative 2^-20 so that
// bounds carried in float64 stay safe.
func span(v *Value) (lo, hi float64) {
	inf := math.Inf(1)
	widen := func(lo, hi float64) (float64, float64) {
		return lo - math.Abs(lo)*0x1p-20 - 0x1p-126, hi + math.Abs(hi)*0x1p-20 + 0x1p-126
	}
	a := v.Args
	switch v.Op {
	case OpConst:
		return float64(v.F), float64(v.F)
	case OpAbs, OpNegAbs:
		lo, hi := 0.0, inf
		if x := a[0]; !math.IsInf(x.Lo, 0) && !math.IsInf(x.Hi, 0) {
			hi = max(-x.Lo, x.Hi)
			if x.Lo > 0 || x.Hi < 0 {
				lo = min(math.Abs(x.Lo), math.Abs(x.Hi))
			}
		}
		if v.Op == OpNegAbs {
			return -hi, -lo
		}
		return lo, hi
	case OpNeg:
		return -a[0].Hi, -a[0].Lo
	case OpSub:
		return widen(a[0].Lo-a[1].Hi, a[0].Hi-a[1].Lo)
	case OpMin, OpMax: // the forms with a constant first; see simplify
		if c := a[0]; c.Op == OpConst {
			cf := float64(c.F)
			if v.Op == OpMin {
				return min(cf, a[1].Lo), min(cf, a[1].Hi)
			}
			return max(cf, a[1].Lo), max(cf, a[1].Hi)
		}
	case OpAdd:
		return widen(a[0].Lo+a[1].Lo, a[0].Hi+a[1].Hi)
	case OpMul, OpFMA: // a b (+ c), from the corners of finite bounds
		if finite(a...) {
			p := [4]float64{a[0].Lo * a[1].Lo, a[0].Lo * a[1].Hi, a[0].Hi * a[1].Lo, a[0].Hi * a[1].Hi}
			lo, hi := min(p[0], p[1], p[2], p[3]), max(p[0], p[1], p[2], p[3])
			if v.Op == OpFMA {
				lo, hi = lo+a[2].Lo, hi+a[2].Hi
			}
			return widen(lo, hi)
		}
	case OpSelect:
		return min(a[1].Lo, a[2].Lo), max(a[1].Hi, a[2].Hi)
	case OpRound: // within 1/2 of its operand, and integral
		return math.Ceil(a[0].Lo - 0.5), math.Floor(a[0].Hi + 0.5)
	}
	return -inf, inf
}

// longBody is the body length (values, constants included) from which
// KeepNaN's mask goes down to its reader (sinkMasks): the exp family's
// backward passes, not the piecewise family's.
const longBody = 40

// sinkMasks moves each mask (a comparison, or And/Or of masks) down toward
// its first reader, as far as it can go without keeping a vector it reads
// live longer: a vector that the mask is the last to read before that
// reader pins the mask right after the vector's previous use. Masks live in
// AVX-512's seven opmask registers; computed early and read late (a sign
// test read by the final select), they would cap how many copies of the
// body fit. Only the order changes, no result.
//
// A mask whose vectors are all read again at or after its reader is not
// pinned by them, and yet it stays right after the latest of their
// definitions rather than going down to the reader: placed at the reader,
// it let the piecewise backward kernels unroll further, and relu's and
// relu6's backward passes ran 6-18% slower for it, prelu's 8% faster and
// hard_sigmoid's 3-5% (side by side, 6-8 runs), the exp family level.
//
// But KeepNaN's test of x (AtReader) goes down to the select that reads it
// in a body of longBody values or more: x lives to the select anyway, and
// the mask would hold a register across the whole body (on AVX2 a vector
// register). gelu_tanh's and silu's backward passes on AVX2 then fit one
// vector more an iteration: 13-16% and 10-12% faster (two sets of 6
// alternating runs, p = 0.002).
func sinkMasks(body []*Value) []*Value {
	out := append([]*Value(nil), body...)
	index := func(v *Value) int {
		for i, w := range out {
			if w == v {
				return i
			}
		}
		panic("ir: value not in body")
	}
	for i := len(body) - 1; i >= 0; i-- {
		m := body[i]
		if m.Kind != Mask {
			continue
		}
		at := index(m)
		out = append(out[:at], out[at+1:]...)
		first := len(out)
		for j, w := range out {
			if slices.Contains(w.Args, m) {
				first = j
				break
			}
		}
		// The lowest place: after each argument's definition, and after
		// every other use before first of an argument that is not read
		// at first or later (it would otherwise live on for the mask).
		lo := 0
		for _, a := range m.Args {
			def := index(a)
			lo = max(lo, def+1)
			later := false
			for _, w := range out[first:] {
				if slices.Contains(w.Args, a) {
					later = true
					break
				}
			}
			if later {
				if m.AtReader && len(body) >= longBody {
					lo = max(lo, first)
				}
				continue
			}
			for j := def + 1; j < first; j++ {
				if slices.Contains(out[j].Args, a) {
					lo = max(lo, j+1)
				}
			}
		}
		if lo > first {
			panic("ir: mask placed after its reader")
		}
		out = append(out[:first], append([]*Value{m}, out[first:]...)...)
		if first != lo {
			// Not all of its vectors are live at first: place it at lo.
			out = append(out[:first], out[first+1:]...)
			out = append(out[:lo], append([]*Value{m}, out[lo:]...)...)
		}
	}
	return out
}

func (b *Builder) add(v *Value) *Value {
	if b.stored {
		panic("ir: operation after Store in " + b.k.Name)
	}
	for _, a := range v.Args {
		a.Uses++
	}
	v.Lo, v.Hi = math.Inf(-1), math.Inf(1)
	if v.Op == OpConst {
		v.Lo, v.Hi = float64(v.F), float64(v.F)
	}
	b.body = append(b.body, v)
	return v
}

func (b *Builder) vec(op Op, args ...*Value) *Value {
	for _, a := range args {
		if a.Kind != Vec {
			panic(fmt.Sprintf("ir: %s of a mask in %s", op, b.k.Name))
		}
	}
	return b.add(&Value{Op: op, Kind: Vec, Args: args})
}

// Load reads the current lane of stream s.
func (b *Builder) Load(s Stream) *Value {
	b.k.Reads[s] = true
	return b.add(&Value{Op: OpLoad, Kind: Vec, Stream: s})
}

// Store writes v to the current lane of Dst; it ends the kernel.
func (b *Builder) Store(v *Value) {
	b.vec(OpStore, v)
	b.stored = true
}

// Const is f in every lane; note says what it is (it becomes a comment).
func (b *Builder) Const(f float32, note string) *Value {
	bits := math.Float32bits(f)
	if v, ok := b.consts[bits]; ok {
		return v
	}
	v := b.add(&Value{Op: OpConst, Kind: Vec, F: f, Note: note})
	b.consts[bits] = v
	return v
}

// Name is the name of the kernel being recorded.
func (b *Builder) Name() string { return b.k.Name }

// Zero is +0 in every lane.
func (b *Builder) Zero() *Value { return b.Const(0, "zero") }

// One is 1 in every lane.
func (b *Builder) One() *Value { return b.Const(1, "one") }

// Param is the scalar parameter p[i] in every lane.
func (b *Builder) Param(i int) *Value {
	if v, ok := b.params[i]; ok {
		return v
	}
	v := b.add(&Value{Op: OpParam, Kind: Vec, Index: i})
	b.params[i] = v
	if i+1 > b.k.Params {
		b.k.Params = i + 1
	}
	return v
}

func (b *Builder) Add(x, y *Value) *Value     { return b.vec(OpAdd, x, y) }
func (b *Builder) Sub(x, y *Value) *Value     { return b.vec(OpSub, x, y) }
func (b *Builder) Mul(x, y *Value) *Value     { return b.vec(OpMul, x, y) }
func (b *Builder) Div(x, y *Value) *Value     { return b.vec(OpDiv, x, y) }
func (b *Builder) FMA(x, y, z *Value) *Value  { return b.vec(OpFMA, x, y, z) }
func (b *Builder) Min(x, y *Value) *Value     { return b.vec(OpMin, x, y) }
func (b *Builder) Max(x, y *Value) *Value     { return b.vec(OpMax, x, y) }
func (b *Builder) Abs(x *Value) *Value        { return b.vec(OpAbs, x) }
func (b *Builder) Neg(x *Value) *Value        { return b.vec(OpNeg, x) }
func (b *Builder) NegAbs(x *Value) *Value     { return b.vec(OpNegAbs, x) }
func (b *Builder) XorSign(x, s *Value) *Value { return b.vec(OpXorSign, x, s) }
func (b *Builder) Sqrt(x *Value) *Value       { return b.vec(OpSqrt, x) }
func (b *Builder) Round(x *Value) *Value      { return b.vec(OpRound, x) }
func (b *Builder) Scale(x, n *Value) *Value   { return b.vec(OpScale, x, n) }

// Cmp is the mask x p y.
func (b *Builder) Cmp(p Pred, x, y *Value) *Value {
	v := b.vec(OpCmp, x, y)
	v.Kind, v.Pred = Mask, p
	return v
}

func (b *Builder) mask(op Op, x, y *Value) *Value {
	if x.Kind != Mask || y.Kind != Mask {
		panic(fmt.Sprintf("ir: %s of a vector in %s", op, b.k.Name))
	}
	return b.add(&Value{Op: op, Kind: Mask, Args: []*Value{x, y}})
}

func (b *Builder) And(x, y *Value) *Value { return b.mask(OpAnd, x, y) }
func (b *Builder) Or(x, y *Value) *Value  { return b.mask(OpOr, x, y) }

// Select is m ? x : y, lane by lane.
func (b *Builder) Select(m, x, y *Value) *Value {
	if m.Kind != Mask || x.Kind != Vec || y.Kind != Vec {
		panic("ir: Select(mask, vec, vec) in " + b.k.Name)
	}
	return b.add(&Value{Op: OpSelect, Kind: Vec, Args: []*Value{m, x, y}})
}

// Clamp is min(max(x, lo), hi) with a NaN x passed through.
func (b *Builder) Clamp(x, lo, hi *Value) *Value { return b.Min(hi, b.Max(lo, x)) }

// RangeOnly marks v, a Min(c, w) or Max(c, w) with a constant c, as a clamp
// that changes no stored result, and returns it: the description asserts
// that every lane where the clamp binds is dropped later (by a Select) or
// gives the same bits either way. Its bounds let AVX2 and NEON scale by
// 2^n in one step (n proven in [-125, 127]); AVX-512, whose VSCALEFPS
// takes any n, computes w in its place. The Go fallback computes a cap at
// 0, min(0, w), as -w where w > 0 (see gen/golang), so such a cap must bind
// only in lanes that are dropped. TestAccuracy holds every tier to the
// fallback bit for bit.
func (b *Builder) RangeOnly(v *Value) *Value {
	if v.Op != OpMin && v.Op != OpMax || v.Args[0].Op != OpConst {
		panic(fmt.Sprintf("ir: RangeOnly on %s, not a clamp by a constant", v.Op))
	}
	v.RangeOnly = true
	return v
}

// CapMag is x's sign on min(t, |x|): XorSign(Min(t, ax), x), ax = Abs(x).
// The description asserts that t >= 0 where it is not NaN, and that t is
// NaN exactly where x is. Then AVX-512 computes it as one VRANGEPS (the
// operand of least magnitude, with x's sign), which gives the same bits
// but for a signaling NaN x, which it quiets where the other tiers return
// x as it came: NaN either way. VRANGEPS takes a quiet NaN for a missing
// operand, and returns the other, hence the conditions.
func (b *Builder) CapMag(t, ax, x *Value) *Value {
	if ax.Op != OpAbs || ax.Args[0] != x {
		panic("ir: CapMag(t, ax, x) with ax not Abs(x) in " + b.k.Name)
	}
	v := b.XorSign(b.Min(t, ax), x)
	v.CapMag = true
	return v
}

// ClampMag is Clamp(x, lo, hi) for constants lo = -hi < 0, where the
// description asserts that the lanes of a NaN x are dropped later (by a
// select): AVX-512 computes it as one VRANGEPS (the operand of least
// magnitude, with x's sign), which gives the same bits elsewhere and, for a
// quiet NaN x, hi with x's sign (VRANGEPS takes a quiet NaN for a missing
// operand).
func (b *Builder) ClampMag(x, lo, hi *Value) *Value {
	if lo.Op != OpConst || hi.Op != OpConst || !(hi.F > 0) || lo.F != -hi.F {
		panic("ir: ClampMag(x, lo, hi) with bounds not -c and c in " + b.k.Name)
	}
	v := b.Clamp(x, lo, hi)
	v.ClampMag = true
	return v
}

// KeepNaN is x where x is NaN, v elsewhere: a backward pass uses it so that a
// NaN input gives NaN whatever its derivative formula says.
func (b *Builder) KeepNaN(x, v *Value) *Value {
	m := b.Cmp(Unord, x, x)
	m.AtReader = true
	return b.Select(m, x, v)
}

// HexFloat writes f as a Go hexadecimal float literal (exact).
func HexFloat(f float32) string {
	switch {
	case f == 0 && math.Signbit(float64(f)):
		return "-0.0"
	case f == 0:
		return "0.0"
	}
	return strconv.FormatFloat(float64(f), 'x', -1, 32)
}

// String prints the program, one value a line (for comments and debugging).
func (v *Value) String() string {
	name := func(a *Value) string { return fmt.Sprintf("v%d", a.ID) }
	switch v.Op {
	case OpLoad:
		return fmt.Sprintf("v%d = load %s", v.ID, v.Stream)
	case OpConst:
		return fmt.Sprintf("v%d = %s (%s)", v.ID, HexFloat(v.F), v.Note)
	case OpParam:
		return fmt.Sprintf("v%d = p[%d]", v.ID, v.Index)
	case OpCmp:
		return fmt.Sprintf("v%d = %s %s %s", v.ID, name(v.Args[0]), v.Pred, name(v.Args[1]))
	case OpStore:
		return fmt.Sprintf("store %s", name(v.Args[0]))
	}
	s := fmt.Sprintf("v%d = %s", v.ID, v.Op)
	for _, a := range v.Args {
		s += " " + name(a)
	}
	if v.RangeOnly {
		s += " (range only)"
	}
	if v.CapMag {
		s += " (with the min, one VRANGEPS on AVX-512)"
	}
	if v.ClampMag {
		s += " (with the max, one VRANGEPS on AVX-512)"
	}
	return s
}
