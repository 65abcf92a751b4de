package agenda

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/planner"
	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/contact"
	"github.com/plenary/plenary/services/platform/outbox"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/versioned"
	"github.com/plenary/plenary/services/timeapi"
)

// MeetingInput is what the secretariat gives to create a meeting, or (with nil fields
// meaning unchanged) to update one.
type MeetingInput struct {
	Title                contracts.Text `json:"title"`
	VenueTZ              *string        `json:"venue_tz"`
	Format               *string        `json:"format"`
	DefaultLang          *string        `json:"default_lang"`
	Platform             *string        `json:"platform"`
	InterpretationPolicy *string        `json:"interpretation_policy"`
	Public               *bool          `json:"public"`
	// Regions replaces the meeting's own regions (the shape /v1/planning/slots takes);
	// [] removes them. A region still named by a session's audience cannot be removed.
	Regions *[]timeapi.RegionJSON `json:"regions"`
	// SecretariatEmail is where the secretariat is told of seats still open ("" clears it).
	SecretariatEmail *string `json:"secretariat_email"`
	// OpenSeatsNoticeHours is how long before the first session ahead (1 to 336 hours; 0
	// returns to the staffing policy's default).
	OpenSeatsNoticeHours *int `json:"open_seats_notice_hours"`
}

// MaxOpenSeatsNoticeHours is the longest notice of open seats (14 days).
const MaxOpenSeatsNoticeHours = 14 * 24

func (in MeetingInput) apply(m *Meeting, creating bool) error {
	var errs []problem.FieldError
	if in.Title != nil || creating {
		errs = append(errs, ValidateText("title", in.Title, true, maxTitleLen)...)
		if in.Title != nil {
			m.Title = in.Title
		}
	}
	if in.VenueTZ != nil {
		z, err := ParseZone(*in.VenueTZ)
		if err != nil {
			errs = append(errs, zoneFieldError("venue_tz", err))
		} else {
			m.VenueTZ = z.Name
		}
	} else if creating {
		errs = append(errs, problem.FieldError{Field: "venue_tz", Code: "required", Message: "the venue's time zone, e.g. Europe/Paris"})
	}
	set := func(field string, v *string, dst *string, allowed []string, def string) {
		switch {
		case v != nil:
			errs = append(errs, oneOf(field, *v, allowed)...)
			*dst = *v
		case creating:
			*dst = def
		}
	}
	set("format", in.Format, &m.Format, Formats, "hybrid")
	set("platform", in.Platform, &m.Platform, Platforms, "none")
	set("interpretation_policy", in.InterpretationPolicy, &m.InterpretationPolicy, Policies, "aiic")
	if in.DefaultLang != nil {
		if !ValidLang(*in.DefaultLang) {
			errs = append(errs, problem.FieldError{Field: "default_lang", Code: "invalid_language", Message: "an ISO 639-1 code such as en, fr, es or ar"})
		}
		m.DefaultLang = *in.DefaultLang
	} else if creating {
		m.DefaultLang = "en"
	}
	if in.Public != nil {
		m.Public = *in.Public
	}
	if in.SecretariatEmail != nil {
		// The registrants' rule (contact.Email): no display name, nothing invisible.
		m.SecretariatEmail = strings.TrimSpace(*in.SecretariatEmail)
		if m.SecretariatEmail != "" {
			e, ok := contact.Email(m.SecretariatEmail)
			if !ok {
				errs = append(errs, problem.FieldError{Field: "secretariat_email", Code: "invalid_email", Message: "an email address such as interpretation@example.org, without a display name"})
			}
			m.SecretariatEmail = e
		}
	}
	if in.OpenSeatsNoticeHours != nil {
		h := *in.OpenSeatsNoticeHours
		if h < 0 || h > MaxOpenSeatsNoticeHours {
			errs = append(errs, problem.FieldError{Field: "open_seats_notice_hours", Code: "out_of_range",
				Message: fmt.Sprintf("from 1 to %d hours, or 0 for the staffing policy's default", MaxOpenSeatsNoticeHours)})
		}
		m.OpenSeatsNoticeHours = h
	}
	if in.Regions != nil {
		rs, ferrs := timeapi.ParseRegions(*in.Regions, "regions")
		errs = append(errs, ferrs...)
		if len(ferrs) == 0 {
			if err := planner.CheckRegions(rs); err != nil {
				return fieldProblem("regions", err)
			}
		}
		m.Regions = rs
	}
	return invalid(errs)
}

// CreateMeeting creates a meeting and emits meeting.created.
func (s *Service) CreateMeeting(ctx context.Context, in MeetingInput) (Meeting, error) {
	now := s.clock()
	m := Meeting{ID: newID(), Version: 1, AgendaRevision: 1, CreatedAt: now, UpdatedAt: now}
	if err := in.apply(&m, true); err != nil {
		return Meeting{}, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.store.insertMeeting(ctx, tx, m); err != nil {
			return err
		}
		return audit.Written(ctx, tx, now, audit.Change{Action: "meeting.create", Resource: "meeting", ID: m.ID, MeetingID: m.ID, After: meetingContract(m)}, contracts.MeetingCreated, Source, contracts.MeetingEvent{Meeting: meetingContract(m)})
	})
	return m, err
}

