package notifier

import (
	"slices"
	"testing"
	"time"
)

// TestEarliest: the claim's two reads (due rows, expired leases) merge in (due_at, id)
// order, as one read ordered by due_at, id would have returned them.
func TestEarliest(t *testing.T) {
	at := func(min int) time.Time { return time.Date(2026, 12, 1, 9, min, 0, 0, time.UTC) }
	due := []Delivery{{ID: "b", DueAt: at(0)}, {ID: "d", DueAt: at(0)}, {ID: "a", DueAt: at(5)}}
	expired := []Delivery{{ID: "c", DueAt: at(0)}, {ID: "z", DueAt: at(1)}}
	ids := func(ds []Delivery) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.ID)
		}
		return out
	}
	for _, tc := range []struct {
		n    int
		want []string
	}{
		{10, []string{"b", "c", "d", "z", "a"}},
		{3, []string{"b", "c", "d"}},
		{0, nil},
	} {
		if got := ids(earliest(due, expired, tc.n)); !slices.Equal(got, tc.want) {
			t.Errorf("earliest(n=%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
	if got := ids(earliest(nil, expired, 5)); !slices.Equal(got, []string{"c", "z"}) {
		t.Errorf("only expired leases: %v", got)
	}
}
