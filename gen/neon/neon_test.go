package neon

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/arch/arm64/arm64asm"

	"github.com/simdact/act/gen/ir"
)

// kernels covers every Op and Pred and the allocator's corner cases.
func kernels() []*ir.Kernel {
	ks := []*ir.Kernel{
		ir.Build("relu", func(b *ir.Builder) { b.Store(b.Max(b.Zero(), b.Load(ir.A))) }),
		ir.Build("minmax", func(b *ir.Builder) {
			x, y := b.Load(ir.A), b.Load(ir.B)
			b.Store(b.Sub(b.Min(x, y), b.Mul(b.Max(y, x), b.Max(x, x))))
		}),
		ir.Build("clamp", func(b *ir.Builder) { b.Store(b.Clamp(b.Load(ir.A), b.Param(0), b.Param(1))) }),
		ir.Build("leaky", func(b *ir.Builder) {
			x := b.Load(ir.A)
			b.Store(b.Select(b.Cmp(ir.GE, x, b.Zero()), x, b.Mul(b.Param(0), x)))
		}),
		ir.Build("fmaacc", func(b *ir.Builder) { b.Store(b.FMA(b.Load(ir.A), b.Load(ir.B), b.Load(ir.Dst))) }),
		ir.Build("fmakeep", func(b *ir.Builder) { // the addend survives
			z := b.Load(ir.C)
			b.Store(b.Add(b.FMA(b.Load(ir.A), b.Load(ir.B), z), z))
		}),
		ir.Build("arith", func(b *ir.Builder) {
			x, y := b.Load(ir.A), b.Load(ir.B)
			s := b.Div(b.Sub(b.Add(x, y), b.Const(-1, "k")), b.Sqrt(b.Abs(b.Neg(y))))
			b.Store(b.Mul(s, b.Const(1.5, "k")))
		}),
		ir.Build("masks", func(b *ir.Builder) { // the mask and both operands survive
			x, y, z := b.Load(ir.A), b.Load(ir.B), b.Load(ir.C)
			m := b.Or(b.And(b.Cmp(ir.GT, x, y), b.Cmp(ir.Unord, y, z)), b.Cmp(ir.Unord, x, x))
			r := b.Select(m, x, y)
			b.Store(b.Add(b.Add(r, x), b.Select(m, y, x)))
		}),
		ir.Build("fill", func(b *ir.Builder) { b.Store(b.Param(2)) }),
		sum("sum8", 8),
		sum("sum12", 12),
		squeeze(),
		ir.Build("xorsign", func(b *ir.Builder) { // both operands survive once
			x, y := b.Load(ir.A), b.Load(ir.B)
			b.Store(b.Add(b.XorSign(x, y), b.XorSign(y, x)))
		}),
		ir.Build("scale", func(b *ir.Builder) { b.Store(b.Scale(b.NegAbs(b.Load(ir.A)), b.Round(b.Load(ir.B)))) }),
	}
	for p := ir.LT; p <= ir.Unord; p++ {
		ks = append(ks, ir.Build("cmp"+p.String(), func(b *ir.Builder) {
			b.Store(b.Select(b.Cmp(p, b.Load(ir.A), b.Load(ir.B)), b.Load(ir.C), b.One()))
		}))
	}
	return ks
}

// sum keeps m products (and m constants) live at once, to squeeze registers.
func sum(name string, m int) *ir.Kernel {
	return ir.Build(name, func(b *ir.Builder) {
		x := b.Load(ir.A)
		var t []*ir.Value
		for i := range m {
			t = append(t, b.Mul(x, b.Const(float32(i)+0.5, "k")))
		}
		s := t[0]
		for _, v := range t[1:] {
			s = b.Add(s, v)
		}
		b.Store(s)
	})
}

// squeeze fills every register at the FMA so that its destination must be a
// multiplicand's register: the lowering goes through the scratch register.
func squeeze() *ir.Kernel {
	return ir.Build("squeeze", func(b *ir.Builder) {
		var k []*ir.Value
		for i := range 12 {
			k = append(k, b.Const(float32(i)+1.5, "k"))
		}
		x := b.Load(ir.A)
		var t []*ir.Value
		for i := range 16 {
			if i < 12 {
				t = append(t, b.Mul(x, k[i]))
			} else { // not a product already formed: ir.Build would merge it
				t = append(t, b.Add(x, k[i-12]))
			}
		}
		s := b.FMA(t[0], t[1], t[2])
		for _, v := range t[2:] {
			s = b.Add(s, v)
		}
		b.Store(b.Add(s, x))
	})
}

func TestCoverage(t *testing.T) {
	ops := map[ir.Op]bool{}
	preds := map[ir.Pred]bool{}
	for _, k := range kernels() {
		for _, v := range k.Values {
			ops[v.Op] = true
			if v.Op == ir.OpCmp {
				preds[v.Pred] = true
			}
		}
	}
	for o := ir.OpLoad; o <= ir.OpStore; o++ {
		if !ops[o] {
			t.Errorf("no test kernel uses %s", o)
		}
	}
	for p := ir.LT; p <= ir.Unord; p++ {
		if !preds[p] {
			t.Errorf("no test kernel uses %s", p)
		}
	}
}

