//go:build linux

package act

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime/debug"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// guarded is a mapping laid out as
//
//	[PROT_NONE page][read-write pages][PROT_NONE page]
//
// so that touching a byte just before or just after the read-write part
// faults (SPEC section 6: no kernel may read or write outside its slices).
type guarded struct {
	mem  []byte // the whole mapping
	rw   []byte // the read-write part
	page int
}

// newGuarded maps a guarded region with at least bytes read-write bytes; it is
// unmapped when the test ends.
func newGuarded(tb testing.TB, bytes int) *guarded {
	tb.Helper()
	page := unix.Getpagesize()
	rw := (bytes + page - 1) / page * page
	if rw == 0 {
		rw = page
	}
	mem, err := unix.Mmap(-1, 0, page+rw+page, unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		tb.Fatalf("mmap: %v", err)
	}
	tb.Cleanup(func() {
		if err := unix.Munmap(mem); err != nil {
			tb.Errorf("munmap: %v", err)
		}
	})
	if err := unix.Mprotect(mem[page:page+rw], unix.PROT_READ|unix.PROT_WRITE); err != nil {
		tb.Fatalf("mprotect: %v", err)
	}
	return &guarded{mem: mem, rw: mem[page : page+rw], page: page}
}

// floats is the read-write part as float32s.
func (g *guarded) floats() []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(&g.rw[0])), len(g.rw)/4)
}

// atEnd returns n float32s whose last element sits right before the trailing
// PROT_NONE page.
func (g *guarded) atEnd(n int) []float32 {
	all := g.floats()
	return all[len(all)-n:]
}

// atStart returns n float32s whose first element sits right after the leading
// PROT_NONE page.
func (g *guarded) atStart(n int) []float32 {
	return g.floats()[:n]
}

// guardedEnd returns n float32s (zero) in a fresh mapping, the last right
// before an unmapped page.
func guardedEnd(tb testing.TB, n int) []float32 { return newGuarded(tb, 4*n).atEnd(n) }

// guardedStart returns n float32s (zero) in a fresh mapping, the first right
// after an unmapped page.
func guardedStart(tb testing.TB, n int) []float32 { return newGuarded(tb, 4*n).atStart(n) }

// poison fills the whole read-write part with a signalling-NaN pattern that
// no kernel produces, so that a stray write can be seen.
func (g *guarded) poison() {
	all := g.floats()
	for i := range all {
		all[i] = math.Float32frombits(0x7fa0dead)
	}
}

// untouched reports the first index outside s (a slice of g) whose poison
// changed, or -1.
func (g *guarded) untouched(s []float32) int {
	all := g.floats()
	start := int((uintptr(unsafe.Pointer(unsafe.SliceData(s))) - uintptr(unsafe.Pointer(&all[0]))) / 4)
	for i, v := range all {
		if (i < start || i >= start+len(s)) && math.Float32bits(v) != 0x7fa0dead {
			return i
		}
	}
	return -1
}

// callGuarded runs f and turns a memory fault (a kernel reading or writing a
// guard page) into a test failure that says where it was.
func callGuarded(t *testing.T, what string, f func()) {
	t.Helper()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if a, ok := r.(interface{ Addr() uintptr }); ok {
				t.Fatalf("%s: memory fault at %#x (%v): the kernel touched a guard page", what, a.Addr(), r)
			}
			panic(r)
		}
	}()
	f()
}

// guardLengths are the lengths TestGuardPages tries: every length up to three
// AVX-512 vectors and one, and a few larger ones.
func guardLengths() []int {
	var ns []int
	for n := 1; n <= 3*16+1; n++ {
		ns = append(ns, n)
	}
	return append(ns, 63, 64, 65, 100, 255, 1000)
}

