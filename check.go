package act

import (
	"fmt"
	"unsafe"
)

// check2 validates a forward call: equal lengths, and dst either x itself or
// disjoint from it. It returns the length. It is small enough to inline (a
// panic costs the inliner nothing, and callError formats its message only
// when printed), so that a call on a short slice pays for a few
// comparisons, not another function call.
func check2(fn string, dst, x []float32) int {
	if len(dst) != len(x) || overlap(dst, x) {
		panic(callError{fn, "", dst, x, nil})
	}
	return len(dst)
}

// check3 validates a backward call: equal lengths, and dx either one of the
// inputs itself or disjoint from both (dy and in may share memory).
func check3(fn, inName string, dx, dy, in []float32) int {
	if len(dx) != len(dy) || len(dx) != len(in) || overlap2(dx, dy, in) {
		panic(callError{fn, inName, dx, dy, in})
	}
	return len(dx)
}

// callError is the panic of a call whose slices do not fit: a forward
// call's dst and x (in == ""), or a backward call's dx, dy and its third
// slice, named in. Where the lengths are equal, dst or dx overlaps an input
// without being that slice. It keeps the slices, not their lengths, for the
// inliner's sake: fewer operations in check3.
type callError struct {
	fn, in  string
	a, b, c []float32
}

// Error is the message: the function, and the lengths or the overlap.
func (e callError) Error() string {
	switch {
	case e.in == "" && len(e.a) != len(e.b):
		return fmt.Sprintf("act.%s: len(dst) = %d, len(x) = %d", e.fn, len(e.a), len(e.b))
	case e.in == "":
		return fmt.Sprintf("act.%s: dst and x overlap without being the same slice", e.fn)
	case len(e.a) != len(e.b) || len(e.a) != len(e.c):
		return fmt.Sprintf("act.%s: len(dx) = %d, len(dy) = %d, len(%s) = %d", e.fn, len(e.a), len(e.b), e.in, len(e.c))
	}
	return fmt.Sprintf("act.%s: dx overlaps an input without being the same slice", e.fn)
}

// overlap reports whether a and b, of equal lengths, share memory without
// being the same slice: whether the distance d from b's start to a's, in
// bytes, is neither 0 nor n = 4 len(a) or more either way. As unsigned
// numbers, wrapping around, that is min(d - 1, -d - 1) < n - 1: both wrap to
// the largest number at d = 0 (-d - 1 is ^d), and n - 1 is floored at 0, so
// that empty slices never overlap. No branch, and few enough operations
// that check2 and check3 inline.
func overlap(a, b []float32) bool {
	d := uintptr(unsafe.Pointer(unsafe.SliceData(a))) - uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return min(d-1, ^d) < max(uintptr(len(a))*4, 1)-1
}

// overlap2 is overlap(a, b) || overlap(a, c) for three slices of equal
// lengths, in one comparison. (The address conversions are written out:
// helpers would cost check3 its inlining.)
func overlap2(a, b, c []float32) bool {
	p := uintptr(unsafe.Pointer(unsafe.SliceData(a)))
	d, e := p-uintptr(unsafe.Pointer(unsafe.SliceData(b))), p-uintptr(unsafe.Pointer(unsafe.SliceData(c)))
	return min(d-1, ^d, e-1, ^e) < max(uintptr(len(a))*4, 1)-1
}

// shares reports whether a and b have any element in common.
func shares(a, b []float32) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	pa, pb := uintptr(unsafe.Pointer(&a[0])), uintptr(unsafe.Pointer(&b[0]))
	return pa < pb+uintptr(len(b))*4 && pb < pa+uintptr(len(a))*4
}
