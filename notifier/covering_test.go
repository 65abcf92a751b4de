package notifier

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// The registrants read for a session's change are those of all sessions and those whose
// list names it, however its id is spelled: LIKE's wildcards (_ %) and characters that
// JSON escapes (< >) in an id match only themselves.
func TestRegistrantsCovering(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := &store{db: d}
		regs := map[string][]string{
			"all": {}, "s_1": {"s_1"}, "sx1": {"sx1"}, "both": {"sx1", "s_1"}, "pct": {"50%"}, "p50x": {"50x"},
			"lt": {"a<b"}, "other": {"other"}, "prefix": {"s_10"},
		}
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			for id, sessions := range regs {
				if _, err := st.upsertRegistrant(ctx, tx, contracts.Registration{ID: id, MeetingID: "m", Name: id, Email: id + "@example.org",
					Locale: "en", TZ: "UTC", Sessions: sessions, Version: 1}, false); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for session, want := range map[string][]string{
			"s_1": {"all", "both", "s_1"}, "sx1": {"all", "both", "sx1"}, "50%": {"all", "pct"}, "a<b": {"all", "lt"}, "none": {"all"},
		} {
			got, err := st.registrantsCovering(ctx, d, "m", session)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range got {
				ids = append(ids, r.ID)
			}
			slices.Sort(ids)
			if !slices.Equal(ids, want) {
				t.Errorf("covering %q: %v, want %v", session, ids, want)
			}
		}
	})
}
