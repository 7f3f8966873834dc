package act

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unsafe"
)

// forStreamModes runs f as a subtest twice: with the ordinary kernels
// ("cached") and with the variants with non-temporal stores forced at every
// length ("stream"). It restores streamMin after.
func forStreamModes(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	was := streamMin.Load()
	defer streamMin.Store(was)
	for _, m := range []struct {
		name string
		min  int64
	}{{"cached", math.MaxInt64}, {"stream", 0}} {
		streamMin.Store(m.min)
		t.Run(m.name, f)
	}
}

// streamLengths are the lengths TestStream tries: every length up to four
// AVX-512 vectors, then lengths through two full unrolled iterations of 8
// AVX-512 vectors and a tail, in steps that meet every remainder modulo 16.
func streamLengths() []int {
	var ns []int
	for n := 0; n <= 64; n++ {
		ns = append(ns, n)
	}
	for n := 71; n <= 2*8*16+2*16+15; n += 13 {
		ns = append(ns, n)
	}
	return ns
}

// streamSpecials are inputs whose operands or results in the exp family are
// subnormal or about to be (tiny x, e^x below 2^-126, sigmoid's tail), and
// zeros, infinities and the saturation edges.
var streamSpecials = []float32{
	0x1p-149, -0x1p-140, 0x1.8p-127, -0x1p-126, 0x1p-100, 0, float32(math.Copysign(0, -1)),
	-87.5, -95, -100, -103.9, -110, 88.7, 89, float32(math.Inf(1)), float32(math.Inf(-1)),
}

// TestStream runs every kernel on every tier, with asm.SubnormalAssists set
// each way, with its variant with non-temporal stores forced, with dst at
// each of the 16 offsets from a 64-byte boundary (the head stored through a
// mask before the aligned body changes with it) and the inputs at other
// offsets: the results must be those of the ordinary kernel bit for bit,
// and nothing around dst may be written. One input in seven is a value that
// sends the exp family down its paths for subnormal operands and results
// where the flag is set (streamSpecials). Where a tier has no such variant,
// both runs take the same code.
func TestStream(t *testing.T) {
	p := []float32{0.25, 2, 0.5, 0}
	ns := streamLengths()
	maxN := ns[len(ns)-1]
	for _, name := range sortedKernels(func(string) bool { return true }) {
		streams, _ := kernelReads(name)
		t.Run(name, func(t *testing.T) {
			forTiers(t, func(t *testing.T) {
				forAssists(t, func(t *testing.T) {
					was := streamMin.Load()
					defer streamMin.Store(was)
					r := rand.New(rand.NewPCG(uint64(len(name)), 12))
					// dstBuf starts at a 64-byte boundary.
					dstBuf := make([]float32, maxN+32+16)
					skip := int(-uintptr(unsafe.Pointer(&dstBuf[0])) % 64 / 4)
					dstBuf = dstBuf[skip:]
					var inBufs [3][]float32
					for _, s := range streams {
						inBufs[s] = fill(r, maxN+16, 3)
						for i := r.IntN(7); i < len(inBufs[s]); i += 7 {
							inBufs[s][i] = streamSpecials[r.IntN(len(streamSpecials))]
						}
					}
					for off := 0; off < 16; off++ {
						for _, n := range ns {
							var ins [3][]float32
							for _, s := range streams {
								o := (off + 5*(s+1)) % 16
								ins[s] = inBufs[s][o : o+n]
								if n > 2 {
									ins[s][r.IntN(n)] = nan32
								}
							}
							init := fill(r, n+32, 1)
							streamMin.Store(math.MaxInt64)
							want := append([]float32(nil), init[16:16+n]...)
							run(name, want, ins[0], ins[1], ins[2], p)

							streamMin.Store(0)
							buf := dstBuf[off : off+n+32]
							copy(buf, init)
							run(name, buf[16:16+n], ins[0], ins[1], ins[2], p)
							for i := range buf {
								switch {
								case i < 16 || i >= 16+n:
									if !sameBits(buf[i], init[i]) {
										t.Fatalf("off=%d n=%d: wrote dst[%d] outside the slice", off, n, i-16)
									}
								case !sameBits(buf[i], want[i-16]):
									t.Fatalf("off=%d n=%d: dst[%d] = %g, the ordinary kernel gives %g",
										off, n, i-16, buf[i], want[i-16])
								}
							}
						}
					}
				})
			})
		})
	}
}

// TestStreamWired checks that dispatch calls every kernel variant with
// non-temporal stores that asm/ declares, from streamMin on: TestStream
// cannot tell a variant that never runs from one that agrees.
func TestStreamWired(t *testing.T) {
	stubs, err := filepath.Glob(filepath.Join("asm", "*_amd64.go"))
	if err != nil || len(stubs) == 0 {
		t.Fatalf("no asm/*_amd64.go: %v", err)
	}
	dispatch, err := os.ReadFile("zdispatch_amd64.go")
	if err != nil {
		t.Fatal(err)
	}
	decl := regexp.MustCompile(`(?m)^func (\w+Stream(AVX512|AVX2))\(`)
	n := 0
	for _, f := range stubs {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range decl.FindAllSubmatch(src, -1) {
			n++
			call := fmt.Sprintf("if n >= int(streamMin.Load()) {\n\t\t\tasm.%s(", m[1])
			if !strings.Contains(string(dispatch), call) {
				t.Errorf("zdispatch_amd64.go does not call asm.%s from streamMin on", m[1])
			}
		}
	}
	if n == 0 {
		t.Fatal("asm/ declares no variant with non-temporal stores")
	}
}
