#include "textflag.h"

// Each function runs n iterations of a loop body that holds FMAs into
// independent accumulators, enough to keep both FMA pipes busy, and beside
// them k instructions of one other kind, each writing a register of its own
// from registers nothing writes: no dependency but through the pipes.

// FMA12 is twelve independent zmm FMAs (Z0-Z11).
#define FMA12 \
	VFMADD231PS Z30, Z31, Z0; VFMADD231PS Z30, Z31, Z1; VFMADD231PS Z30, Z31, Z2; \
	VFMADD231PS Z30, Z31, Z3; VFMADD231PS Z30, Z31, Z4; VFMADD231PS Z30, Z31, Z5; \
	VFMADD231PS Z30, Z31, Z6; VFMADD231PS Z30, Z31, Z7; VFMADD231PS Z30, Z31, Z8; \
	VFMADD231PS Z30, Z31, Z9; VFMADD231PS Z30, Z31, Z10; VFMADD231PS Z30, Z31, Z11

// FMA10Y is ten independent ymm FMAs (Y0-Y9).
#define FMA10Y \
	VFMADD231PS Y14, Y15, Y0; VFMADD231PS Y14, Y15, Y1; VFMADD231PS Y14, Y15, Y2; \
	VFMADD231PS Y14, Y15, Y3; VFMADD231PS Y14, Y15, Y4; VFMADD231PS Y14, Y15, Y5; \
	VFMADD231PS Y14, Y15, Y6; VFMADD231PS Y14, Y15, Y7; VFMADD231PS Y14, Y15, Y8; \
	VFMADD231PS Y14, Y15, Y9

// X12(op) is twelve zmm instructions "op Z28, Z29, Zd" into Z12-Z23.
#define X12(op) \
	op Z28, Z29, Z12; op Z28, Z29, Z13; op Z28, Z29, Z14; op Z28, Z29, Z15; \
	op Z28, Z29, Z16; op Z28, Z29, Z17; op Z28, Z29, Z18; op Z28, Z29, Z19; \
	op Z28, Z29, Z20; op Z28, Z29, Z21; op Z28, Z29, Z22; op Z28, Z29, Z23

// X12I(op) is X12 for an instruction with an immediate and one source.
#define X12I(op) \
	op $0, Z29, Z12; op $0, Z29, Z13; op $0, Z29, Z14; op $0, Z29, Z15; \
	op $0, Z29, Z16; op $0, Z29, Z17; op $0, Z29, Z18; op $0, Z29, Z19; \
	op $0, Z29, Z20; op $0, Z29, Z21; op $0, Z29, Z22; op $0, Z29, Z23

// X12T is twelve VPTERNLOGD (a three-input logic operation) into Z12-Z23.
#define X12T \
	VPTERNLOGD $0x96, Z28, Z29, Z12; VPTERNLOGD $0x96, Z28, Z29, Z13; VPTERNLOGD $0x96, Z28, Z29, Z14; \
	VPTERNLOGD $0x96, Z28, Z29, Z15; VPTERNLOGD $0x96, Z28, Z29, Z16; VPTERNLOGD $0x96, Z28, Z29, Z17; \
	VPTERNLOGD $0x96, Z28, Z29, Z18; VPTERNLOGD $0x96, Z28, Z29, Z19; VPTERNLOGD $0x96, Z28, Z29, Z20; \
	VPTERNLOGD $0x96, Z28, Z29, Z21; VPTERNLOGD $0x96, Z28, Z29, Z22; VPTERNLOGD $0x96, Z28, Z29, Z23

// DIV3 is three zmm divisions into Z12-Z14.
#define DIV3 VDIVPS Z28, Z29, Z12; VDIVPS Z28, Z29, Z13; VDIVPS Z28, Z29, Z14

// BLEND10Y is ten VBLENDVPS (ymm, mask Y12) into Y10, Y11.
#define BLEND10Y \
	VBLENDVPS Y12, Y12, Y13, Y10; VBLENDVPS Y12, Y12, Y13, Y11; VBLENDVPS Y12, Y12, Y13, Y10; \
	VBLENDVPS Y12, Y12, Y13, Y11; VBLENDVPS Y12, Y12, Y13, Y10; VBLENDVPS Y12, Y12, Y13, Y11; \
	VBLENDVPS Y12, Y12, Y13, Y10; VBLENDVPS Y12, Y12, Y13, Y11; VBLENDVPS Y12, Y12, Y13, Y10; \
	VBLENDVPS Y12, Y12, Y13, Y11

