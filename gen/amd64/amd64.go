// Package amd64 lowers ir kernels to AVX-512 and AVX2 assembly through Avo.
//
// One lowering serves both tiers: the vector width, the register kind and the
// way the tail is masked are fields of Target, not copies of the code.
//
// Every kernel has the loop structure
//
//	hoisted invariants (constants, parameters)
//	loop:  U vectors per iteration while U*W lanes remain (U at most 8, as
//	       many as the registers hold)
//	loop1: one vector while W lanes remain
//	tail:  one masked vector for the last 1..W-1 lanes
//
// The tail never touches memory past the end of a slice: AVX-512 uses an
// opmask (masked-off lanes neither load nor fault nor store), AVX2 uses
// VMASKMOVPS with a lane mask read from a table. Lanes beyond the end compute
// on zeros and are discarded.
//
// A kernel that does not read dst (see Streams) has a second variant,
// for slices larger than the caches: the same loops, whose whole vectors go
// to memory with non-temporal stores (VMOVNTPS), after a head of one masked
// vector that brings dst to a vector boundary, and an SFENCE before it
// returns.
package amd64

import (
	"fmt"
	"math"
	"regexp"
	"slices"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	avoir "github.com/mmcloughlin/avo/ir"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/pass"
	"github.com/mmcloughlin/avo/printer"
	"github.com/mmcloughlin/avo/reg"

	"github.com/simdact/act/gen/ir"
)

// Target is one x86 tier.
type Target struct {
	Name   string // tier name: "avx512", "avx2"
	Suffix string // appended to kernel symbols: "AVX512", "AVX2"
	Width  int    // float32 lanes per vector
	Regs   int    // vector registers
	KRegs  int    // opmask registers usable for masks (0: masks live in vector registers)
}

var (
	AVX512 = Target{Name: "avx512", Suffix: "AVX512", Width: 16, Regs: 32, KRegs: 7}
	AVX2   = Target{Name: "avx2", Suffix: "AVX2", Width: 8, Regs: 16}
)

func (t Target) is512() bool { return t.Width == 16 }

// Signature is the Go signature every kernel shares.
const Signature = "func(n int, dst, a, b, c *float32, p *[4]float32)"

// File collects the kernels of one tier into one Avo context.
type File struct {
	T        Target
	Ctx      *build.Context
	tailMask operand.Mem
	hasMask  bool
	lanes    map[string]operand.Mem // laneTable's tables, by name
	prefix   string
	consts   map[string]operand.Mem // the kernels' constant tables, by name
}

// NewFile starts a file; prefix names its data symbols uniquely in the package.
func NewFile(t Target, prefix string) *File {
	ctx := build.NewContext()
	ctx.ConstraintExpr("amd64,gc,!purego")
	return &File{T: t, Ctx: ctx, prefix: prefix}
}

// tailTable returns the table tail masks are read from, creating it once.
// AVX2: sixteen dwords, eight all-ones then eight zero; the mask for r lanes
// starts r dwords before the middle. AVX-512: sixteen words (1<<r)-1.
func (f *File) tailTable() operand.Mem {
	if f.hasMask {
		return f.tailMask
	}
	c := f.Ctx
	f.tailMask = c.StaticGlobal(f.prefix + "_" + f.T.Name + "_tail")
	c.DataAttributes(attr.RODATA | attr.NOPTR)
	if f.T.is512() {
		for r := 0; r < 16; r++ {
			c.AppendDatum(operand.U16(uint16(1<<r - 1)))
		}
	} else {
		for i := 0; i < 16; i++ {
			v := uint32(0)
			if i < 8 {
				v = 0xffffffff
			}
			c.AppendDatum(operand.U32(v))
		}
	}
	f.hasMask = true
	return f.tailMask
}

// StreamSuffix names a kernel's variant with non-temporal stores.
const StreamSuffix = "Stream"

// Streams reports whether k has a variant with non-temporal stores: k does
// not read dst. At sizes beyond the caches a store that misses first reads
// its line (a third stream of memory traffic), which a non-temporal store
// skips. Side by side at 16M elements on an AMD EPYC (Zen 5), non-temporal
// stores took 17-38% off the short backward passes (relu, leaky_relu,
// hard_swish, exp, sigmoid, tanh) and about a quarter off the exp family's
// forward passes, once those stopped prefetching dst (see prefetch).
func Streams(k *ir.Kernel) bool {
	return !k.Reads[ir.Dst]
}

// Kernel emits one kernel as TEXT ·name+T.Suffix, and, where Streams(k),
// its variant with non-temporal stores as TEXT ·name+StreamSuffix+T.Suffix
// (see emit). One loop iteration handles U vectors, interleaved op by op;
// U is the largest of 8 .. 1 for which Avo's register allocator fits the
// body in the tier's registers: first with every constant in a register,
// then with the constants in memory (a table of whole vectors), read where
// an instruction takes a memory operand (an L1 load folded into the
// instruction) and loaded into a register elsewhere. Each variant makes its
// own choice (the stream variant's head needs a mask register more).
func (f *File) Kernel(k *ir.Kernel, name string) {
	u := f.variant(k, name+f.T.Suffix, false, 8)
	if Streams(k) {
		// The stream variant's loops hold the same registers and its head
		// more, so its search starts at the ordinary variant's choice.
		f.variant(k, name+StreamSuffix+f.T.Suffix, true, u)
	}
}

// variant emits k with the most vectors an iteration, up to most, that fit
// (see Kernel), and returns that number.
func (f *File) variant(k *ir.Kernel, symbol string, stream bool, most int) int {
	for u := most; u >= 1; u-- {
		for _, p := range []placement{inRegisters, inMemory} {
			if !f.fits(k, symbol, u, p, stream) {
				continue
			}
			// With the constants in memory, the sign masks go there too
			// where that fits more vectors an iteration (log_sigmoid's and
			// softplus' forward passes on AVX2, 3 where 2 fit: 8% faster).
			// Not otherwise: a kernel of one vector an iteration waits on
			// the load (squareplus forward on AVX2, 18% slower), and one
			// vector more with the constants in memory instead of
			// registers is slower for a short kernel (hard_shrink forward
			// on AVX2, 25-45%).
			for p == inMemory && u < most && f.fits(k, symbol, u+1, masksInMemory, stream) {
				u, p = u+1, masksInMemory
			}
			f.lower(k, u, p, stream).emit(symbol)
			return u
		}
	}
	panic(fmt.Sprintf("amd64: %s does not fit in the %s registers", k.Name, f.T.Name))
}

// placement is where a kernel's constants live.
type placement int

const (
	inRegisters   placement = iota // every constant and sign mask in a register
	inMemory                       // the constants in a table, the sign masks in registers
	masksInMemory                  // the constants and the sign masks in the table
)

// lower is the lowering of k into f with u vectors an iteration.
func (f *File) lower(k *ir.Kernel, u int, p placement, stream bool) *lowering {
	return &lowering{f: f, c: f.Ctx, t: f.T, k: k, u: u, memConsts: p != inRegisters, memMasks: p == masksInMemory, stream: stream}
}

// Compile runs Avo's compile passes on file, then drops the vector moves of
// a register to itself that they leave: an FMA that copies a constant's
// shared register into a fresh one, at the constant's last read, may be
// given that same register. (Avo prunes only the general-purpose ones.) A
// VEX move of a YMM register clears the upper half of its ZMM register, so
// on AVX-512 only ZMM self-moves go.
func (t Target) Compile(file *avoir.File) error {
	if err := pass.Compile.Execute(file); err != nil {
		return err
	}
	for _, fn := range file.Functions() {
		fn.Nodes = slices.DeleteFunc(fn.Nodes, func(n avoir.Node) bool {
			i, ok := n.(*avoir.Instruction)
			if !ok || i.Opcode != "VMOVAPS" && i.Opcode != "VMOVUPS" || len(i.Operands) != 2 ||
				!operand.IsRegister(i.Operands[0]) || i.Operands[0] != i.Operands[1] {
				return false
			}
			name := i.Operands[0].Asm()
			return name[0] == 'Z' || name[0] == 'Y' && !t.is512()
		})
	}
	return nil
}

// highVec matches the vector registers that only EVEX (AVX-512) encodes.
var highVec = regexp.MustCompile(`\b[XYZ](1[6-9]|2[0-9]|3[01])\b`)

// fits lowers k (its stream variant if stream) with u vectors an iteration,
// its constants placed as p, into a scratch file and reports whether the
// registers were enough. Avo's allocator hands out X16-X31 and Y16-Y31
// (AVX-512VL) as freely as the low sixteen, so for a VEX tier a body that
// needs them does not fit.
func (f *File) fits(k *ir.Kernel, symbol string, u int, p placement, stream bool) bool {
	scratch := NewFile(f.T, f.prefix)
	scratch.lower(k, u, p, stream).emit(symbol)
	file, err := scratch.Ctx.Result()
	if err != nil || f.T.Compile(file) != nil {
		return false
	}
	if f.T.Regs > 16 {
		return true
	}
	src, err := printer.NewGoAsm(printer.Config{Pkg: "asm"}).Print(file)
	return err == nil && !highVec.Match(src)
}

type lowering struct {
	f *File
	c *build.Context
	t Target
	k *ir.Kernel
	u int // vectors per iteration of the main loop
	// memConsts: the constants live in memory (consts, at constOff; see
	// constLanes) instead of registers.
	memConsts bool
	// memMasks: the sign masks live in that table too (memConsts is set).
	memMasks bool
	// stream: the variant for slices larger than the caches, whose whole
	// vectors go to memory with non-temporal stores (see emit).
	stream    bool
	consts    operand.Mem
	constOff  map[*ir.Value]int
	pp        reg.GPVirtual
	ptr       [ir.NumStreams]reg.GPVirtual
	idx       reg.GPVirtual
	n         reg.GPVirtual
	inv       map[*ir.Value]reg.Register
	negFolded map[*ir.Value]bool // negations folded into FMAs
	// elided: the range-only clamps (ir.Builder.RangeOnly) that AVX-512
	// does not compute: their readers read the clamped operand instead.
	elided map[*ir.Value]bool
	// ranges: the values that AVX-512 computes as one VRANGEPS (CapMag's
	// sign flip, ClampMag's minimum); fused: the operations each takes in
	// (CapMag's minimum, ClampMag's maximum), which their own place skips.
	ranges map[*ir.Value]vrange
	fused  map[*ir.Value]bool
	// remat: the minimums that take |x| afresh from x (AVX2's CapMag).
	remat   map[*ir.Value]*ir.Value
	read    map[*ir.Value]bool      // the invariants some computed value reads
	lastUse map[*ir.Value]*ir.Value // the last value reading each value
	abs     operand.Op              // sign-clear mask, when Abs is used: a register, or in the table with the constants
	sign    operand.Op              // sign mask, when Neg is used: likewise
	labels  int                     // labels made so far (scale's branches)
	// tableMasks: the sign masks placed in the table after the constants.
	tableMasks int
	// outOfLine emits the code that follows the function's RET: the
	// slow paths of AVX2's scale, which jump back.
	outOfLine []func()
	// merges: the selects that AVX-512 computes as one arm's operation
	// under the select's mask, merged into the other arm's register (see
	// findMerges); merged: the arms so computed, which their own place skips.
	merges map[*ir.Value]*ir.Value
	merged map[*ir.Value]bool
	// inverted: the comparisons computed as their complement, for a
	// select that merges its false arm.
	inverted map[*ir.Value]bool
	// mergeMask and mergeDst, while a merged arm is emitted: the mask its
	// instruction takes, and the value whose register it writes.
	mergeMask reg.Register
	mergeDst  *ir.Value
	// found: in a kernel with SubnormalTimes, the register that
	// subnormalAs sets where the body's x has a subnormal lane.
	found reg.GPVirtual
	// flag: what the code being emitted knows of asm.SubnormalAssists
	// (see emit).
	flag assistsFlag
}

