// Package auth is Plenary's access control: secretariat API tokens (random, stored
// hashed, with roles and an optional meeting scope), the per-route policy that every
// route of the API declares, the middleware that enforces it (bearer tokens, signed
// links, public routes, rate limits, CORS), and the actor that it puts into the request's
// context.Context for the services' audit trail.
package auth

import (
	"context"
	"slices"
)

// Role is what a secretariat token may do. Each role includes the ones below it.
type Role string

const (
	RoleViewer  Role = "viewer"  // read meetings, sessions, agendas, interpretation
	RolePlanner Role = "planner" // also change them, and manage registrations and assignments
	RoleAdmin   Role = "admin"   // also tokens and settings
)

// Roles lists the roles from least to most powerful.
var Roles = []Role{RoleViewer, RolePlanner, RoleAdmin}

func (r Role) rank() int { return slices.Index(Roles, r) }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() >= 0 }

// Includes reports whether r may do what need may do.
func (r Role) Includes(need Role) bool { return r.Valid() && need.Valid() && r.rank() >= need.rank() }

// ActorKind says how a caller was identified.
type ActorKind string

const (
	ActorToken  ActorKind = "token"  // a secretariat API token
	ActorLink   ActorKind = "link"   // a signed link (an interpreter or a registrant)
	ActorPublic ActorKind = "public" // nobody in particular
	ActorSystem ActorKind = "system" // the process itself: demo data, the command line
)

// Actor is who makes a request: the audit trail records it with every change.
type Actor struct {
	Kind ActorKind
	// ID is the token id, or purpose:subject of a signed link.
	ID   string
	Name string
	Role Role
	// Meetings, when not empty, are the only meetings a scoped token may see and change.
	Meetings  []string
	RequestID string
}

// Scoped reports whether the actor is limited to some meetings.
func (a Actor) Scoped() bool { return len(a.Meetings) > 0 }

// CanSee reports whether the actor's scope includes the meeting.
func (a Actor) CanSee(meetingID string) bool {
	return !a.Scoped() || slices.Contains(a.Meetings, meetingID)
}

type actorKey struct{}

// WithActor returns ctx carrying the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of ctx; without one it is the system (work not started by
// a request: demo data, the command line).
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Kind: ActorSystem, ID: "system", Name: "system"}
}

// MeetingScope returns the meetings a scoped actor is limited to, and whether it is
// limited at all. Lists use it to show a scoped token only its meetings.
func MeetingScope(ctx context.Context) ([]string, bool) {
	a := ActorFrom(ctx)
	return a.Meetings, a.Scoped()
}
