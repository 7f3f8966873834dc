// Package golang lowers ir kernels to Go source: the pure-Go fallback, which
// takes the same steps, in the same order and with the same roundings, as the
// assembly. Each function takes Lanes elements at a time, each step written
// once per element, one after another, so that the CPU runs the elements'
// chains of dependent steps side by side. The helpers it calls (min32, max32,
// fmaTie, fma32Tie, sqrt32, abs32, sel32, round32, scale32, ...) live in the
// act package's fallback.go.
package golang

import (
	"fmt"
	"math"
	"strings"

	"github.com/simdact/act/gen/ir"
)

// Function returns the Go source of kernel k as func name.
func Function(k *ir.Kernel, name string) string {
	var w strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&w, format, a...); w.WriteByte('\n') }

	p("// %s is the kernel %s in Go.", name, k.Name)
	p("func %s(n int, dst, a, b, c *float32, p *[4]float32) {", name)
	p("\td := unsafe.Slice(dst, n)")
	for s := ir.A; s < ir.NumStreams; s++ {
		if k.Reads[s] {
			// Reslicing to len(d) lets the compiler drop the bounds checks.
			p("\t%s := unsafe.Slice(%s, n)[:len(d)]", in(s), s)
		}
	}
	read := map[*ir.Value]bool{} // the invariants the loop names
	for _, v := range k.Body() {
		for i, a := range v.Args {
			read[a] = read[a] || !(i == 2 && productFMA(v))
		}
	}
	for _, v := range k.Invariants() {
		if !read[v] {
			continue
		}
		switch v.Op {
		case ir.OpConst:
			if v.F == 0 && math.Signbit(float64(v.F)) { // Go's constant -0.0 is +0
				p("\t%s := negZero32 // %s", val(v), v.Note)
			} else {
				p("\t%s := float32(%s) // %s", val(v), ir.HexFloat(v.F), v.Note)
			}
		case ir.OpParam:
			p("\t%s := p[%d]", val(v), v.Index)
		}
	}
	// Lanes elements at a time, their statements interleaved: one element's
	// steps form a chain of dependent roundings, each several float64
	// operations long, and the CPU overlaps independent chains only as far
	// as it sees ahead. The last, partial group runs on copies padded with
	// zeros, so that the body is written once.
	var streams []string                 // the inputs the kernel reads
	ptr := map[string]string{"d": "dst"} // each slice's pointer argument
	for s := ir.A; s < ir.NumStreams; s++ {
		if k.Reads[s] {
			streams = append(streams, in(s))
			ptr[in(s)] = s.String()
		}
	}
	loadsDst := false
	for _, v := range k.Body() {
		loadsDst = loadsDst || v.Op == ir.OpLoad && v.Stream == ir.Dst
	}
	g := func(s string) string { return fmt.Sprintf("%s%d", s, Lanes) } // a group's array
	t := func(s string) string { return s + "t" }                       // its padded copy
	p("\tvar %s [%d]float32", strings.Join(mapped(append([]string{"d"}, streams...), t), ", "), Lanes)
	p("\tfor i := 0; i < len(d); i += %d {", Lanes)
	p("\t\t%s := %s", strings.Join(mapped(append([]string{"d"}, streams...), g), ", "),
		strings.Join(mapped(append([]string{"d"}, streams...), func(s string) string { return "&" + t(s) }), ", "))
	p("\t\tif i+%d <= len(d) {", Lanes)
	for _, s := range append([]string{"d"}, streams...) {
		// From the pointer, i + Lanes <= len(d) being known: no bounds
		// checks, which cost the short kernels more than their arithmetic.
		p("\t\t\t%s = (*[%d]float32)(unsafe.Add(unsafe.Pointer(%s), 4*i))", g(s), Lanes, ptr[s])
	}
	p("\t\t} else {")
	if loadsDst {
		p("\t\t\tcopy(%s[:], d[i:])", t("d"))
	}
	for _, s := range streams {
		p("\t\t\tcopy(%s[:], %s[i:])", t(s), s)
	}
	p("\t\t}")
	for _, v := range k.Body() {
		for l := range Lanes {
			p("\t\t%s", lane{fmt.Sprintf("_%d", l), fmt.Sprintf("%d[%d]", Lanes, l)}.stmt(v))
		}
	}
	p("\t\tif i+%d > len(d) {", Lanes)
	p("\t\t\tcopy(d[i:], %s[:])", t("d"))
	p("\t\t}")
	p("\t}")
	p("}")
	return w.String()
}

func mapped(s []string, f func(string) string) []string {
	r := make([]string, len(s))
	for i := range s {
		r[i] = f(s[i])
	}
	return r
}

// Lanes is how many elements the main loop of a kernel in Go takes at once.
const Lanes = 4

// lane names one element's values (v12 + suffix) and elements (d + index).
type lane struct{ suffix, index string }

