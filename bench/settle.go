package bench

import (
	"runtime/debug"
	"syscall"
)

// Settle writes out what earlier benchmarks of the run left for the disk and returns
// their freed memory to the OS, so that a latency benchmark run after a heavy one does
// not pay for the other's writeback in its own commits: right after the notifier's
// 100,000-reminder runs (several databases of 100,000 rows each, written and removed),
// the end-to-end p99 on PostgreSQL was 73 ms against 15 ms when run alone. Call it
// before a benchmark's first measured round, never inside one.
func Settle() {
	syscall.Sync()
	debug.FreeOSMemory()
}