// assistsFlag is what a copy of the body knows of asm.SubnormalAssists:
// flagTested, nothing (it tests the flag where it has checks that the flag
// turns on); flagClear, that it is clear (no checks); flagSet, that it is
// set (the checks, and no test).
type assistsFlag int

const (
	flagTested assistsFlag = iota
	flagClear
	flagSet
)

// testsFlag reports whether the kernel's body has checks that
// asm.SubnormalAssists turns on: of its subnormal inputs (SubnormalAs,
// SubnormalTimes), or of scales whose results may be subnormal on AVX-512
// (scaleCheck).
func (g *lowering) testsFlag() bool {
	if g.k.HasSubnormalAs || g.k.SubnormalTimes {
		return true
	}
	return slices.ContainsFunc(g.k.Body(), g.scaleChecked)
}

// scaleChecked reports whether v is a scale whose results may be subnormal
// on AVX-512, which scaleCheck checks where the flag is set.
func (g *lowering) scaleChecked(v *ir.Value) bool {
	return v.Op == ir.OpScale && g.t.is512() && g.resolve(v.Args[1]).Lo < -125
}

func (g *lowering) vec() reg.VecVirtual {
	if g.t.is512() {
		return g.c.ZMM()
	}
	return g.c.YMM()
}

func (g *lowering) maskReg() reg.Register {
	if g.t.KRegs > 0 {
		return g.c.K()
	}
	return g.c.YMM()
}

func (g *lowering) emit(symbol string) {
	c, t, k := g.c, g.t, g.k
	c.Function(symbol)
	c.Pragma("noescape")
	c.Attributes(attr.NOSPLIT)
	c.SignatureExpr(Signature)
	where := "registers"
	if g.memConsts {
		where = "memory"
	}
	doc := []string{fmt.Sprintf("%s is the %s kernel %s: %d lanes a vector, %d vectors an iteration, constants in %s.",
		symbol, t.Name, k.Name, t.Width, g.u, where)}
	if g.stream {
		doc = append(doc, fmt.Sprintf("Whole vectors go to memory with non-temporal stores from dst's first %d-byte", 4*t.Width),
			"boundary on; the lanes before it and the tail are stored through a mask.")
	}
	c.Doc(doc...)
	for _, v := range k.Values {
		c.Comment(v.String())
	}

	g.n = c.GP64()
	c.Load(c.Param("n"), g.n)
	for s := ir.Dst; s < ir.NumStreams; s++ {
		if s == ir.Dst || k.Reads[s] {
			g.ptr[s] = c.GP64()
			c.Load(c.Param(s.String()), g.ptr[s])
		}
	}
	g.analyse()
	g.hoist()

	U, W := g.u, t.Width
	g.idx = c.GP64()
	c.XORQ(g.idx, g.idx)
	loopU, loop1, tail, done := symbol+"_loop", symbol+"_loop1", symbol+"_tail", symbol+"_done"
	if g.stream {
		// A non-temporal store of a whole vector needs its address aligned
		// to the vector: the head, min(n, lanes to dst's next vector
		// boundary), is one masked vector first.
		head, aligned := symbol+"_head", symbol+"_aligned"
		h := c.GP64()
		c.MOVQ(g.ptr[ir.Dst], h)
		c.NEGQ(h)
		c.ANDQ(operand.U32(4*W-1), h)
		c.SHRQ(operand.U8(2), h)
		c.JZ(operand.LabelRef(aligned))
		c.CMPQ(h, g.n)
		c.JLE(operand.LabelRef(head))
		c.MOVQ(g.n, h)
		c.Label(head)
		r := c.GP64() // a copy: laneMask clobbers it on AVX2
		c.MOVQ(h, r)
		g.body(1, g.laneMask(r))
		c.MOVQ(h, g.idx)
		c.Label(aligned)
	}
	end := c.GP64()

	// Each loop runs while idx <= n - its stride (signed: n may be smaller
	// than the stride), with one taken branch an iteration.
	loop := func(name, exit string, stride, u int) {
		c.MOVQ(g.n, end)
		c.SUBQ(operand.U32(stride), end)
		c.CMPQ(g.idx, end)
		c.JG(operand.LabelRef(exit))
		c.Label(name)
		if stride == U*W && len(k.Body()) >= prefetchMinOps {
			g.prefetch(U)
		}
		g.body(u, nil)
		c.ADDQ(operand.U32(stride), g.idx)
		c.CMPQ(g.idx, end)
		c.JLE(operand.LabelRef(name))
	}
	if U > 1 && g.testsFlag() {
		// Two copies of the main loop, with the flag tested once before
		// them: one without the checks that asm.SubnormalAssists turns on
		// (as its tests would skip them), one with them and no tests, out
		// of line (after RET), whence it jumps back. The flag then costs
		// the main loop nothing; loop1 and the tail test it.
		checked := symbol + "_assists"
		c.CMPB(assists, operand.U8(0))
		c.JNE(operand.LabelRef(checked))
		g.flag = flagClear
		loop(loopU, loop1+"_check", U*W, U)
		g.flag = flagTested
		g.outOfLine = append(g.outOfLine, func() {
			c.Label(checked)
			g.flag = flagSet
			loop(loopU+"_assists", loop1+"_check", U*W, U)
			g.flag = flagTested
			c.JMP(operand.LabelRef(loop1 + "_check"))
		})
	} else if U > 1 {
		loop(loopU, loop1+"_check", U*W, U)
	}
	c.Label(loop1 + "_check")
	loop(loop1, tail, W, 1)

	c.Label(tail)
	rem := c.GP64()
	c.MOVQ(g.n, rem)
	c.SUBQ(g.idx, rem)
	c.JZ(operand.LabelRef(done))
	g.body(1, g.laneMask(rem))

	c.Label(done)
	if g.stream {
		// Non-temporal stores are weakly ordered: the fence puts them
		// before whatever the caller stores next (Go's memmove does the same).
		// Built by hand: Avo's constructor would mark the function as
		// requiring MMX+ (see prefetch), where SSE, in every x86-64 CPU,
		// has the instruction.
		c.Instruction(&avoir.Instruction{Opcode: "SFENCE"})
	}
	c.VZEROUPPER()
	c.RET()
	// Out-of-line code may add more (the checked main loop's slow paths).
	for i := 0; i < len(g.outOfLine); i++ {
		g.outOfLine[i]()
	}
}

// laneMask returns the mask of the first r lanes (1 <= r < W; r is
// clobbered on AVX2): an opmask on AVX-512, a vector of all-ones lanes for
// VMASKMOVPS on AVX2, read from the tail table.
func (g *lowering) laneMask(r reg.GPVirtual) reg.Register {
	c := g.c
	table := c.GP64()
	c.LEAQ(g.f.tailTable(), table)
	if g.t.is512() {
		m := c.K()
		c.KMOVW(operand.Mem{Base: table, Index: r, Scale: 2}, m)
		return m
	}
	m := c.YMM()
	c.NEGQ(r)
	c.VMOVDQU(operand.Mem{Base: table, Index: r, Scale: 4, Disp: 32}, m)
	return m
}

// prefetchAhead is how far ahead of the loads the main loop prefetches, in
// bytes: about 30 cache lines, some 100-300 ns of work for the exp family,
// the latency of DRAM. The hardware prefetcher alone falls behind there: a
// long body keeps the reorder window full of arithmetic, so the loads of the
// next iterations issue late and the memory latency adds to the compute
// time instead of hiding under it.
const prefetchAhead = 2048

// prefetchMinOps is the body length from which a kernel prefetches. A short
// body (relu, hard_swish) keeps up with the hardware prefetcher by itself,
// and the extra instructions would only cost it issue slots.
const prefetchMinOps = 16

// prefetch hints the cache lines prefetchAhead bytes past this iteration's
// lanes of every stream, one PREFETCHT0 per line; in a stream variant, of
// every stream but dst. A prefetch of dst there reads each line from memory
// only for the non-temporal store to replace it: with dst prefetched, the
// exp family's forward passes with non-temporal stores ran no faster than
// with ordinary ones at 16M elements, and without it 10-31% faster (exp,
// sigmoid, tanh, elu, silu, gelu_tanh; 6 alternating runs). A prefetch
// never faults and has no architectural effect, so it may point past the
// end of a slice. It is built by hand rather than through Avo's
// constructor, which would mark the function as requiring MMX+ (an AMD flag
// Intel CPUs do not report) where every x86-64 CPU has the instruction.
func (g *lowering) prefetch(u int) {
	bytes := 4 * g.t.Width * u
	for s := ir.Dst; s < ir.NumStreams; s++ {
		if g.ptr[s] == nil || s == ir.Dst && g.stream {
			continue
		}
		for off := 0; off < bytes; off += 64 {
			m := operand.Mem{Base: g.ptr[s], Index: g.idx, Scale: 4, Disp: prefetchAhead + off}
			g.c.Instruction(&avoir.Instruction{Opcode: "PREFETCHT0", Operands: []operand.Op{m}, Inputs: []operand.Op{m}})
		}
	}
}

