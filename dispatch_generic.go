//go:build !(amd64 || arm64) || !gc || purego

package act

import "math"

func detectTiers() []Tier { return nil }

// defaultStreamMin: no tier here has kernels with non-temporal stores.
func defaultStreamMin() int64 { return math.MaxInt64 }
