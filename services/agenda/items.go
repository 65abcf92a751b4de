package agenda

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/outbox"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/versioned"
)

// ItemInput is an agenda item as the secretariat gives it. Start and end are wall clock
// in the session's zone ("2026-12-08T16:45") or a time of day on the session's local
// start date ("16:45").
type ItemInput struct {
	Title    contracts.Text `json:"title"`
	Start    *string        `json:"start"`
	End      *string        `json:"end"`
	Speakers []Speaker      `json:"speakers"`
	Language *string        `json:"language"`
	Position *int           `json:"position"`
}

func (in ItemInput) apply(it *Item, x Session, creating bool) error {
	var errs []problem.FieldError
	if in.Title != nil || creating {
		errs = append(errs, ValidateText("title", in.Title, true, maxTitleLen)...)
		if in.Title != nil {
			it.Title = in.Title
		}
	}
	if in.Speakers != nil {
		if len(in.Speakers) > maxSpeakers {
			errs = append(errs, problem.FieldError{Field: "speakers", Code: "too_many", Message: fmt.Sprintf("at most %d speakers", maxSpeakers)})
		}
		for i, sp := range in.Speakers {
			f := fmt.Sprintf("speakers/%d", i)
			if strings.TrimSpace(sp.Name) == "" || len(sp.Name) > maxNameLen {
				errs = append(errs, problem.FieldError{Field: f + "/name", Code: "required", Message: "a name of 1 to 200 characters"})
			}
			if len(sp.Affiliation) > maxNameLen || len(sp.StakeholderGroup) > maxNameLen {
				errs = append(errs, problem.FieldError{Field: f, Code: "too_long", Message: "affiliation and stakeholder group: at most 200 characters"})
			}
			if sp.RegionalGroup != "" && !slices.Contains(RegionalGroups, sp.RegionalGroup) {
				errs = append(errs, problem.FieldError{Field: f + "/regional_group", Code: "invalid_value", Message: "one of the UN regional groups: " + strings.Join(RegionalGroups, ", ")})
			}
			if sp.Language != "" && !ValidLang(sp.Language) {
				errs = append(errs, problem.FieldError{Field: f + "/language", Code: "invalid_language", Message: "an ISO 639-1 code"})
			}
		}
		it.Speakers = in.Speakers
	} else if creating {
		it.Speakers = []Speaker{}
	}
	if in.Language != nil {
		if *in.Language != "" && !ValidLang(*in.Language) {
			errs = append(errs, problem.FieldError{Field: "language", Code: "invalid_language", Message: "an ISO 639-1 code"})
		}
		it.Language = *in.Language
	}
	if in.Position != nil {
		if *in.Position < 0 || *in.Position > 10000 {
			errs = append(errs, problem.FieldError{Field: "position", Code: "out_of_range", Message: "0 to 10000"})
		}
		it.Position = *in.Position
	}
	if len(errs) > 0 {
		return invalid(errs)
	}
	if in.Start != nil {
		t, err := ResolveItemTime(*in.Start, x)
		if err != nil {
			return fieldProblem("start", err)
		}
		it.StartUTC, it.StartInput = t, *in.Start
	}
	if in.End != nil {
		t, err := ResolveItemTime(*in.End, x)
		if err != nil {
			return fieldProblem("end", err)
		}
		it.EndUTC, it.EndInput = t, *in.End
	}
	if it.StartUTC != nil && it.EndUTC != nil && !it.EndUTC.After(*it.StartUTC) {
		return problem.Unprocessable("end_before_start", "the item must end after it starts",
			problem.FieldError{Field: "end", Code: "end_before_start", Message: "must be after start"})
	}
	for _, p := range []struct {
		f string
		t *time.Time
	}{{"start", it.StartUTC}, {"end", it.EndUTC}} {
		if p.t != nil && (p.t.Before(x.StartUTC) || p.t.After(x.EndUTC)) {
			return problem.Unprocessable("item_outside_session", fmt.Sprintf("the item's %s falls outside its session (%s to %s UTC)", p.f,
				x.StartUTC.Format("2006-01-02 15:04"), x.EndUTC.Format("15:04")),
				problem.FieldError{Field: p.f, Code: "outside_session", Message: "must be within the session"})
		}
	}
	return nil
}

// moveItems shifts a rescheduled session's timed items with it, keeping each item's
// place in the session, and emits agenda.changed when any moved.
func (s *Service) moveItems(ctx context.Context, tx *sql.Tx, x Session, delta time.Duration, now time.Time) error {
	items, err := s.store.itemsOfSession(ctx, tx, x.ID)
	if err != nil {
		return err
	}
	loc := time.UTC
	if z, err := ParseZone(x.TZ); err == nil {
		loc = z.Location
	}
	moved := false
	for _, it := range items {
		if it.StartUTC == nil && it.EndUTC == nil || delta == 0 {
			continue
		}
		if it.StartUTC != nil {
			t := it.StartUTC.Add(delta)
			it.StartUTC, it.StartInput = &t, t.In(loc).Format("2006-01-02T15:04")
		}
		if it.EndUTC != nil {
			t := it.EndUTC.Add(delta)
			it.EndUTC, it.EndInput = &t, t.In(loc).Format("2006-01-02T15:04")
		}
		it.Version++
		if err := s.store.updateItem(ctx, tx, it); err != nil {
			return err
		}
		moved = true
	}
	if !moved {
		return nil
	}
	return s.emitAgenda(ctx, tx, x, now)
}

