// Package fit derives the polynomial coefficients of act's kernels: a Remez
// exchange for the weighted minimax polynomial of a function on an interval,
// in float64, then the coefficients rounded to float32 and the error of the
// float32 polynomial measured again on a dense grid.
//
// The generator calls it at generation time, so every constant in the
// kernels is reproducible from the function, interval, degree and weight
// written next to it, and its error bound is printed in the generated code.
package fit

import (
	"fmt"
	"math"
	"sort"
)

// Poly is a fitted polynomial c[0] + c[1] v + ... in float32 coefficients.
type Poly struct {
	C   []float32
	Err float64 // max weighted error of the float32 polynomial, on a dense grid
}

// Problem is a weighted minimax fit: minimise max |W(v) (F(v) - p(v))| for v in
// [A, B] over polynomials p of degree Degree.
type Problem struct {
	Name string
	F, W func(v float64) float64
	// Follow, where set, is what the exchange fits in F's place: F less a
	// small part that no polynomial follows (a pole of tiny residue, from a
	// coefficient the kernel fixes in float32). The error is measured
	// against F.
	Follow func(v float64) float64
	A, B   float64
	Degree int
}

const grid = 1 << 14

// Solve fits p in float64, rounds its coefficients to float32 and measures
// the weighted error of the rounded polynomial again.
func (pr Problem) Solve() Poly {
	ex := pr
	if pr.Follow != nil {
		ex.F = pr.Follow
	}
	c, _ := remez(ex)
	out := make([]float32, len(c))
	r := make([]float64, len(c))
	for i, ci := range c {
		out[i] = float32(ci)
		r[i] = float64(out[i])
	}
	return Poly{C: out, Err: pr.errorOf(r)}
}

func (pr Problem) errorOf(c []float64) float64 {
	m := 0.0
	for i := 0; i <= grid; i++ {
		v := pr.A + (pr.B-pr.A)*float64(i)/grid
		m = math.Max(m, math.Abs(pr.W(v)*(pr.F(v)-horner(c, v))))
	}
	return m
}

func horner(c []float64, v float64) float64 {
	r := 0.0
	for i := len(c) - 1; i >= 0; i-- {
		r = r*v + c[i]
	}
	return r
}

// remez returns the minimax coefficients (float64) and the levelled error.
func remez(pr Problem) ([]float64, float64) {
	n := pr.Degree + 2
	x := make([]float64, n) // Chebyshev extrema as the first reference
	for i := range x {
		x[i] = (pr.A+pr.B)/2 - (pr.B-pr.A)/2*math.Cos(math.Pi*float64(i)/float64(n-1))
	}
	var c []float64
	var e float64
	for iter := 0; iter < 30; iter++ {
		c, e = solve(pr, x)
		next := extrema(pr, c, n)
		if next == nil {
			break
		}
		same := true
		for i := range x {
			if math.Abs(next[i]-x[i]) > 1e-15*(pr.B-pr.A) {
				same = false
			}
		}
		x = next
		if same {
			break
		}
	}
	return c, math.Abs(e)
}

// solve finds p and E with W(x_i)(F(x_i) - p(x_i)) = (-1)^i E.
func solve(pr Problem, x []float64) ([]float64, float64) {
	n := len(x)
	m := make([][]float64, n)
	for i := range m {
		row := make([]float64, n+1)
		pw := 1.0
		for j := 0; j < n-1; j++ {
			row[j] = pw
			pw *= x[i]
		}
		row[n-1] = math.Pow(-1, float64(i)) / pr.W(x[i])
		row[n] = pr.F(x[i])
		m[i] = row
	}
	// Gaussian elimination with partial pivoting.
	for col := 0; col < n; col++ {
		p := col
		for r := col + 1; r < n; r++ {
			if math.Abs(m[r][col]) > math.Abs(m[p][col]) {
				p = r
			}
		}
		m[col], m[p] = m[p], m[col]
		for r := col + 1; r < n; r++ {
			f := m[r][col] / m[col][col]
			for k := col; k <= n; k++ {
				m[r][k] -= f * m[col][k]
			}
		}
	}
	sol := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := m[r][n]
		for k := r + 1; k < n; k++ {
			s -= m[r][k] * sol[k]
		}
		sol[r] = s / m[r][r]
	}
	return sol[:n-1], sol[n-1]
}

// extrema picks n alternating extrema of the weighted error on a dense grid.
func extrema(pr Problem, c []float64, n int) []float64 {
	errAt := func(v float64) float64 { return pr.W(v) * (pr.F(v) - horner(c, v)) }
	type pt struct{ v, e float64 }
	var pts []pt
	var best pt
	started := false
	for i := 0; i <= grid; i++ {
		v := pr.A + (pr.B-pr.A)*float64(i)/grid
		if pr.W(v) == 0 {
			continue // a zero weight makes no extremum
		}
		e := errAt(v)
		if started && (e > 0) != (best.e > 0) {
			pts = append(pts, best)
			best = pt{v, e}
			continue
		}
		if !started || math.Abs(e) > math.Abs(best.e) {
			best = pt{v, e}
		}
		started = true
	}
	pts = append(pts, best)
	// Keep n: drop the smallest at the ends while too many.
	for len(pts) > n {
		if math.Abs(pts[0].e) < math.Abs(pts[len(pts)-1].e) {
			pts = pts[1:]
		} else {
			pts = pts[:len(pts)-1]
		}
	}
	if len(pts) < n {
		return nil
	}
	out := make([]float64, n)
	for i, p := range pts {
		out[i] = p.v
	}
	sort.Float64s(out)
	return out
}

// String describes the fit for a generated comment.
func (p Poly) String() string {
	return fmt.Sprintf("max weighted error %.3g (2^%.1f) in float32 coefficients", p.Err, math.Log2(p.Err))
}