// X12M is twelve 4-byte loads broadcast to zmm (VBROADCASTSS) into Z24-Z27.
#define X12M \
	VBROADCASTSS one<>(SB), Z24; VBROADCASTSS one<>(SB), Z25; VBROADCASTSS one<>(SB), Z26; \
	VBROADCASTSS one<>(SB), Z27; VBROADCASTSS one<>(SB), Z24; VBROADCASTSS one<>(SB), Z25; \
	VBROADCASTSS one<>(SB), Z26; VBROADCASTSS one<>(SB), Z27; VBROADCASTSS one<>(SB), Z24; \
	VBROADCASTSS one<>(SB), Z25; VBROADCASTSS one<>(SB), Z26; VBROADCASTSS one<>(SB), Z27

// X10Y(op) is ten ymm instructions "op Y12, Y13, Yd" into Y10, Y11 (no
// chain: none reads its destination).
#define X10Y(op) \
	op Y12, Y13, Y10; op Y12, Y13, Y11; op Y12, Y13, Y10; op Y12, Y13, Y11; op Y12, Y13, Y10; \
	op Y12, Y13, Y11; op Y12, Y13, Y10; op Y12, Y13, Y11; op Y12, Y13, Y10; op Y12, Y13, Y11

// INIT512 clears the zmm accumulators and loads the operands; INIT256 does
// the same on ymm registers (VEX only).
#define INIT512 \
	VPXORD Z0, Z0, Z0; VMOVAPS Z0, Z1; VMOVAPS Z0, Z2; VMOVAPS Z0, Z3; VMOVAPS Z0, Z4; \
	VMOVAPS Z0, Z5; VMOVAPS Z0, Z6; VMOVAPS Z0, Z7; VMOVAPS Z0, Z8; VMOVAPS Z0, Z9; \
	VMOVAPS Z0, Z10; VMOVAPS Z0, Z11; VBROADCASTSS one<>(SB), Z30; VMOVAPS Z30, Z31; \
	VBROADCASTSS x<>(SB), Z28; VBROADCASTSS y<>(SB), Z29
#define INIT256 \
	VXORPS Y0, Y0, Y0; VMOVAPS Y0, Y1; VMOVAPS Y0, Y2; VMOVAPS Y0, Y3; VMOVAPS Y0, Y4; \
	VMOVAPS Y0, Y5; VMOVAPS Y0, Y6; VMOVAPS Y0, Y7; VMOVAPS Y0, Y8; VMOVAPS Y0, Y9; \
	VBROADCASTSS one<>(SB), Y14; VMOVAPS Y14, Y15; VBROADCASTSS x<>(SB), Y12; VBROADCASTSS y<>(SB), Y13

// LOOP(name, init, body) is func name(n int): init, then n iterations of body.
#define LOOP(name, init, body) \
TEXT name(SB), NOSPLIT, $0-8; \
	MOVQ n+0(FP), AX; \
	init; \
loop: \
	body; \
	DECQ AX; \
	JNZ loop; \
	VZEROUPPER; \
	RET

// The FMAs multiply 1 by 1; the other instructions read x and y, whose
// quotient has a full significand (a divider may finish early on simpler
// ones).
DATA one<>+0(SB)/4, $0x3f800000 // 1
GLOBL one<>(SB), RODATA|NOPTR, $4
DATA x<>+0(SB)/4, $0x3fb504f3 // 1.4142135 (sqrt 2)
GLOBL x<>(SB), RODATA|NOPTR, $4
DATA y<>+0(SB)/4, $0x3f9e3779 // 1.2360680 (sqrt 5 - 1)
GLOBL y<>(SB), RODATA|NOPTR, $4

LOOP(·zFMA, INIT512, FMA12)
LOOP(·zMax, INIT512, FMA12; X12(VMAXPS))
LOOP(·zMaxAdd, INIT512, FMA12; X12(VMAXPS); X12(VADDPS))
LOOP(·zMul, INIT512, FMA12; X12(VMULPS))
LOOP(·zMaxRound, INIT512, FMA12; X12(VMAXPS); X12I(VRNDSCALEPS))
LOOP(·zScale, INIT512, FMA12; X12(VSCALEFPS))
LOOP(·zMaxScale, INIT512, FMA12; X12(VMAXPS); X12(VSCALEFPS))
LOOP(·zMaxTernlog, INIT512, FMA12; X12(VMAXPS); X12T)
LOOP(·zMaxBroadcast, INIT512, FMA12; X12(VMAXPS); X12M)
LOOP(·zDiv, INIT512, FMA12; X12(VDIVPS))
LOOP(·zDiv3, INIT512, FMA12; DIV3)
LOOP(·yFMA, INIT256, FMA10Y)
LOOP(·yMax, INIT256, FMA10Y; X10Y(VMAXPS))
LOOP(·yBlendv, INIT256, FMA10Y; BLEND10Y)
LOOP(·yMaxAndn, INIT256, FMA10Y; X10Y(VMAXPS); X10Y(VANDNPS))
LOOP(·yDiv, INIT256, FMA10Y; X10Y(VDIVPS))

