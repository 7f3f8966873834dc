module github.com/simdact/act/bench

go 1.26.8

require github.com/simdact/act v0.0.0

require (
	github.com/klauspost/cpuid/v2 v2.4.2 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/simdact/act => ../
