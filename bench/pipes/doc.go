// Package pipes measures what the vector instructions that act's kernels use
// cost on this CPU beside a stream of FMAs (amd64): which execution pipes they
// share with the FMAs and with one another. It is a benchmark only, for the
// README's account of where the exp family's time goes:
//
//	cd bench && go test -run='^$' -bench=. -count=6 ./pipes
//
// Each benchmark times one iteration of a loop that holds independent FMAs,
// enough to keep the FMA pipes busy (twelve on zmm registers, ten on ymm),
// and beside them twelve (ten) instructions of the kinds its name gives,
// none of which waits on another. Against the FMAs alone (FMA), an
// instruction that runs on other pipes costs nothing until those fill, and
// one that takes an FMA pipe costs its share of it.
//
// BenchmarkSubnormal times single instructions on normal operands and on
// subnormal ones, as inputs and as results, in ns per instruction: a CPU
// that computes with subnormal numbers through a slow path (a microcode
// assist) shows it there, instruction by instruction:
//
//	cd bench && go test -run='^$' -bench=Subnormal -count=2 ./pipes
package pipes