// The loops below time twelve independent instructions of one kind on
// operands given as arguments (a in Z28/Y12, b in Z29/Y13, c in Z27/Y11), so
// that the same instruction can be timed on normal and on subnormal numbers:
// whether the CPU computes with subnormal inputs, or rounds to a subnormal
// result, at full speed or through a slow path (a microcode assist).
#define OPERANDS \
	VBROADCASTSS a+8(FP), Z28; VBROADCASTSS b+12(FP), Z29; VBROADCASTSS c+16(FP), Z27
#define OPERANDSY \
	VBROADCASTSS a+8(FP), Y12; VBROADCASTSS b+12(FP), Y13; VBROADCASTSS c+16(FP), Y11

// LOOPV(name, init, body) is func name(n int, a, b, c float32).
#define LOOPV(name, init, body) \
TEXT name(SB), NOSPLIT, $0-20; \
	MOVQ n+0(FP), AX; \
	init; \
loopv: \
	body; \
	DECQ AX; \
	JNZ loopv; \
	VZEROUPPER; \
	RET

// F12 is twelve FMAs a*b + c into Z12-Z23 (each destination set to c first).
#define F1(d) VMOVAPS Z27, d; VFMADD231PS Z28, Z29, d
#define F12 \
	F1(Z12); F1(Z13); F1(Z14); F1(Z15); F1(Z16); F1(Z17); \
	F1(Z18); F1(Z19); F1(Z20); F1(Z21); F1(Z22); F1(Z23)
#define F1Y(d) VMOVAPS Y11, d; VFMADD231PS Y12, Y13, d
#define F10Y \
	F1Y(Y0); F1Y(Y1); F1Y(Y2); F1Y(Y3); F1Y(Y4); F1Y(Y5); F1Y(Y6); F1Y(Y7); F1Y(Y8); F1Y(Y9)

// X12U(op) is twelve "op Z29, Zd": one source, b.
#define X12U(op) \
	op Z29, Z12; op Z29, Z13; op Z29, Z14; op Z29, Z15; op Z29, Z16; op Z29, Z17; \
	op Z29, Z18; op Z29, Z19; op Z29, Z20; op Z29, Z21; op Z29, Z22; op Z29, Z23

// CMP12 is twelve comparisons a < b into mask registers.
#define CMP12 \
	VCMPPS $0x11, Z28, Z29, K1; VCMPPS $0x11, Z28, Z29, K2; VCMPPS $0x11, Z28, Z29, K3; \
	VCMPPS $0x11, Z28, Z29, K4; VCMPPS $0x11, Z28, Z29, K5; VCMPPS $0x11, Z28, Z29, K6; \
	VCMPPS $0x11, Z28, Z29, K1; VCMPPS $0x11, Z28, Z29, K2; VCMPPS $0x11, Z28, Z29, K3; \
	VCMPPS $0x11, Z28, Z29, K4; VCMPPS $0x11, Z28, Z29, K5; VCMPPS $0x11, Z28, Z29, K6

LOOPV(·zFMAv, OPERANDS, F12)
LOOPV(·zMulv, OPERANDS, X12(VMULPS))
LOOPV(·zAddv, OPERANDS, X12(VADDPS))
LOOPV(·zMaxv, OPERANDS, X12(VMAXPS))
LOOPV(·zCmpv, OPERANDS, CMP12)
LOOPV(·zRoundv, OPERANDS, X12I(VRNDSCALEPS))
LOOPV(·zGetexpv, OPERANDS, X12U(VGETEXPPS))
LOOPV(·zScalev, OPERANDS, X12(VSCALEFPS))
LOOPV(·zDivv, OPERANDS, X12(VDIVPS))
LOOPV(·yFMAv, OPERANDSY, F10Y)
LOOPV(·yMulv, OPERANDSY, X10Y(VMULPS))
LOOPV(·yAddv, OPERANDSY, X10Y(VADDPS))
