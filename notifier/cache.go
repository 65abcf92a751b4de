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
	entries *lru.Cache[string, render.Rendered]
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
		c.entries, _ = lru.New[string, render.Rendered](reminderTemplates)
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
		var err error
		if tpl, err = r.Render(gen); err != nil {
			return render.Rendered{}, err
		}
		entries.Add(key, tpl)
	}
	name := strings.Join(strings.Fields(in.RecipientName), " ")
	plain := strings.NewReplacer(phName, name, phManage, in.Links.Manage, phUnsubscribe, in.Links.Unsubscribe)
	escaped := strings.NewReplacer(phName, html.EscapeString(name), phManage, html.EscapeString(in.Links.Manage),
		phUnsubscribe, html.EscapeString(in.Links.Unsubscribe))
	out := tpl
	out.Subject = plain.Replace(tpl.Subject)
	out.Text = plain.Replace(tpl.Text)
	out.HTML = escaped.Replace(tpl.HTML)
	return out, nil
}