// Meeting returns a meeting.
func (s *Service) Meeting(ctx context.Context, id string) (Meeting, error) {
	return s.store.meeting(ctx, s.db, id, false)
}

// Meetings lists meetings in creation order (UUIDv7 ids sort by time), after the cursor.
func (s *Service) Meetings(ctx context.Context, after string, limit int) ([]Meeting, error) {
	if ids, scoped := auth.MeetingScope(ctx); scoped {
		return s.scopedMeetings(ctx, ids, after, limit)
	}
	return s.store.listMeetings(ctx, after, limit)
}

// scopedMeetings lists the meetings of a token limited to a few (at most 100) meetings.
func (s *Service) scopedMeetings(ctx context.Context, ids []string, after string, limit int) ([]Meeting, error) {
	ids = slices.Sorted(slices.Values(ids))
	var out []Meeting
	for _, id := range ids {
		if id <= after || len(out) >= limit {
			continue
		}
		m, err := s.store.meeting(ctx, s.db, id, false)
		if err != nil && problem.From(err).Kind == problem.KindNotFound {
			continue // deleted since the token was made
		}
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// UpdateMeeting applies a partial update if ifMatch names the current version.
func (s *Service) UpdateMeeting(ctx context.Context, id string, ifMatch int64, in MeetingInput) (Meeting, error) {
	defer s.validators.Remove(id)
	var out Meeting
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.meetingResource().Update(ctx, tx, id, ifMatch, func(m *Meeting) error {
			if err := in.apply(m, false); err != nil {
				return err
			}
			if in.Regions != nil {
				if err := s.regionsStillNamed(ctx, tx, *m); err != nil {
					return err
				}
			}
			m.AgendaRevision++
			m.UpdatedAt = s.clock()
			return nil
		})
		return err
	})
	return out, err
}

// meetingResource is the update of a meeting: written, in the trail, meeting.updated.
func (s *Service) meetingResource() versioned.Resource[Meeting] {
	return versioned.Resource[Meeting]{
		Name: "meeting",
		Get: func(ctx context.Context, tx *sql.Tx, id string) (Meeting, error) {
			return s.store.meeting(ctx, tx, id, true)
		},
		Version: func(m *Meeting) *int64 { return &m.Version },
		Put:     func(ctx context.Context, tx *sql.Tx, m Meeting) error { return s.store.updateMeeting(ctx, tx, m) },
		Record: func(ctx context.Context, tx *sql.Tx, prev, m Meeting) error {
			return audit.Written(ctx, tx, m.UpdatedAt, audit.Change{Action: "meeting.update", Resource: "meeting", ID: m.ID, MeetingID: m.ID,
				Before: meetingContract(prev), After: meetingContract(m)}, contracts.MeetingUpdated, Source, contracts.MeetingEvent{Meeting: meetingContract(m)})
		},
	}
}

// DeleteMeeting deletes a meeting with its sessions and items. Each live session is
// cancelled first (session.cancelled), so consumers stop reminding about it.
func (s *Service) DeleteMeeting(ctx context.Context, id string, ifMatch int64) error {
	defer s.validators.Remove(id)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		m, err := s.store.meeting(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := versioned.Check("meeting", ifMatch, m.Version); err != nil {
			return err
		}
		now := s.clock()
		sessions, err := s.store.sessionsOf(ctx, tx, id, "", 1<<30)
		if err != nil {
			return err
		}
		for _, x := range sessions {
			if x.Status == StatusCancelled {
				continue
			}
			x.Status = StatusCancelled
			x.CancelReason = "meeting deleted"
			x.Version++
			if err := outbox.Emit(ctx, tx, contracts.SessionCancelled, Source, now, contracts.SessionEvent{Session: sessionContract(x), Reason: x.CancelReason}); err != nil {
				return err
			}
		}
		if err := s.store.deleteMeeting(ctx, tx, id); err != nil {
			return err
		}
		return audit.Written(ctx, tx, now, audit.Change{Action: "meeting.delete", Resource: "meeting", ID: id, MeetingID: id, Before: meetingContract(m)}, contracts.MeetingDeleted, Source, contracts.MeetingEvent{Meeting: meetingContract(m)})
	})
	return err
}

// regionsStillNamed refuses a change of a meeting's regions that would leave a session's
// audience naming a region that no longer exists: the session would then be one the API
// refuses to write.
func (s *Service) regionsStillNamed(ctx context.Context, tx *sql.Tx, m Meeting) error {
	sessions, err := s.store.sessionsOf(ctx, tx, m.ID, "", 1<<30)
	if err != nil {
		return err
	}
	for _, x := range sessions {
		if len(x.Audience) == 0 {
			continue
		}
		if _, err := planner.Fit(x.StartUTC, x.EndUTC, x.Audience, m.Regions...); err != nil {
			return problem.New(problem.KindConflict, "region_in_use",
				"session %s names an audience this change would remove (%v); change its audience first", x.ID, err)
		}
	}
	return nil
}
