// Package act computes neural-network activation functions on []float32,
// forward and backward, with generated AVX-512, AVX2 and NEON kernels picked
// at run time and a pure-Go fallback that takes the same steps.
//
// # Shape of the API
//
// Forward functions have the form Name(dst, x []float32, params...) and
// compute dst[i] = f(x[i]). Backward functions have the form
// NameBackward(dx, dy, in []float32, params...) and compute
// dx[i] = dy[i] * f'(in[i]), where in is the forward input x or, where the
// documentation says so, the forward output y. Parameters follow the slices
// with no hidden defaults; Lookup gives PyTorch's.
//
// Lengths must match (a mismatch panics, naming the function and both
// lengths); length 0 is a no-op; any offset works. dst may be x itself, and dx
// may be dy or in itself; any other overlap panics. No call allocates and
// every function is safe for concurrent use.
//
// # Accuracy
//
// Every kernel is held, on every tier, against a float64 reference in ULPs
// with the budgets of the catalogue (package kernels). A NaN input gives a
// NaN output, forward and backward; infinities give the mathematical limits.
//
// # Tiers
//
// ISA names the tier in use ("avx512", "avx2", "neon" or "generic"), ISAs
// lists those this CPU can run and SetISA switches. The environment variable
// ACT_ISA picks the tier at start-up, and the build tag purego removes all
// assembly.
//
// On amd64, where a result may be subnormal, and where a subnormal input
// gives what a zero or another fixed number would, or a fixed multiple of
// itself (elu, selu, silu, mish and gelu_tanh forward), the kernels take the
// path that is fast on this CPU's vendor: Intel's cores compute with subnormal numbers through slow
// microcode assists, which those paths avoid at a small cost on ordinary
// inputs, and AMD's do not. ACT_SUBNORMAL_ASSISTS=1 or 0 picks either path
// on any CPU; both give the same bits.
package act

//go:generate sh -c "cd gen && go run . -root .."