var wordRE = regexp.MustCompile(`^\s*WORD \$0x([0-9a-f]{8}) // (.*)$`)

// checkWord decodes a WORD line and compares it with its comment.
func checkWord(t *testing.T, line string) {
	t.Helper()
	m := wordRE.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("malformed WORD line %q", line)
	}
	w, err := strconv.ParseUint(m[1], 16, 32)
	if err != nil {
		t.Fatal(err)
	}
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], uint32(w))
	inst, err := arm64asm.Decode(b[:])
	if err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	if got, want := norm(arm64asm.GNUSyntax(inst)), norm(m[2]); got != want {
		t.Errorf("%s decodes as %q, comment says %q", m[1], got, want)
	}
}

// TestWords decodes every WORD of every generated kernel.
func TestWords(t *testing.T) {
	n := 0
	for _, k := range kernels() {
		for _, line := range strings.Split(Function(k, k.Name), "\n") {
			if strings.Contains(line, "WORD") {
				checkWord(t, line)
				n++
			}
		}
	}
	if n == 0 {
		t.Fatal("no WORD lines")
	}
}

// TestEncodings checks every WORD helper on every register.
func TestEncodings(t *testing.T) {
	threes := []func(d, n, m V) string{fadd, fsub, fmul, fdiv, fcmeq, fcmge, fcmgt}
	twos := []func(d, n V) string{fabs, fneg, fsqrt, not}
	for d := V(0); d < 32; d++ {
		for n := V(0); n < 32; n++ {
			for _, f := range twos {
				checkWord(t, f(d, n))
			}
			for _, f := range threes {
				checkWord(t, f(d, n, (d+n+7)%32))
				checkWord(t, f(d, n, n))
			}
		}
	}
}

func TestUnroll(t *testing.T) {
	for _, c := range []struct {
		k     *ir.Kernel
		label string
	}{
		{kernels()[0], "loop16:"},
		{sum("sum8", 8), "loop8:"},   // 8 constants + 2 copies x 9 live values
		{sum("sum12", 12), "loop4:"}, // 12 constants + 1 copy x 13
		{squeeze(), "loop4:"},        // 12 constants + 1 copy x 17
	} {
		s := Function(c.k, c.k.Name)
		for _, l := range []string{"loop16:", "loop8:", "loop4:", "loop1:"} {
			want := l == c.label || l == "loop4:" || l == "loop1:"
			if strings.Contains(s, "\n"+l) != want {
				t.Errorf("%s: label %s present = %v, want %v", c.k.Name, l, !want, want)
			}
		}
	}
	if s := Function(squeeze(), "squeeze"); !strings.Contains(s, "VMOV V31.B16, V") {
		t.Error("squeeze: FMA does not take the scratch path")
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic for a kernel needing 33 registers")
		}
	}()
	Function(sum("sum31", 31), "sum31")
}

// TestAssemble assembles and vets the generated file for arm64 with the go
// command (asmdecl checks the frame and the argument offsets).
func TestAssemble(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	var fns []string
	decl := "package k\n"
	for _, k := range kernels() {
		fns = append(fns, Function(k, k.Name))
		decl += fmt.Sprintf("\nfunc %s(n int, dst, a, b, c *float32, p *[4]float32)\n", k.Name)
	}
	header := "// Code generated by neon_test. DO NOT EDIT.\n\n//go:build arm64 && gc && !purego\n"
	files := map[string]string{
		"go.mod":    "module k\n\ngo 1.22\n",
		"k_arm64.s": string(File(header, fns)),
		"k.go":      decl,
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"build", "."}, {"vet", "."}} {
		cmd := exec.Command(gobin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOARCH=arm64", "GOOS=linux", "GOFLAGS=", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", args[0], err, out)
		}
	}
}

func TestFile(t *testing.T) {
	got := string(File("// header\n", []string{"TEXT ·f(SB), NOSPLIT, $0-48\n\tRET\n"}))
	want := "// header\n\n#include \"textflag.h\"\n\nTEXT ·f(SB), NOSPLIT, $0-48\n\tRET\n"
	if got != want {
		t.Errorf("File = %q, want %q", got, want)
	}
}

// TestCommittedWords decodes every WORD of the committed arm64 assembly
// (asm/*_arm64.s in the repository root) and checks it against its comment.
func TestCommittedWords(t *testing.T) {
	files, err := filepath.Glob("../../asm/*_arm64.s")
	if err != nil || len(files) == 0 {
		t.Fatalf("no committed arm64 assembly found (%v)", err)
	}
	n := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(src), "\n") {
			if strings.Contains(line, "WORD") {
				checkWord(t, line)
				n++
			}
		}
	}
	if n == 0 {
		t.Fatal("no WORD in the committed arm64 assembly")
	}
	t.Logf("%d WORDs in %d files decode as their comments", n, len(files))
}
