package mail

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"
)

var boundaryPattern = regexp.MustCompile(`boundary=([0-9a-f]{60})\r\n`)

// templateHoles stand where a recipient's name and links go, as the notifier's reminder
// cache writes them.
var templateHoles = []string{"PLENARYPHNAME", "https://plenary.invalid/PLENARYPHMANAGE", "https://plenary.invalid/PLENARYPHUNSUBSCRIBE"}

// templateBase is a reminder with holes: one in the Subject, on short and long lines of
// the text, next to trailing spaces and at a line's start, and in the HTML on one long
// line, escaped, and beside non-ASCII text.
func templateBase(subject string) Message {
	return Message{
		From:    Address{Name: "Plenary Secretariat", Email: "notices@plenary.example.org"},
		To:      Address{Name: "PLENARYPHNAME", Email: "placeholder@plenary.invalid"},
		Subject: subject,
		Text: "Bonjour PLENARYPHNAME,\n\nLa 12e séance plénière du Forum sur le développement durable commence demain, mercredi 2 décembre 2026 à 10:00 (heure de Genève), dans la salle des Assemblées.   \n" +
			"PLENARYPHNAME   \n.PLENARYPHNAME starts a line with a dot\n\nGérer mon inscription : https://plenary.invalid/PLENARYPHMANAGE\nSe désabonner : https://plenary.invalid/PLENARYPHUNSUBSCRIBE\n-- \nPlenary",
		HTML:        `<!doctype html><html lang="fr"><body><p>Bonjour PLENARYPHNAME,</p><p>La 12e séance plénière commence demain à 10:00.</p><p><a href="https://plenary.invalid/PLENARYPHMANAGE">Gérer mon inscription</a> · <a href="https://plenary.invalid/PLENARYPHUNSUBSCRIBE">Se désabonner</a></p></body></html>` + "\n<p>=PLENARYPHNAME=</p>\n",
		Lang:        "fr",
		MessageID:   "<template@plenary.test>",
		Date:        time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
		Unsubscribe: "https://plenary.invalid/PLENARYPHUNSUBSCRIBE",
		Headers:     map[string]string{"X-Plenary-Kind": "reminder"},
	}
}

