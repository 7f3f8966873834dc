package pipes

// The loops of pipes_amd64.s: n iterations each. The z* loops need
// AVX-512F, the y* loops AVX2 and FMA.
func zFMA(n int)
func zMax(n int)
func zMaxAdd(n int)
func zMul(n int)
func zMaxRound(n int)
func zScale(n int)
func zMaxScale(n int)
func zMaxTernlog(n int)
func zMaxBroadcast(n int)
func zDiv(n int)
func zDiv3(n int)
func yFMA(n int)
func yMax(n int)
func yBlendv(n int)
func yMaxAndn(n int)
func yDiv(n int)

// The loops on given operands, n iterations of twelve (zmm) or ten (ymm)
// instructions: FMA a*b + c, b*a, b + a, max(b, a), a < b, round(b),
// getexp(b), b * 2^floor(a), b / a.
func zFMAv(n int, a, b, c float32)
func zMulv(n int, a, b, c float32)
func zAddv(n int, a, b, c float32)
func zMaxv(n int, a, b, c float32)
func zCmpv(n int, a, b, c float32)
func zRoundv(n int, a, b, c float32)
func zGetexpv(n int, a, b, c float32)
func zScalev(n int, a, b, c float32)
func zDivv(n int, a, b, c float32)
func yFMAv(n int, a, b, c float32)
func yMulv(n int, a, b, c float32)
func yAddv(n int, a, b, c float32)
