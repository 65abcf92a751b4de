package notifier

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/db"
)

// SetAckWait makes n's consumer wait d for an acknowledgement before redelivering, so
// that a test of a notifier dying with events in hand does not wait 30 seconds.
func SetAckWait(n *Notifier, d time.Duration) { n.ackWait = d }

// ApplyRun applies evs in one transaction as the consumer applies a batch of consecutive
// stream sequences, the first right after the recorded position.
func ApplyRun(ctx context.Context, n *Notifier, evs []contracts.Event) error {
	tx, err := n.cfg.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	last, err := n.store.position(ctx, tx, n.cfg.DB.Dialect)
	_ = tx.Rollback()
	if err != nil {
		return err
	}
	items := make([]inbound, len(evs))
	for i, ev := range evs {
		items[i] = inbound{seq: last + 1 + uint64(i), ev: ev, decoded: true}
	}
	done, err := n.commitRun(ctx, items, noGaps{}, nil)
	if err == nil && done != len(items) {
		err = fmt.Errorf("%d of %d events applied", done, len(items))
	}
	return err
}

type noGaps struct{}

func (noGaps) gone(context.Context, uint64, uint64) (bool, error) { return false, nil }

// RecordedInFiles is the set of delivery ids the hand-over records beside an SQLite
// database name (PATH-sent/*.log, one "ID<TAB>MICROSECONDS" line each), read here
// without the notifier's own reader; empty for a database without such files.
func RecordedInFiles(d *db.DB) (map[string]bool, error) {
	out := map[string]bool{}
	if d.Path == "" {
		return out, nil
	}
	files, err := filepath.Glob(filepath.Join(d.Path+"-sent", "*.log"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(b), "\n") {
			if id, _, ok := strings.Cut(line, "\t"); ok {
				out[id] = true
			}
		}
	}
	return out, nil
}
