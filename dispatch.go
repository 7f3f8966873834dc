package act

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
)

// Tier is an instruction-set tier.
type Tier int32

const (
	tierGeneric Tier = iota // plain Go, every platform
	tierNEON                // arm64 Advanced SIMD
	tierAVX2                // x86-64 AVX2 + FMA
	tierAVX512              // x86-64 AVX-512 F
	numTiers
)

var tierNames = [numTiers]string{"generic", "neon", "avx2", "avx512"}

func (t Tier) String() string { return tierNames[t] }

// active is the tier every call dispatches on.
var active atomic.Int32

// supported lists the tiers this CPU runs, best first (set by the
// architecture's detectTiers).
var supported []Tier

func init() {
	supported = append(detectTiers(), tierGeneric)
	active.Store(int32(supported[0]))
	if name := os.Getenv("ACT_ISA"); name != "" {
		if err := SetISA(name); err != nil {
			fmt.Fprintf(os.Stderr, "act: ACT_ISA: %v; using %s\n", err, ISA())
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
