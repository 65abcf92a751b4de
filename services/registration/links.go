package registration

import (
	"net/url"
	"strings"
	"time"

	"github.com/plenary/plenary/services/platform/signed"
)

// Linker makes the signed links of emails and API answers: manage a registration,
// unsubscribe, read a personal calendar feed, answer an assignment. The notifier uses the
// same Linker so that its links name the routes of this API.
type Linker struct {
	Keys    *signed.Keys
	BaseURL string        // public base URL, e.g. https://plenary.example.org
	TTL     time.Duration // how long a link stays valid; 400 days when zero
}

// DefaultLinkTTL is the lifetime of a link: long enough to outlast a meeting cycle.
const DefaultLinkTTL = 400 * 24 * time.Hour

func (l Linker) ttl() time.Duration {
	if l.TTL <= 0 {
		return DefaultLinkTTL
	}
	return l.TTL
}

func (l Linker) url(path string, token string) string {
	return strings.TrimRight(l.BaseURL, "/") + path + "?token=" + url.QueryEscape(token)
}

// Manage is the link to read, change or delete a registration.
func (l Linker) Manage(regID string, now time.Time) string {
	return l.url("/v1/registrations/"+url.PathEscape(regID), l.Keys.Sign(signed.Registration, regID, now.Add(l.ttl())))
}

// Confirm is the double opt-in link of a self-registration: opening it makes the
// registration active. It opens the registrant's page (services/web), where it confirms.
func (l Linker) Confirm(regID string, now time.Time) string {
	return l.url("/r/"+url.PathEscape(regID)+"/confirm", l.Keys.Sign(signed.Registration, regID, now.Add(l.ttl())))
}

// Unsubscribe is the one-click unsubscribe link (RFC 8058): the token is in the path.
func (l Linker) Unsubscribe(regID string, now time.Time) string {
	return strings.TrimRight(l.BaseURL, "/") + "/v1/unsubscribe/" + l.Keys.Sign(signed.Unsubscribe, regID, now.Add(l.ttl()))
}

// Calendar subjects name whose feed a calendar token opens.
const (
	CalendarRegistration = "registration:"
	CalendarInterpreter  = "interpreter:"
)

// Calendar is the personal calendar feed of subject (CalendarRegistration+id or
// CalendarInterpreter+id).
func (l Linker) Calendar(subject string, now time.Time) string {
	return strings.TrimRight(l.BaseURL, "/") + "/v1/calendar/" + l.Keys.Sign(signed.Calendar, subject, now.Add(l.ttl())) + ".ics"
}

// Assignment links: the page with Accept and Decline buttons, and the two actions.
func (l Linker) AssignmentRespond(asgID string, now time.Time) string {
	return l.url("/v1/assignments/"+url.PathEscape(asgID)+"/respond", l.Keys.Sign(signed.Assignment, asgID, now.Add(l.ttl())))
}

// AssignmentAction is the link of "accept" or "decline" (POST routes of the interpretation
// service; the email links to the respond page, which posts to them).
func (l Linker) AssignmentAction(asgID, action string, now time.Time) string {
	return l.url("/v1/assignments/"+url.PathEscape(asgID)+"/"+action, l.Keys.Sign(signed.Assignment, asgID, now.Add(l.ttl())))
}
