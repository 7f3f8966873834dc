// Package neon lowers ir kernels to arm64 Go assembly (NEON, four float32
// lanes per vector), as plain text, in the style of zeebo/blake3's arm64
// emitter.
//
// # Why WORD
//
// Go's arm64 assembler knows the loads and stores, moves, broadcasts, the
// bitwise ops (VAND, VORR, VEOR, VBSL, VBIT, VBIF) and VFMLA, but no other
// vector floating-point instruction: no FADD, FMUL, FDIV, FSQRT, FABS, FNEG,
// no FCMxx compare and no NOT (and VADD is the INTEGER add). Those are encoded
// here by hand, bit field by bit field, and written as
//
//	WORD $0x4e22d420 // fadd v0.4s, v1.4s, v2.4s
//
// with the GNU disassembly as the comment; the test decodes every WORD with
// golang.org/x/arch/arm64/arm64asm and checks it reads back as its comment.
// Everything Go can spell is written natively.
//
// # Calling convention
//
// Every kernel is
//
//	func name(n int, dst, a, b, c *float32, p *[4]float32) // $0-48
//
// R0 counts the elements left, R1..R4 walk dst, a, b, c (only the streams the
// kernel reads are loaded), R5 holds p while the parameters are loaded and R6
// is a temporary for constants. Nothing outside [0, n) of any stream is read
// or written, and n <= 0 does nothing.
//
// # Loop structure
//
// Invariants (constants and parameters) are put in registers once, before
// any loop. Then:
//
//   - a main loop does u vectors (4u floats) per iteration, u = 4 if the
//     registers allow, else 2; the u copies of the body are interleaved value
//     by value so that independent chains overlap;
//   - a one-vector loop does 4 floats per iteration;
//   - a tail does one float per iteration: FMOVS loads lane 0 and zeroes the
//     others, the same vector body runs, and FMOVS stores lane 0 only.
//
// Loads and stores use FMOVQ (16 bytes) at offsets from the stream pointers,
// which advance once per iteration. Loads of Dst (accumulating kernels) read
// before any store of the same iteration, since the store is the last value.
//
// # Register allocation
//
// V29, V30 and V31 are scratch registers for the few lowerings that need temporaries.
// Invariants take registers first and keep them. Each copy of the body then
// allocates from the rest, in program order: a value's register is freed
// after its last reader (Value.Uses counts readers) and the result of an
// instruction may take the register one of its dying operands just freed.
// Every lowering below is therefore written to be correct whatever its
// destination aliases. FMA and Select prefer the register of the operand
// their instruction overwrites (the addend, the mask); failing that, FMA
// avoids its multiplicands' registers, which would need a detour through the
// scratch register. If four interleaved
// copies do not fit, two are tried, then one.
//
// # Min, Max and compares
//
// NEON FMIN/FMAX propagate NaN and order -0 < +0, and FMINNM/FMAXNM drop NaN;
// neither is x86 MINPS/MAXPS, which is what ir specifies. So
//
//	Max(a, b) = a > b ? a : b   is  FCMGT m, a, b; then select a where m, else b
//	Min(a, b) = a < b ? a : b   is  FCMGT m, b, a; then select a where m, else b
//
// where the select is BSL, BIT or BIF depending on which register holds the
// result. An unordered comparison is false, so b comes back, as on x86; for
// -0 and +0 (equal) b comes back too. Compares give all-ones or all-zeros
// lanes: LT and LE swap the operands of FCMGT and FCMGE, NE is NOT FCMEQ and
// Unord is NOT (FCMEQ a, a AND FCMEQ b, b). FMA is FMLA (one rounding), Abs and
// Neg are FABS and FNEG (sign bit only).
package neon

import (
	"fmt"
	"math"
	"strings"

	"github.com/simdact/act/gen/ir"
)

// scratch and scratch2 are never allocated: lowerings use them as temporaries.
const (
	scratch  V = 31
	scratch2 V = 30
	scratch3 V = 29
)

// biasKey stands, in the invariants, for the int32 exponent bias 127 that
// Scale needs.
var biasKey = &ir.Value{}

// File assembles a complete .s file: header (the generated-code and build
// constraint lines), textflag.h, then the functions from Function.
func File(header string, fns []string) []byte {
	var b strings.Builder
	b.WriteString(strings.TrimRight(header, "\n"))
	b.WriteString("\n\n#include \"textflag.h\"\n")
	for _, f := range fns {
		b.WriteString("\n")
		b.WriteString(f)
	}
	return []byte(b.String())
}

// stream registers: R1..R4 walk dst, a, b, c.
var streamReg = [ir.NumStreams]string{ir.Dst: "R1", ir.A: "R2", ir.B: "R3", ir.C: "R4"}

