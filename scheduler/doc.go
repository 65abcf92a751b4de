// Package scheduler holds Plenary's pure domain logic: time zones and wall clocks
// (scheduler/zone), regional session planning (scheduler/planner) and interpretation
// planning. Nothing below scheduler/ does I/O or reads the clock: callers pass instants
// and data in, and get values and coded errors back, so the rules can be tested exhaustively
// and reused by the API and the notifier alike.
package scheduler
