package notifier

import (
	"fmt"
	"html"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/notifier/render"
)

// reminderCache renders a reminder once per session, language, zone and minute, with
// placeholders where the recipient's name and links go, and fills them in per recipient.
// Thousands of reminders due at once differ only in those three values, and rendering
// (message catalog and two templates) is most of the CPU of a send.
//
// The entries are kept least recently used first out, up to reminderTemplates: a wave
// of reminders for 200 sessions read in 40 locale and zone pairs needs 8,000 templates,
// and the cache emptied itself at 1,024, so such a wave rendered nearly every email.
// 8,192 templates of a few KB each stay well inside the notifier's memory budget.
type reminderCache struct {
	mu      sync.Mutex
	entries *lru.Cache[string, *reminderTemplate]
}

// reminderTemplate is a rendered reminder cut at its placeholders once, so that filling
// it in per recipient is a few appends (two strings.Replacers per email, built for each
// recipient, cost more than the rest of the cached path).
type reminderTemplate struct {
	out render.Rendered
	// subject, text and html are out cut at the placeholders, when first needed (cutOnce):
	// an entry with a MIME template (wire) fills that instead, and 8,192 entries are kept.
	cutOnce             sync.Once
	subject, text, html []mail.Piece
	// wire is the email's MIME message cut at the same placeholders, made by the first
	// message of the entry (mail.Template): building and encoding the MIME message per
	// email was most of the CPU of a transfer. nil when the email has none.
	wireOnce sync.Once
	wire     *mail.Template
}

var placeholders = []string{phName, phManage, phUnsubscribe}

const reminderTemplates = 8192

const (
	phName        = "PLENARYPHNAME"
	phManage      = "https://plenary.invalid/PLENARYPHMANAGE"
	phUnsubscribe = "https://plenary.invalid/PLENARYPHUNSUBSCRIBE"
)

func cacheable(in render.Input) bool {
	return in.Kind == render.Reminder && in.Links.Join == "" && in.Links.Accept == "" && in.Links.Decline == "" &&
		!strings.Contains(in.RecipientName, "PLENARYPH")
}

// template is the entry of in's reminder, rendered with placeholders when missing.
func (c *reminderCache) template(r *render.Renderer, in render.Input, sessionID string, scheduleVersion int64) (*reminderTemplate, error) {
	zone := "UTC"
	if in.Zone != nil {
		zone = in.Zone.String()
	}
	key := fmt.Sprintf("%s|%s|%s|%s|%s|%d|%d|%t|%t", in.Kind, in.Locale, in.DefaultLang, zone, sessionID, scheduleVersion,
		in.Now.Truncate(time.Minute).Unix(), in.Links.Manage != "", in.Links.Unsubscribe != "")
	c.mu.Lock()
	if c.entries == nil {
		c.entries, _ = lru.New[string, *reminderTemplate](reminderTemplates)
	}
	entries := c.entries
	c.mu.Unlock()
	if tpl, ok := entries.Get(key); ok {
		return tpl, nil
	}
	gen := in
	gen.Now = in.Now.Truncate(time.Minute)
	gen.RecipientName = phName
	if gen.Links.Manage != "" {
		gen.Links.Manage = phManage
	}
	if gen.Links.Unsubscribe != "" {
		gen.Links.Unsubscribe = phUnsubscribe
	}
	out, err := r.Render(gen)
	if err != nil {
		return nil, err
	}
	tpl := &reminderTemplate{out: out}
	entries.Add(key, tpl)
	return tpl, nil
}

// cut cuts the entry's reminder at its placeholders, once.
func (t *reminderTemplate) cut() *reminderTemplate {
	t.cutOnce.Do(func() {
		t.subject, t.text, t.html = mail.Cut(t.out.Subject, placeholders), mail.Cut(t.out.Text, placeholders), mail.Cut(t.out.HTML, placeholders)
	})
	return t
}

// values are the placeholders' values for in's recipient: as they are, and escaped for
// the HTML.
func values(in render.Input) (plain, escaped [3]string) {
	name := strings.Join(strings.Fields(in.RecipientName), " ")
	plain = [3]string{name, in.Links.Manage, in.Links.Unsubscribe}
	escaped = [3]string{html.EscapeString(name), html.EscapeString(in.Links.Manage), html.EscapeString(in.Links.Unsubscribe)}
	return plain, escaped
}

func (c *reminderCache) render(r *render.Renderer, in render.Input, sessionID string, scheduleVersion int64) (render.Rendered, error) {
	tpl, err := c.template(r, in, sessionID, scheduleVersion)
	if err != nil {
		return render.Rendered{}, err
	}
	plain, escaped := values(in)
	tpl.cut()
	out := tpl.out
	out.Subject = mail.Fill(tpl.subject, plain[:])
	out.Text = mail.Fill(tpl.text, plain[:])
	out.HTML = mail.Fill(tpl.html, escaped[:])
	return out, nil
}

// message is in's reminder as the email msg (which carries everything but the rendered
// Subject, parts and language), made from the entry's MIME template when it has one:
// the same bytes as msg built whole (TestCachedMIMEMatchesBuilt). A recipient the
// template refuses (an address the builder refuses too) gets the email built whole, so
// that the sender reports it as before.
func (c *reminderCache) message(r *render.Renderer, in render.Input, sessionID string, scheduleVersion int64, msg mail.Message) (mail.Message, error) {
	tpl, err := c.template(r, in, sessionID, scheduleVersion)
	if err != nil {
		return mail.Message{}, err
	}
	plain, escaped := values(in)
	tpl.wireOnce.Do(func() {
		base := msg
		base.To.Name = phName
		base.Subject, base.Text, base.HTML, base.Lang = tpl.out.Subject, tpl.out.Text, tpl.out.HTML, tpl.out.Lang
		if base.Unsubscribe != "" {
			base.Unsubscribe = phUnsubscribe
		}
		tpl.wire, _ = mail.NewTemplate(base, placeholders)
	})
	if tpl.wire != nil {
		m, err := tpl.wire.Message(mail.Recipient{To: msg.To, MessageID: msg.MessageID, Date: msg.Date, Unsubscribe: msg.Unsubscribe,
			Text: plain[:], HTML: escaped[:]})
		if err == nil {
			return m, nil
		}
	}
	tpl.cut()
	msg.Subject, msg.Text, msg.HTML, msg.Lang = mail.Fill(tpl.subject, plain[:]), mail.Fill(tpl.text, plain[:]), mail.Fill(tpl.html, escaped[:]), tpl.out.Lang
	return msg, nil
}
