package interp

import (
	"fmt"
	"time"
)

// TeamSizeRule: a session of at most UpToMinutes needs Size interpreters per booth.
type TeamSizeRule struct {
	UpToMinutes int `json:"up_to_minutes"`
	Size        int `json:"size"`
}

// Policy is the meeting's staffing rulebook, as data. AIIC() and UN() are the two
// standard ones; a custom policy is checked with Validate.
type Policy struct {
	Name string `json:"name"`
	// TeamSizes, ascending by UpToMinutes: the first rule that covers a session's duration
	// gives the booth size. The last rule must cover MaxSessionMinutes.
	TeamSizes []TeamSizeRule `json:"team_sizes"`
	// MaxSessionMinutes is what one team covers (~3 h); longer sessions get one more team
	// per started block.
	MaxSessionMinutes int `json:"max_session_minutes"`
	// ThreeBooths are booth languages always staffed with at least 3 (UN practice for the
	// two-way Arabic and Chinese booths).
	ThreeBooths []Lang `json:"three_booths,omitempty"`
	// RetourPivotSize is the least size of a booth that gives relay while one of its members
	// works retour (AIIC Professional Standards art. 6: 3). Zero disables the rule.
	RetourPivotSize int `json:"retour_pivot_size"`
	// RelayAllowed: a member may take a floor language from another booth's output.
	RelayAllowed bool `json:"relay_allowed"`
	// Caps are the defaults and upper limits for every interpreter.
	Caps Caps `json:"caps"`
	// RemoteBoothMinutesPerDay caps remote interpreters further (AIIC advises 3 h a day
	// for remote work); zero means no extra cap.
	RemoteBoothMinutesPerDay int `json:"remote_booth_minutes_per_day,omitempty"`
	// BreakMaxMinutes: sessions of one meeting separated by breaks no longer than this
	// (coffee breaks) are one sitting: no rest is required inside it, it counts once
	// against Caps.SessionsPerDay (which counts sittings), and one team covers at most
	// MaxSessionMinutes of its booth time. Zero means DefaultBreakMaxMinutes.
	BreakMaxMinutes int `json:"break_max_minutes,omitempty"`
	// Offers are the terms of the offers made to interpreters; a zero field takes the
	// default (DefaultOfferTerms).
	Offers OfferTerms `json:"offers"`
}

// OfferTerms are a policy's terms for offering seats, in minutes: how long an interpreter
// has to answer an offer; how long before the session every answer must be in, so that a
// seat re-opened by a decline or by silence can still be offered to someone else; and how
// long before the session the secretariat is told of seats still open.
type OfferTerms struct {
	AnswerWithinMinutes    int `json:"answer_within_minutes,omitempty"`
	MinNoticeMinutes       int `json:"min_notice_minutes,omitempty"`
	OpenSeatsNoticeMinutes int `json:"open_seats_notice_minutes,omitempty"`
}

// DefaultOfferTerms are the terms of a policy that gives none: two days to answer, every
// answer in three days before the session (time to offer a seat twice more), and the
// secretariat told of open seats three days before. Neither AIIC nor the UN publishes
// answer deadlines; these are the secretariat's own working terms.
var DefaultOfferTerms = OfferTerms{AnswerWithinMinutes: 48 * 60, MinNoticeMinutes: 72 * 60, OpenSeatsNoticeMinutes: 72 * 60}

// MaxOfferTermMinutes bounds each offer term (14 days).
const MaxOfferTermMinutes = 14 * 24 * 60

// OfferTerms are the policy's offer terms with the defaults filled in.
func (p Policy) OfferTerms() OfferTerms {
	t := p.Offers
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&t.AnswerWithinMinutes, DefaultOfferTerms.AnswerWithinMinutes)
	def(&t.MinNoticeMinutes, DefaultOfferTerms.MinNoticeMinutes)
	def(&t.OpenSeatsNoticeMinutes, DefaultOfferTerms.OpenSeatsNoticeMinutes)
	return t
}

// AnswerWithin is how long an interpreter has to answer an offer.
func (t OfferTerms) AnswerWithin() time.Duration {
	return time.Duration(t.AnswerWithinMinutes) * time.Minute
}

// MinNotice is how long before the session every answer must be in.
func (t OfferTerms) MinNotice() time.Duration { return time.Duration(t.MinNoticeMinutes) * time.Minute }

// OpenSeatsNotice is how long before the session the secretariat is told of open seats.
func (t OfferTerms) OpenSeatsNotice() time.Duration {
	return time.Duration(t.OpenSeatsNoticeMinutes) * time.Minute
}

// DefaultBreakMaxMinutes is the longest break inside a sitting when a policy sets none.
const DefaultBreakMaxMinutes = 45

// BreakMax is the policy's longest break inside a sitting.
func (p Policy) BreakMax() time.Duration {
	if p.BreakMaxMinutes <= 0 {
		return DefaultBreakMaxMinutes * time.Minute
	}
	return time.Duration(p.BreakMaxMinutes) * time.Minute
}

