package bench

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/simdact/act/kernels"
)

var update = flag.Bool("update", false, "rewrite the activation table in ../README.md")

const (
	readme     = "../README.md"
	tableBegin = "<!-- BEGIN activations: generated from the catalogue and asm/ by `make generate`; do not edit -->\n"
	tableEnd   = "<!-- END activations -->\n"
)

// TestREADME holds the activation table of README.md to the catalogue and to
// the kernels that exist per tier (asm/ and the generated dispatch). Run with
// -update (make generate does) to rewrite it.
func TestREADME(t *testing.T) {
	table, err := activationTable("..")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(doc, []byte(tableBegin))
	j := bytes.Index(doc, []byte(tableEnd))
	if i < 0 || j < i {
		t.Fatalf("%s: no %q ... %q block", readme, tableBegin, tableEnd)
	}
	i += len(tableBegin)
	if string(doc[i:j]) == table {
		return
	}
	if !*update {
		t.Fatalf("the activation table in %s is out of date; run make generate (or go test -run TestREADME -update in bench/)\nwant:\n%s", readme, table)
	}
	out := append(append(append([]byte(nil), doc[:i]...), table...), doc[j:]...)
	if err := os.WriteFile(readme, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// activationTable is the Markdown table of every catalogue entry: names, Go
// functions, parameters, what the backward pass reads, ULP budgets, and which
// tiers have both its kernels.
func activationTable(root string) (string, error) {
	var asm strings.Builder
	files, err := filepath.Glob(filepath.Join(root, "asm", "*.s"))
	if err != nil {
		return "", err
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		asm.Write(b)
	}
	api, err := os.ReadFile(filepath.Join(root, "zapi.go"))
	if err != nil {
		return "", err
	}
	tiers := []struct {
		name string
		has  func(kernel string) bool
	}{
		{"avx512", func(k string) bool { return strings.Contains(asm.String(), "·"+kernels.Symbol(k)+"AVX512(SB)") }},
		{"avx2", func(k string) bool { return strings.Contains(asm.String(), "·"+kernels.Symbol(k)+"AVX2(SB)") }},
		{"neon", func(k string) bool { return strings.Contains(asm.String(), "·"+kernels.Symbol(k)+"NEON(SB)") }},
		{"generic", func(k string) bool { return bytes.Contains(api, []byte(`"`+k+`":`)) }},
	}

	var b strings.Builder
	b.WriteString("| activation | forward / backward | parameters (PyTorch default) | backward reads | max ULP fwd / bwd |")
	for _, t := range tiers {
		b.WriteString(" " + t.name + " |")
	}
	b.WriteString("\n|---|---|---|---|---|" + strings.Repeat(":-:|", len(tiers)) + "\n")
	for _, e := range kernels.All {
		name := "`" + e.Name + "`"
		if len(e.Aliases) > 0 {
			name += " (`" + strings.Join(e.Aliases, "`, `") + "`)"
		}
		var ps []string
		for _, p := range e.Params {
			if e.Shape == kernels.Channelwise {
				ps = append(ps, fmt.Sprintf("%s []float32 (%v)", p.Name, p.Default))
			} else {
				ps = append(ps, fmt.Sprintf("%s (%v)", p.Name, p.Default))
			}
		}
		reads := e.Reads.String()
		dirs := []string{"fwd", "bwd"}
		if e.Shape == kernels.Channelwise {
			reads += "; also dslope"
			dirs = append(dirs, "dslope")
		}
		fmt.Fprintf(&b, "| %s | `%s` / `%sBackward` | %s | %s | %s / %s |",
			name, e.Func, e.Func, strings.Join(ps, ", "), reads, ulps(e.FwdULP), ulps(e.BwdULP))
		for _, t := range tiers {
			var have, miss []string
			for _, d := range dirs {
				if t.has(e.Kernel(d)) {
					have = append(have, d)
				} else {
					miss = append(miss, d)
				}
			}
			switch {
			case len(miss) == 0:
				b.WriteString(" ✓ |")
			case len(have) == 0:
				b.WriteString(" – |")
			default:
				b.WriteString(" " + strings.Join(have, ", ") + " |")
			}
		}
		b.WriteString("\n")
	}
	return b.String(), nil
}

func ulps(v float64) string {
	if v == kernels.Exact {
		return "exact"
	}
	return fmt.Sprint(v)
}