// Function returns the TEXT block of kernel k as symbol. It panics if a
// single copy of the body needs more registers than there are.
func Function(k *ir.Kernel, symbol string) string {
	e := &emitter{}
	e.raw("// func %s(n int, dst, a, b, c *float32, p *[4]float32)", symbol)
	e.raw("// kernel %s", k.Name)
	e.raw("TEXT ·%s(SB), NOSPLIT, $0-48", symbol)
	e.f("MOVD n+0(FP), R0")
	e.f("MOVD dst+8(FP), R1")
	for s := ir.A; s < ir.NumStreams; s++ {
		if k.Reads[s] {
			e.f("MOVD %s+%d(FP), %s", s, 8+8*int(s), streamReg[s])
		}
	}

	// Invariants: the lowest registers, kept to the end.
	var pool regs
	pool.free = 1<<scratch3 - 1
	inv := map[*ir.Value]V{}
	if k.Params > 0 {
		e.f("MOVD p+40(FP), R5")
	}
	for _, v := range k.Body() {
		if v.Op == ir.OpScale {
			r, _ := pool.alloc(nil, 0)
			inv[biasKey] = r
			e.f("// exponent bias 127")
			e.f("MOVW $127, R6")
			e.ins(vdupR(r, "R6"))
			break
		}
	}
	// Hoist the invariants if a copy of the body still fits beside them;
	// otherwise each use materialises its own (MOVW+VDUP, or a load).
	hoisted, hpool := map[*ir.Value]V{}, pool
	for _, v := range k.Invariants() {
		if v.Uses == 0 {
			continue
		}
		r, ok := hpool.alloc(nil, 0)
		if !ok {
			hoisted = nil
			break
		}
		hoisted[v] = r
	}
	if hoisted != nil {
		for key, r := range inv { // the bias
			hoisted[key] = r
		}
		if _, ok := body(k, hoisted, hpool, 1, 16); ok {
			pool = hpool
			for _, v := range k.Invariants() {
				if r, ok := hoisted[v]; ok {
					inv[v] = r
					e.f("// %s", v)
					e.ins(materialize(v, r)...)
				}
			}
		}
	}

	// The widest main loop whose copies fit in the registers left.
	u := 4
	var wide []string
	for ; u > 1; u /= 2 {
		if lines, ok := body(k, inv, pool, u, 16); ok {
			wide = lines
			break
		}
	}
	one, ok := body(k, inv, pool, 1, 16)
	if !ok {
		panic("neon: kernel " + k.Name + " needs more than the 29 allocatable vector registers")
	}
	tail, _ := body(k, inv, pool, 1, 4)

	if u > 1 {
		e.loop(k, fmt.Sprintf("loop%d", 4*u), 4*u, "loop4check", wide)
	}
	e.label("loop4check")
	e.loop(k, "loop4", 4, "loop1check", one)
	e.label("loop1check")
	e.loop(k, "loop1", 1, "done", tail)
	e.label("done")
	e.f("RET")
	return e.String()
}

// loop emits a loop doing width elements per iteration while R0 >= width,
// then falls through (or branches to exit when it would not run at all).
func (e *emitter) loop(k *ir.Kernel, name string, width int, exit string, body []string) {
	e.f("CMP $%d, R0", width)
	e.f("BLT %s", exit)
	e.label(name)
	e.ins(body...)
	for s := ir.Dst; s < ir.NumStreams; s++ {
		if s == ir.Dst || k.Reads[s] {
			e.f("ADD $%d, %s", 4*width, streamReg[s])
		}
	}
	e.f("SUB $%d, R0", width)
	e.f("CMP $%d, R0", width)
	e.f("BGE %s", name)
}

// regs is a set of free vector registers.
type regs struct{ free uint32 }

// alloc takes the first of prefer that is free, else the lowest free register
// outside the set avoid, else the lowest free register.
func (p *regs) alloc(prefer []V, avoid uint32) (V, bool) {
	for _, r := range prefer {
		if p.free&(1<<r) != 0 {
			p.free &^= 1 << r
			return r, true
		}
	}
	for _, set := range []uint32{p.free &^ avoid, p.free} {
		for r := V(0); r < 32; r++ {
			if set&(1<<r) != 0 {
				p.free &^= 1 << r
				return r, true
			}
		}
	}
	return 0, false
}

func (p *regs) release(r V) { p.free |= 1 << r }

// copyState is the allocation of one copy of the body.
type copyState struct {
	reg  map[*ir.Value]V
	left map[*ir.Value]int // readers still to come
}

