package main

import (
	"fmt"
	"testing"

	"github.com/simdact/act/gen/desc"
	"github.com/simdact/act/gen/ir"
)

func maxLive(k *ir.Kernel) (int, int) {
	body := k.Body()
	last := map[*ir.Value]int{}
	for i, v := range body {
		for _, a := range v.Args {
			last[a] = i
		}
	}
	live := map[*ir.Value]bool{}
	m, mm := 0, 0
	for i, v := range body {
		for _, a := range v.Args {
			if last[a] == i {
				delete(live, a)
			}
		}
		if v.Op != ir.OpStore {
			live[v] = true
		}
		nv, nm := 0, 0
		for x := range live {
			if x.Kind == ir.Mask {
				nm++
			} else {
				nv++
			}
		}
		m, mm = max(m, nv), max(mm, nm)
	}
	return m, mm
}

func TestLive(t *testing.T) {
	for _, f := range desc.Families {
		for _, k := range f.Build() {
			v, m := maxLive(k)
			fmt.Printf("%-18s consts %2d live vec %2d mask %d\n", k.Name, len(k.Invariants()), v, m)
		}
	}
}