// A message made from a template is byte for byte the message go-mail builds from the
// same fields with the same boundary, for recipients whose names are in other scripts
// (Arabic with bidi marks, Chinese, Cyrillic, Vietnamese), quoted or long enough to fold
// the To field, with long signed links (soft line breaks move), and for long Subjects
// that fold into several encoded words. The expected message is built the way the
// notifier builds an uncached one: the holes replaced in the fields, then go-mail.
func TestTemplateMatchesBuilder(t *testing.T) {
	names := []string{
		"Amina Diallo 0", "فاطمة الزهراء 5", "\u200fفاطمة الزهراء\u200f (Fatima)", "王小明 6", "Олег Петров 4", "Nguyễn Thị Lan 3",
		`Siobhán "Shiv" O'Brien`, "Chloé Lefèvre, Paris", "Maximilian Alexander Konstantin von Hohenzollern-Sigmaringen Habsburg",
		"=?UTF-8?B?SGVsbG8=?=", "a", strings.Repeat("é", 60),
	}
	// ASCII names of words of every length, folding the To field at every position.
	for k := range 60 {
		var words []string
		for n := 0; n < 70+k; n += k%9 + 2 {
			words = append(words, strings.Repeat(string(rune('a'+k%26)), k%9+1))
		}
		names = append(names, strings.Join(words, " "))
	}
	subjects := []string{
		"Rappel : 12e séance plénière demain à 10:00",
		"Reminder for PLENARYPHNAME: Forum on Sustainable Development, plenary meeting 12, tomorrow at 10:00 Geneva time",
		"تذكير: الجلسة العامة الثانية عشرة لمنتدى التنمية المستدامة غدا الساعة 10:00 بتوقيت جنيف",
		"Plain ASCII subject",
	}
	for si, subject := range subjects {
		tpl, err := NewTemplate(templateBase(subject), templateHoles)
		if err != nil {
			t.Fatalf("template of %q: %v", subject, err)
		}
		for i, name := range names {
			token := strings.Repeat(fmt.Sprintf("tok%02d-", i), 4+i*3)
			manage := "https://plenary.example.org/r/manage?t=" + token + "&x=1"
			unsubscribe := "https://plenary.example.org/r/unsubscribe?t=" + token
			r := Recipient{
				To:        Address{Name: name, Email: fmt.Sprintf("r%06d@example.org", i)},
				MessageID: fmt.Sprintf("<m%d-%d@plenary.test>", si, i), Date: time.Date(2026, 12, 1, 9, i, 0, 0, time.UTC),
				Unsubscribe: unsubscribe,
				Text:        []string{name, manage, unsubscribe},
				HTML:        []string{html.EscapeString(name), html.EscapeString(manage), html.EscapeString(unsubscribe)},
			}
			want := templateBase(subject)
			plain := strings.NewReplacer(templateHoles[0], name, templateHoles[1], manage, templateHoles[2], unsubscribe)
			escaped := strings.NewReplacer(templateHoles[0], html.EscapeString(name), templateHoles[1], html.EscapeString(manage), templateHoles[2], html.EscapeString(unsubscribe))
			want.To, want.MessageID, want.Date, want.Unsubscribe = r.To, r.MessageID, r.Date, r.Unsubscribe
			want.Subject, want.Text, want.HTML = plain.Replace(want.Subject), plain.Replace(want.Text), escaped.Replace(want.HTML)
			m, err := tpl.Message(r)
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject != want.Subject || m.Text != want.Text || m.HTML != want.HTML || m.To != want.To {
				t.Fatalf("name %q: the template's message fields differ from the filled-in ones", name)
			}
			boundary := boundaryPattern.FindSubmatch(m.wire)
			if boundary == nil {
				t.Fatalf("no boundary in %q", m.wire)
			}
			wantBytes, err := want.build(time.Time{}, string(boundary[1]))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(m.wire, wantBytes) {
				t.Fatalf("subject %d, name %q: the template's message differs from go-mail's:\n got %q\nwant %q", si, name, m.wire, wantBytes)
			}
		}
	}
}

// Messages the template does not cover are refused, so that they are built whole: a
// calendar (two nested multiparts), no HTML part, a carriage return in a part.
func TestTemplateRefusesOtherShapes(t *testing.T) {
	cal := templateBase("x")
	cal.Calendar = &Calendar{Method: CalendarRequest, Data: []byte("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n")}
	noHTML := templateBase("x")
	noHTML.HTML = ""
	cr := templateBase("x")
	cr.Text += "\r\nmore"
	for _, m := range []Message{cal, noHTML, cr} {
		if _, err := NewTemplate(m, templateHoles); err != ErrNoTemplate {
			t.Errorf("template of a message with calendar %v, HTML %d bytes: %v, want ErrNoTemplate", m.Calendar != nil, len(m.HTML), err)
		}
	}
	tpl, err := NewTemplate(templateBase("x"), templateHoles)
	if err != nil {
		t.Fatal(err)
	}
	bad := Recipient{To: Address{Email: "r@example.org"}, MessageID: "<a@b>", Date: time.Now(), Unsubscribe: "", Text: templateHoles, HTML: templateHoles}
	if _, err := tpl.Message(bad); err == nil {
		t.Error("a recipient without the unsubscribe link the template has was accepted")
	}
	bad.Unsubscribe, bad.To.Email = "https://plenary.example.org/u", "r@example.org\r\nBcc: x@evil.example"
	if _, err := tpl.Message(bad); err == nil {
		t.Error("a recipient address with a line break was accepted")
	}
}
