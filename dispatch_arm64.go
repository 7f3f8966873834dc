//go:build arm64 && gc && !purego

package act

import "golang.org/x/sys/cpu"

func detectTiers() []Tier {
	if cpu.ARM64.HasASIMD {
		return []Tier{tierNEON}
	}
	return nil
}