// hoist materialises constants and parameters (and the sign masks) in registers.
func (g *lowering) hoist() {
	c := g.c
	g.inv = map[*ir.Value]reg.Register{}
	if g.k.Params > 0 {
		g.pp = c.GP64()
		c.Load(c.Param("p"), g.pp)
	}
	made := false
	if g.memConsts {
		// One table a kernel, which its stream variant shares.
		name := fmt.Sprintf("%s_%s_%s_consts", g.f.prefix, g.t.Name, g.k.Name)
		var m operand.Mem
		m, made = g.f.consts[name]
		if !made {
			m = c.StaticGlobal(name)
			c.DataAttributes(attr.RODATA | attr.NOPTR)
			if g.f.consts == nil {
				g.f.consts = map[string]operand.Mem{}
			}
			g.f.consts[name] = m
		}
		g.consts = m
		g.constOff = map[*ir.Value]int{}
		for _, v := range g.k.Invariants() {
			if v.Op == ir.OpConst {
				g.constOff[v] = 4 * g.constLanes() * len(g.constOff)
				for range g.constLanes() {
					if !made {
						c.AppendDatum(operand.U32(math.Float32bits(v.F)))
					}
				}
			}
		}
	}
	for _, v := range g.k.Invariants() {
		if g.memConsts && v.Op == ir.OpConst || !g.read[v] {
			continue
		}
		r := g.vec()
		switch v.Op {
		case ir.OpParam:
			c.VBROADCASTSS(operand.Mem{Base: g.pp, Disp: 4 * v.Index}, r)
		case ir.OpConst:
			g.broadcast(math.Float32bits(v.F), r)
		}
		g.inv[v] = r
	}
	// The sign masks: in registers, or (memMasks) after the constants in
	// the table, read where an instruction takes them as the constants are,
	// which leaves their registers to the unrolled copies.
	mask := func(bits uint32) operand.Op {
		if g.memMasks {
			off := 4 * g.constLanes() * (len(g.constOff) + g.tableMasks)
			g.tableMasks++
			if !made {
				for range g.constLanes() {
					c.AppendDatum(operand.U32(bits))
				}
			}
			return g.consts.Offset(off)
		}
		r := g.vec()
		g.broadcast(bits, r)
		return r
	}
	for _, v := range g.k.Body() {
		if v.Op == ir.OpAbs && g.abs == nil {
			g.abs = mask(0x7fffffff)
		}
		_, ranged := g.ranges[v] // a VRANGEPS takes its sign from x
		if (v.Op == ir.OpNeg && !g.negFolded[v] || v.Op == ir.OpNegAbs || v.Op == ir.OpXorSign && !ranged) && g.sign == nil {
			g.sign = mask(0x80000000)
		}
	}
}

func (g *lowering) broadcast(bits uint32, r reg.VecVirtual) {
	c := g.c
	if bits == 0 {
		if g.t.is512() {
			c.VPXORD(r, r, r)
		} else {
			c.VXORPS(r, r, r)
		}
		return
	}
	t := c.GP32()
	c.MOVL(operand.U32(bits), t)
	if g.t.is512() {
		c.VPBROADCASTD(t, r)
	} else {
		c.VMOVD(t, r.AsX())
		c.VPBROADCASTD(r.AsX(), r)
	}
}

// Predicates of VCMPPS, all quiet (no exception on a quiet NaN).
var cmpImm = map[ir.Pred]uint8{
	ir.LT:    0x11, // LT_OQ
	ir.LE:    0x12, // LE_OQ
	ir.GT:    0x1e, // GT_OQ
	ir.GE:    0x1d, // GE_OQ
	ir.EQ:    0x00, // EQ_OQ
	ir.NE:    0x04, // NEQ_UQ
	ir.Unord: 0x03, // UNORD_Q
}

// cmpNotImm are the complements of cmpImm's predicates, NaN included: true
// exactly where the predicate is false.
var cmpNotImm = map[ir.Pred]uint8{
	ir.LT:    0x15, // NLT_UQ
	ir.LE:    0x16, // NLE_UQ
	ir.GT:    0x1a, // NGT_UQ
	ir.GE:    0x19, // NGE_UQ
	ir.EQ:    0x04, // NEQ_UQ
	ir.NE:    0x00, // EQ_OQ
	ir.Unord: 0x07, // ORD_Q
}

// body emits u copies of the kernel body, op by op interleaved, over lanes
// idx+j*W; with a tail mask, u is 1 and memory is touched under the mask.
func (g *lowering) body(u int, tail reg.Register) {
	c := g.c
	regs := make([]map[*ir.Value]reg.Register, u)
	for j := range regs {
		regs[j] = map[*ir.Value]reg.Register{}
	}
	val := func(j int, v *ir.Value) reg.Register {
		v = g.resolve(v)
		if r, ok := g.inv[v]; ok {
			return r
		}
		if v.IsInvariant() { // a constant in memory: load it for this use
			return g.loadConst(v)
		}
		return regs[j][v]
	}
	mem := func(s ir.Stream, j int) operand.Mem {
		return operand.Mem{Base: g.ptr[s], Index: g.idx, Scale: 4, Disp: 4 * g.t.Width * j}
	}
	// A load read once, as the second operand of an instruction that takes
	// a memory operand there (or a multiplicand of an FMA), is folded into
	// it (outside the masked tail).
	folded := map[*ir.Value]bool{}
	if tail == nil {
		for _, v := range g.k.Body() {
			if g.elided[v] {
				continue
			}
			switch v.Op {
			case ir.OpAdd, ir.OpSub, ir.OpMul, ir.OpDiv, ir.OpMin, ir.OpMax, ir.OpCmp:
				if l := v.Args[1]; l.Op == ir.OpLoad && l.Uses == 1 && v.Args[0] != l && !g.subnormalIn(l) {
					folded[l] = true
				}
			}
		}
	}
	for _, v := range g.k.Body() {
		if folded[v] || g.negFolded[v] || g.elided[v] || g.merged[v] || g.fused[v] {
			continue
		}
		// A select that merges its arm x (findMerges) emits x's operation
		// here, under the select's mask, into the other arm's register.
		x := g.merges[v]
		args := g.args(v)
		if x != nil {
			args = append(slices.Clone(x.Args), v.Args...)
		}
		// With the constants in memory and u copies of the body, each
		// constant v reads is loaded once, into a register that the u
		// copies share (interleaved op by op, they read it back to back),
		// rather than once per copy as a memory operand: u times fewer
		// loads, for one register live across u instructions. Loads, not
		// arithmetic, bounded the short kernels (exp, elu, selu) otherwise.
		var shared []*ir.Value
		if u > 1 && tail == nil {
			for _, a := range args {
				a = g.resolve(a)
				if _, ok := g.memConst(a); ok && !slices.Contains(shared, a) {
					g.inv[a] = g.loadConst(a)
					shared = append(shared, a)
				}
			}
		}
		// A scale whose results may be subnormal checks its u vectors at
		// once, and leaves them to scaleSubnormal out of line when any lane
		// needs it.
		var guard *scaleGuard
		if g.scaleChecked(v) && x == nil && g.flag != flagClear {
			guard = g.scaleCheck(u, func(j int) (x, n reg.Register) { return val(j, v.Args[0]), val(j, v.Args[1]) })
			guard.floor = g.elided[v.Args[1]] && g.scaleFloor(v.Args[1])
		}
		if v.Op == ir.OpStore && g.k.SubnormalTimes && g.flag != flagClear {
			g.subnormalTimes(u, tail, func(j int) reg.Register { return val(j, v.Args[0]) }, mem)
		}
		for j := 0; j < u; j++ {
			var d reg.Register
			v := v
			if x != nil {
				y := g.resolve(v.Args[2])
				if y == x { // the false arm, under the complemented mask
					y = g.resolve(v.Args[1])
				}
				g.mergeMask, g.mergeDst = val(j, v.Args[0]), y
				d = regs[j][y]
				regs[j][v] = d
				v = x
			}
			a := func(i int) reg.Register { return val(j, v.Args[i]) }
			// src is operand i where a memory operand may stand.
			src := func(i int) operand.Op {
				l := g.resolve(v.Args[i])
				if folded[l] {
					return mem(l.Stream, j)
				}
				if m, ok := g.memConst(l); ok {
					return m
				}
				return a(i)
			}
			if v.Op == ir.OpStore {
				switch {
				case tail == nil && g.stream:
					c.VMOVNTPS(a(0), mem(ir.Dst, j))
				case tail == nil:
					c.VMOVUPS(a(0), mem(ir.Dst, j))
				case g.t.is512():
					c.VMOVUPS(a(0), tail, mem(ir.Dst, j))
				default:
					c.VMASKMOVPS(a(0), tail, mem(ir.Dst, j))
				}
				continue
			}
			switch {
			case d != nil:
			case v.Kind == ir.Mask:
				d = g.maskReg()
			default:
				d = g.vec()
			}
			switch v.Op {
			case ir.OpLoad:
				g.loadInto(mem(v.Stream, j), tail, d)
			case ir.OpAdd:
				g.bc(c.VADDPS, c.VADDPS_BCST, src(1), a(0), d)
			case ir.OpSub:
				g.bc(c.VSUBPS, c.VSUBPS_BCST, src(1), a(0), d)
			case ir.OpMul:
				g.bc(c.VMULPS, c.VMULPS_BCST, src(1), a(0), d)
			case ir.OpDiv:
				g.bc(c.VDIVPS, c.VDIVPS_BCST, src(1), a(0), d)
			case ir.OpFMA:
				d = g.fma(v, j, regs[j], val)
			case ir.OpMin: // a < b ? a : b
				if r, ok := g.ranges[v]; ok {
					g.vrange(r, j, val, d)
					break
				}
				if x, ok := g.remat[v]; ok {
					g.and(g.abs, val(j, x), d)
					c.VMINPS(d, a(0), d)
					break
				}
				g.bc(c.VMINPS, c.VMINPS_BCST, src(1), a(0), d)
			case ir.OpMax: // a > b ? a : b
				g.bc(c.VMAXPS, c.VMAXPS_BCST, src(1), a(0), d)
			case ir.OpAbs:
				g.and(g.abs, a(0), d)
			case ir.OpNeg:
				g.xor(g.sign, a(0), d)
			case ir.OpNegAbs:
				g.or(g.sign, a(0), d)
			case ir.OpXorSign:
				if r, ok := g.ranges[v]; ok {
					g.vrange(r, j, val, d)
					break
				}
				d = g.xorSign(v, regs[j], a(0), a(1), d)
			case ir.OpSqrt:
				c.VSQRTPS(a(0), d)
			case ir.OpRound: // imm 0: round to nearest even
				if g.t.is512() {
					c.VRNDSCALEPS(operand.U8(0), a(0), d)
				} else {
					c.VROUNDPS(operand.U8(0), a(0), d)
				}
			case ir.OpScale:
				if guard != nil {
					op := &guard.ops[j]
					op[2] = g.vec()
					c.VSCALEFPS(op[1], op[0], op[2])
					d = op[2]
					break
				}
				d = g.scale(a(0), a(1), d, v.Args[0], v.Args[1])
			case ir.OpCmp:
				imm := cmpImm[v.Pred]
				if g.inverted[v] {
					imm = cmpNotImm[v.Pred]
				}
				if m := src(1); g.isBcst(m) {
					c.VCMPPS_BCST(operand.U8(imm), m, a(0), d)
				} else {
					c.VCMPPS(operand.U8(imm), m, a(0), d)
				}
			case ir.OpAnd:
				if g.t.KRegs > 0 {
					c.KANDW(a(1), a(0), d)
				} else {
					c.VANDPS(a(1), a(0), d)
				}
			case ir.OpOr:
				if g.t.KRegs > 0 {
					c.KORW(a(1), a(0), d)
				} else {
					c.VORPS(a(1), a(0), d)
				}
			case ir.OpSelect: // m ? x : y
				if g.t.KRegs > 0 {
					c.VBLENDMPS(a(1), a(2), a(0), d)
				} else {
					c.VBLENDVPS(a(0), a(1), a(2), d)
				}
			default:
				panic(fmt.Sprintf("amd64: no lowering for %s", v.Op))
			}
			if x != nil {
				g.mergeMask, g.mergeDst = nil, nil
				continue
			}
			regs[j][v] = d
		}
		if guard != nil {
			g.scaleDone(guard)
		}
		if g.subnormalIn(v) {
			g.subnormalAs(u, func(j int) reg.Register { return regs[j][v] })
		}
		for _, a := range shared {
			delete(g.inv, a)
		}
	}
}

