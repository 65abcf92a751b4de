package notifier

import (
	"fmt"
	"html"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

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
	out                 render.Rendered
	subject, text, html []piece
}

// piece is literal text followed by the placeholder ph (-1: none).
type piece struct {
	lit string
	ph  int
}

var placeholders = []string{phName, phManage, phUnsubscribe}

func cut(s string) []piece {
	var out []piece
	for {
		at, which := -1, -1
		for i, p := range placeholders {
			if j := strings.Index(s, p); j >= 0 && (at < 0 || j < at) {
				at, which = j, i
			}
		}
		if at < 0 {
			return append(out, piece{lit: s, ph: -1})
		}
		out = append(out, piece{lit: s[:at], ph: which})
		s = s[at+len(placeholders[which]):]
	}
}

func fill(ps []piece, values *[3]string) string {
	size := 0
	for _, p := range ps {
		size += len(p.lit)
		if p.ph >= 0 {
			size += len(values[p.ph])
		}
	}
	var b strings.Builder
	b.Grow(size)
	for _, p := range ps {
		b.WriteString(p.lit)
		if p.ph >= 0 {
			b.WriteString(values[p.ph])
		}
	}
	return b.String()
}

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

func (c *reminderCache) render(r *render.Renderer, in render.Input, sessionID string, scheduleVersion int64) (render.Rendered, error) {
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
	tpl, ok := entries.Get(key)
	if !ok {
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
			return render.Rendered{}, err
		}
		tpl = &reminderTemplate{out: out, subject: cut(out.Subject), text: cut(out.Text), html: cut(out.HTML)}
		entries.Add(key, tpl)
	}
	name := strings.Join(strings.Fields(in.RecipientName), " ")
	plain := [3]string{name, in.Links.Manage, in.Links.Unsubscribe}
	escaped := [3]string{html.EscapeString(name), html.EscapeString(in.Links.Manage), html.EscapeString(in.Links.Unsubscribe)}
	out := tpl.out
	out.Subject = fill(tpl.subject, &plain)
	out.Text = fill(tpl.text, &plain)
	out.HTML = fill(tpl.html, &escaped)
	return out, nil
}