func (s *Service) emitAgenda(ctx context.Context, tx *sql.Tx, x Session, now time.Time) error {
	items, err := s.store.itemsOfSession(ctx, tx, x.ID)
	if err != nil {
		return err
	}
	ev := contracts.AgendaChangedEvent{MeetingID: x.MeetingID, SessionID: x.ID, Items: make([]contracts.AgendaItem, 0, len(items))}
	for _, it := range items {
		ev.Items = append(ev.Items, itemContract(it))
	}
	return outbox.Emit(ctx, tx, contracts.AgendaChanged, Source, now, ev)
}

func (s *Service) changeItems(ctx context.Context, sessionID string, fn func(tx *sql.Tx, x Session, now time.Time) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		x, err := s.store.session(ctx, tx, sessionID, true)
		if err != nil {
			return err
		}
		if x.Status == StatusCancelled {
			return problem.New(problem.KindConflict, "session_cancelled", "session %s is cancelled; its agenda can no longer change", sessionID)
		}
		now := s.clock()
		if err := fn(tx, x, now); err != nil {
			return err
		}
		if err := s.store.bumpAgenda(ctx, tx, x.MeetingID, now); err != nil {
			return err
		}
		return s.emitAgenda(ctx, tx, x, now)
	})
}

func itemContract(it Item) contracts.AgendaItem {
	sp := it.Speakers
	if sp == nil {
		sp = []Speaker{}
	}
	return contracts.AgendaItem{ID: it.ID, Position: it.Position, Title: it.Title, StartUTC: it.StartUTC, EndUTC: it.EndUTC, Speakers: sp, Language: it.Language}
}

// AddItem adds an agenda item to a session and emits agenda.changed. Without a position
// the item goes last.
func (s *Service) AddItem(ctx context.Context, sessionID string, in ItemInput) (Item, error) {
	var out Item
	err := s.changeItems(ctx, sessionID, func(tx *sql.Tx, x Session, now time.Time) error {
		it := Item{ID: newID(), SessionID: sessionID, Version: 1}
		if in.Position == nil {
			items, err := s.store.itemsOfSession(ctx, tx, sessionID)
			if err != nil {
				return err
			}
			if len(items) > 0 {
				it.Position = items[len(items)-1].Position + 1
			}
		}
		if err := in.apply(&it, x, true); err != nil {
			return err
		}
		out = it
		if err := audit.Record(ctx, tx, now, audit.Change{Action: "agenda_item.create", Resource: "agenda_item", ID: it.ID, MeetingID: x.MeetingID, After: itemContract(it)}); err != nil {
			return err
		}
		return s.store.insertItem(ctx, tx, it)
	})
	return out, err
}

// Item returns an agenda item.
func (s *Service) Item(ctx context.Context, id string) (Item, error) {
	return s.store.item(ctx, s.db, id)
}

// UpdateItem changes an agenda item if ifMatch names its current version.
func (s *Service) UpdateItem(ctx context.Context, id string, ifMatch int64, in ItemInput) (Item, error) {
	cur, err := s.store.item(ctx, s.db, id)
	if err != nil {
		return Item{}, err
	}
	var out Item
	err = s.changeItems(ctx, cur.SessionID, func(tx *sql.Tx, x Session, now time.Time) error {
		var err error
		out, err = s.itemResource(x, now).Update(ctx, tx, id, ifMatch, func(it *Item) error { return in.apply(it, x, false) })
		return err
	})
	return out, err
}

// itemResource is the update of an item of session x at now: written and in the trail
// (the agenda's revision and agenda.changed are the session's, changeItems).
func (s *Service) itemResource(x Session, now time.Time) versioned.Resource[Item] {
	return versioned.Resource[Item]{
		Name: "agenda item",
		Get: func(ctx context.Context, tx *sql.Tx, id string) (Item, error) {
			return s.store.itemFor(ctx, tx, id, true)
		},
		Version: func(it *Item) *int64 { return &it.Version },
		Put:     func(ctx context.Context, tx *sql.Tx, it Item) error { return s.store.updateItem(ctx, tx, it) },
		Record: func(ctx context.Context, tx *sql.Tx, prev, it Item) error {
			return audit.Record(ctx, tx, now, audit.Change{Action: "agenda_item.update", Resource: "agenda_item", ID: it.ID, MeetingID: x.MeetingID,
				Before: itemContract(prev), After: itemContract(it)})
		},
	}
}

// DeleteItem removes an agenda item.
func (s *Service) DeleteItem(ctx context.Context, id string, ifMatch int64) error {
	cur, err := s.store.item(ctx, s.db, id)
	if err != nil {
		return err
	}
	return s.changeItems(ctx, cur.SessionID, func(tx *sql.Tx, x Session, now time.Time) error {
		it, err := s.store.item(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := versioned.Check("agenda item", ifMatch, it.Version); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Change{Action: "agenda_item.delete", Resource: "agenda_item", ID: it.ID, MeetingID: x.MeetingID, Before: itemContract(it)}); err != nil {
			return err
		}
		return s.store.deleteItem(ctx, tx, id)
	})
}

// Items lists a session's agenda items.
func (s *Service) Items(ctx context.Context, sessionID string) ([]Item, error) {
	if _, err := s.store.session(ctx, s.db, sessionID, false); err != nil {
		return nil, err
	}
	return s.store.itemsOfSession(ctx, s.db, sessionID)
}