// scale is d = x * 2^n (n integral), rounded once. AVX-512 has it in one
// instruction, VSCALEFPS. AVX2 builds powers of two in the exponent field:
// 2^k for an integral k in [-126, 127] is k + (1.5*2^23 + 127), which puts
// k + 127 in the low mantissa bits, shifted left by 23.
//
//   - When every lane has n in [-125, 127] (the common case, one test and
//     one branch; none where the IR's bounds on n prove it, and the test
//     on the low end alone where they prove n <= 127), d = x * 2^n: one
//     product, one rounding; none for x = 1 where the bounds prove the
//     range (d = 2^n).
//   - Otherwise d = (x * 2^n1) * 2^n2 with n1 = min(n, 127), or -100 where
//     n < -125, and n2 = n - n1 in [-126, 127]: x*2^127 is exact or
//     overflows either way, and x*2^-100 is exact for |x| >= 2^-26 (for a
//     smaller x the result is 0 anyway), so the second product, a
//     subnormal included, is the one rounding. This path sits after the
//     function's RET and jumps back, so that the common case runs through
//     with no taken branch (-1% to -4% on the AVX2 kernels that scale
//     this way, side by side). Both steps in every lane, with no test and
//     no branch, measured 6-26% slower than the test and the one step.
//
// Both give what VSCALEFPS gives, bit for bit. Every product is an FMA with
// -0 (the same bits): x may be subnormal, and so may d. AMD's Zen computes
// these at full speed. Intel's cores take a microcode assist for each FMA
// that reads or rounds to a subnormal (bench/pipes: BenchmarkSubnormal):
// where every result was subnormal, the slow path took 12-14 times the fast
// one on an Intel Xeon. So where asm.SubnormalAssists is set, the slow path
// gives the lanes whose results are subnormal their bits from integer
// instructions, as scaleSubnormal does on AVX-512 (1.7-1.8 times the fast
// path there; on the AMD EPYC, forced, 45-78% slower than the FMAs).
// (Rounding the subnormal lanes by VROUNDPS on a scaled copy instead, 13
// instructions more, measured 33-43% slower on an AMD EPYC on inputs whose
// results are subnormal.)
func (g *lowering) scale(x, n, d reg.Register, xv, nv *ir.Value) reg.Register {
	c := g.c
	if g.t.is512() {
		if g.mergeMask != nil {
			c.VSCALEFPS(n, x, g.mergeMask, d)
		} else {
			c.VSCALEFPS(n, x, d)
		}
		return d
	}
	k := g.f.scaleTable()
	negZero := k.Offset(128)
	if nv.Lo >= -125 && nv.Hi <= 127 { // known in range: the fast path alone
		s := c.YMM()
		c.VADDPS(k.Offset(96), n, s)
		c.VPSLLD(operand.U8(23), s, s)
		if xv := g.resolve(xv); xv.Op != ir.OpConst || xv.F != 1 {
			c.VFMADD213PS(negZero, x, s)
		}
		return s
	}
	g.labels++
	slow := fmt.Sprintf("scale%d_slow", g.labels)
	done := fmt.Sprintf("scale%d_done", g.labels)
	integer := fmt.Sprintf("scale%d_integer", g.labels)
	lo, hi, bits := c.YMM(), c.YMM(), c.GP32()
	c.VCMPPS(operand.U8(cmpImm[ir.LT]), k.Offset(32), n, lo) // n < -125
	if nv.Hi <= 127 {
		// n > 127 cannot be: the test is on n < -125 alone.
		c.VMOVMSKPS(lo, bits)
	} else {
		any := c.YMM()
		c.VCMPPS(operand.U8(cmpImm[ir.GT]), k.Offset(0), n, hi) // n > 127
		c.VORPS(hi, lo, any)
		c.VMOVMSKPS(any, bits)
	}
	c.TESTL(bits, bits)
	c.JNZ(operand.LabelRef(slow))

	c.VADDPS(k.Offset(96), n, d)
	c.VPSLLD(operand.U8(23), d, d)
	c.VFMADD213PS(negZero, x, d)
	c.Label(done)

	// The slow path goes after the function's RET (see emit), so that the
	// fast path runs straight through, with no taken branch.
	g.outOfLine = append(g.outOfLine, func() {
		// twoStep: d = (x 2^n1) 2^n2, with n2 = 0 in sub's lanes if any.
		twoStep := func(sub reg.Register) {
			y, n2 := c.YMM(), c.YMM()
			c.VMINPS(k.Offset(0), n, y)         // n1 = min(n, 127)
			c.VBLENDVPS(lo, k.Offset(64), y, y) // -100 where n < -125
			c.VSUBPS(y, n, n2)
			if sub != nil {
				c.VANDNPS(n2, sub, n2) // 0 in sub's lanes: no subnormal product
			}
			c.VADDPS(k.Offset(96), y, y)
			c.VPSLLD(operand.U8(23), y, y)
			c.VFMADD213PS(negZero, x, y) // y = x 2^n1, exact
			c.VADDPS(k.Offset(96), n2, d)
			c.VPSLLD(operand.U8(23), d, d)
			c.VFMADD213PS(negZero, y, d) // y 2^n2, rounded once
		}
		c.Label(slow)
		if nv.Lo < -125 {
			c.CMPB(assists, operand.U8(0))
			c.JNE(operand.LabelRef(integer))
			twoStep(nil)
			c.JMP(operand.LabelRef(done))
			// Where asm.SubnormalAssists is set and x 2^n is subnormal, its
			// bits come from integer instructions, as in scaleSubnormal:
			// k = x 2^(n+149) rounded to an integer (2^(n+149) built as 2^n
			// is, exact for n in [-275, -22]), |k| and x's sign, where
			// n < -125 and |x 2^(n+149)| <= 2^24.
			c.Label(integer)
			t := g.f.subnormalTable()
			sub, bits := c.YMM(), c.YMM()
			c.VADDPS(t.Offset(subMagic), n, sub)
			c.VPSLLD(operand.U8(23), sub, sub)
			c.VFMADD213PS(negZero, x, sub) // R = x 2^(n+149), exact
			c.VCVTPS2DQ(sub, bits)
			c.VPABSD(bits, bits)
			c.VANDPS(t.Offset(subAbs), sub, sub)
			c.VCMPPS(operand.U8(cmpImm[ir.LE]), t.Offset(subMaxR), sub, sub) // |R| <= 2^24
			c.VANDPS(lo, sub, sub)
			s := c.YMM()
			c.VANDPS(t.Offset(subSign), x, s)
			c.VORPS(s, bits, bits)
			twoStep(sub)
			c.VBLENDVPS(sub, bits, d, d)
		} else {
			twoStep(nil)
		}
		c.JMP(operand.LabelRef(done))
	})
	return d
}

// subnormalIn reports whether v is the load whose subnormal lanes the
// kernel may read as another number (ir.Kernel.SubnormalAs), or gives a
// result for that subnormalTimes forms (ir.Kernel.SubnormalTimes).
func (g *lowering) subnormalIn(v *ir.Value) bool {
	return g.flag != flagClear && (g.k.HasSubnormalAs || g.k.SubnormalTimes) && v.Op == ir.OpLoad && v.Stream == g.k.SubnormalIn
}

// load returns a fresh vector loaded from m, under the tail's mask if any
// (the other lanes zero).
func (g *lowering) load(m operand.Mem, tail reg.Register) reg.Register {
	d := g.vec()
	g.loadInto(m, tail, d)
	return d
}

// loadInto loads m into d, under the tail's mask if any (the other lanes
// zero).
func (g *lowering) loadInto(m operand.Mem, tail, d reg.Register) {
	switch {
	case tail == nil:
		g.c.VMOVUPS(m, d)
	case g.t.is512():
		g.c.VMOVUPS_Z(m, tail, d)
	default:
		g.c.VMASKMOVPS(m, tail, d)
	}
}

// subnormalKey is (x << 1) - 1 in a fresh vector: below 2^24 - 1, as an
// unsigned integer, exactly in x's subnormal lanes.
func (g *lowering) subnormalKey(x reg.Register) reg.Register {
	c, t := g.c, g.f.subnormalTable()
	k := g.vec()
	c.VPSLLD(operand.U8(1), x, k)
	if g.t.is512() {
		c.VPSUBD_BCST(t.Offset(subUnit), k, k)
	} else {
		c.VPSUBD(t.Offset(subUnit), k, k)
	}
	return k
}

// subnormalLanes is the mask of x's subnormal lanes: an opmask on AVX-512,
// a vector of all-ones lanes on AVX2.
func (g *lowering) subnormalLanes(x reg.Register) reg.Register {
	return g.keyLanes(g.subnormalKey(x))
}

// belowNormal is the mask of the lanes whose bits, as unsigned integers,
// are below 2^23 (2^-126's): a zero or a subnormal number of x's where x is
// a magnitude (|y|), +0 or a positive subnormal otherwise. An opmask on
// AVX-512, a vector of all-ones lanes on AVX2.
func (g *lowering) belowNormal(x reg.Register) reg.Register {
	return g.lanesBelow(x, subTwoM126, subMaxSub) // 2^-126's bits are 2^23
}

// keyLanes is the mask of the lanes where key (subnormalKey) shows a
// subnormal number, as subnormalLanes.
func (g *lowering) keyLanes(key reg.Register) reg.Register {
	return g.lanesBelow(key, subTinyKey, subTinyKey+32) // 2^24 - 1, 2^24 - 2
}

// lanesBelow is the mask of the lanes whose bits, as unsigned integers, are
// below the subnormal table's constant at bound: on AVX-512 an opmask, by
// one comparison; on AVX2, which has no unsigned comparison, a vector of
// all-ones lanes where x <= the constant at boundLess (bound's less one)
// and min(x, it) is x.
func (g *lowering) lanesBelow(x reg.Register, bound, boundLess int) reg.Register {
	c, t := g.c, g.f.subnormalTable()
	if g.t.is512() {
		k := c.K()
		c.VPCMPUD_BCST(operand.U8(1), t.Offset(bound), x, k) // <, unsigned
		return k
	}
	m := c.YMM()
	c.VPMINUD(t.Offset(boundLess), x, m)
	c.VPCMPEQD(m, x, m)
	return m
}

