//go:build amd64 && gc && !purego

package act

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// TestRequires holds dispatch to the generated code: the union of the
// features on the "// Requires:" lines Avo writes above each TEXT in
// asm/*_<tier>_amd64.s must be exactly what dispatch checks for that tier
// (tierFeatures), so that no tier runs on a CPU that lacks an instruction it
// uses, and none is refused for a feature it does not use (SPEC section 6).
func TestRequires(t *testing.T) {
	for _, c := range []struct {
		tier   Tier
		suffix string // file name and TEXT symbol suffix
	}{{tierAVX512, "avx512"}, {tierAVX2, "avx2"}} {
		t.Run(c.suffix, func(t *testing.T) {
			files, err := filepath.Glob(filepath.Join("asm", "*_"+c.suffix+"_amd64.s"))
			if err != nil {
				t.Fatal(err)
			}
			if len(files) == 0 {
				t.Fatalf("no asm/*_%s_amd64.s files", c.suffix)
			}
			used := map[cpuid.FeatureID][]string{} // feature -> a symbol that needs it
			texts := 0
			for _, file := range files {
				f, err := os.Open(file)
				if err != nil {
					t.Fatal(err)
				}
				sc := bufio.NewScanner(f)
				var pending []cpuid.FeatureID // features of the Requires line above the next TEXT
				for line := 1; sc.Scan(); line++ {
					s := strings.TrimSpace(sc.Text())
					if rest, ok := strings.CutPrefix(s, "// Requires:"); ok {
						for _, name := range strings.Split(rest, ",") {
							name = strings.TrimSpace(name)
							if name == "" {
								continue
							}
							id := cpuid.ParseFeature(name)
							if id == cpuid.UNKNOWN {
								t.Errorf("%s:%d: feature %q is unknown to cpuid", file, line, name)
								continue
							}
							pending = append(pending, id)
						}
						continue
					}
					if rest, ok := strings.CutPrefix(s, "TEXT "); ok {
						texts++
						sym, _, _ := strings.Cut(rest, "(")
						sym = strings.TrimPrefix(sym, "·")
						if !strings.HasSuffix(strings.ToLower(sym), c.suffix) {
							t.Errorf("%s:%d: TEXT %s in a %s file", file, line, sym, c.suffix)
						}
						for _, id := range pending {
							if _, ok := used[id]; !ok {
								used[id] = []string{sym}
							}
						}
						pending = nil
					}
				}
				if err := sc.Err(); err != nil {
					t.Fatal(err)
				}
				f.Close()
				if len(pending) > 0 {
					t.Errorf("%s: a Requires line with no TEXT after it", file)
				}
			}
			if texts == 0 {
				t.Fatalf("no TEXT symbols in %v", files)
			}

			want := tierFeatures[c.tier]
			var missing, extra []string
			for id, syms := range used {
				if !slices.Contains(want, id) {
					missing = append(missing, id.String()+" (used by "+syms[0]+")")
				}
			}
			for _, id := range want {
				if _, ok := used[id]; !ok {
					extra = append(extra, id.String())
				}
			}
			slices.Sort(missing)
			slices.Sort(extra)
			if len(missing) > 0 {
				t.Errorf("tierFeatures[%s] lacks features the generated code requires: %s",
					c.suffix, strings.Join(missing, ", "))
			}
			if len(extra) > 0 {
				t.Errorf("tierFeatures[%s] checks features no generated code requires: %s",
					c.suffix, strings.Join(extra, ", "))
			}
			var names []string
			for id := range used {
				names = append(names, id.String())
			}
			slices.Sort(names)
			t.Logf("%d files, %d kernels, require %s", len(files), texts, strings.Join(names, ", "))
		})
	}
}
