package interpretation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts/openapitest"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/api"
	"github.com/plenary/plenary/services/interpretation"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/signed"
)

// envSeenThrough is newEnv with interpretation seeing the agenda through wrap (the API
// serves the agenda itself).
func envSeenThrough(t *testing.T, d *db.DB, wrap func(*agenda.Service) interpretation.Agenda) *env {
	t.Helper()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	ag := agenda.NewService(d, agenda.WithClock(clock))
	svc := interpretation.NewService(d, wrap(ag), interpretation.WithClock(clock))
	keys, _ := signed.NewRandomKeys()
	tokens := auth.NewStore(d, clock)
	h := api.NewServer(api.Deps{DB: d, Agenda: ag, Interpretation: svc, Now: clock, LinkKeys: keys, Tokens: tokens,
		Limits: auth.Limits{PerToken: -1, PerIP: -1}})
	_, secret, err := tokens.Create(context.Background(), auth.NewToken{Name: "planner", Role: auth.RolePlanner})
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, srv: openapitest.NewServer(t, h), db: d, keys: keys, svc: svc, token: secret, now: now}
}

// renderOnTouch is the agenda as interpretation sees it, with a reader who renders the
// staff agenda at the instant the revision is raised: the render a cache keeps under the
// new revision (AgendaJSON's cache keeps it; Agenda's view is what it shows).
type renderOnTouch struct {
	*agenda.Service
	t     *testing.T
	seen  []*agenda.InterpretationStatus
	revs  []int64
	watch bool
}

func (a *renderOnTouch) RaiseAgendaFrom(ctx context.Context, meetingID string, rev int64, with func(q db.Querier, rev int64) error) (bool, error) {
	raised, err := a.Service.RaiseAgendaFrom(ctx, meetingID, rev, with)
	if err != nil || !raised || !a.watch {
		return raised, err
	}
	utc, zerr := zone.Parse("UTC")
	if zerr != nil {
		a.t.Fatal(zerr)
	}
	if _, err := a.Service.AgendaJSON(ctx, meetingID, "UTC", "en", true); err != nil {
		a.t.Fatalf("render and cache at the new revision: %v", err)
	}
	v, verr := a.Service.Agenda(ctx, meetingID, utc, "en", true)
	if verr != nil {
		a.t.Fatalf("render at the new revision: %v", verr)
	}
	a.seen, a.revs = append(a.seen, v.Interpretation), append(a.revs, v.Revision)
	return raised, nil
}

// watchedRaise is a meeting with one EN/FR session and one interpreter, whose agenda
// interpretation sees through a renderOnTouch that is watching.
func watchedRaise(t *testing.T, d *db.DB) (ag *renderOnTouch, e *env, m, s, fr string) {
	t.Helper()
	ag = &renderOnTouch{t: t}
	e = envSeenThrough(t, d, func(a *agenda.Service) interpretation.Agenda { ag.Service = a; return ag })
	m = e.meeting("aiic")
	s = e.session(m, "2026-12-07T10:00", "2026-12-07T11:00", []string{"en", "fr"}, []string{"en", "fr"})
	fr = e.interpreter("Claire Dubois", "fr:A en:C", nil)
	ag.watch = true
	return ag, e, m, s, fr
}

// TestAgendaRenderedAtTheRaiseShowsTheVerdictOfItsRevision: a staff agenda rendered and
// cached the instant the checker raises the revision for its new verdict shows that
// verdict as the verdict of that revision. When the verdict was stored for the revision
// before, then the revision raised, then the verdict stored again for the new one, such a
// render kept "checked for the revision before" under the new revision until the next
// change: a secretariat's screen waiting for a re-check that had already run.
func TestAgendaRenderedAtTheRaiseShowsTheVerdictOfItsRevision(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ag, e, m, s, fr := watchedRaise(t, d)
		e.check(m)
		e.must(201, e.assign(s, "fr", fr))
		e.check(m)
		if len(ag.seen) == 0 {
			t.Fatal("the checker never raised the revision")
		}
		for i, v := range ag.seen {
			if v == nil || v.Revision != ag.revs[i] {
				t.Errorf("the agenda rendered at revision %d shows the verdict %+v", ag.revs[i], v)
			}
		}
		got, err := ag.Service.AgendaJSON(context.Background(), m, "UTC", "en", true)
		if err != nil {
			t.Fatal(err)
		}
		var cached struct {
			Revision       int64 `json:"revision"`
			Interpretation struct {
				Revision int64 `json:"revision"`
			} `json:"interpretation"`
		}
		if err := json.Unmarshal(got.Body, &cached); err != nil {
			t.Fatal(err)
		}
		if cached.Interpretation.Revision != cached.Revision {
			t.Errorf("the cached agenda of revision %d shows the verdict of revision %d", cached.Revision, cached.Interpretation.Revision)
		}
	})
}