// TestGuardPages runs every kernel on every tier, ordinary and with
// non-temporal stores, with dst and every stream it reads placed against an
// unmapped page, first with the last element right before it, then with the
// first element right after one: reading or writing past either end faults.
// The results must equal those computed in ordinary slices, the inputs must
// not change and nothing around dst may be written.
func TestGuardPages(t *testing.T) {
	ns := guardLengths()
	maxN := ns[len(ns)-1]
	p := []float32{0.25, 2, 0.5, 0}
	for _, name := range sortedKernels(func(string) bool { return true }) {
		streams, _ := kernelReads(name)
		t.Run(name, func(t *testing.T) {
			// One guarded region for dst and each of the three streams.
			var regions [4]*guarded
			for i := range regions {
				regions[i] = newGuarded(t, 4*maxN)
			}
			forTiers(t, func(t *testing.T) {
				forStreamModes(t, func(t *testing.T) {
					r := rand.New(rand.NewPCG(uint64(len(name)), 11))
					for _, n := range ns {
						var ins [3][]float32
						for _, s := range streams {
							ins[s] = fill(r, n, 3)
							if n > 2 {
								ins[s][r.IntN(n)] = nan32
							}
						}
						init := fill(r, n, 1)

						// Ordinary slices first.
						want := append([]float32(nil), init...)
						run(name, want, ins[0], ins[1], ins[2], p)

						for _, place := range []string{"end", "start"} {
							for _, g := range regions {
								g.poison()
							}
							at := func(g *guarded) []float32 {
								if place == "end" {
									return g.atEnd(n)
								}
								return g.atStart(n)
							}
							dst := at(regions[3])
							copy(dst, init)
							var gin [3][]float32
							for _, s := range streams {
								gin[s] = at(regions[s])
								copy(gin[s], ins[s])
							}
							what := fmt.Sprintf("n=%d, slices at the %s of their mapping", n, place)
							callGuarded(t, what, func() { run(name, dst, gin[0], gin[1], gin[2], p) })

							for i := range dst {
								if !sameBits(dst[i], want[i]) {
									t.Fatalf("%s: dst[%d] = %g, ordinary slices give %g", what, i, dst[i], want[i])
								}
							}
							for _, s := range streams {
								for i := range gin[s] {
									if !sameBits(gin[s][i], ins[s][i]) {
										t.Fatalf("%s: input stream %d changed at %d", what, s, i)
									}
								}
								if i := regions[s].untouched(gin[s]); i >= 0 {
									t.Fatalf("%s: wrote around input stream %d (element %d of its mapping)", what, s, i)
								}
							}
							if i := regions[3].untouched(dst); i >= 0 {
								t.Fatalf("%s: wrote outside dst (element %d of its mapping)", what, i)
							}
						}
					}
				})
			})
		})
	}
}

// guardSink keeps TestGuardHelpers' loads from being optimised away.
var guardSink float32

// TestGuardHelpers checks that the guard helpers place slices where they say
// and that the guard pages really are unmapped.
func TestGuardHelpers(t *testing.T) {
	g := newGuarded(t, 100)
	page := unix.Getpagesize()
	base := uintptr(unsafe.Pointer(&g.mem[0]))
	end := g.atEnd(3)
	if got := uintptr(unsafe.Pointer(&end[2])) + 4; got != base+uintptr(len(g.mem)-page) {
		t.Fatalf("atEnd: last element ends at %#x, guard page starts at %#x", got, base+uintptr(len(g.mem)-page))
	}
	start := g.atStart(3)
	if got := uintptr(unsafe.Pointer(&start[0])); got != base+uintptr(page) {
		t.Fatalf("atStart: first element at %#x, guard page ends at %#x", got, base+uintptr(page))
	}
	guardPageAt := func(addr uintptr) string {
		switch {
		case addr >= base && addr < base+uintptr(page):
			return "leading"
		case addr >= base+uintptr(len(g.mem)-page) && addr < base+uintptr(len(g.mem)):
			return "trailing"
		}
		return "none"
	}
	for _, c := range []struct {
		what, guard string
		f           func()
	}{
		{"read after the end", "trailing", func() { guardSink = *(*float32)(unsafe.Add(unsafe.Pointer(&end[2]), 4)) }},
		{"write after the end", "trailing", func() { *(*float32)(unsafe.Add(unsafe.Pointer(&end[2]), 4)) = 1 }},
		{"read before the start", "leading", func() { guardSink = *(*float32)(unsafe.Add(unsafe.Pointer(&start[0]), -4)) }},
	} {
		func() {
			defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
			defer func() {
				r := recover()
				a, ok := r.(interface{ Addr() uintptr })
				if !ok {
					t.Errorf("%s: got %v, want a memory fault", c.what, r)
				} else if got := guardPageAt(a.Addr()); got != c.guard {
					t.Errorf("%s: fault at %#x in guard page %q, want %q", c.what, a.Addr(), got, c.guard)
				}
			}()
			c.f()
		}()
	}

	// The one-off helpers place slices the same way.
	if e := guardedEnd(t, 5); uintptr(unsafe.Pointer(&e[4]))%uintptr(page) != uintptr(page-4) {
		t.Errorf("guardedEnd: last element at %p, not at the end of a page", &e[4])
	}
	if s := guardedStart(t, 5); uintptr(unsafe.Pointer(&s[0]))%uintptr(page) != 0 {
		t.Errorf("guardedStart: first element at %p, not at the start of a page", &s[0])
	}

	// A kernel told to read one element more than its input holds must fault
	// (in assembly as in Go), and callGuarded must see it.
	forTiers(t, func(t *testing.T) {
		for _, n := range []int{1, 7, 16, 17} {
			all := g.floats()
			// x holds n-1 elements against the guard; the kernel is told n.
			x := (*float32)(unsafe.Add(unsafe.Pointer(&all[len(all)-1]), 4-4*(n-1)))
			dst := make([]float32, n)
			var p [4]float32
			var fault any
			func() {
				defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
				defer func() { fault = recover() }()
				kernelFuncs["relu_fwd"](n, &dst[0], x, nil, nil, &p)
			}()
			a, ok := fault.(interface{ Addr() uintptr })
			if !ok {
				t.Errorf("n=%d: reading one element past the end gave %v, want a memory fault", n, fault)
			} else if guardPageAt(a.Addr()) != "trailing" {
				t.Errorf("n=%d: fault at %#x, outside the trailing guard page", n, a.Addr())
			}
		}
	})
}
