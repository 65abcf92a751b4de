// Package zone is how Plenary understands the times people write and shows them back:
// zone names as secretariats type them (IANA names, UTC offsets, GMT-3 with the human
// sign, abbreviations checked against the date), wall clocks tied to instants with DST
// gaps and overlaps refused rather than guessed, localized renderings with the day shift
// against the venue, and the check of the times a published notice prints for one moment.
//
// Zones come from Plenary's embedded copy of the tz database (TZDataVersion), never from
// the host, so every machine gives the same answer. Errors are *Error with a stable
// ProblemCode; findings (a summer abbreviation on a winter date) travel with results.
package zone
