package neon

import "fmt"

// V is a vector register, V0 to V31. Its low 32 bits are the scalar F
// register of the same number.
type V uint8

// arr is the GNU spelling of v with arrangement a ("4s", "16b").
func (v V) arr(a string) string { return fmt.Sprintf("v%d.%s", v, a) }

// word is an instruction Go's assembler cannot spell, encoded by hand, with
// its disassembly (exactly as arm64asm.GNUSyntax prints it) as the comment.
func word(enc uint32, gnu string) string { return fmt.Sprintf("WORD $0x%08x // %s", enc, gnu) }

// Opcodes of the vector instructions written as WORD: the register fields
// (Rm at bit 16, Rn at bit 5, Rd at bit 0) are zero. All work on four
// single-precision lanes (Q=1, sz=0), except NOT on sixteen bytes.
const (
	opFADD   = 0x4e20d400 // FADD  (vector), three same
	opFSUB   = 0x4ea0d400 // FSUB  (vector)
	opFMUL   = 0x6e20dc00 // FMUL  (vector)
	opFDIV   = 0x6e20fc00 // FDIV  (vector)
	opFCMEQ  = 0x4e20e400 // FCMEQ (register)
	opFCMGE  = 0x6e20e400 // FCMGE (register)
	opFCMGT  = 0x6ea0e400 // FCMGT (register)
	opFABS   = 0x4ea0f800 // FABS  (vector), two-register misc
	opFNEG   = 0x6ea0f800 // FNEG  (vector)
	opFSQRT  = 0x6ea1f800 // FSQRT (vector)
	opFMIN   = 0x4ea0f400 // FMIN (vector): IEEE min, NaN-propagating
	opNOT    = 0x6e205800 // NOT, which GNU prints as its alias MVN
	opFRINTN = 0x4e218800 // FRINTN (vector): round to nearest, ties to even
	opFCVTZS = 0x4ea1b800 // FCVTZS (vector, integer): float to int32, toward zero
	opNEG    = 0x6ea0b800 // NEG (vector): int32 negate
	opADD    = 0x4ea08400 // ADD (vector): int32 add
	opSSHR   = 0x4f000400 // SSHR (vector): arithmetic shift right, immh:immb at bit 16
	opSHL    = 0x4f005400 // SHL (vector): shift left, immh:immb at bit 16
	opUSHR   = 0x6f000400 // USHR (vector): logical shift right, immh:immb at bit 16
)

// three encodes a three-same instruction "name vd.4s, vn.4s, vm.4s".
func three(op uint32, name string, d, n, m V) string {
	enc := op | uint32(m&31)<<16 | uint32(n&31)<<5 | uint32(d&31)
	return word(enc, fmt.Sprintf("%s %s, %s, %s", name, d.arr("4s"), n.arr("4s"), m.arr("4s")))
}

// two encodes a two-register-misc instruction "name vd.<a>, vn.<a>".
func two(op uint32, name, a string, d, n V) string {
	enc := op | uint32(n&31)<<5 | uint32(d&31)
	return word(enc, fmt.Sprintf("%s %s, %s", name, d.arr(a), n.arr(a)))
}

// The WORD-encoded instructions, operands in A64 order (destination first).

func fadd(d, n, m V) string  { return three(opFADD, "fadd", d, n, m) }
func fsub(d, n, m V) string  { return three(opFSUB, "fsub", d, n, m) }
func fmul(d, n, m V) string  { return three(opFMUL, "fmul", d, n, m) }
func fdiv(d, n, m V) string  { return three(opFDIV, "fdiv", d, n, m) }
func fcmeq(d, n, m V) string { return three(opFCMEQ, "fcmeq", d, n, m) } // n == m
func fcmge(d, n, m V) string { return three(opFCMGE, "fcmge", d, n, m) } // n >= m
func fcmgt(d, n, m V) string { return three(opFCMGT, "fcmgt", d, n, m) } // n > m
func fmin(d, n, m V) string  { return three(opFMIN, "fmin", d, n, m) }
func fabs(d, n V) string     { return two(opFABS, "fabs", "4s", d, n) }
func fneg(d, n V) string     { return two(opFNEG, "fneg", "4s", d, n) }
func fsqrt(d, n V) string    { return two(opFSQRT, "fsqrt", "4s", d, n) }
func not(d, n V) string      { return two(opNOT, "mvn", "16b", d, n) }
func frintn(d, n V) string   { return two(opFRINTN, "frintn", "4s", d, n) }
func fcvtzs(d, n V) string   { return two(opFCVTZS, "fcvtzs", "4s", d, n) }
func neg(d, n V) string      { return two(opNEG, "neg", "4s", d, n) }
func add(d, n, m V) string   { return three(opADD, "add", d, n, m) }

