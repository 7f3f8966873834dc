// Package kernels is act's catalogue: one entry per activation, with its
// names, parameters and PyTorch defaults, the float64 reference of the
// function and of its derivative, which tensor the backward pass reads, the
// accuracy budget in ULPs and the special values it must honour.
//
// Everything else reads this list: the generators (which kernels to emit), the
// generated public API and its documentation, act.Lookup, the tests (what to
// check and how closely) and the benchmarks. Adding an activation means adding
// an entry here and its math description under gen/.
package kernels

import (
	"math"
	"strings"
)

// Reads says which tensor a backward pass reads besides dy.
type Reads int

const (
	ReadsX Reads = iota // the forward input x
	ReadsY              // the forward output y
)

func (r Reads) String() string { return [...]string{"x", "y"}[r] }

// Shape says how a function walks its tensors.
type Shape int

const (
	Elementwise Shape = iota // dst[i] = f(x[i], scalar params)
	Channelwise              // a per-channel parameter slice, channel = i mod len(param)
)

// Param is a scalar parameter, in the order of the Go signature.
type Param struct {
	Name    string  // Go parameter name
	Default float32 // PyTorch's default, used by act.Lookup
	Doc     string
}

// Exact is the budget of a correctly rounded result: half an ULP.
const Exact = 0.5

// Case is a special value: f(In) must be Out exactly (NaN matches NaN, the
// sign of zero counts).
type Case struct{ In, Out float32 }

// Entry is one activation.
type Entry struct {
	Name    string   // catalogue name (PyTorch / Keras spelling, snake case)
	Aliases []string // other names act.Lookup accepts
	Func    string   // Go name of the forward function; the backward is Func+"Backward"
	Doc     string   // one-paragraph description for the Go doc
	Shape   Shape
	Params  []Param

	// F is the reference forward function in float64; p holds the parameters
	// at the float32 values the caller passed.
	F func(x float64, p []float64) float64
	// D is the reference derivative as a function of the tensor the backward
	// reads (x, or y when Reads is ReadsY). A NaN argument gives NaN.
	D     func(in float64, p []float64) float64
	Reads Reads

	// FwdULP and BwdULP are the budgets (max ULP error over all inputs).
	FwdULP, BwdULP float64
	// ZeroFloor: f' has an interior zero, so an absolute error of 2^-24*|dy|
	// is allowed in the backward pass as well (SPEC section 4).
	ZeroFloor bool
	// BitExact: the fallback and every assembly tier must agree bit for bit.
	BitExact bool
	// Special lists forward values that must come out exactly.
	Special []Case
	// TestParams are further parameter sets, beyond the defaults and a
	// variation of them, that the tests hold to the same budgets (extreme
	// values a formula must survive).
	TestParams [][]float32
	// Edges are points where the formula changes branch; tests probe each one
	// and its float32 neighbours. Parameters are at their defaults.
	Edges []float32
	// SubnormalAs maps a pass ("fwd", or "bwd" where it reads x) to a
	// magnitude, 0 or a normal number, whose result with x's sign is, bit for
	// bit, the pass's result for every subnormal x (TestSubnormalAs holds
	// them to it). On CPUs that compute with subnormal numbers through
	// microcode assists, the assembly gives such an x to the pass as that
	// number. The values the generator supports are 0 and 2^-100.
	SubnormalAs map[string]float32
	// SubnormalTimes maps a forward pass whose result for a subnormal x is
	// the product c x rounded once (Times) to that product, or a backward
	// pass that reads y whose result for a subnormal y is dy y rounded once
	// (Times.Dy) (TestSubnormalAs holds them to it). On CPUs that compute
	// with subnormal numbers through microcode assists, the assembly forms
	// it from x's (or y's) bits, with integer instructions and normal
	// operands, in those lanes.
	SubnormalTimes map[string]Times
}

// Times is the product c x rounded once, with c = Pos for x > 0 and, for
// x < 0, Neg or the parameter NegParam names; or, with Dy, c = dy lane by
// lane, for a backward pass that reads y (x is then y).
type Times struct {
	Pos, Neg float32
	NegParam string
	Dy       bool
}

// Coefs returns the pass's c for x > 0 and x < 0 at the parameters p.
func (t Times) Coefs(e *Entry, p []float32) (pos, neg float32) {
	if t.NegParam == "" {
		return t.Pos, t.Neg
	}
	return t.Pos, p[e.ParamIndex(t.NegParam)]
}

// ParamIndex is the index of e's parameter called name; it panics if there
// is none.
func (e *Entry) ParamIndex(name string) int {
	for i, p := range e.Params {
		if p.Name == name {
			return i
		}
	}
	panic("kernels: " + e.Name + " has no parameter " + name)
}

// Kernel names the generated kernels of an entry.
func (e *Entry) Kernel(dir string) string { return e.Name + "_" + dir }

// Symbol is the Go name of a generated kernel: relu6_fwd is Relu6Fwd (the
// assembly adds the tier: Relu6FwdAVX512).
func Symbol(kernel string) string {
	var b strings.Builder
	for _, part := range strings.Split(kernel, "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// All is the catalogue, in documentation order.
var All []*Entry

// ByName finds an entry by name or alias.
func ByName(name string) (*Entry, bool) {
	for _, e := range All {
		if e.Name == name {
			return e, true
		}
		for _, a := range e.Aliases {
			if a == name {
				return e, true
			}
		}
	}
	return nil, false
}

// Defaults returns the entry's default parameters as float32.
func (e *Entry) Defaults() []float32 {
	p := make([]float32, len(e.Params))
	for i, q := range e.Params {
		p[i] = q.Default
	}
	return p
}

func register(e *Entry) *Entry {
	All = append(All, e)
	return e
}

var (
	inf = math.Inf(1)
	nan = math.NaN()
)

// step is 1 where cond holds, 0 elsewhere, NaN at a NaN x.
func step(x float64, cond bool) float64 {
	switch {
	case math.IsNaN(x):
		return nan
	case cond:
		return 1
	}
	return 0
}
