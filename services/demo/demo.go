// Package demo seeds a fresh all-in-one Plenary with the kind of meeting secretariats
// really run: a parliamentary meeting held twice on one day, timed once for Asia/Pacific
// (English only) and once for Africa, Europe and the Americas (EN/FR/ES/AR interpretation),
// and a regional webinar whose agenda was written in "GMT-3". Dates are a few weeks ahead
// of the clock, so reminders planned from them are live.
package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/interpretation"
)

// Seeded reports what Seed created.
type Seeded struct {
	MeetingID  string
	SessionIDs []string
	WebinarID  string
}

func ptr[T any](v T) *T { return &v }

// Day returns the demo meeting's date: the first Tuesday at least 14 days after now, in
// Europe/Paris.
func Day(now time.Time) time.Time {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.UTC
	}
	d := now.In(paris).AddDate(0, 0, 14)
	for d.Weekday() != time.Tuesday {
		d = d.AddDate(0, 0, 1)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, paris)
}

// Seed creates the demo meetings. It is called only on an empty database.
func Seed(ctx context.Context, svc *agenda.Service, now time.Time) (Seeded, error) {
	var out Seeded
	day := Day(now).Format("2006-01-02")
	m, err := svc.CreateMeeting(ctx, agenda.MeetingInput{
		Title: contracts.Text{
			"en": "Inter-Parliamentary Forum on Climate Resilience",
			"fr": "Forum interparlementaire sur la résilience climatique",
			"es": "Foro Interparlamentario sobre Resiliencia Climática",
			"ar": "المنتدى البرلماني الدولي بشأن القدرة على الصمود في وجه تغير المناخ",
		},
		VenueTZ: ptr("Europe/Paris"), Format: ptr("virtual"), DefaultLang: ptr("en"), Platform: ptr("zoom"),
		InterpretationPolicy: ptr("un"), Public: ptr(true),
	})
	if err != nil {
		return out, fmt.Errorf("demo meeting: %w", err)
	}
	out.MeetingID = m.ID

	asia, err := svc.CreateSession(ctx, m.ID, agenda.SessionInput{
		Title: contracts.Text{"en": "Session timed for the Asia/Pacific region", "fr": "Séance pour la région Asie-Pacifique"},
		Start: ptr(day + "T07:00"), End: ptr(day + "T09:00"), TZ: ptr("Europe/Paris"),
		Floor: []string{"en"}, Outputs: []string{}, Audience: []string{"Asia/Pacific"},
	})
	if err != nil {
		return out, fmt.Errorf("demo session 1: %w", err)
	}
	world, err := svc.CreateSession(ctx, m.ID, agenda.SessionInput{
		Title: contracts.Text{
			"en": "Session timed for Africa, Europe and the Americas",
			"fr": "Séance pour l'Afrique, l'Europe et les Amériques",
			"es": "Sesión para África, Europa y las Américas",
			"ar": "جلسة لأفريقيا وأوروبا والأمريكتين",
		},
		Start: ptr(day + "T16:30"), End: ptr(day + "T18:30"), TZ: ptr("CET"),
		Floor: []string{"en", "fr", "es", "ar"}, Outputs: []string{"en", "fr", "es", "ar"},
		Audience: []string{"Africa, Europe and the Americas"},
	})
	if err != nil {
		return out, fmt.Errorf("demo session 2: %w", err)
	}
	out.SessionIDs = []string{asia.ID, world.ID}

	items := []struct {
		session string
		in      agenda.ItemInput
	}{
		{asia.ID, agenda.ItemInput{Title: contracts.Text{"en": "Opening remarks"}, Start: ptr("07:00"), End: ptr("07:15"),
			Speakers: []agenda.Speaker{{Name: "Hon. Mere Tane", Affiliation: "Parliament of New Zealand", StakeholderGroup: "Parliamentarians", RegionalGroup: "Asia-Pacific Group", Language: "en"}}}},
		{asia.ID, agenda.ItemInput{Title: contracts.Text{"en": "Adaptation finance in small island states"}, Start: ptr("07:15"), End: ptr("08:30"),
			Speakers: []agenda.Speaker{{Name: "Dr. Aiko Sato", Affiliation: "University of Tokyo", StakeholderGroup: "Academia", RegionalGroup: "Asia-Pacific Group", Language: "en"}}}},
		{world.ID, agenda.ItemInput{Title: contracts.Text{"en": "Opening remarks", "fr": "Allocution d'ouverture", "es": "Palabras de apertura", "ar": "الكلمة الافتتاحية"}, Start: ptr("16:30"), End: ptr("16:45"),
			Speakers: []agenda.Speaker{{Name: "Hon. Amina Diallo", Affiliation: "National Assembly of Senegal", StakeholderGroup: "Parliamentarians", RegionalGroup: "African Group", Language: "fr"}}}},
		{world.ID, agenda.ItemInput{Title: contracts.Text{"en": "Roundtable: early-warning systems", "fr": "Table ronde : systèmes d'alerte précoce", "es": "Mesa redonda: sistemas de alerta temprana"}, Start: ptr("16:45"), End: ptr("18:15"),
			Speakers: []agenda.Speaker{
				{Name: "Sen. Lucía Fernández", Affiliation: "Senate of Chile", StakeholderGroup: "Parliamentarians", RegionalGroup: "Latin American and Caribbean Group", Language: "es"},
				{Name: "Karim Haddad", Affiliation: "Arab Water Council", StakeholderGroup: "Civil society", RegionalGroup: "Asia-Pacific Group", Language: "ar"},
				{Name: "Ingrid Nilsen", Affiliation: "Norwegian Meteorological Institute", StakeholderGroup: "Academia", RegionalGroup: "Western European and Others Group", Language: "en"},
			}}},
	}
	for _, it := range items {
		if _, err := svc.AddItem(ctx, it.session, it.in); err != nil {
			return out, fmt.Errorf("demo agenda item: %w", err)
		}
	}

	if out.WebinarID, err = seedWebinar(ctx, svc, now); err != nil {
		return out, err
	}
	return out, nil
}

