package act

import (
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"strings"
	"testing"
	"unsafe"
)

// TestHash prints, for each activation named in ACT_HASH (comma-separated)
// and each tier this CPU runs, an FNV-64a hash of its forward outputs and of
// its backward outputs (dy = 1, y = the forward output) over all 2^32 float32
// inputs in bit order. Equal hashes show two tiers, or two versions of a
// kernel, giving the same bits on every input, at a fraction of the sweep's
// cost. ACT_SWEEP_ISA picks the tiers, as for the sweep:
//
//	ACT_HASH=tanh,mish ACT_SWEEP_ISA=avx512,avx2 go test -run TestHash -v -timeout 0 .
//
// With ACT_HASH_QUIET=1 each NaN output is hashed with its quiet bit set:
// tanh's AVX-512 forward pass quiets a signaling NaN input (VRANGEPS) that
// the other tiers return as it came, a NaN either way (SPEC asks no more);
// so hashed, the tiers' bits can be compared on every other input.
func TestHash(t *testing.T) {
	sel := os.Getenv("ACT_HASH")
	if sel == "" {
		t.Skip("set ACT_HASH=name,... to hash every output of those activations")
	}
	const blk = 1 << 20
	x, y := make([]float32, blk), make([]float32, blk)
	dy, dx := make([]float32, blk), make([]float32, blk)
	for i := range dy {
		dy[i] = 1
	}
	quiet := os.Getenv("ACT_HASH_QUIET") == "1"
	q := make([]float32, blk)
	bytes := func(s []float32) []byte {
		if quiet {
			for i, v := range s {
				q[i] = v
				if v != v {
					q[i] = math.Float32frombits(math.Float32bits(v) | 1<<22)
				}
			}
			s = q
		}
		return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), 4*len(s))
	}
	was := ISA()
	defer SetISA(was)
	for _, name := range strings.Split(sel, ",") {
		a, ok := Lookup(name)
		if !ok {
			t.Fatalf("ACT_HASH: no activation %q", name)
		}
		for _, tier := range sweepTiers(t) {
			if err := SetISA(tier); err != nil {
				t.Fatal(err)
			}
			hf, hb := fnv.New64a(), fnv.New64a()
			for base := uint64(0); base < 1<<32; base += blk {
				for i := range x {
					x[i] = math.Float32frombits(uint32(base + uint64(i)))
				}
				a.Forward(y, x)
				a.Backward(dx, dy, x, y)
				hf.Write(bytes(y))
				hb.Write(bytes(dx))
			}
			fmt.Printf("hash %s %s fwd %016x bwd %016x\n", name, tier, hf.Sum64(), hb.Sum64())
		}
	}
}
