package interp

import "time"

// Rule codes: the hard rules a gap could not meet or a violation breaks. Stable.
const (
	RuleBoothLanguage    = "booth_language"    // booth language is not the member's A (or B with retour)
	RuleLanguageCoverage = "language_coverage" // a floor language reaches the member neither directly nor by relay
	RuleRelayGivers      = "relay_givers"      // relay needs a pivot booth with two members who have the language
	RuleRelayChain       = "relay_chain"       // relay would go through more than one pivot
	RuleTeamSize         = "team_size"
	RuleDoubleBooking    = "double_booking"
	RuleRest             = "rest"
	RuleDailyCap         = "daily_cap"
	RuleWeeklyCap        = "weekly_cap"
	RuleSessionsPerDay   = "sessions_per_day" // sittings a day (a sitting counts once, however many blocks)
	RuleSittingCap       = "sitting_cap"      // booth time of one team in one sitting beyond MaxSessionMinutes
	RuleRoute            = "route"            // a language route the plan states does not hold
	RuleUnavailable      = "unavailable"
	RuleWorkingHours     = "working_hours" // remote member outside local working hours
	RuleDeclined         = "declined"
	RuleCancelled        = "cancelled_session"
	RuleUnknownSession   = "unknown_session"
	RuleUnknownBooth     = "unknown_booth"     // the session needs no such booth
	RuleStaffedByOthers  = "staffed_by_others" // a seat in a channel a delegation or partner staffs
	RuleUnknownPerson    = "unknown_interpreter"
	RuleDuplicate        = "duplicate_assignment"
)

// Role says how a member works in the booth. Flags are joined with "+" in this order:
// retour, relay_giver, relay_taker; a member with none is an "interpreter".
type Role string

const (
	RoleInterpreter Role = "interpreter"
	RoleRetour      Role = "retour"      // works into their B language
	RoleRelayGiver  Role = "relay_giver" // another booth takes relay from them
	RoleRelayTaker  Role = "relay_taker" // takes a floor language from another booth
)

// Assignment puts one interpreter in one booth of one session.
type Assignment struct {
	SessionID     string `json:"session_id"`
	Booth         Lang   `json:"booth"`
	InterpreterID string `json:"interpreter_id"`
	Role          Role   `json:"role"`
}

