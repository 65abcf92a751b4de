// Command benchtable runs the project's benchmarks (go test -bench) with a file for their
// rows, then prints one table: benchmark, figure, baseline, ratio, goal, and the machine it
// ran on. `make bench` calls it; every benchmark alternates with its own baseline (see
// package bench), so the table's ratios are measured in the same run.
//
//	benchtable [-bench REGEXP] [-markdown] PACKAGE...
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/plenary/plenary/bench"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("benchtable", flag.ContinueOnError)
	pattern := fs.String("bench", ".", "benchmarks to run (go test -bench)")
	timeout := fs.Duration("timeout", 30*time.Minute, "go test -timeout")
	markdown := fs.Bool("markdown", false, "print the table as Markdown (for the README)")
	rowsFrom := fs.String("rows", "", "print the table of an existing rows file instead of running")
	if err := fs.Parse(args); err != nil {
		return err
	}
	path := *rowsFrom
	if path == "" {
		if fs.NArg() == 0 {
			return fmt.Errorf("name the packages to benchmark")
		}
		f, err := os.CreateTemp("", "plenary-bench-*.jsonl")
		if err != nil {
			return err
		}
		f.Close()
		path = f.Name()
		defer os.Remove(path)
		cmd := exec.Command("go", append([]string{"test", "-run", "^$", "-bench", *pattern, "-benchtime", "1x",
			"-timeout", timeout.String()}, fs.Args()...)...)
		cmd.Env = append(os.Environ(), "PLENARY_BENCH_OUT="+path)
		cmd.Stdout, cmd.Stderr = stderr, stderr
		if err := cmd.Run(); err != nil {
			// Print what did run: a failing benchmark must not hide the others' rows.
			defer fmt.Fprintln(stderr, "benchtable: go test:", err)
		}
	}
	rows, err := readRows(path)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, machine())
	fmt.Fprintln(stdout)
	if *markdown {
		printMarkdown(stdout, rows)
	} else {
		printText(stdout, rows)
	}
	return nil
}

func readRows(path string) ([]bench.Row, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows []bench.Row
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var r bench.Row
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("row %q: %w", sc.Text(), err)
		}
		rows = append(rows, r)
	}
	return rows, sc.Err()
}

func cells(r bench.Row) []string {
	base, ratio := "", ""
	if r.Baseline != 0 {
		base = num(r.Baseline) + " " + r.Unit
		if r.BaselineName != "" {
			base += " (" + r.BaselineName + ")"
		}
		ratio = fmt.Sprintf("%.2f", r.Ratio)
	}
	met := "met"
	if !r.Met {
		met = "NOT met"
	}
	return []string{r.Benchmark, num(r.Figure) + " " + r.Unit, base, ratio, r.Goal + ": " + met, fmt.Sprint(r.Rounds)}
}

var header = []string{"benchmark", "figure (median)", "baseline (median)", "ratio", "goal", "rounds"}

func printText(w io.Writer, rows []bench.Row) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(cells(r), "\t"))
	}
	tw.Flush()
}

func printMarkdown(w io.Writer, rows []bench.Row) {
	fmt.Fprintln(w, "| "+strings.Join(header, " | ")+" |")
	fmt.Fprintln(w, "|"+strings.Repeat(" --- |", len(header)))
	for _, r := range rows {
		fmt.Fprintln(w, "| "+strings.Join(cells(r), " | ")+" |")
	}
}

// num prints a figure with as many digits as it deserves.
func num(v float64) string {
	switch {
	case v >= 1000:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.3g", v)
	}
}

// machine names the machine: CPU model, cores, OS, Go version and the date.
func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("Machine: %s, %d cores (GOMAXPROCS %d), %s/%s, %s, %s", cpu, runtime.NumCPU(), runtime.GOMAXPROCS(0),
		runtime.GOOS, runtime.GOARCH, runtime.Version(), time.Now().UTC().Format("2006-01-02 15:04 UTC"))
}