// TestAgendaAtANewRevisionShowsItsVerdict: the checker raises the agenda revision because
// its verdict changed; an agenda rendered for that revision (and cached under it) shows
// the new verdict, never the one it replaces. Before the verdict was stored ahead of the
// revision, a render in between kept the old verdict under the new revision for good.
func TestAgendaAtANewRevisionShowsItsVerdict(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ag, e, m, s, fr := watchedRaise(t, d)
		first := e.check(m) // the first verdict: two booths short
		e.must(201, e.assign(s, "fr", fr))
		second := e.check(m)
		if len(ag.seen) < 2 {
			t.Fatalf("the revision was raised %d times for two new verdicts", len(ag.seen))
		}
		if ag.seen[0] == nil {
			t.Fatalf("the agenda rendered at revision %d has no verdict; the checker's is %+v", ag.revs[0], first)
		}
		if ag.seen[0].Assignments != 0 || len(ag.seen[0].Violations) != len(first.Violations) {
			t.Errorf("first verdict: agenda shows %d seats and %d problems, the checker %d and %d",
				ag.seen[0].Assignments, len(ag.seen[0].Violations), first.Assignments, len(first.Violations))
		}
		last := ag.seen[len(ag.seen)-1]
		if last == nil || last.Assignments != 1 || len(last.Violations) != len(second.Violations) {
			t.Errorf("after the seat: the agenda rendered at revision %d shows %+v; the checker: %d seats, %d problems",
				ag.revs[len(ag.revs)-1], last, second.Assignments, len(second.Violations))
		}
	})
}

// lateReader is the agenda as interpretation sees it, where one check reads the revision
// and then another check runs to completion before the first goes on: two checks of one
// meeting at once, the slower one holding the older revision.
type lateReader struct {
	*agenda.Service
	overtake func()
}

func (a *lateReader) AgendaRevision(ctx context.Context, meetingID string) (int64, error) {
	rev, err := a.Service.AgendaRevision(ctx, meetingID)
	if f := a.overtake; f != nil && err == nil {
		a.overtake = nil
		f()
	}
	return rev, err
}

// TestAnOlderCheckNeverReplacesANewerVerdict: a check that read revision R and finishes
// after another check stored its verdict for R+1 must not store its own as that of R, or
// the agenda (now at R+1) would show a verdict one revision behind until the next change.
func TestAnOlderCheckNeverReplacesANewerVerdict(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ag := &lateReader{}
		e := envSeenThrough(t, d, func(a *agenda.Service) interpretation.Agenda { ag.Service = a; return ag })
		svc := e.svc

		m := e.meeting("aiic")
		s := e.session(m, "2026-12-07T10:00", "2026-12-07T11:00", []string{"en", "fr"}, []string{"en", "fr"})
		fr := e.interpreter("Claire Dubois", "fr:A en:C", nil)
		e.check(m)
		ag.overtake = func() {
			if _, err := svc.Check(context.Background(), m); err != nil {
				t.Errorf("the overtaking check: %v", err)
			}
		}
		e.must(201, e.assign(s, "fr", fr)) // its re-check reads the revision, then is overtaken
		if ag.overtake != nil {
			t.Fatal("the seat's re-check never read the agenda revision")
		}
		stored, ok, err := svc.LastCheck(context.Background(), m)
		if err != nil || !ok {
			t.Fatalf("last check: %v %v", ok, err)
		}
		rev, err := ag.Service.AgendaRevision(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Revision != rev || stored.Assignments != 1 {
			t.Errorf("stored verdict: %d seats for revision %d; the agenda is at revision %d", stored.Assignments, stored.Revision, rev)
		}
	})
}

// TestAgendaCachedBeforeARecheckShowsItsVerdict: a session is renamed (a new agenda
// revision, the same staffing problems), the staff agenda is read and cached for that
// revision with the verdict of the revision before, then the re-check finds the same
// problems for the new revision: the agenda read next shows the verdict of its own
// revision, not the cached one's.
func TestAgendaCachedBeforeARecheckShowsItsVerdict(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		m := e.meeting("aiic")
		s := e.session(m, "2026-12-07T10:00", "2026-12-07T11:00", []string{"en", "fr"}, []string{"en", "fr"})
		e.check(m)
		cur := e.must(200, e.do("GET", "/v1/sessions/"+s, nil))
		e.must(200, e.do("PATCH", "/v1/sessions/"+s, map[string]any{"title": map[string]string{"en": "Opening sitting"}},
			"If-Match", fmt.Sprintf(`"%v"`, cur["version"])))
		agendaPath := "/v1/meetings/" + m + "/agenda"
		before := e.must(200, e.do("GET", agendaPath, nil))
		if v := before["interpretation"].(map[string]any); v["revision"] == before["revision"] {
			t.Fatalf("the rename should leave the verdict a revision behind until the re-check: %v", before["revision"])
		}
		e.check(m)
		after := e.must(200, e.do("GET", agendaPath, nil))
		if v := after["interpretation"].(map[string]any); v["revision"] != after["revision"] {
			t.Errorf("after the re-check the agenda (revision %v) shows the verdict of revision %v", after["revision"], v["revision"])
		}
	})
}
