//go:build amd64 && gc && !purego

package act

import (
	"fmt"
	"testing"

	"github.com/simdact/act/asm"
	"github.com/simdact/act/kernels"
)

// TestSubnormalAssists holds every kernel to the fallback, bit for bit, with
// asm.SubnormalAssists set both ways, whatever this CPU's vendor: the scale
// by 2^n that may give subnormal results has a path for each (integer
// instructions where set, VSCALEFPS or two FMAs where not).
func TestSubnormalAssists(t *testing.T) {
	was := asm.SubnormalAssists
	defer func() { asm.SubnormalAssists = was }()
	for _, on := range []bool{false, true} {
		asm.SubnormalAssists = on
		for _, e := range kernels.All {
			t.Run(fmt.Sprintf("assists=%v/%s", on, e.Name), func(t *testing.T) { testEntry(t, e, e.Defaults()) })
		}
	}
}

// forAssists runs f as a subtest with asm.SubnormalAssists set each way.
func forAssists(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	was := asm.SubnormalAssists
	defer func() { asm.SubnormalAssists = was }()
	for _, on := range []bool{false, true} {
		asm.SubnormalAssists = on
		t.Run(fmt.Sprintf("assists=%v", on), f)
	}
}
