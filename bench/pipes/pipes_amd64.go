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