// subnormalAs follows the load of a stream whose subnormal lanes the kernel
// may read as ir.Kernel.SubnormalAs with their sign
// (kernels.Entry.SubnormalAs), where asm.SubnormalAssists is set: if any
// lane of the u vectors x(j) is subnormal ((x << 1) - 1 < 2^24 - 1 as
// unsigned integers: the least of them over the u vectors), the vectors go
// out of line, where those lanes become x's sign and that magnitude. Then
// no FMA reads them, which on Intel's cores costs a microcode assist each.
// Where the flag is clear, one branch skips it all (in loop1 and the tail;
// the main loop's two copies know the flag, see emit). For SubnormalTimes the
// magnitude is 0, and the out-of-line path also sets the register found,
// which subnormalTimes tests before the stores.
//
// A pass whose c is dy (TimesDy: exp and sigmoid backward, one or two
// operations a vector besides the check) tests less: the least of y's bits
// as unsigned integers, below 2^23 where a lane is +0 or a positive
// subnormal (one operation a vector where the full test takes three). A +0
// then takes the path out of line too, where it keeps its result (the
// lanes replaced are the subnormal ones, of both signs: left to the
// product, a negative one slowed the whole path even on the AMD EPYC); a
// negative subnormal y, which neither function gives, goes unseen but in a
// vector that goes anyway, and meets the product.
func (g *lowering) subnormalAs(u int, x func(j int) reg.Register) {
	c := g.c
	t := g.f.subnormalTable()
	var as int // the magnitude's offset in the table; 0: none, a zero
	switch g.k.SubnormalAs {
	case 0:
	case 0x1p-100:
		as = subStandIn
	default:
		panic(fmt.Sprintf("amd64: %s: SubnormalAs %g: only 0 and 2^-100 are in the table", g.k.Name, g.k.SubnormalAs))
	}
	g.labels++
	plain := fmt.Sprintf("tiny%d_plain", g.labels)
	slow := fmt.Sprintf("tiny%d_slow", g.labels)
	var found reg.GPVirtual // SubnormalTimes: set where a lane is subnormal
	if g.k.SubnormalTimes {
		found = c.GP32()
		c.XORL(found, found)
		g.found = found
	}
	if g.flag == flagTested {
		c.CMPB(assists, operand.U8(0))
		c.JE(operand.LabelRef(plain))
	}
	var m reg.Register // the lanes that send the vectors out of line
	if g.k.TimesDy {
		least := x(0)
		if u > 1 {
			least = g.vec()
			c.VPMINUD(x(1), x(0), least)
			for j := 2; j < u; j++ {
				c.VPMINUD(x(j), least, least)
			}
		}
		m = g.belowNormal(least)
	} else {
		least := g.subnormalKey(x(0))
		for j := 1; j < u; j++ {
			c.VPMINUD(g.subnormalKey(x(j)), least, least)
		}
		m = g.keyLanes(least)
	}
	if g.t.is512() {
		c.KORTESTW(m, m)
	} else {
		bits := c.GP32()
		c.VMOVMSKPS(m, bits)
		c.TESTL(bits, bits)
	}
	c.JNZ(operand.LabelRef(slow))
	c.Label(plain)
	xs := collect(u, x)
	g.outOfLine = append(g.outOfLine, func() {
		c.Label(slow)
		for _, x := range xs {
			m := g.subnormalLanes(x)
			if g.t.is512() {
				c.VPANDD_BCST(t.Offset(subSign), x, m, x)
				if as != 0 {
					c.VPORD_BCST(t.Offset(as), x, m, x)
				}
			} else {
				s := c.YMM()
				c.VANDPS(t.Offset(subSign), x, s)
				if as != 0 {
					c.VORPS(t.Offset(as), s, s)
				}
				c.VBLENDVPS(m, s, x, x)
			}
		}
		if found != nil {
			c.MOVL(operand.U32(1), found)
		}
		c.JMP(operand.LabelRef(plain))
	})
}

// collect is r(0), ..., r(u-1): the u vectors' registers, read before a
// branch for the out-of-line code that follows it.
func collect(u int, r func(j int) reg.Register) []reg.Register {
	rs := make([]reg.Register, u)
	for j := range rs {
		rs[j] = r(j)
	}
	return rs
}

// subnormalTimes precedes the stores of a kernel with SubnormalTimes: where
// subnormalAs found a subnormal x among the u vectors (and read it as a
// zero), the vectors go out of line, where those lanes of each result y(j)
// become c x rounded once (ir.Kernel.SubnormalTimes), formed from x's bits
// with no instruction that reads a subnormal number or rounds to one. x is
// loaded again from memory (at(SubnormalIn, j), under the tail's mask if
// any), where no store of this iteration has reached yet, and so is c
// where it is the lane's dy (TimesDy: at(A, j)).
//
// For x = m 2^-149 (m < 2^23, its magnitude's bits), |c x| rounded is k 2^-149
// with k = |c| m rounded to an integer, whose bits are k's up to k = 2^24
// (the multiples of 2^-149 up to 2^-125 are subnormal or in the least
// binade, where the spacing is 2^-149 too):
//
//   - where |c| m < 2^23, k is the low bits of 2^23 + |c| m rounded once by
//     an FMA (the floats from 2^23 to 2^24 are the integers);
//   - elsewhere, for |c| < 2, k is |c| m rounded to a float, an integer
//     there (VCVTPS2DQ);
//   - for a larger c (a parameter, or dy), the result is normal:
//     (|c| (m 2^-23)) 2^-126, one rounding then an exact scale (and an
//     infinite or NaN c gives an infinity or a NaN).
//
// The sign is x's times c's. With c = 1 for x > 0 those lanes keep x.
// (With c = dy, a subnormal dy still meets the body's product: only a
// subnormal y is kept from it.)
func (g *lowering) subnormalTimes(u int, tail reg.Register, y func(j int) reg.Register, at func(s ir.Stream, j int) operand.Mem) {
	c, k := g.c, g.k
	t := g.f.subnormalTable()
	g.labels++
	fix, done := fmt.Sprintf("times%d_fix", g.labels), fmt.Sprintf("times%d_done", g.labels)
	large := fmt.Sprintf("times%d_large", g.labels)
	found := g.found
	c.TESTL(found, found)
	c.JNZ(operand.LabelRef(fix))
	c.Label(done)
	ys := collect(u, y)
	if k.TimesDy {
		g.outOfLine = append(g.outOfLine, func() {
			c.Label(fix)
			plan := timesPlan{dy: true, scaled: true}
			if !g.t.is512() {
				plan.two23 = g.vec()
				c.VBROADCASTSS(t.Offset(subTwo23), plan.two23)
			}
			for j, y := range ys {
				if g.t.is512() {
					g.timesFix512(j, y, tail, at, plan)
				} else {
					g.timesFix2(j, y, tail, at, plan)
				}
			}
			c.JMP(operand.LabelRef(done))
		})
		return
	}
	param := k.TimesNegParam >= 0
	keepX := k.TimesPos == 1 // x > 0 gives x
	two := !keepX && k.TimesPos != k.TimesNeg
	if !param && (k.TimesNeg < 0 || !keepX && k.TimesPos < 0) || param && !keepX {
		panic(fmt.Sprintf("amd64: %s: SubnormalTimes: only c >= 0, or a parameter for x < 0 with c = 1 for x > 0", k.Name))
	}
	var most float64 // the largest |c|
	for _, f := range []float32{k.TimesNeg, k.TimesPos} {
		most = max(most, math.Abs(float64(f)))
	}
	// |c| m < 2^23 everywhere (magic alone), below 2^24 (magic, else
	// VCVTPS2DQ), or anything (magic, else a scale).
	bounded, scaled := !param && most <= 1, param || most >= 2
	coefs := g.f.laneTable("times_"+k.Name, math.Float32bits(k.TimesNeg), math.Float32bits(k.TimesPos))
	plan := timesPlan{coefs: coefs, two: two, keepX: keepX, bounded: bounded, scaled: scaled}
	g.outOfLine = append(g.outOfLine, func() {
		c.Label(fix)
		if !g.t.is512() {
			// The invariants: 2^23, |c| for x < 0 (and x > 0), and where
			// c is a parameter the sign of the lanes x < 0 take, c's
			// flipped. (AVX-512 reads them from memory instead.)
			bcast := func(m operand.Mem) reg.VecVirtual {
				r := g.vec()
				c.VBROADCASTSS(m, r)
				return r
			}
			plan.two23, plan.cneg = bcast(t.Offset(subTwo23)), bcast(coefs)
			if two {
				plan.cpos = bcast(coefs.Offset(32))
			}
			if param {
				p := operand.Mem{Base: g.pp, Disp: 4 * k.TimesNegParam}
				plan.nsign = bcast(p)
				c.VBROADCASTSS(p, plan.cneg)
				c.VANDPS(t.Offset(subAbs), plan.cneg, plan.cneg)
				c.VXORPS(t.Offset(subSign), plan.nsign, plan.nsign)
				c.VANDPS(t.Offset(subSign), plan.nsign, plan.nsign)
			}
		}
		fixAll := func(plan timesPlan) {
			for j, y := range ys {
				if g.t.is512() {
					g.timesFix512(j, y, tail, at, plan)
				} else {
					g.timesFix2(j, y, tail, at, plan)
				}
			}
			c.JMP(operand.LabelRef(done))
		}
		if param {
			// A parameter c with |c| <= 1 (elu's default among them) takes
			// the magic alone.
			bits := c.GP32()
			c.MOVL(operand.Mem{Base: g.pp, Disp: 4 * k.TimesNegParam}, bits)
			c.ANDL(operand.U32(1<<31-1), bits)
			c.CMPL(bits, operand.U32(math.Float32bits(1)))
			c.JA(operand.LabelRef(large))
			plan.bounded, plan.scaled = true, false
			fixAll(plan)
			c.Label(large)
			plan.bounded, plan.scaled = false, true
		}
		fixAll(plan)
	})
}

// timesPlan is what subnormalTimes' fix of each vector needs: the
// coefficients' table (c for x < 0, then for x > 0), which steps it takes
// (two: c depends on x's sign; keepX: x > 0 gives x; bounded: |c| m <
// 2^23; scaled: |c| may exceed 2; dy: c is the lane's dy), and on AVX2 the
// invariants in registers.
type timesPlan struct {
	coefs                           operand.Mem
	two, keepX, bounded, scaled, dy bool
	two23, cneg, cpos, nsign        reg.Register
}

