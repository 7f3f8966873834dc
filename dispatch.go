package act

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
)

// Tier is an instruction-set tier.
type Tier int32

const (
	tierGeneric Tier = iota // plain Go, every platform
	tierNEON                // arm64 Advanced SIMD
	tierAVX2                // x86-64 AVX2 + FMA
	tierAVX512              // x86-64 AVX-512 F and DQ
	numTiers
)

var tierNames = [numTiers]string{"generic", "neon", "avx2", "avx512"}

func (t Tier) String() string { return tierNames[t] }

// active is the tier every call dispatches on.
var active atomic.Int32

// supported lists the tiers this CPU runs, best first (set by the
// architecture's detectTiers).
var supported []Tier

// streamMin is the length from which a call runs the kernel's variant with
// non-temporal stores, where it has one (every kernel that does not read
// dst, on AVX-512 and AVX2; see gen/amd64's Streams): its results go to
// memory without passing through the caches, which saves reading each
// destination line in before it is written, and leaves the caches to the
// input. It pays where the slices outgrow the last-level cache, which they
// would leave anyway. ACT_STREAM_MIN sets it in elements (0: always).
var streamMin atomic.Int64

func init() {
	supported = append(detectTiers(), tierGeneric)
	active.Store(int32(supported[0]))
	if name := os.Getenv("ACT_ISA"); name != "" {
		if err := SetISA(name); err != nil {
			fmt.Fprintf(os.Stderr, "act: ACT_ISA: %v; using %s\n", err, ISA())
		}
	}
	streamMin.Store(defaultStreamMin())
	if s := os.Getenv("ACT_STREAM_MIN"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			fmt.Fprintf(os.Stderr, "act: ACT_STREAM_MIN=%q is not a length; using %d\n", s, streamMin.Load())
		} else {
			streamMin.Store(n)
		}
	}
}

// ISA names the tier in use: "avx512", "avx2", "neon" or "generic".
func ISA() string { return Tier(active.Load()).String() }

// ISAs lists the tiers this CPU can run, best first; "generic" is always last.
func ISAs() []string {
	out := make([]string, len(supported))
	for i, t := range supported {
		out[i] = t.String()
	}
	return out
}

// SetISA switches every function to the named tier (one of ISAs()). It is
// meant for tests and benchmarks; calls in flight finish on the old tier.
func SetISA(name string) error {
	for _, t := range supported {
		if t.String() == strings.ToLower(name) {
			active.Store(int32(t))
			return nil
		}
	}
	return fmt.Errorf("act: tier %q is not available on this CPU (have %s)", name, strings.Join(ISAs(), ", "))
}