// sshr is "sshr vd.4s, vn.4s, #sh" (1 <= sh <= 32): immh:immb = 64 - sh.
func sshr(d, n V, sh int) string {
	enc := opSSHR | uint32(64-sh)<<16 | uint32(n&31)<<5 | uint32(d&31)
	return word(enc, fmt.Sprintf("sshr %s, %s, #%d", d.arr("4s"), n.arr("4s"), sh))
}

// ushr is "ushr vd.4s, vn.4s, #sh" (1 <= sh <= 32): immh:immb = 64 - sh.
func ushr(d, n V, sh int) string {
	enc := opUSHR | uint32(64-sh)<<16 | uint32(n&31)<<5 | uint32(d&31)
	return word(enc, fmt.Sprintf("ushr %s, %s, #%d", d.arr("4s"), n.arr("4s"), sh))
}

// shl is "shl vd.4s, vn.4s, #sh" (0 <= sh <= 31): immh:immb = 32 + sh.
func shl(d, n V, sh int) string {
	enc := opSHL | uint32(32+sh)<<16 | uint32(n&31)<<5 | uint32(d&31)
	return word(enc, fmt.Sprintf("shl %s, %s, #%d", d.arr("4s"), n.arr("4s"), sh))
}

// Native Go mnemonics. They take their operands in A64 order too; Go's
// reversed order (sources first, destination last) is written here only.

// vfmla is FMLA vd.4s, vn.4s, vm.4s: d += n*m, rounded once.
func vfmla(d, n, m V) string { return fmt.Sprintf("VFMLA V%d.S4, V%d.S4, V%d.S4", m, n, d) }

// vbsl is BSL: d = d&n | ^d&m (d is the mask).
func vbsl(d, n, m V) string { return fmt.Sprintf("VBSL V%d.B16, V%d.B16, V%d.B16", m, n, d) }

// vbit is BIT: d = d&^m | n&m (insert n where the mask m is set).
func vbit(d, n, m V) string { return fmt.Sprintf("VBIT V%d.B16, V%d.B16, V%d.B16", m, n, d) }

// vbif is BIF: d = d&m | n&^m (insert n where the mask m is clear).
func vbif(d, n, m V) string { return fmt.Sprintf("VBIF V%d.B16, V%d.B16, V%d.B16", m, n, d) }

func vand(d, n, m V) string { return fmt.Sprintf("VAND V%d.B16, V%d.B16, V%d.B16", m, n, d) }
func vorr(d, n, m V) string { return fmt.Sprintf("VORR V%d.B16, V%d.B16, V%d.B16", m, n, d) }
func veor(d, n, m V) string { return fmt.Sprintf("VEOR V%d.B16, V%d.B16, V%d.B16", m, n, d) }
func vzero(d V) string      { return fmt.Sprintf("VEOR V%d.B16, V%d.B16, V%d.B16", d, d, d) }
func vmov(d, n V) string    { return fmt.Sprintf("VMOV V%d.B16, V%d.B16", n, d) }

// vdupR broadcasts the low word of general register r to every lane of d.
func vdupR(d V, r string) string { return fmt.Sprintf("VDUP %s, V%d.S4", r, d) }

// vdup0 broadcasts lane 0 of d to every lane of d.
func vdup0(d V) string { return fmt.Sprintf("VDUP V%d.S[0], V%d.S4", d, d) }

// mem is the Go spelling of the address off(r).
func mem(off int, r string) string {
	if off == 0 {
		return "(" + r + ")"
	}
	return fmt.Sprintf("%d(%s)", off, r)
}

// ldq and stq move 16 bytes (four lanes) between Vd and off(r).
func ldq(d V, off int, r string) string { return fmt.Sprintf("FMOVQ %s, F%d", mem(off, r), d) }
func stq(d V, off int, r string) string { return fmt.Sprintf("FMOVQ F%d, %s", d, mem(off, r)) }

// lds loads one float32 into lane 0 of d, zeroing the other lanes; sts stores
// lane 0 of d.
func lds(d V, off int, r string) string { return fmt.Sprintf("FMOVS %s, F%d", mem(off, r), d) }
func sts(d V, off int, r string) string { return fmt.Sprintf("FMOVS F%d, %s", d, mem(off, r)) }
