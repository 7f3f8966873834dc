module github.com/simdact/act/gen

go 1.26.8

require (
	github.com/mmcloughlin/avo v0.6.0
	github.com/simdact/act v0.0.0-00010101000000-000000000000
)

require (
	golang.org/x/arch v0.33.0 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
)

replace github.com/simdact/act => ../