// Commitment is time an interpreter already works elsewhere (accepted assignments of other
// meetings): it blocks double booking and rest, and counts as booth time for the caps.
type Commitment struct {
	InterpreterID string    `json:"interpreter_id"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	Ref           string    `json:"ref,omitempty"`
}

// Declined is an interpreter who declined a booth of a session: never proposed again.
type Declined struct {
	InterpreterID string `json:"interpreter_id"`
	SessionID     string `json:"session_id"`
	Booth         Lang   `json:"booth"`
}

// Input is everything the allocator and the checker look at.
type Input struct {
	Sessions    []Session
	Pool        []Interpreter
	Policy      Policy
	Commitments []Commitment
	// Kept are assignments already offered or accepted for these sessions: the allocator
	// keeps them and fills only the remaining seats.
	Kept     []Assignment
	Declined []Declined
}

// RelayHop: booth Booth takes floor language Floor from the output of pivot booth From,
// which interprets it into Via: From's own language, or (retour) its members' B language.
type RelayHop struct {
	SessionID string `json:"session_id"`
	Booth     Lang   `json:"booth"`
	From      Lang   `json:"from"`
	Floor     Lang   `json:"floor"`
	Via       Lang   `json:"via"`
}

// Route modes: how a floor language reaches a booth.
const (
	RouteDirect = "direct" // every member has the floor language first-hand
	RouteRelay  = "relay"  // members who lack it take it from one pivot booth's output
)

// Route says how one floor language reaches one booth of a session: direct (Direct
// lists the members who have it first-hand: all of them), or by relay from the pivot
// booth From, interpreted into Via and given by Givers (at least two members of From who
// have the floor language first-hand and work into Via); Direct then lists the members of
// the booth who still hear the floor themselves. Relay is never chained: From takes the
// floor language directly.
type Route struct {
	SessionID string   `json:"session_id"`
	Booth     Lang     `json:"booth"`
	Floor     Lang     `json:"floor"`
	Mode      string   `json:"mode"`
	Direct    []string `json:"direct"`
	From      Lang     `json:"from,omitempty"`
	Via       Lang     `json:"via,omitempty"`
	Givers    []string `json:"givers,omitempty"`
}

// Team-size rules: which rule of the policy sized a booth's team.
const (
	SizeByDuration = "team_sizes"        // the policy's team size for the session's length
	SizeByBlocks   = "session_blocks"    // longer than one team covers: one team per started block
	SizeThreeBooth = "three_booths"      // the policy staffs this language with three (UN: AR, ZH)
	SizeTwoWay     = "retour_pivot_size" // a two-way booth that gives relay (AIIC art. 6)
)

// Args are the values a message names. The package writes no sentence: each message is a
// stable code with its Args, and the services render it in the reader's language. Booths
// and languages are ISO 639-1 codes, instants UTC, local times "15:04-17:30" in Zone, days
// 2006-01-02 and weeks ISO 2006-W01 in the interpreter's zone. A number left out is zero.
type Args struct {
	Session     string    `json:"session,omitempty"`
	Booth       Lang      `json:"booth,omitempty"`
	Language    Lang      `json:"language,omitempty"` // a floor language
	Languages   []Lang    `json:"languages,omitempty"`
	From        Lang      `json:"from,omitempty"` // a pivot booth
	Via         Lang      `json:"via,omitempty"`  // the language a pivot gives relay into
	Interpreter string    `json:"interpreter,omitempty"`
	Remote      bool      `json:"remote,omitempty"`
	Chosen      []string  `json:"chosen,omitempty"` // names of the members chosen instead
	Rules       []string  `json:"rules,omitempty"`  // rule codes (Rule*)
	Reason      string    `json:"reason,omitempty"` // the rule code a passed-over note is about
	Policy      string    `json:"policy,omitempty"`
	Class       Class     `json:"class,omitempty"`
	Have        int       `json:"have,omitempty"`
	Need        int       `json:"need,omitempty"`
	Count       int       `json:"count,omitempty"`
	Seats       int       `json:"seats,omitempty"` // a passed-over note: the seats it stands for
	Minutes     int       `json:"minutes,omitempty"`
	Cap         int       `json:"cap,omitempty"`
	Zone        string    `json:"zone,omitempty"`
	Local       string    `json:"local,omitempty"`
	Hours       string    `json:"hours,omitempty"`
	Day         string    `json:"day,omitempty"`
	Week        string    `json:"week,omitempty"`
	Start       time.Time `json:"start,omitzero"`
	End         time.Time `json:"end,omitzero"`
	OtherStart  time.Time `json:"other_start,omitzero"`
	OtherEnd    time.Time `json:"other_end,omitzero"`
	Check       string    `json:"check,omitempty"` // which consistency check of a stated route failed
	StaffedBy   string    `json:"staffed_by,omitempty"`
}

// Text is a message: its stable code and its Args. Message is left empty here; the
// services fill it with the sentence in the reader's language.
type Text struct {
	Code    string `json:"code"`
	Args    Args   `json:"args"`
	Message string `json:"message"`
}

func text(code string, a Args) Text { return Text{Code: code, Args: a} }

// Message codes besides the rules (a violation's code is its rule unless named here).
const (
	MsgWithdrawCancelled = "withdraw_cancelled" // a kept seat of a cancelled session
	MsgStaffedByOthers   = "channel_staffed_by" // a channel a delegation or partner staffs
	MsgPassedOver        = "passed_over"        // Args.Reason says which rule
	MsgNoRelayAllowed    = "no_relay_allowed"   // a member lacks a floor language, the policy allows no relay
	MsgOtherPivot        = "other_pivot"        // a member would take a language from another pivot than the booth
	MsgRouteInconsistent = "route_inconsistent" // a route the plan states does not hold (Args.Check)
	MsgGapNoOneWorksInto = "gap_no_one_works_into"
	MsgGapPoolExhausted  = "gap_pool_exhausted"
	MsgGapUnfilled       = "gap_unfilled"
	MsgGapClosestBlocked = "gap_closest_blocked"
	MsgFixMore           = "fix_more_interpreters"
	MsgHint              = "hint" // Args.Reason says which rule the hint lifts
)

// TeamNote says how many interpreters a booth of a session is staffed for, by which rule
// (Rule is also the code of its reason; Args the values the reason names).
type TeamNote struct {
	SessionID string `json:"session_id"`
	Booth     Lang   `json:"booth"`
	Size      int    `json:"size"`
	Rule      string `json:"rule"`
	Args      Args   `json:"args"`
	Reason    string `json:"reason"`
}

// PassedOver: an interpreter who works into a booth's language and would have been
// preferred for it (fewer booth minutes, the same team, a stated wish) was not chosen
// because of a hard rule. One entry per interpreter and rule: Count seats, the first of
// them named.
type PassedOver struct {
	InterpreterID string `json:"interpreter_id"`
	Rule          string `json:"rule"`
	Count         int    `json:"count"`
	SessionID     string `json:"session_id"`
	Booth         Lang   `json:"booth"`
	Text
}

// Gap is a seat the allocator could not fill: which booth, which rule failed, and the
// smallest change that would fill it.
type Gap struct {
	SessionID string `json:"session_id"`
	Booth     Lang   `json:"booth"`
	Missing   int    `json:"missing"`
	Rule      string `json:"rule"`
	Text
	// Fix: the smallest change that would fill it; Hint, when one rule blocks the closest
	// candidate, how to lift it.
	Fix  Text  `json:"fix"`
	Hint *Text `json:"hint,omitempty"`
}

// Plan is the allocator's proposal.
type Plan struct {
	Assignments []Assignment `json:"assignments"`
	RelayHops   []RelayHop   `json:"relay_hops"`
	// Routes: for every staffed booth of every session and every floor language it takes.
	Routes     []Route      `json:"routes"`
	Teams      []TeamNote   `json:"teams"`
	PassedOver []PassedOver `json:"passed_over"`
	Gaps       []Gap        `json:"gaps"`
	Notes      []Text       `json:"notes"`
}

// Violation is a hard rule a set of assignments breaks.
type Violation struct {
	SessionID     string `json:"session_id"`
	Booth         Lang   `json:"booth,omitempty"`
	InterpreterID string `json:"interpreter_id,omitempty"`
	Rule          string `json:"rule"`
	Text
}
