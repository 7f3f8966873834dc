module github.com/simdact/act/bench

go 1.26.8

require github.com/simdact/act v0.0.0

replace github.com/simdact/act => ../
