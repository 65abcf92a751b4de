package notifier_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/signed"
)

// FuzzEvent: whatever arrives on the stream (the bytes of one message), the notifier
// drops it as undecodable, or applies it, or skips it as poison, without an error that
// would make JetStream redeliver it for ever, and a second delivery changes nothing. The
// seeds are the golden events of contracts/ and the corpus in testdata/fuzz/FuzzEvent
// (NUL characters, bidi controls, overlong strings, years past 9999).
func FuzzEvent(f *testing.F) {
	golden, _ := filepath.Glob(filepath.Join("..", "contracts", "testdata", "*.json"))
	for _, p := range golden {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	if len(golden) == 0 {
		f.Fatal("no golden events in contracts/testdata")
	}
	keys, _ := signed.NewKeys("k1", map[string][]byte{"k1": bytes.Repeat([]byte{7}, 32)})
	dbs := map[db.Dialect]*notifier.Notifier{}
	for _, dialect := range dbtest.Dialects() {
		n, err := notifier.New(notifier.Config{DB: dbtest.Open(f, dialect), Renderer: renderer,
			Links: signed.Links{Keys: keys, BaseURL: "https://plenary.example.org"},
			Now:   func() time.Time { return t0 }})
		if err != nil {
			f.Fatal(err)
		}
		dbs[dialect] = n
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var ev contracts.Event
		if err := json.Unmarshal(raw, &ev); err != nil || ev.ID == "" {
			return // dropped (terminated) by the consumer, as handle does
		}
		for dialect, n := range dbs {
			if _, err := n.Process(context.Background(), ev); err != nil {
				t.Fatalf("%s: event %.200q: %v (it would be redelivered for ever)", dialect, raw, err)
			}
			if fresh, err := n.Process(context.Background(), ev); err != nil || fresh {
				t.Fatalf("%s: second delivery: fresh %v, %v", dialect, fresh, err)
			}
		}
	})
}
