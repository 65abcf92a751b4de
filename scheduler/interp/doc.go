// Package interp staffs simultaneous-interpretation booths: it plans the booths a session
// needs (PlanBooths), proposes a team for each booth from a pool of interpreters (Allocate),
// re-validates any set of assignments against the hard rules with an independent
// implementation (Check), and exports a session's team in the shapes Zoom and Webex take.
//
// The rules are those of DOMAIN.md section 3 (AIIC Professional Standards, UN practice,
// ISO 20539). The package is pure: no I/O, no clock; every instant comes from the caller
// and is compared in UTC, local days and working hours are computed in each interpreter's
// home zone.
//
// Decisions worth knowing:
//   - A booth is needed for an output language only when some floor language differs from
//     it: an English-only floor with output [en] (or no outputs) gets no booth, an EN/FR
//     floor with outputs [en, fr] gets an EN booth (for the French speakers) and a FR booth.
//   - A remote interpreter is never placed outside their declared local working hours by the
//     allocator, and the checker treats it as a violation. When nobody else can serve, the
//     booth is reported as a gap whose fix names that interpreter and the local hours they
//     would have to accept: the secretariat decides, the allocator does not.
//   - Booth time counts the whole session for every member of the booth. A session longer
//     than the policy's MaxSessionMinutes gets one more team per started block, and each
//     member still counts the whole session (conservative).
//   - Days and weeks for the caps are the interpreter's local calendar day and ISO week of
//     the session's start; commitments elsewhere count as booth time.
//   - Caps: the stricter of the policy's and the interpreter's own value wins (lower caps,
//     longer rest).
package interp
