// Package bench is the benchmark harness behind `make bench`: it runs a measurement and
// its baseline alternately (A B A B ...) so that noise on a shared machine falls on both,
// takes the median of each, and records one row per benchmark for the table that
// cmd/benchtable prints. Benchmarks stay ordinary `go test -bench` functions in the
// packages they measure; this package only times, alternates and records.
package bench

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"sync"
	"testing"
)

// Rounds is how many times each side runs: PLENARY_BENCH_ROUNDS, 5 by default (never
// fewer than 1; the table is meant to be read with 5 or more).
func Rounds() int {
	var n int
	if _, err := fmt.Sscan(os.Getenv("PLENARY_BENCH_ROUNDS"), &n); err == nil && n > 0 {
		return n
	}
	return 5
}

// Pair is the outcome of an alternated run: every sample of both sides in run order and
// their medians.
type Pair struct {
	A, B             []float64
	MedianA, MedianB float64
}

// Ratio is median A over median B.
func (p Pair) Ratio() float64 {
	if p.MedianB == 0 {
		return math.NaN()
	}
	return p.MedianA / p.MedianB
}

// Alternate runs b then a, rounds times (B A B A ...: the baseline first, so a cold cache
// or a first connection never favours the code under test), and returns the medians.
// Each function returns one figure (higher or lower is better: the caller knows which).
func Alternate(rounds int, a, b func() (float64, error)) (Pair, error) {
	var p Pair
	for i := range rounds {
		y, err := b()
		if err != nil {
			return p, fmt.Errorf("baseline, round %d: %w", i+1, err)
		}
		x, err := a()
		if err != nil {
			return p, fmt.Errorf("round %d: %w", i+1, err)
		}
		p.A, p.B = append(p.A, x), append(p.B, y)
	}
	p.MedianA, p.MedianB = Median(p.A), Median(p.B)
	return p, nil
}

// Median of xs (the mean of the two middle values for an even count); NaN when empty.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Row is one line of the table.
type Row struct {
	// Benchmark names what was measured, e.g. "public agenda GET, 50 sessions".
	Benchmark string `json:"benchmark"`
	// Figure is the median of the code under test, in Unit; Baseline is the baseline's
	// median in the same unit (zero when the goal is absolute, e.g. a latency bound).
	Figure   float64 `json:"figure"`
	Baseline float64 `json:"baseline,omitempty"`
	Unit     string  `json:"unit"`
	// BaselineName says what the baseline is ("bare Gin, same bytes").
	BaselineName string `json:"baseline_name,omitempty"`
	// Ratio is Figure/Baseline when there is a baseline.
	Ratio float64 `json:"ratio,omitempty"`
	// Goal is the target as written in the issue (">= 0.8", "< 10 ms") and Met whether
	// this run reached it.
	Goal string `json:"goal"`
	Met  bool   `json:"met"`
	// Rounds is the number of samples of each side.
	Rounds int `json:"rounds"`
	// Samples are every figure of the code under test, then of the baseline, for the note.
	Samples         []float64 `json:"samples,omitempty"`
	BaselineSamples []float64 `json:"baseline_samples,omitempty"`
}

// AtLeast is the row of a ratio goal: p.MedianA/p.MedianB must be at least goal (for
// rates: higher is better).
func AtLeast(name, unit, baselineName string, p Pair, goal float64) Row {
	r := Row{Benchmark: name, Figure: p.MedianA, Baseline: p.MedianB, Unit: unit, BaselineName: baselineName,
		Ratio: p.Ratio(), Goal: fmt.Sprintf(">= %.2g of baseline", goal), Rounds: len(p.A), Samples: p.A, BaselineSamples: p.B}
	r.Met = r.Ratio >= goal
	return r
}

// Below is the row of an absolute bound: the median of samples must be below limit (for
// latencies, durations and memory: lower is better). inclusive makes it "<=".
func Below(name, unit string, samples []float64, limit float64, inclusive bool) Row {
	m := Median(samples)
	r := Row{Benchmark: name, Figure: m, Unit: unit, Rounds: len(samples), Samples: samples}
	if inclusive {
		r.Goal, r.Met = fmt.Sprintf("<= %g %s", limit, unit), m <= limit
	} else {
		r.Goal, r.Met = fmt.Sprintf("< %g %s", limit, unit), m < limit
	}
	return r
}

var outMu sync.Mutex

// Record logs the row and, when PLENARY_BENCH_OUT names a file, appends it there as one
// JSON line for cmd/benchtable. (Not as b.ReportMetric: a benchmark records several rows
// in the same units, which metrics would merge.)
func Record(tb testing.TB, r Row) {
	tb.Helper()
	tb.Logf("%s: %.4g %s (baseline %.4g, ratio %.3f; goal %s, met %v; %d rounds)", r.Benchmark, r.Figure, r.Unit, r.Baseline, r.Ratio, r.Goal, r.Met, r.Rounds)
	path := os.Getenv("PLENARY_BENCH_OUT")
	if path == "" {
		return
	}
	line, err := json.Marshal(r)
	if err != nil {
		tb.Fatalf("bench row: %v", err)
	}
	outMu.Lock()
	defer outMu.Unlock()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		tb.Fatalf("bench out: %v", err)
	}
	defer f.Close()
	if _, err := f.Write(append(line, '\n')); err != nil {
		tb.Fatalf("bench out: %v", err)
	}
}