// seedWebinar creates a regional webinar whose draft agenda was written in "GMT-3":
// three hours behind UTC.
func seedWebinar(ctx context.Context, svc *agenda.Service, now time.Time) (string, error) {
	w, err := svc.CreateMeeting(ctx, agenda.MeetingInput{
		Title:   contracts.Text{"en": "Regional webinar series: Latin American edition", "es": "Serie de seminarios web regionales: edición latinoamericana"},
		VenueTZ: ptr("America/Sao_Paulo"), Format: ptr("virtual"), DefaultLang: ptr("es"), Platform: ptr("webex"),
	})
	if err != nil {
		return "", fmt.Errorf("demo webinar: %w", err)
	}
	wday := Day(now).AddDate(0, 0, 2).Format("2006-01-02")
	if _, err := svc.CreateSession(ctx, w.ID, agenda.SessionInput{
		Title: contracts.Text{"en": "Parliaments and the energy transition", "es": "Los parlamentos y la transición energética"},
		Start: ptr(wday + "T10:00"), DurationMin: ptr(90), TZ: ptr("GMT-3"),
		Floor: []string{"es", "en"}, Outputs: []string{"es", "en"}, Audience: []string{"Latin American and Caribbean Group"},
	}); err != nil {
		return "", fmt.Errorf("demo webinar session: %w", err)
	}
	return w.ID, nil
}

// Interpreter is one member of the demo pool.
type Interpreter struct {
	Name, Email, Locale, TZ string
	Langs                   string // "fr:A en:B ar:C"
	Retour, Remote          bool
}

// Pool is the demo's interpreter pool: twelve interpreters for EN/FR/ES/AR in eight zones,
// enough for the UN pattern of the interpreted session (EN 2, FR 2, ES 2, AR 3) with
// every floor language heard first-hand, and three to spare (some of whom would need
// relay, or work remotely from the Americas).
var Pool = []Interpreter{
	{"Alice Martin", "alice.martin@interpreters.example.org", "en-GB", "Europe/London", "en:A fr:C es:C", false, false},
	{"David Okafor", "david.okafor@interpreters.example.org", "en", "Europe/Zurich", "en:A fr:B es:C ar:C", false, false},
	{"Sarah Cohen", "sarah.cohen@interpreters.example.org", "en-US", "America/New_York", "en:A fr:C es:C ar:C", false, true},
	{"Claire Dubois", "claire.dubois@interpreters.example.org", "fr", "Europe/Paris", "fr:A en:C es:C ar:C", false, false},
	{"Jean Mercier", "jean.mercier@interpreters.example.org", "fr-CH", "Europe/Zurich", "fr:A en:B es:C ar:C", true, false},
	{"Amélie Roy", "amelie.roy@interpreters.example.org", "fr-CA", "America/Toronto", "fr:A en:C es:C", false, true},
	{"Lucía Fernández", "lucia.fernandez@interpreters.example.org", "es", "Europe/Madrid", "es:A en:C fr:C ar:C", false, false},
	{"Carlos Ruiz", "carlos.ruiz@interpreters.example.org", "es-AR", "America/Argentina/Buenos_Aires", "es:A en:B fr:C", true, true},
	{"Marta Gómez", "marta.gomez@interpreters.example.org", "es", "Europe/Madrid", "es:A en:C fr:C ar:C", false, false},
	{"Karim Haddad", "karim.haddad@interpreters.example.org", "ar", "Africa/Cairo", "ar:A en:B fr:C es:C", true, false},
	{"Leila Mansour", "leila.mansour@interpreters.example.org", "ar-LB", "Asia/Beirut", "ar:A fr:B en:C es:C", true, false},
	{"Omar Farouk", "omar.farouk@interpreters.example.org", "ar", "Asia/Amman", "ar:A en:B fr:C", true, false},
}

// Input is the interpreter as the service takes it.
func (p Interpreter) Input() interpretation.InterpreterInput {
	var langs []interp.LangSkill
	for _, f := range strings.Fields(p.Langs) {
		l, c, _ := strings.Cut(f, ":")
		langs = append(langs, interp.LangSkill{Lang: interp.Lang(l), Class: interp.Class(c)})
	}
	return interpretation.InterpreterInput{Name: ptr(p.Name), Email: ptr(p.Email), Locale: ptr(p.Locale), TZ: ptr(p.TZ),
		Languages: langs, Retour: ptr(p.Retour), Remote: ptr(p.Remote)}
}

// SeedInterpreters adds the demo pool. It is called only on an empty database.
func SeedInterpreters(ctx context.Context, svc *interpretation.Service) ([]string, error) {
	var ids []string
	for _, p := range Pool {
		it, err := svc.CreateInterpreter(ctx, p.Input())
		if err != nil {
			return ids, fmt.Errorf("demo interpreter %s: %w", p.Name, err)
		}
		ids = append(ids, it.ID)
	}
	return ids, nil
}
