package audit_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

type entryOf struct {
	action, resource, id string
}

func record(t *testing.T, d *db.DB, ctx context.Context, at time.Time, chs ...audit.Change) {
	t.Helper()
	if err := d.Tx(ctx, func(tx *sql.Tx) error {
		for _, ch := range chs {
			if err := audit.Record(ctx, tx, at, ch); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func actions(es []audit.Entry) []entryOf {
	out := []entryOf{}
	for _, e := range es {
		out = append(out, entryOf{e.Action, e.Resource, e.RID})
	}
	return out
}

// The trail's store, on SQLite and PostgreSQL: an entry is read back as written, with
// the actor of the request and the instant in UTC; an entry of a transaction that rolls
// back is not there; a list is newest first, by meeting, in pages that neither skip nor
// repeat, and shows token administration only when asked.
func TestTrailStoreContract(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := auth.WithActor(context.Background(), auth.Actor{Kind: auth.ActorToken, ID: "tok-1", Name: "Secretariat of the Committee", RequestID: "req-7"})
		log := audit.NewLog(d)
		paris := time.FixedZone("CET", 3600)
		record(t, d, ctx, t0.In(paris), audit.Change{Action: "meeting.update", Resource: "meeting", ID: "m1", MeetingID: "m1",
			Before: map[string]string{"title": "Comité"}, After: map[string]string{"title": "Comité des migrations"}})
		record(t, d, ctx, t0.Add(time.Minute), audit.Change{Action: "session.create", Resource: "session", ID: "s1", MeetingID: "m1",
			After: map[string]string{"title": "Ouverture"}})
		record(t, d, ctx, t0.Add(2*time.Minute), audit.Change{Action: "meeting.create", Resource: "meeting", ID: "m2", MeetingID: "m2",
			After: map[string]string{"title": "Other"}})
		record(t, d, ctx, t0.Add(3*time.Minute), audit.Change{Action: "token.create", Resource: "token", ID: "tok-2", After: map[string]string{"role": "viewer"}})
		failed := errors.New("the write failed")
		if err := d.Tx(ctx, func(tx *sql.Tx) error {
			if err := audit.Record(ctx, tx, t0.Add(4*time.Minute), audit.Change{Action: "session.delete", Resource: "session", ID: "s1", MeetingID: "m1"}); err != nil {
				return err
			}
			return failed
		}); !errors.Is(err, failed) {
			t.Fatalf("rolled back write: %v", err)
		}

		all, err := log.List(ctx, audit.Query{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		want := []entryOf{{"meeting.create", "meeting", "m2"}, {"session.create", "session", "s1"}, {"meeting.update", "meeting", "m1"}}
		if got := actions(all); !equal(got, want) {
			t.Fatalf("trail without tokens = %v, want %v", got, want)
		}
		first := all[2]
		if !first.At.Equal(t0) || first.At.Location() != time.UTC || first.Actor != (audit.ActorJSON{Kind: "token", ID: "tok-1", Name: "Secretariat of the Committee"}) ||
			first.RequestID != "req-7" || first.MeetingID != "m1" {
			t.Errorf("entry read back: %+v", first)
		}
		var before, after map[string]string
		if json.Unmarshal(first.Before, &before) != nil || json.Unmarshal(first.After, &after) != nil || before["title"] != "Comité" || after["title"] != "Comité des migrations" {
			t.Errorf("before %s after %s", first.Before, first.After)
		}
		if string(all[1].Before) != "null" {
			t.Errorf("a creation's before = %s, want null", all[1].Before)
		}
		withTokens, err := log.List(ctx, audit.Query{Limit: 10, WithTokens: true})
		if err != nil || len(withTokens) != 4 || withTokens[0].Action != "token.create" {
			t.Fatalf("trail with tokens: %v %v", actions(withTokens), err)
		}
		m1, err := log.List(ctx, audit.Query{MeetingID: "m1", Limit: 10})
		if want := []entryOf{{"session.create", "session", "s1"}, {"meeting.update", "meeting", "m1"}}; err != nil || !equal(actions(m1), want) {
			t.Fatalf("meeting m1's trail = %v %v, want %v", actions(m1), err, want)
		}
		page1, err := log.List(ctx, audit.Query{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		page2, err := log.List(ctx, audit.Query{Limit: 2, Before: page1[len(page1)-1].ID})
		if err != nil {
			t.Fatal(err)
		}
		if got := append(actions(page1), actions(page2)...); !equal(got, actions(all)) {
			t.Fatalf("two pages = %v, want the whole trail %v", got, actions(all))
		}
	})
}

// An erasure, on SQLite and PostgreSQL: the plan is recorded first; then every entry about
// the erased resource keeps who and when but loses its content, the entries of others
// keep theirs, and the erasure itself is recorded with what the owners removed.
func TestTrailErasureContract(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		log := audit.NewLog(d)
		record(t, d, ctx, t0, audit.Change{Action: "registration.create", Resource: "registration", ID: "r1", MeetingID: "m1", After: map[string]string{"email": "lea@example.org"}},
			audit.Change{Action: "registration.create", Resource: "registration", ID: "r2", MeetingID: "m1", After: map[string]string{"email": "marc@example.org"}})
		record(t, d, ctx, t0.Add(time.Minute), audit.Change{Action: "registration.update", Resource: "registration", ID: "r1", MeetingID: "m1",
			Before: map[string]string{"email": "lea@example.org"}, After: map[string]string{"email": "lea.tremblay@example.org"}})
		plan := []audit.Erasure{{Resource: "registration", ID: "r1", MeetingID: "m1", Counts: map[string]int{"deliveries": 3}}}
		if err := log.RecordErasurePlan(ctx, t0.Add(2*time.Minute), plan); err != nil {
			t.Fatal(err)
		}
		if err := log.Erase(ctx, t0.Add(3*time.Minute), plan); err != nil {
			t.Fatal(err)
		}
		es, err := log.List(ctx, audit.Query{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		want := []entryOf{{"person.erase", "registration", "r1"}, {"person.erase.plan", "registration", "r1"}, {"registration.update", "registration", "r1"},
			{"registration.create", "registration", "r2"}, {"registration.create", "registration", "r1"}}
		if got := actions(es); !equal(got, want) {
			t.Fatalf("trail = %v, want %v", got, want)
		}
		for _, e := range es {
			switch {
			case e.Action == "person.erase":
				var counts map[string]int
				if json.Unmarshal(e.After, &counts) != nil || counts["deliveries"] != 3 {
					t.Errorf("the erasure's record: %s", e.After)
				}
			case e.RID == "r1" && e.Action != "person.erase.plan":
				if string(e.Before) != `{"erased":true}` || string(e.After) != `{"erased":true}` {
					t.Errorf("%s of r1 kept its content: %s %s", e.Action, e.Before, e.After)
				}
				if e.At.IsZero() || e.Actor.Kind == "" {
					t.Errorf("%s of r1 lost who and when: %+v", e.Action, e)
				}
			case e.RID == "r2":
				if string(e.After) != `{"email":"marc@example.org"}` {
					t.Errorf("another registrant's entry changed: %s", e.After)
				}
			}
		}
	})
}

func equal(a, b []entryOf) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