// timesFix2 is subnormalTimes' fix of the vector y(j) on AVX2.
func (g *lowering) timesFix2(j int, y, tail reg.Register, at func(s ir.Stream, j int) operand.Mem, p timesPlan) {
	c := g.c
	t := g.f.subnormalTable()
	x := g.load(at(g.k.SubnormalIn, j), tail)
	var sub reg.Register
	if !p.dy {
		sub = g.subnormalLanes(x)
	}
	mi, m, small := g.vec(), g.vec(), g.vec()
	c.VANDPS(t.Offset(subAbs), x, mi)
	if p.dy {
		// The zeros too, which the steps below give dy's zero, infinity
		// or NaN times, as the body did.
		sub = g.belowNormal(mi)
	}
	c.VCVTDQ2PS(mi, m)
	ca := p.cneg
	var dy reg.Register
	if p.dy {
		dy, ca = g.load(at(ir.A, j), tail), g.vec()
		c.VANDPS(t.Offset(subAbs), dy, ca)
	}
	if p.two {
		ca = g.vec()
		c.VBLENDVPS(x, p.cneg, p.cpos, ca) // x's sign bit picks
	}
	c.VMOVAPS(p.two23, small)
	c.VFMADD231PS(ca, m, small) // 2^23 + |c| m
	c.VPSUBD(p.two23, small, small)
	switch {
	case p.scaled:
		pa, big, smask := g.vec(), g.vec(), g.vec()
		c.VMULPS(t.Offset(subTwoM23), m, pa)
		c.VMULPS(ca, pa, pa) // |c| m 2^-23
		c.VMOVUPS(t.Offset(subOne), big)
		c.VMAXPS(pa, big, big) // NaN: pa
		c.VMULPS(t.Offset(subTwoM126), big, big)
		c.VCMPPS(operand.U8(cmpImm[ir.LT]), t.Offset(subOne), pa, smask)
		c.VBLENDVPS(smask, small, big, small)
	case !p.bounded:
		pa, smask := g.vec(), g.vec()
		c.VMULPS(ca, m, pa) // |c| m
		c.VCMPPS(operand.U8(cmpImm[ir.LT]), p.two23, pa, smask)
		c.VCVTPS2DQ(pa, pa)
		c.VBLENDVPS(smask, small, pa, small)
	}
	switch {
	case p.dy:
		c.VXORPS(x, dy, mi)
		c.VANDPS(t.Offset(subSign), mi, mi) // x's sign times dy's
		c.VORPS(mi, small, small)
	case p.nsign != nil:
		c.VORPS(p.nsign, small, small) // the lanes x < 0
	default:
		c.VXORPS(x, mi, mi) // x's sign
		c.VORPS(mi, small, small)
	}
	if p.keepX {
		c.VBLENDVPS(x, small, x, small) // x > 0: x
	}
	c.VBLENDVPS(sub, small, y, y)
}

// timesFix512 is subnormalTimes' fix of the vector y(j) on AVX-512, its
// constants read from memory as broadcast operands (held in registers
// through the fix, as AVX2's are, they cost selu's body a vector an
// iteration: the registers are allocated over the whole function).
func (g *lowering) timesFix512(j int, y, tail reg.Register, at func(s ir.Stream, j int) operand.Mem, p timesPlan) {
	c, k := g.c, g.k
	coefs, two, keepX, bounded, scaled := p.coefs, p.two, p.keepX, p.bounded, p.scaled
	t := g.f.subnormalTable()
	x := g.load(at(k.SubnormalIn, j), tail)
	var sub reg.Register
	if !p.dy {
		sub = g.subnormalLanes(x)
	}
	mi, m, small := g.vec(), g.vec(), g.vec()
	c.VPANDD_BCST(t.Offset(subAbs), x, mi)
	if p.dy {
		sub = g.belowNormal(mi) // the zeros too, as on AVX2
	}
	c.VCVTDQ2PS(mi, m)
	var kneg reg.Register
	if two || keepX {
		kneg = c.K()
		c.VPTESTMD_BCST(t.Offset(subSign), x, kneg)
	}
	c.VBROADCASTSS(t.Offset(subTwo23), small)
	var cv, ca reg.Register // c and |c|, where not a constant operand
	switch {
	case p.dy:
		cv, ca = g.load(at(ir.A, j), tail), g.vec()
		c.VPANDD_BCST(t.Offset(subAbs), cv, ca)
	case k.TimesNegParam >= 0:
		cv, ca = g.vec(), g.vec()
		c.VBROADCASTSS(operand.Mem{Base: g.pp, Disp: 4 * k.TimesNegParam}, cv)
		c.VPANDD_BCST(t.Offset(subAbs), cv, ca)
	case two:
		ca = g.vec()
		c.VBROADCASTSS(coefs.Offset(32), ca)
		c.VBROADCASTSS(coefs, kneg, ca)
	}
	if ca != nil {
		c.VFMADD231PS(ca, m, small) // 2^23 + |c| m
	} else {
		c.VFMADD231PS_BCST(coefs, m, small)
	}
	c.VPSUBD_BCST(t.Offset(subTwo23), small, small)
	switch {
	case scaled:
		pa, big, kbig := g.vec(), g.vec(), c.K()
		c.VMULPS_BCST(t.Offset(subTwoM23), m, pa)
		c.VMULPS(ca, pa, pa) // |c| m 2^-23
		c.VBROADCASTSS(t.Offset(subOne), big)
		c.VMAXPS(pa, big, big) // NaN: pa
		c.VSCALEFPS_BCST(t.Offset(subMinus126), big, big)
		c.VCMPPS_BCST(operand.U8(cmpNotImm[ir.LT]), t.Offset(subOne), pa, kbig) // pa >= 1, or NaN
		c.VMOVDQA32(big, kbig, small)
	case !bounded:
		pa, kbig := g.vec(), c.K()
		if ca != nil {
			c.VMULPS(ca, m, pa) // |c| m
		} else {
			c.VMULPS_BCST(coefs, m, pa)
		}
		c.VCMPPS_BCST(operand.U8(cmpImm[ir.GE]), t.Offset(subTwo23), pa, kbig)
		c.VCVTPS2DQ(pa, kbig, small)
	}
	switch {
	case p.dy:
		c.VPXORD(x, cv, cv)
		c.VPTERNLOGD_BCST(operand.U8(0xf8), t.Offset(subSign), cv, small) // | x's sign times dy's: 0xf8 = A | (B & C)
	case cv != nil:
		c.VPTERNLOGD_BCST(operand.U8(0xf2), t.Offset(subSign), cv, small) // | c's sign flipped: 0xf2 = A | (^B & C)
	default:
		c.VPTERNLOGD(operand.U8(0xf6), mi, x, small) // | x ^ |x|, x's sign: 0xf6 = A | (B ^ C)
	}
	if keepX {
		c.VMOVDQA32(small, kneg, x) // x > 0: x
		c.VMOVDQA32(x, sub, y)
		return
	}
	c.VMOVDQA32(small, sub, y)
}

// scaleFloor reports whether v is max(-125, n): the floor that keeps 2^n
// normal.
func (g *lowering) scaleFloor(v *ir.Value) bool {
	if v.Op != ir.OpMax {
		return false
	}
	for _, a := range v.Args {
		if a := g.resolve(a); a.Op == ir.OpConst && a.F == -125 {
			return true
		}
	}
	return false
}

// scaleGuard is the check before an AVX-512 scale's u vectors whose results
// may be subnormal (its n may be below -125): the branch's labels, and each
// vector's x, n and result registers.
type scaleGuard struct {
	slow, done string
	ops        [][3]reg.Register
	// floor: n is max(-125, n') with the max skipped (a range-only
	// clamp), which the slow path applies.
	floor bool
}

// scaleCheck emits the check, where asm.SubnormalAssists is set: the least
// n of the u vectors (VMINPS: a NaN may hide a lane, which then runs
// VSCALEFPS, slowly but rightly), compared with -125, and a branch out of
// line if any lane is below. Elsewhere VSCALEFPS costs the same on any
// operands, and the check is skipped by one branch.
//
// Some CPUs (Intel's) take a microcode assist, hundreds of cycles, for each
// instruction that reads a subnormal number or rounds a result to one,
// VSCALEFPS among them, where others (AMD's) do not (bench/pipes:
// BenchmarkSubnormal). Out of line, scaleSubnormal builds the subnormal
// results with no such instruction.
//
// The operands are read here, before the branch (a constant's val loads it),
// into ops.
func (g *lowering) scaleCheck(u int, operands func(j int) (x, n reg.Register)) *scaleGuard {
	c := g.c
	t := g.f.subnormalTable()
	ops := make([][3]reg.Register, u)
	for j := range ops {
		ops[j][0], ops[j][1] = operands(j)
	}
	g.labels++
	guard := &scaleGuard{slow: fmt.Sprintf("scale%d_slow", g.labels), done: fmt.Sprintf("scale%d_done", g.labels), ops: ops}
	plain := fmt.Sprintf("scale%d_plain", g.labels)
	if g.flag == flagTested {
		c.CMPB(assists, operand.U8(0))
		c.JE(operand.LabelRef(plain))
	}
	least := ops[0][1]
	if u > 1 {
		m := g.vec()
		c.VMINPS(ops[1][1], least, m)
		for j := 2; j < u; j++ {
			c.VMINPS(ops[j][1], m, m)
		}
		least = m
	}
	k := c.K()
	c.VCMPPS_BCST(operand.U8(cmpImm[ir.LT]), t.Offset(subMinN), least, k) // n < -125
	c.KORTESTW(k, k)
	c.JNZ(operand.LabelRef(guard.slow))
	c.Label(plain)
	return guard
}

// assists is asm.SubnormalAssists, a byte in memory.
var assists = operand.Mem{Symbol: operand.Symbol{Name: "·SubnormalAssists"}, Base: reg.StaticBase}

// scaleDone ends the scales that guard checks, and emits their slow path.
func (g *lowering) scaleDone(guard *scaleGuard) {
	c := g.c
	c.Label(guard.done)
	g.outOfLine = append(g.outOfLine, func() {
		c.Label(guard.slow)
		for _, op := range guard.ops {
			if guard.floor {
				// 2^max(-125, n) is normal: no assist here or in the
				// products that read it.
				n := g.vec()
				c.VBROADCASTSS(g.f.subnormalTable().Offset(subMinN), n)
				c.VMAXPS(op[1], n, n) // -125 > n ? -125 : n, the IR's max
				c.VSCALEFPS(n, op[0], op[2])
				continue
			}
			g.scaleSubnormal(op[0], op[1], op[2])
		}
		c.JMP(operand.LabelRef(guard.done))
	})
}

// scaleSubnormal is d = x 2^n with no instruction that rounds to a
// subnormal, for n integral and x normal (the kernels' polynomial results)
// or not a number:
//
//   - where n >= -125, and where x 2^n is not subnormal, VSCALEFPS;
//   - elsewhere R = x 2^(n+149) is exact and normal (n >= -151), and x 2^n
//     rounded to a subnormal is R rounded to an integer k (the subnormals
//     are the multiples of 2^-149), which VCVTPS2DQ does, to nearest even
//     as VSCALEFPS would; where |k| <= 2^24 the result's bits are |k| and
//     x's sign (the bits of the multiples of 2^-149 up to 2^-125 are their
//     multipliers), elsewhere (a normal result, a NaN, an infinity) the
//     first case holds.
func (g *lowering) scaleSubnormal(x, n, d reg.Register) {
	c := g.c
	t := g.f.subnormalTable()
	k, sub, other := c.K(), c.K(), c.K()
	c.VCMPPS_BCST(operand.U8(cmpImm[ir.LT]), t.Offset(subMinN), n, k) // n < -125
	r, bits := c.ZMM(), c.ZMM()
	c.VADDPS_BCST(t.Offset(subBias), n, r)
	c.VSCALEFPS(r, x, r) // R
	c.VCVTPS2DQ(r, bits) // k (0x80000000 for a NaN or beyond int32)
	c.VPABSD(bits, bits)
	c.VPCMPUD_BCST(operand.U8(2), t.Offset(subMaxK), bits, k, sub)  // |k| <= 2^24, in k's lanes
	c.VPTERNLOGD_BCST(operand.U8(0xf8), t.Offset(subSign), x, bits) // | x's sign
	c.KNOTW(sub, other)
	c.VMOVAPS_Z(n, other, r) // n, 0 in sub's lanes
	c.VSCALEFPS(r, x, d)
	c.VMOVDQA32(bits, sub, d)
}