// body lowers u interleaved copies of the kernel body, copy i working on
// bytes [16i, 16i+16) of each stream when size is 16, or lane 0 only (at
// offset 0) when size is 4. It reports false if the registers run out.
func body(k *ir.Kernel, inv map[*ir.Value]V, pool regs, u, size int) ([]string, bool) {
	var out []string
	cs := make([]copyState, u)
	for i := range cs {
		cs[i] = copyState{reg: map[*ir.Value]V{}, left: map[*ir.Value]int{}}
	}
	for _, v := range k.Body() {
		out = append(out, "// "+v.String())
		for i := range cs {
			c := &cs[i]
			args := make([]V, len(v.Args))
			var temps []V
			for j, a := range v.Args {
				if r, ok := inv[a]; ok {
					args[j] = r
					continue
				}
				if a.IsInvariant() { // not hoisted: materialise for this use
					r, ok := pool.alloc(nil, 0)
					if !ok {
						return nil, false
					}
					out = append(out, materialize(a, r)...)
					args[j], temps = r, append(temps, r)
					continue
				}
				args[j] = c.reg[a]
				if c.left[a]--; c.left[a] == 0 {
					// Freed after all operands are in place: a
					// materialised invariant must not take it first.
					temps = append(temps, args[j])
				}
			}
			for _, r := range temps {
				pool.release(r)
			}
			if v.Op == ir.OpStore {
				out = append(out, store(args[0], i*size, size))
				continue
			}
			var prefer []V
			var avoid uint32
			switch v.Op {
			case ir.OpFMA: // FMLA accumulates into d: best the addend's
				prefer, avoid = args[2:], 1<<args[0]|1<<args[1]
			case ir.OpSelect: // BSL overwrites the mask
				prefer = args[:1]
			}
			d, ok := pool.alloc(prefer, avoid)
			if !ok {
				return nil, false
			}
			c.reg[v], c.left[v] = d, v.Uses
			if v.Uses == 0 {
				pool.release(d)
			}
			if v.Op == ir.OpLoad {
				out = append(out, load(d, v.Stream, i*size, size))
				continue
			}
			if v.Op == ir.OpScale {
				args = append(args, inv[biasKey])
			}
			out = append(out, lower(v, d, args)...)
		}
	}
	return out, true
}

// materialize puts the invariant v (a constant, or parameter p[i] from R5)
// in every lane of r.
func materialize(v *ir.Value, r V) []string {
	switch bits := math.Float32bits(v.F); {
	case v.Op == ir.OpParam:
		return []string{lds(r, 4*v.Index, "R5"), vdup0(r)}
	case bits == 0:
		return []string{vzero(r)}
	default:
		return []string{fmt.Sprintf("MOVW $0x%08x, R6", bits), vdupR(r, "R6")}
	}
}

func load(d V, s ir.Stream, off, size int) string {
	if size == 4 {
		return lds(d, off, streamReg[s])
	}
	return ldq(d, off, streamReg[s])
}

func store(r V, off, size int) string {
	if size == 4 {
		return sts(r, off, streamReg[ir.Dst])
	}
	return stq(r, off, streamReg[ir.Dst])
}

// scale is d = x * 2^n for an integral n, rounded once: x * 2^n1 * 2^n2
// with n1 = n on [-126, 127], 127 above and -100 below, n2 = n - n1, both
// powers built in the exponent field: the same steps, and so the same bits,
// as the AVX2 lowering and VSCALEFPS (see there). x and n are read before d
// is written.
func scale(d, x, n, bias V) []string {
	s1, s2, s3 := scratch, scratch2, scratch3
	return []string{
		fmt.Sprintf("MOVW $0x%08x, R6", math.Float32bits(127)), vdupR(s3, "R6"),
		fmin(s3, n, s3), // min(n, 127): n is an integer, never NaN here
		fmt.Sprintf("MOVW $0x%08x, R6", math.Float32bits(-126)), vdupR(s1, "R6"),
		fcmgt(s1, s1, n), // -126 > n
		fmt.Sprintf("MOVW $0x%08x, R6", math.Float32bits(-100)), vdupR(s2, "R6"),
		vbsl(s1, s2, s3), // n1
		fsub(s2, n, s1),  // n2
		fcvtzs(s1, s1), add(s1, s1, bias), shl(s1, s1, 23),
		fcvtzs(s2, s2), add(s2, s2, bias), shl(s2, s2, 23),
		fmul(d, x, s1),
		fmul(d, d, s2),
	}
}

