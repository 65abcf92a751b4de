package interpretation

import (
	"context"
	"fmt"
	"testing"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
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