// The offsets of subnormalTable's constants.
const (
	subMinN    = 32 * iota // -125.0: below it, x 2^n may be subnormal
	subBias                // 149.0: 2^-149 is the least subnormal
	subMaxK                // 2^24: k 2^-149 has the bits k up to 2^-125
	subSign                // the sign bit
	subMaxR                // 2^24 as a float
	subAbs                 // all bits but the sign
	subMagic               // 1.5*2^23 + 127 + 149: n + it holds n + 149 + 127 in its low bits
	subUnit                // 1
	subTinyKey             // 2^24 - 1, then 2^24 - 2: (x << 1) - 1 below it, x is subnormal
	_
	subStandIn  // 2^-100: a normal number that some passes read a subnormal x as
	subTwo23    // 2^23
	subTwoM23   // 2^-23
	subOne      // 1.0
	subTwoM126  // 2^-126 (whose bits are 2^23)
	subMinus126 // -126.0
	subMaxSub   // 2^23 - 1: the largest subnormal's bits
)

// subnormalTable holds the constants of the paths for subnormal numbers
// (scaleSubnormal, AVX2's scale, subnormalAs, subnormalTimes), eight lanes
// each, in the order of the sub* offsets.
func (f *File) subnormalTable() operand.Mem {
	return f.laneTable("subnormal", math.Float32bits(-125), math.Float32bits(149), 1<<24, 1<<31,
		math.Float32bits(0x1p24), 1<<31-1, math.Float32bits(0x1.8p23+127+149), 1, 1<<24-1, 1<<24-2,
		math.Float32bits(0x1p-100), math.Float32bits(0x1p23), math.Float32bits(0x1p-23), math.Float32bits(1),
		math.Float32bits(0x1p-126), math.Float32bits(-126), 1<<23-1)
}

// scaleTable holds AVX2 scale's constants, eight lanes each: 127, -125,
// -100, the magic 1.5*2^23 + 127 and -0.
func (f *File) scaleTable() operand.Mem {
	return f.laneTable("scale", math.Float32bits(127), math.Float32bits(-125), math.Float32bits(-100),
		math.Float32bits(0x1.8p23+127), 1<<31)
}

// laneTable returns the file's table called name, eight lanes of each of
// values in turn (32 bytes apart), creating it on first use.
func (f *File) laneTable(name string, values ...uint32) operand.Mem {
	if m, ok := f.lanes[name]; ok {
		return m
	}
	c := f.Ctx
	m := c.StaticGlobal(f.prefix + "_" + f.T.Name + "_" + name)
	c.DataAttributes(attr.RODATA | attr.NOPTR)
	for _, v := range values {
		for range 8 {
			c.AppendDatum(operand.U32(v))
		}
	}
	if f.lanes == nil {
		f.lanes = map[string]operand.Mem{}
	}
	f.lanes[name] = m
	return m
}

// constLanes is how many copies of each constant the table in memory holds:
// one for AVX-512, whose instructions broadcast a 32-bit memory operand to
// every lane ({1to16}: a 4-byte load, never split across cache lines), a
// whole vector for AVX2.
func (g *lowering) constLanes() int {
	if g.t.is512() {
		return 1
	}
	return g.t.Width
}

// isBcst reports whether m is a constant of the table that the
// instruction must broadcast (AVX-512).
func (g *lowering) isBcst(m operand.Op) bool {
	mm, ok := m.(operand.Mem)
	return ok && g.t.is512() && g.memConsts && mm.Symbol == g.consts.Symbol
}

// bc emits plain(m, rest...), or its broadcast form when m is a constant in
// the AVX-512 table.
func (g *lowering) bc(plain, bcst func(...operand.Op), m operand.Op, rest ...operand.Op) {
	if g.mergeMask != nil { // the mask goes before the destination
		rest = append(slices.Clone(rest[:len(rest)-1]), g.mergeMask, rest[len(rest)-1])
	}
	if g.isBcst(m) {
		bcst(append([]operand.Op{m}, rest...)...)
		return
	}
	plain(append([]operand.Op{m}, rest...)...)
}

// loadConst loads the constant v, kept in memory, into a new register
// (AVX-512: one float, broadcast; AVX2: a whole vector of the table).
func (g *lowering) loadConst(v *ir.Value) reg.Register {
	r := g.vec()
	if g.t.is512() {
		g.c.VBROADCASTSS(g.consts.Offset(g.constOff[v]), r)
	} else {
		g.c.VMOVUPS(g.consts.Offset(g.constOff[v]), r)
	}
	return r
}

// memConst returns the memory operand of v when v is a constant kept in
// memory.
func (g *lowering) memConst(v *ir.Value) (operand.Mem, bool) {
	if _, shared := g.inv[v]; !g.memConsts || v.Op != ir.OpConst || shared {
		return operand.Mem{}, false
	}
	return g.consts.Offset(g.constOff[v]), true
}

// dies reports whether a is a per-lane value that v is the last to read, so
// that v may overwrite its register.
func (g *lowering) dies(v, a *ir.Value) bool {
	a = g.resolve(a)
	return !a.IsInvariant() && g.lastUse[a] == v
}

// resolve is the value computed in a's place: the clamped operand of an
// elided clamp, a itself otherwise.
func (g *lowering) resolve(a *ir.Value) *ir.Value {
	for g.elided[a] {
		a = a.Args[1]
	}
	return a
}

// analyse finds the negations that fold into the FMAs reading them (each
// use is an FMA that reads it once: -a*b + c is VFNMADD, a*b - c VFMSUB),
// the CapMags and ClampMags that AVX-512 computes as one VRANGEPS each, and
// the last reader of every value, through folded negations.
func (g *lowering) analyse() {
	// A sum or product whose first operand is a load read once, and whose
	// second is computed (dy in dy f'(x)) or a load that stays in a
	// register (y in dy y, which subnormalAs checks), takes the load as its
	// second operand, which body folds into the instruction as a memory
	// operand: no register holds it from the load on. Both operations
	// commute, the same bits (but for which NaN comes out where both
	// operands are NaN).
	for _, v := range g.k.Body() {
		if v.Op != ir.OpAdd && v.Op != ir.OpMul {
			continue
		}
		l, w := v.Args[0], v.Args[1]
		if l.Op == ir.OpLoad && l.Uses == 1 && !g.subnormalIn(l) && (w.Op != ir.OpLoad || g.subnormalIn(w)) && !w.IsInvariant() {
			v.Args[0], v.Args[1] = w, l
		}
	}
	// AVX-512 computes CapMag's minimum and sign, and ClampMag's maximum
	// and minimum, in one VRANGEPS, where nothing else reads the value it
	// takes in.
	g.ranges, g.fused = map[*ir.Value]vrange{}, map[*ir.Value]bool{}
	for _, v := range g.k.Body() {
		a := v.Args
		switch {
		case !g.t.is512():
		case v.CapMag && a[0].Op == ir.OpMin && a[0].Uses == 1: // XorSign(Min(t, |x|), x)
			g.ranges[v], g.fused[a[0]] = vrange{x: a[1], t: a[0].Args[0]}, true
		case v.ClampMag && a[1].Op == ir.OpMax && a[1].Uses == 1: // Min(c, Max(-c, x))
			g.ranges[v], g.fused[a[1]] = vrange{x: a[1].Args[1], t: a[0]}, true
		}
	}
	// On AVX2, CapMag's minimum takes |x| afresh from x, which the sign
	// keeps live to there anyway: one AND, where |x| would have held a
	// register from the top of the body (tanh).
	g.remat = map[*ir.Value]*ir.Value{}
	for _, v := range g.k.Body() {
		if a := v.Args; !g.t.is512() && v.CapMag && a[0].Op == ir.OpMin && a[0].Args[1].Op == ir.OpAbs && a[0].Args[1].Args[0] == a[1] {
			g.remat[a[0]] = a[1]
		}
	}
	users := map[*ir.Value][]*ir.Value{}
	for _, v := range g.k.Body() {
		for _, a := range g.args(v) {
			users[a] = append(users[a], v)
		}
	}
	// A clamp of a scale's n goes too where it is max(-125, n), which the
	// scale's slow path applies (see scaleCheck); another one stays.
	g.elided = map[*ir.Value]bool{}
	if g.t.is512() {
		for _, v := range g.k.Body() {
			g.elided[v] = v.RangeOnly && (g.scaleFloor(v) || !slices.ContainsFunc(users[v], func(u *ir.Value) bool {
				return u.Op == ir.OpScale && u.Args[1] == v
			}))
		}
	}
	g.negFolded = map[*ir.Value]bool{}
	for _, v := range g.k.Body() {
		if v.Op != ir.OpNeg {
			continue
		}
		ok := len(users[v]) > 0
		for _, w := range users[v] {
			n := 0
			for _, a := range w.Args {
				if a == v {
					n++
				}
			}
			ok = ok && w.Op == ir.OpFMA && n == 1 && !(w.Args[0] == v && w.Args[1].Op == ir.OpNeg) &&
				!(w.Args[1] == v && w.Args[0].Op == ir.OpNeg)
		}
		g.negFolded[v] = ok
	}
	g.lastUse = map[*ir.Value]*ir.Value{}
	g.read = map[*ir.Value]bool{}
	for _, v := range g.k.Body() {
		if g.negFolded[v] || g.elided[v] || g.fused[v] {
			continue
		}
		for _, a := range g.args(v) {
			a = g.strip(g.resolve(a))
			g.lastUse[a] = v
			g.read[a] = true
		}
	}
	g.findMerges()
}

// latency is about how many cycles each operation takes to give its result
// on AVX-512, 0 for what is at hand: add, max, mul, round, scale, FMA and
// divide as measured on a Zen 5 EPYC (dependent chains of zmm operations),
// the rest estimates.
var latency = map[ir.Op]int{
	ir.OpAdd: 2, ir.OpSub: 2, ir.OpMul: 3, ir.OpDiv: 10, ir.OpFMA: 4, ir.OpMin: 2, ir.OpMax: 2,
	ir.OpAbs: 1, ir.OpNeg: 1, ir.OpNegAbs: 1, ir.OpXorSign: 1, ir.OpSqrt: 15, ir.OpCmp: 5,
	ir.OpAnd: 1, ir.OpOr: 1, ir.OpSelect: 1, ir.OpRound: 3, ir.OpScale: 3,
}

// maskable are the operations findMerges may move into a select: those
// with an EVEX form that takes a merging mask.
var maskable = map[ir.Op]bool{
	ir.OpAdd: true, ir.OpSub: true, ir.OpMul: true, ir.OpDiv: true, ir.OpMin: true, ir.OpMax: true,
	ir.OpFMA: true, ir.OpScale: true,
}

