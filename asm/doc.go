// Package asm holds act's generated assembly kernels and their Go
// declarations, one set of files per kernel family and tier. Nothing here is
// written by hand: run go generate in the repository root.
//
// Every kernel has the signature
//
//	func(n int, dst, a, b, c *float32, p *[4]float32)
//
// and computes dst[i], i < n, from a[i], b[i], c[i] and the scalar parameters
// p[0..3]. The caller (package act) checks lengths and picks the tier the CPU
// supports; these functions trust it.
package asm
