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
package pipes