// AIIC is the policy of the AIIC Professional Standards: solo up to 40 minutes, two per
// booth up to 3 hours, three in a two-way booth that gives relay, relay allowed, a sitting
// of up to 3 hours per team, two sittings (6 hours of booth time) a day, eight 3-hour
// sittings a week, at most 3 hours a day remote; breaks up to 45 minutes stay in the sitting.
func AIIC() Policy {
	return Policy{
		Name:              "aiic",
		TeamSizes:         []TeamSizeRule{{UpToMinutes: 40, Size: 1}, {UpToMinutes: 180, Size: 2}},
		MaxSessionMinutes: 180,
		RetourPivotSize:   3,
		RelayAllowed:      true,
		Caps: Caps{
			BoothMinutesPerDay:  360,
			BoothMinutesPerWeek: 8 * 180,
			SessionsPerDay:      2,
			MinRest:             time.Hour,
		},
		RemoteBoothMinutesPerDay: 180,
		BreakMaxMinutes:          DefaultBreakMaxMinutes,
		Offers:                   DefaultOfferTerms,
	}
}

// UN is United Nations practice: two per booth, three in the Arabic and Chinese booths
// (they work both ways and give relay), two 3-hour sittings a day, seven a week, relay
// allowed; breaks up to 45 minutes stay in the sitting.
func UN() Policy {
	return Policy{
		Name:              "un",
		TeamSizes:         []TeamSizeRule{{UpToMinutes: 180, Size: 2}},
		MaxSessionMinutes: 180,
		ThreeBooths:       []Lang{"ar", "zh"},
		RetourPivotSize:   3,
		RelayAllowed:      true,
		Caps: Caps{
			BoothMinutesPerDay:  360,
			BoothMinutesPerWeek: 7 * 180,
			SessionsPerDay:      2,
			MinRest:             time.Hour,
		},
		BreakMaxMinutes: DefaultBreakMaxMinutes,
		Offers:          DefaultOfferTerms,
	}
}

// PolicyByName returns the named standard policy ("aiic" or "un").
func PolicyByName(name string) (Policy, bool) {
	switch name {
	case "aiic":
		return AIIC(), true
	case "un":
		return UN(), true
	}
	return Policy{}, false
}

// Validate lists what is wrong with a (custom) policy; nil when usable.
func (p Policy) Validate() []FieldError {
	var fe []FieldError
	add := func(field, code, msg string) { fe = append(fe, FieldError{Field: field, Code: code, Message: msg}) }
	if p.MaxSessionMinutes <= 0 {
		add("max_session_minutes", "required", "the time one team covers must be positive")
	}
	if len(p.TeamSizes) == 0 {
		add("team_sizes", "required", "at least one team size rule is needed")
	}
	prev := 0
	for i, r := range p.TeamSizes {
		f := fmt.Sprintf("team_sizes[%d]", i)
		if r.UpToMinutes <= prev {
			add(f+".up_to_minutes", "not_ascending", "team size rules must ascend by duration")
		}
		if r.Size < 1 {
			add(f+".size", "invalid_size", "a booth needs at least one interpreter")
		}
		if r.Size < 2 && r.UpToMinutes > 40 {
			add(f+".size", "solo_too_long", "a solo interpreter only for sessions up to 40 minutes")
		}
		prev = r.UpToMinutes
	}
	if len(p.TeamSizes) > 0 && p.MaxSessionMinutes > 0 && prev < p.MaxSessionMinutes {
		add("team_sizes", "incomplete", "the team size rules must cover max_session_minutes")
	}
	for i, l := range p.ThreeBooths {
		if !l.Valid() {
			add(fmt.Sprintf("three_booths[%d]", i), "invalid_language", fmt.Sprintf("%q is not an ISO 639-1 code", l))
		}
	}
	if p.RetourPivotSize < 0 {
		add("retour_pivot_size", "negative", "cannot be negative")
	}
	c := p.Caps
	if c.BoothMinutesPerDay <= 0 || c.BoothMinutesPerWeek <= 0 || c.SessionsPerDay <= 0 {
		add("caps", "required", "a policy needs positive daily and weekly booth-minute caps and sessions per day")
	}
	if p.BreakMaxMinutes < 0 {
		add("break_max_minutes", "negative", "cannot be negative (zero means 45 minutes)")
	}
	for _, o := range []struct {
		field string
		v     int
	}{{"offers.answer_within_minutes", p.Offers.AnswerWithinMinutes}, {"offers.min_notice_minutes", p.Offers.MinNoticeMinutes},
		{"offers.open_seats_notice_minutes", p.Offers.OpenSeatsNoticeMinutes}} {
		switch {
		case o.v < 0:
			add(o.field, "negative", "cannot be negative (zero means the default)")
		case o.v > MaxOfferTermMinutes:
			add(o.field, "too_long", fmt.Sprintf("at most %d minutes (14 days)", MaxOfferTermMinutes))
		}
	}
	if c.MinRest < 0 || p.RemoteBoothMinutesPerDay < 0 {
		add("caps", "negative", "caps cannot be negative")
	}
	return fe
}

// ValidateErr is Validate as an error (code invalid_policy), nil when valid.
func (p Policy) ValidateErr() error {
	return fieldsError(CodeInvalidPolicy, "policy "+p.Name+" is invalid", p.Validate())
}
