package desc

import (
	"math"
	"strings"
	"testing"

	"github.com/simdact/act/gen/ir"
)

// eval runs k on one lane (streams in, parameters p) in float32, calling
// visit with every value computed, its operands and its result.
func eval(k *ir.Kernel, in, p [4]float32, visit func(v *ir.Value, args []float32, r float32)) {
	val := map[*ir.Value]float32{}
	mask := map[*ir.Value]bool{}
	for _, v := range k.Values {
		args := make([]float32, len(v.Args))
		for i, a := range v.Args {
			args[i] = val[a]
		}
		var r float32
		switch v.Op {
		case ir.OpLoad:
			r = in[v.Stream]
		case ir.OpConst:
			r = v.F
		case ir.OpParam:
			r = p[v.Index]
		case ir.OpAdd:
			r = args[0] + args[1]
		case ir.OpSub:
			r = args[0] - args[1]
		case ir.OpMul:
			r = float32(float64(args[0]) * float64(args[1])) // exact in float64, rounded once
		case ir.OpDiv:
			r = args[0] / args[1]
		case ir.OpFMA: // close enough for finding tiny values
			r = float32(math.FMA(float64(args[0]), float64(args[1]), float64(args[2])))
		case ir.OpMin:
			r = args[1]
			if args[0] < args[1] {
				r = args[0]
			}
		case ir.OpMax:
			r = args[1]
			if args[0] > args[1] {
				r = args[0]
			}
		case ir.OpAbs:
			r = float32(math.Abs(float64(args[0])))
		case ir.OpNeg:
			r = -args[0]
		case ir.OpNegAbs:
			r = -float32(math.Abs(float64(args[0])))
		case ir.OpXorSign:
			r = math.Float32frombits(math.Float32bits(args[0]) ^ math.Float32bits(args[1])&(1<<31))
		case ir.OpSqrt:
			r = float32(math.Sqrt(float64(args[0])))
		case ir.OpRound:
			r = float32(math.RoundToEven(float64(args[0])))
		case ir.OpScale:
			r = float32(math.Ldexp(float64(args[0]), int(args[1])))
		case ir.OpCmp:
			x, y := args[0], args[1]
			mask[v] = map[ir.Pred]bool{ir.LT: x < y, ir.LE: x <= y, ir.GT: x > y, ir.GE: x >= y, ir.EQ: x == y,
				ir.NE: x != y, ir.Unord: x != x || y != y}[v.Pred]
			continue
		case ir.OpAnd:
			mask[v] = mask[v.Args[0]] && mask[v.Args[1]]
			continue
		case ir.OpOr:
			mask[v] = mask[v.Args[0]] || mask[v.Args[1]]
			continue
		case ir.OpSelect:
			r = args[2]
			if mask[v.Args[0]] {
				r = args[1]
			}
		case ir.OpStore:
			continue
		default:
			panic("eval: " + v.Op.String())
		}
		val[v] = r
		visit(v, args, r)
	}
}

func subnormal(f float32) bool { return f != 0 && math.Abs(float64(f)) < 0x1p-126 }

// TestTinyInputs holds the tinySafe kernels (of every family) to SPEC's
// "subnormal inputs are ordinary numbers ... no more than 2x slower": on
// x86, a product (MULPS) or a quotient (DIVPS) with a subnormal operand or
// result can take a microcode assist that costs more than the rest of the
// vector's work, while FMA, additions, comparisons, rounding and VSCALEFPS
// run at full speed. So no Mul or Div of these kernels may meet a
// subnormal when x is subnormal (products that must be subnormal are
// mulSub's FMAs). The other kernels are logged here with what this rule
// would flag: those of the exp family were measured at the ordinary speed
// on subnormal inputs as they are (BenchmarkSubnormal); the piecewise
// family's, measured once on AVX-512 outside the benchmarks, within 2x
// (hard_swish forward the highest, 1.9x).
func TestTinyInputs(t *testing.T) {
	xs := []float32{0x1p-149, 0x1.8p-130, 0x1.fffffcp-127}
	var ks []*ir.Kernel
	for _, f := range Families {
		ks = append(ks, f.Build()...)
	}
	for _, k := range ks {
		report := t.Errorf
		if !tinySafe[k.Name] {
			report = t.Logf
		}
		bwd := strings.HasSuffix(k.Name, "_bwd")
		for _, x := range xs {
			for _, x := range []float32{x, -x} {
				in := [4]float32{0, x, 0, 0}
				if bwd {
					in = [4]float32{0, 0.7, x, 0}
				}
				eval(k, in, [4]float32{1, 0, 0, 0}, func(v *ir.Value, args []float32, r float32) {
					if v.Op != ir.OpMul && v.Op != ir.OpDiv {
						return
					}
					if subnormal(r) || subnormal(args[0]) || subnormal(args[1]) {
						report("%s at x = %g: %v meets a subnormal (%g, %g -> %g)", k.Name, x, v, args[0], args[1], r)
					}
				})
			}
		}
	}
}
