package act

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// sortedKernels lists the names in kernelFuncs for which keep holds, sorted,
// so that an index picks the same kernel in every run.
func sortedKernels(keep func(name string) bool) []string {
	var names []string
	for name := range kernelFuncs {
		if keep(name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// fuzzParams are valid parameters for every kernel: p[0] is a slope, a
// positive b, a lambda or a threshold; p[1] an upper bound above p[0].
var fuzzParams = []float32{0.25, 2, 0.5, 0}

// fuzzSeeds adds a few entries to a fuzz target's corpus: nothing, special
// values, and a few vectors' worth of ordinary ones.
func fuzzSeeds(f *testing.F) {
	enc := func(vs ...float32) []byte {
		b := make([]byte, 4*len(vs))
		for i, v := range vs {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
		}
		return b
	}
	f.Add([]byte{}, uint8(0), uint8(0))
	f.Add(enc(1), uint8(3), uint8(1))
	f.Add(enc(specials()...), uint8(5), uint8(0))
	f.Add(enc(specials()...), uint8(200), uint8(3))
	var ramp []float32
	for i := -70; i <= 70; i++ {
		ramp = append(ramp, float32(i)/8)
	}
	f.Add(enc(ramp...), uint8(7), uint8(2))
	f.Add(enc(ramp[:49]...), uint8(11), uint8(17))
	f.Add(enc(nan32, -inf32, negz32, 0x1p-149, 3, -3, 6, 0.5, -0.5, -1, 1), uint8(1), uint8(9))
}

// fuzzTiers runs kernel name on the inputs decoded from data, first on the
// generic tier, then on every other tier this CPU runs, and fails unless they
// agree bit for bit (any NaN matching any NaN). off shifts the slices within
// their buffers so that the vector tiers see every alignment.
func fuzzTiers(t *testing.T, names []string, data []byte, which, off uint8) {
	name := names[int(which)%len(names)]
	streams, acc := kernelReads(name)
	k := len(streams)
	if acc {
		k++ // dst's initial value is an input too
	}
	vals := make([]float32, len(data)/4)
	for i := range vals {
		vals[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
	}
	n := len(vals) / k
	o := int(off % 16)
	chunk := func(i int) []float32 {
		buf := make([]float32, o+n+16)
		copy(buf[o:], vals[i*n:(i+1)*n])
		return buf[o : o+n]
	}
	var ins [3][]float32
	for i, s := range streams {
		ins[s] = chunk(i)
	}
	init := make([]float32, n)
	if acc {
		init = chunk(k - 1)
	}

	was := ISA()
	defer SetISA(was)
	if err := SetISA("generic"); err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(init)
	run(name, want, ins[0], ins[1], ins[2], fuzzParams)
	for _, tier := range ISAs() {
		if tier == "generic" {
			continue
		}
		if err := SetISA(tier); err != nil {
			t.Fatal(err)
		}
		dst := chunk(0) // any values: the kernel overwrites them (or adds to init)
		copy(dst, init)
		run(name, dst, ins[0], ins[1], ins[2], fuzzParams)
		for i := range dst {
			if !sameBits(dst[i], want[i]) {
				var in []string
				for _, s := range streams {
					in = append(in, fmtBits(ins[s][i]))
				}
				if acc {
					in = append(in, "dst "+fmtBits(init[i]))
				}
				t.Fatalf("%s n=%d lane %d, inputs %v: %s gives %s, generic %s",
					name, n, i, in, tier, fmtBits(dst[i]), fmtBits(want[i]))
			}
		}
	}
}

// fmtBits prints a float32 with its bits.
func fmtBits(v float32) string { return fmt.Sprintf("%g (%#08x)", v, math.Float32bits(v)) }

// FuzzForward holds every tier's forward kernels to the generic tier bit for
// bit on inputs decoded from data (4 bytes a float32, little endian).
func FuzzForward(f *testing.F) {
	fuzzSeeds(f)
	names := sortedKernels(func(name string) bool { return strings.HasSuffix(name, "_fwd") })
	f.Fuzz(func(t *testing.T, data []byte, which, off uint8) {
		fuzzTiers(t, names, data, which, off)
	})
}

// FuzzBackward does the same for the backward kernels (and prelu_dslope):
// data is split evenly between dy, the forward's x or y, and any other stream.
func FuzzBackward(f *testing.F) {
	fuzzSeeds(f)
	names := sortedKernels(func(name string) bool { return !strings.HasSuffix(name, "_fwd") })
	f.Fuzz(func(t *testing.T, data []byte, which, off uint8) {
		fuzzTiers(t, names, data, which, off)
	})
}
