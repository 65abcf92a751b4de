package signed

import (
	"net/url"
	"strings"
	"time"
)

// Links makes every signed link Plenary hands out, in emails and API answers: manage a
// registration, unsubscribe, read a personal calendar feed, answer an assignment. The
// purposes, the subjects and the routes the links open are named here only, so that the
// services that answer the links and the notifier that mails them cannot disagree.
type Links struct {
	Keys    *Keys
	BaseURL string        // public base URL, e.g. https://plenary.example.org
	TTL     time.Duration // how long a link stays valid; DefaultTTL when zero
}

// DefaultTTL is the lifetime of a link: long enough to outlast a meeting cycle.
const DefaultTTL = 400 * 24 * time.Hour

// Calendar subjects name whose feed a Calendar token opens.
const (
	CalendarRegistration = "registration:"
	CalendarInterpreter  = "interpreter:"
)

func (l Links) expires(now time.Time) time.Time {
	if l.TTL <= 0 {
		return now.Add(DefaultTTL)
	}
	return now.Add(l.TTL)
}

func (l Links) base() string { return strings.TrimRight(l.BaseURL, "/") }

func withToken(path, token string) string { return path + "?token=" + url.QueryEscape(token) }

// RegistrationPath is the route a Registration link opens.
func RegistrationPath(regID string) string { return "/v1/registrations/" + url.PathEscape(regID) }

// AssignmentPath is the route of an assignment's self-service action: "respond" (the page
// with Accept and Decline), "accept" or "decline". All three take the same Assignment token.
func AssignmentPath(asgID, action string) string {
	return "/v1/assignments/" + url.PathEscape(asgID) + "/" + action
}

// Manage is the link to read, change or delete a registration.
func (l Links) Manage(regID string, now time.Time) string {
	return l.base() + withToken(RegistrationPath(regID), l.Keys.Sign(Registration, regID, l.expires(now)))
}

// Confirm is the double opt-in link of a self-registration: opening it makes the
// registration active. It opens the registrant's page (services/web), where it confirms.
func (l Links) Confirm(regID string, now time.Time) string {
	return l.base() + withToken("/r/"+url.PathEscape(regID)+"/confirm", l.Keys.Sign(Registration, regID, l.expires(now)))
}

// Unsubscribe is the one-click unsubscribe link (RFC 8058): the token is in the path.
func (l Links) Unsubscribe(regID string, now time.Time) string {
	return l.base() + "/v1/unsubscribe/" + l.Keys.Sign(Unsubscribe, regID, l.expires(now))
}

// Calendar is the personal calendar feed of subject (CalendarRegistration+id or
// CalendarInterpreter+id).
func (l Links) Calendar(subject string, now time.Time) string {
	return l.base() + "/v1/calendar/" + l.Keys.Sign(Calendar, subject, l.expires(now)) + ".ics"
}

// AssignmentRespond is the link of an offer's email: the page with Accept and Decline,
// which posts to the two actions with the same token.
func (l Links) AssignmentRespond(asgID string, now time.Time) string {
	return l.base() + withToken(AssignmentPath(asgID, "respond"), l.Keys.Sign(Assignment, asgID, l.expires(now)))
}

// DevMail is the link of the mail page of `plenary serve`.
func (l Links) DevMail(now time.Time) string {
	return l.base() + withToken("/dev/mail", l.Keys.Sign(DevMail, "mail", l.expires(now)))
}
