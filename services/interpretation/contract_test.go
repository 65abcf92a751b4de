package interpretation

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/versioned/versionedtest"
)

func TestInterpreterStoreContract(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		s := NewService(d, agenda.NewService(d))
		n := 0
		versionedtest.Run(t, versionedtest.Subject[Interpreter]{
			Resource: s.interpreterResource(),
			Tx:       s.tx,
			New: func(t *testing.T) string {
				n++
				name, email, locale, tz := "Samir Haddad", fmt.Sprintf("samir.haddad+%d@example.org", n), "ar", "Africa/Cairo"
				it, err := s.CreateInterpreter(context.Background(), InterpreterInput{Name: &name, Email: &email, Locale: &locale, TZ: &tz,
					Languages: []interp.LangSkill{{Lang: "ar", Class: interp.ClassA}, {Lang: "en", Class: interp.ClassC}, {Lang: "fr", Class: interp.ClassC}}})
				if err != nil {
					t.Fatal(err)
				}
				return it.ID
			},
			Change: func(it *Interpreter, n int) error {
				it.Name = fmt.Sprintf("Samir Haddad (%d)", n)
				return nil
			},
		})
	})
}

func TestAssignmentStoreContract(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ag := agenda.NewService(d)
		s := NewService(d, ag)
		tz := "Europe/Zurich" // Geneva keeps Zurich's clock
		m, err := ag.CreateMeeting(ctx, agenda.MeetingInput{Title: contracts.Text{"en": "Human Rights Council, informal consultations"}, VenueTZ: &tz})
		if err != nil {
			t.Fatalf("%v %+v", err, problem.From(err).Fields)
		}
		n := 0
		var x agenda.Session
		// The change under contract is a state change's tail (Transition checks the states
		// themselves): written, raised one version, recorded with its event, which carries
		// the session of the assignment last made.
		res := s.assignmentResource(x, StateOffered, nil)
		res.Record = func(ctx context.Context, tx *sql.Tx, before, a Assignment) error {
			return s.assignmentResource(x, StateOffered, nil).Record(ctx, tx, before, a)
		}
		versionedtest.Run(t, versionedtest.Subject[Assignment]{
			Resource: res,
			Tx:       s.tx,
			New: func(t *testing.T) string {
				n++
				// One session per assignment, a day apart: an interpreter has one seat at a time.
				start, dur := fmt.Sprintf("2026-12-%02dT10:00", n), 120
				x, err = ag.CreateSession(ctx, m.ID, agenda.SessionInput{Title: contracts.Text{"en": "Consultations"}, Start: &start, DurationMin: &dur, TZ: &tz,
					Floor: []string{"en", "fr"}, Outputs: []string{"en", "fr"}})
				if err != nil {
					t.Fatalf("%v %+v", err, problem.From(err).Fields)
				}
				name, email, locale := "Claire Dubois", fmt.Sprintf("claire.dubois+%d@example.org", n), "fr"
				it, err := s.CreateInterpreter(ctx, InterpreterInput{Name: &name, Email: &email, Locale: &locale, TZ: &tz,
					Languages: []interp.LangSkill{{Lang: "fr", Class: interp.ClassA}, {Lang: "en", Class: interp.ClassC}}})
				if err != nil {
					t.Fatal(err)
				}
				a, err := s.CreateAssignment(ctx, AssignmentInput{SessionID: x.ID, Booth: "fr", InterpreterID: it.ID})
				if err != nil {
					t.Fatal(err)
				}
				return a.ID
			},
			Change: func(a *Assignment, n int) error {
				a.State = StateOffered
				a.UpdatedAt = a.UpdatedAt.Add(time.Duration(n) * time.Second)
				return nil
			},
		})
	})
}