// lower returns the instructions computing v into d from its operands'
// registers a. d may be the register of any operand.
func lower(v *ir.Value, d V, a []V) []string {
	switch v.Op {
	case ir.OpAdd:
		return []string{fadd(d, a[0], a[1])}
	case ir.OpSub:
		return []string{fsub(d, a[0], a[1])}
	case ir.OpMul:
		return []string{fmul(d, a[0], a[1])}
	case ir.OpDiv:
		return []string{fdiv(d, a[0], a[1])}
	case ir.OpAbs:
		return []string{fabs(d, a[0])}
	case ir.OpNeg:
		return []string{fneg(d, a[0])}
	case ir.OpNegAbs:
		return []string{fabs(d, a[0]), fneg(d, d)}
	case ir.OpXorSign: // the sign bit of s, kept by two shifts, into x
		return []string{ushr(scratch, a[1], 31), shl(scratch, scratch, 31), veor(d, a[0], scratch)}
	case ir.OpSqrt:
		return []string{fsqrt(d, a[0])}
	case ir.OpRound:
		return []string{frintn(d, a[0])}
	case ir.OpScale:
		if n := v.Args[1]; n.Lo >= -125 && n.Hi <= 127 { // known in range: one step
			if x := v.Args[0]; x.Op == ir.OpConst && x.F == 1 { // 2^n itself
				return []string{fcvtzs(scratch, a[1]), add(scratch, scratch, a[2]), shl(d, scratch, 23)}
			}
			return []string{fcvtzs(scratch, a[1]), add(scratch, scratch, a[2]), shl(scratch, scratch, 23), fmul(d, a[0], scratch)}
		}
		return scale(d, a[0], a[1], a[2])
	case ir.OpAnd:
		return []string{vand(d, a[0], a[1])}
	case ir.OpOr:
		return []string{vorr(d, a[0], a[1])}
	case ir.OpFMA:
		switch x, y, z := a[0], a[1], a[2]; {
		case d == z:
			return []string{vfmla(d, x, y)}
		case d != x && d != y:
			return []string{vmov(d, z), vfmla(d, x, y)}
		default:
			return []string{vmov(scratch, z), vfmla(scratch, x, y), vmov(d, scratch)}
		}
	case ir.OpMax:
		return minmax(d, a[0], a[1], a[0], a[1])
	case ir.OpMin:
		return minmax(d, a[0], a[1], a[1], a[0])
	case ir.OpSelect:
		return sel(d, a[0], a[1], a[2])
	case ir.OpCmp:
		return cmp(v.Pred, d, a[0], a[1])
	}
	panic("neon: cannot lower " + v.String())
}

// minmax is d = gt > lt ? x : y, with (gt, lt) = (x, y) for Max and (y, x)
// for Min: unordered or equal operands give y, as x86 MAXPS/MINPS do.
func minmax(d, x, y, gt, lt V) []string {
	if d != x && d != y {
		return []string{fcmgt(d, gt, lt), vbsl(d, x, y)}
	}
	return append([]string{fcmgt(scratch, gt, lt)}, sel(d, scratch, x, y)...)
}

// sel is d = m ? x : y, bit by bit, for d aliasing any of m, x, y.
func sel(d, m, x, y V) []string {
	switch d {
	case m:
		return []string{vbsl(d, x, y)}
	case y:
		return []string{vbit(d, x, m)}
	case x:
		return []string{vbif(d, y, m)}
	}
	return []string{vmov(d, m), vbsl(d, x, y)}
}

// cmp is the mask d = x p y.
func cmp(p ir.Pred, d, x, y V) []string {
	switch p {
	case ir.LT:
		return []string{fcmgt(d, y, x)}
	case ir.LE:
		return []string{fcmge(d, y, x)}
	case ir.GT:
		return []string{fcmgt(d, x, y)}
	case ir.GE:
		return []string{fcmge(d, x, y)}
	case ir.EQ:
		return []string{fcmeq(d, x, y)}
	case ir.NE:
		return []string{fcmeq(d, x, y), not(d, d)}
	case ir.Unord:
		if x == y {
			return []string{fcmeq(d, x, x), not(d, d)}
		}
		return []string{fcmeq(scratch, x, x), fcmeq(d, y, y), vand(d, d, scratch), not(d, d)}
	}
	panic(fmt.Sprintf("neon: unknown predicate %d", p))
}

// emitter collects the lines of one function.
type emitter struct{ b strings.Builder }

// f writes an indented instruction or comment.
func (e *emitter) f(format string, args ...any) { e.raw("\t"+format, args...) }

// ins writes instructions (or comments), one a line, indented.
func (e *emitter) ins(lines ...string) {
	for _, l := range lines {
		e.raw("\t%s", l)
	}
}

func (e *emitter) raw(format string, args ...any) {
	fmt.Fprintf(&e.b, format, args...)
	e.b.WriteByte('\n')
}

func (e *emitter) label(name string) { e.raw("%s:", name) }

func (e *emitter) String() string { return e.b.String() }
