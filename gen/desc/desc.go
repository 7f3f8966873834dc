// Package desc holds the math of every act kernel, written once against the
// ir.Builder. Each catalogue entry (package kernels) of Elementwise shape has a
// forward kernel "<name>_fwd" (dst = f(a), parameters p[0..]) and a backward
// kernel "<name>_bwd" (dst = dy * f'(in) with dy in stream A and in, x or y
// as the catalogue says, in stream B). Channelwise entries add what their
// shape needs; see prelu.
//
// Conventions every description follows:
//   - NaN in gives NaN out: comparisons are ordered, so a description puts
//     the input on the side of Min/Max/Select that a NaN falls through to.
//   - A backward pass multiplies dy by f'(in) (never selects dy), so that a
//     NaN or infinite dy behaves as the float64 reference dy*f'(in) does, and
//     f'(in) is NaN at a NaN input (KeepNaN).
package desc

import (
	"fmt"
	"sort"

	"github.com/simdact/act/gen/ir"
)

// Desc is the description of one kernel.
type Desc func(b *ir.Builder)

// Family is a group of kernels generated into one set of files.
type Family struct {
	Name    string
	Kernels map[string]Desc
}

// Families lists every family, in generation order.
var Families []*Family

func family(name string, k map[string]Desc) *Family {
	f := &Family{Name: name, Kernels: k}
	Families = append(Families, f)
	return f
}

// Names returns the family's kernel names, sorted.
func (f *Family) Names() []string {
	var names []string
	for n := range f.Kernels {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Build records every kernel of the family.
func (f *Family) Build() []*ir.Kernel {
	var out []*ir.Kernel
	for _, n := range f.Names() {
		out = append(out, ir.Build(n, f.Kernels[n]))
	}
	return out
}

// Lookup finds a kernel's description in any family.
func Lookup(name string) (Desc, *Family, error) {
	for _, f := range Families {
		if d, ok := f.Kernels[name]; ok {
			return d, f, nil
		}
	}
	return nil, nil, fmt.Errorf("desc: no kernel %q", name)
}

// grad ends a backward kernel: dst = dy * g, with g NaN where x is NaN.
func grad(b *ir.Builder, dy, x, g *ir.Value) {
	b.Store(b.Mul(dy, b.KeepNaN(x, g)))
}

// stepGrad ends a backward kernel whose derivative is 1 where m holds and 0
// elsewhere: dst = dy * (m ? 1 : 0), NaN at a NaN x.
func stepGrad(b *ir.Builder, dy, x, m *ir.Value) {
	grad(b, dy, x, b.Select(m, b.One(), b.Zero()))
}
