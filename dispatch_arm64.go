//go:build arm64 && gc && !purego

package act

import (
	"math"

	"golang.org/x/sys/cpu"
)

func detectTiers() []Tier {
	if cpu.ARM64.HasASIMD {
		return []Tier{tierNEON}
	}
	return nil
}

// defaultStreamMin: no tier here has kernels with non-temporal stores.
func defaultStreamMin() int64 { return math.MaxInt64 }
