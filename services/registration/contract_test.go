package registration

import (
	"context"
	"fmt"
	"testing"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/signed"
	"github.com/plenary/plenary/services/platform/versioned/versionedtest"
)

func TestRegistrationStoreContract(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ag := agenda.NewService(d)
		keys, _ := signed.NewRandomKeys()
		s := NewService(d, AgendaMeetings{Agenda: ag}, signed.Links{Keys: keys, BaseURL: "https://plenary.example.org"})
		tz := "America/Bogota"
		m, err := ag.CreateMeeting(context.Background(), agenda.MeetingInput{Title: contracts.Text{"es": "Foro de ciudades resilientes", "en": "Resilient Cities Forum"}, VenueTZ: &tz})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		versionedtest.Run(t, versionedtest.Subject[Registration]{
			Resource: s.resource(),
			Tx:       s.tx,
			New: func(t *testing.T) string {
				n++
				name, email, locale := "Ana Pérez", fmt.Sprintf("ana.perez+%d@example.org", n), "es-CO"
				r, err := s.Register(context.Background(), m.ID, Input{Name: &name, Email: &email, Locale: &locale, TZ: &tz})
				if err != nil {
					t.Fatal(err)
				}
				return r.ID
			},
			Change: func(r *Registration, n int) error {
				r.Name = fmt.Sprintf("Ana María Pérez (%d)", n)
				return nil
			},
		})
	})
}