// overwrites reports whether v may write its result into the register of
// an operand it reads last: an FMA, a sign flip by VPTERNLOGD, a merged
// select.
func (g *lowering) overwrites(v *ir.Value) bool {
	return v.Op == ir.OpFMA || v.Op == ir.OpXorSign || g.merges[v] != nil
}

// findMerges finds, on AVX-512, the selects m ? x : y that one masked
// instruction computes in place of x's and the blend: x's operation under
// the mask m, written into y's register, whose other lanes keep y; or,
// where m is a comparison only the select reads, m ? y : x as x's operation
// under m's complement. It takes a select whose arm x is read by nothing
// else and whose other arm y dies there (its register is free to
// overwrite), and moves x's instruction to the select's place; x's operands
// must live until then, so none of them may be last read in between by an
// operation that may overwrite it. An FMA must write one of its operands,
// so y must be one.
func (g *lowering) findMerges() {
	g.merges, g.merged, g.inverted = map[*ir.Value]*ir.Value{}, map[*ir.Value]bool{}, map[*ir.Value]bool{}
	if g.t.KRegs == 0 {
		return
	}
	body := g.k.Body()
	pos := map[*ir.Value]int{}
	readers := map[*ir.Value]int{}
	for i, v := range body {
		pos[v] = i
		if g.negFolded[v] || g.elided[v] || g.fused[v] {
			continue
		}
		for _, a := range g.args(v) {
			readers[g.strip(g.resolve(a))]++
		}
	}
	// ready: when each value is ready, in cycles from its iteration's
	// loads, along its longest path (latency, roughly, on AVX-512).
	ready := map[*ir.Value]int{}
	for _, v := range body {
		for _, a := range g.args(v) {
			a = g.strip(g.resolve(a))
			ready[v] = max(ready[v], ready[a]+latency[a.Op])
		}
	}
	for _, s := range body {
		if s.Op != ir.OpSelect || s.Kind == ir.Mask || g.elided[s] {
			continue
		}
		m, t, f := g.resolve(s.Args[0]), g.resolve(s.Args[1]), g.resolve(s.Args[2])
		// The true arm under m, or the false arm under m's complement where
		// m is a comparison that only this select reads.
		canInvert := m.Op == ir.OpCmp && readers[m] == 1 && !g.elided[m]
		for _, arms := range [][2]*ir.Value{{t, f}, {f, t}} {
			x, y := arms[0], arms[1]
			// Under the mask, x waits for it as well as for its operands:
			// merge only where the mask is ready first (not leaky_relu's
			// x >= 0 ? x : a x, 23% slower at 2048 elements merged).
			if x == f && !canInvert || ready[m]+latency[m.Op] > ready[x] || !g.mergeable(s, x, y, pos, readers) {
				continue
			}
			g.merges[s], g.merged[x] = x, true
			g.inverted[m] = x == f
			for _, a := range x.Args {
				if a = g.strip(g.resolve(a)); g.lastUse[a] == x {
					g.lastUse[a] = s
				}
			}
			break
		}
	}
}

// mergeable reports whether the select s can compute its arm x under a mask
// into the register of its other arm y (see findMerges).
func (g *lowering) mergeable(s, x, y *ir.Value, pos, readers map[*ir.Value]int) bool {
	if !maskable[x.Op] || x.IsInvariant() || y.IsInvariant() || x == y || readers[x] != 1 ||
		g.merged[x] || g.lastUse[y] != s {
		return false
	}
	hasY := false
	for _, a := range x.Args {
		a = g.strip(g.resolve(a))
		hasY = hasY || a == y
		if l := g.lastUse[a]; !a.IsInvariant() && pos[l] > pos[x] && pos[l] < pos[s] && g.overwrites(l) {
			return false
		}
	}
	return x.Op != ir.OpFMA || hasY
}

// vrange is a value computed as VRANGEPS: x's sign on min(|x|, |t|).
type vrange struct{ x, t *ir.Value }

// vrange emits r for copy j: imm 0b0010, the operand of least magnitude
// with the first operand's sign (src1 x, src2 t).
func (g *lowering) vrange(r vrange, j int, val func(int, *ir.Value) reg.Register, d reg.Register) {
	g.c.VRANGEPS(operand.U8(0x02), val(j, r.t), val(j, r.x), d)
}

// args are the operands v's instruction reads: VRANGEPS reads t and x in
// place of the operation it takes in.
func (g *lowering) args(v *ir.Value) []*ir.Value {
	if r, ok := g.ranges[v]; ok {
		return []*ir.Value{r.t, r.x}
	}
	if x, ok := g.remat[v]; ok {
		return []*ir.Value{v.Args[0], x}
	}
	return v.Args
}

// strip is the value a folded negation negates (a itself otherwise).
func (g *lowering) strip(a *ir.Value) *ir.Value {
	if g.negFolded[a] {
		return a.Args[0]
	}
	return a
}

// fma emits v = a*b + c for copy j, with a folded negation of a or b
// (or c) turned into VFNMADD (VFMSUB, VFNMSUB). It overwrites an operand
// that dies here rather than copy one, and takes a constant in memory as
// the operand that may be in memory.
func (g *lowering) fma(v *ir.Value, j int, regs map[*ir.Value]reg.Register,
	val func(int, *ir.Value) reg.Register) reg.Register {
	c := g.c
	neg := false
	var args [3]*ir.Value
	for i, a := range v.Args {
		a = g.resolve(a)
		args[i] = g.strip(a)
		if i < 2 && args[i] != a {
			neg = !neg
		}
	}
	subC := args[2] != g.resolve(v.Args[2])
	// op: 231 d = a*b + d, 213 d = b*d + c, 132 d = d*c + b (Avo operand
	// order: memory-capable source, register source, destination).
	op := func(form string, m operand.Op, r, d reg.Register) {
		type f = func(...operand.Op)
		forms := map[[2]bool]map[string][2]f{
			{false, false}: {"231": {c.VFMADD231PS, c.VFMADD231PS_BCST}, "213": {c.VFMADD213PS, c.VFMADD213PS_BCST},
				"132": {c.VFMADD132PS, c.VFMADD132PS_BCST}},
			{true, false}: {"231": {c.VFNMADD231PS, c.VFNMADD231PS_BCST}, "213": {c.VFNMADD213PS, c.VFNMADD213PS_BCST},
				"132": {c.VFNMADD132PS, c.VFNMADD132PS_BCST}},
			{false, true}: {"231": {c.VFMSUB231PS, c.VFMSUB231PS_BCST}, "213": {c.VFMSUB213PS, c.VFMSUB213PS_BCST},
				"132": {c.VFMSUB132PS, c.VFMSUB132PS_BCST}},
			{true, true}: {"231": {c.VFNMSUB231PS, c.VFNMSUB231PS_BCST}, "213": {c.VFNMSUB213PS, c.VFNMSUB213PS_BCST},
				"132": {c.VFNMSUB132PS, c.VFNMSUB132PS_BCST}},
		}
		fs := forms[[2]bool{neg, subC}][form]
		g.bc(fs[0], fs[1], m, r, d)
	}
	inReg := func(a *ir.Value) reg.Register { return val(j, a) }
	src := func(a *ir.Value) operand.Op {
		if m, ok := g.memConst(a); ok {
			return m
		}
		return val(j, a)
	}
	A, B, C := args[0], args[1], args[2]
	if _, ok := g.memConst(B); !ok && A != B {
		A, B = B, A // a constant in memory, if any, as B
	}
	_, cMem := g.memConst(C)
	if y := g.mergeDst; y != nil { // write y's register, an operand
		d := regs[y]
		Y := A // the multiplicand that is not y
		if A == y {
			Y = B
		}
		switch {
		case C == y:
			op("231", src(B), inReg(A), d) // d = A*B + d
		case cMem:
			op("213", src(C), inReg(Y), d) // d = Y*d + C
		default:
			op("132", src(Y), inReg(C), d) // d = d*Y + C
		}
		return d
	}
	if g.dies(v, C) {
		d := regs[C]
		op("231", src(B), inReg(A), d) // d = A*B + d
		return d
	}
	for _, p := range [][2]*ir.Value{{A, B}, {B, A}} {
		X, Y := p[0], p[1]
		if !g.dies(v, X) {
			continue
		}
		d := regs[X]
		if cMem {
			op("213", src(C), inReg(Y), d) // d = Y*d + C
		} else {
			op("132", src(Y), inReg(C), d) // d = d*Y + C
		}
		return d
	}
	d := g.vec()
	if m, ok := g.memConst(C); ok && g.t.is512() {
		c.VBROADCASTSS(m, d)
	} else if ok {
		c.VMOVUPS(m, d)
	} else {
		c.VMOVAPS(inReg(C), d)
	}
	op("231", src(B), inReg(A), d)
	return d
}

// xorSign is d = x ^ (s & sign bit). Where x dies here, AVX-512 does it in
// one VPTERNLOGD, which overwrites x's register; otherwise, and on AVX2, it
// is an AND and an XOR.
func (g *lowering) xorSign(v *ir.Value, regs map[*ir.Value]reg.Register, x, s, d reg.Register) reg.Register {
	if X := v.Args[0]; g.t.is512() && X != v.Args[1] && g.dies(v, X) {
		// The truth table of x ^ (sign & s): bit (x<<2 | sign<<1 | s) of
		// the immediate.
		if operand.IsMem(g.sign) { // the function is symmetric in sign and s
			g.c.VPTERNLOGD_BCST(operand.U8(0x78), g.sign, s, regs[X])
		} else {
			g.c.VPTERNLOGD(operand.U8(0x78), s, g.sign, regs[X])
		}
		return regs[X]
	}
	g.and(g.sign, s, d)
	g.xor(x, d, d)
	return d
}

// and, or and xor take x from a register or the table (a sign mask).
func (g *lowering) and(x operand.Op, y, d reg.Register) {
	if g.t.is512() {
		g.logic(g.c.VPANDD, g.c.VPANDD_BCST, x, y, d) // VANDPS on ZMM would need AVX512DQ
	} else {
		g.c.VANDPS(x, y, d)
	}
}

func (g *lowering) or(x operand.Op, y, d reg.Register) {
	if g.t.is512() {
		g.logic(g.c.VPORD, g.c.VPORD_BCST, x, y, d)
	} else {
		g.c.VORPS(x, y, d)
	}
}

func (g *lowering) xor(x operand.Op, y, d reg.Register) {
	if g.t.is512() {
		g.logic(g.c.VPXORD, g.c.VPXORD_BCST, x, y, d)
	} else {
		g.c.VXORPS(x, y, d)
	}
}

// logic emits an AVX-512 logical instruction, in its broadcast form where x
// is in the table.
func (g *lowering) logic(plain, bcst func(...operand.Op), x operand.Op, y, d reg.Register) {
	if operand.IsMem(x) {
		bcst(x, y, d)
	} else {
		plain(x, y, d)
	}
}