// productFMA reports whether v is an FMA a*b + -0: the product a*b, bit
// for bit.
func productFMA(v *ir.Value) bool {
	c := v.Args[len(v.Args)-1]
	return v.Op == ir.OpFMA && c.Op == ir.OpConst && c.F == 0 && math.Signbit(float64(c.F))
}

func in(s ir.Stream) string { return "x" + s.String() }

func val(v *ir.Value) string { return lane{}.val(v) }

func (l lane) val(v *ir.Value) string {
	switch v.Op {
	case ir.OpConst:
		return fmt.Sprintf("c%d", v.ID)
	case ir.OpParam:
		return fmt.Sprintf("p%d", v.Index)
	}
	return fmt.Sprintf("v%d%s", v.ID, l.suffix)
}

var cmpOps = map[ir.Pred]string{ir.LT: "<", ir.LE: "<=", ir.GT: ">", ir.GE: ">=", ir.EQ: "==", ir.NE: "!="}

func (l lane) stmt(v *ir.Value) string {
	val := l.val
	a := func(i int) string { return val(v.Args[i]) }
	var e string
	switch v.Op {
	case ir.OpLoad:
		if v.Stream == ir.Dst {
			return fmt.Sprintf("%s := d%s", val(v), l.index)
		}
		e = in(v.Stream) + l.index
	case ir.OpStore:
		return fmt.Sprintf("d%s = %s", l.index, a(0))
	case ir.OpAdd:
		e = a(0) + " + " + a(1)
	case ir.OpSub:
		e = a(0) + " - " + a(1)
	case ir.OpMul:
		// The conversion forbids the compiler to fuse this product into a
		// later addition (the Go spec allows fusion otherwise).
		e = fmt.Sprintf("float32(%s * %s)", a(0), a(1))
	case ir.OpDiv:
		e = a(0) + " / " + a(1)
	case ir.OpFMA:
		if productFMA(v) {
			// a*b - 0 is the product rounded once: exact in float64,
			// then rounded to float32 (no tie to settle).
			e = fmt.Sprintf("float32(float64(%s) * float64(%s))", a(0), a(1))
			break
		}
		// fma32's fast path, written out so that it inlines: the float64
		// sum rounded to float32, unless fmaTie says it may be off.
		s := val(v) + "s"
		return fmt.Sprintf("%s := float64(%s)*float64(%s) + float64(%s)\n\t\t%s := float32(%s)\n\t\tif fmaTie(%s, %s) {\n\t\t\t%s = fma32Tie(%s, %s, %s, %s)\n\t\t}",
			s, a(0), a(1), a(2), val(v), s, s, val(v), val(v), a(0), a(1), a(2), s)
	case ir.OpMin:
		if c := v.Args[0]; v.RangeOnly && c.F == 0 && !math.Signbit(float64(c.F)) {
			// A range-only cap at 0 binds only in lanes the kernel drops
			// (ir.Builder.RangeOnly), so it may take any value there: -w,
			// not 0, so that a dropped lane computes on a number like the
			// kept ones (a tiny positive x on a tiny one, where 0 would
			// send it, and the branches on subnormal sums in the FMAs, the
			// other way; elu's forward pass on subnormal inputs ran 1.3
			// times faster). Where w <= 0 it is w, as min32(0, w).
			e = fmt.Sprintf("negPos32(%s)", a(1))
			break
		}
		e = fmt.Sprintf("min32(%s, %s)", a(0), a(1))
	case ir.OpMax:
		e = fmt.Sprintf("max32(%s, %s)", a(0), a(1))
	case ir.OpAbs:
		e = fmt.Sprintf("abs32(%s)", a(0))
	case ir.OpNeg:
		e = "-" + a(0)
	case ir.OpNegAbs:
		e = fmt.Sprintf("-abs32(%s)", a(0))
	case ir.OpXorSign:
		e = fmt.Sprintf("xorSign32(%s, %s)", a(0), a(1))
	case ir.OpSqrt:
		e = fmt.Sprintf("sqrt32(%s)", a(0))
	case ir.OpRound:
		e = fmt.Sprintf("round32(%s)", a(0))
	case ir.OpScale:
		e = fmt.Sprintf("scale32(%s, %s)", a(0), a(1))
	case ir.OpCmp:
		if v.Pred == ir.Unord {
			e = fmt.Sprintf("%s != %s || %s != %s", a(0), a(0), a(1), a(1))
			if v.Args[0] == v.Args[1] {
				e = fmt.Sprintf("%s != %s", a(0), a(0))
			}
		} else {
			e = fmt.Sprintf("%s %s %s", a(0), cmpOps[v.Pred], a(1))
		}
	case ir.OpAnd:
		e = a(0) + " && " + a(1)
	case ir.OpOr:
		e = a(0) + " || " + a(1)
	case ir.OpSelect:
		e = fmt.Sprintf("sel32(%s, %s, %s)", a(0), a(1), a(2))
	default:
		panic(fmt.Sprintf("golang: no lowering for %s", v.Op))
	}
	return fmt.Sprintf("%s := %s", val(v), e)
}
