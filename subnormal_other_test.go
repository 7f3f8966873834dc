//go:build !amd64 || !gc || purego

package act

import "testing"

// forAssists runs f: there is no asm.SubnormalAssists on this build.
func forAssists(t *testing.T, f func(t *testing.T)) { f(t) }
