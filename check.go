package act

import (
	"fmt"
	"unsafe"
)

// check2 validates a forward call: equal lengths, and dst either x itself or
// disjoint from it. It returns the length.
func check2(fn string, dst, x []float32) int {
	if len(dst) != len(x) {
		panic(fmt.Sprintf("act.%s: len(dst) = %d, len(x) = %d", fn, len(dst), len(x)))
	}
	if overlap(dst, x) {
		panic(fmt.Sprintf("act.%s: dst and x overlap without being the same slice", fn))
	}
	return len(dst)
}

// check3 validates a backward call: equal lengths, and dx either one of the
// inputs itself or disjoint from both.
func check3(fn, inName string, dx, dy, in []float32) int {
	if len(dx) != len(dy) || len(dx) != len(in) {
		panic(fmt.Sprintf("act.%s: len(dx) = %d, len(dy) = %d, len(%s) = %d", fn, len(dx), len(dy), inName, len(in)))
	}
	if overlap(dx, dy) || overlap(dx, in) {
		panic(fmt.Sprintf("act.%s: dx overlaps an input without being the same slice", fn))
	}
	return len(dx)
}

// overlap reports whether a and b share memory without being the same slice
// (same start and length).
func overlap(a, b []float32) bool {
	return shares(a, b) && !(&a[0] == &b[0] && len(a) == len(b))
}

// shares reports whether a and b have any element in common.
func shares(a, b []float32) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	pa, pb := uintptr(unsafe.Pointer(&a[0])), uintptr(unsafe.Pointer(&b[0]))
	return pa < pb+uintptr(len(b))*4 && pb < pa+uintptr(len(a))*4
}
