package agenda

import (
	"encoding/json"
	"math"
	"strconv"
	"sync/atomic"
	"unicode/utf8"
)

// The agenda is encoded by hand into one buffer: encoding/json's reflection over 500
// sessions, 2,000 items and their 3,000 times was an eighth of a cold rendering. The bytes
// are encoding/json's (its field order, omitempty, null for a nil list, HTML-safe string
// escapes, float form), which TestAgendaJSONIsMarshal checks field by field; the staffing
// verdict, shown to the secretariat only, is left to encoding/json.

// agendaRowBytes is about how many bytes the last agenda encoded took per session and
// item, to size the next one's buffer: an agenda of 500 sessions is 1.6 MB, which grown
// by doubling is copied a dozen times.
var agendaRowBytes atomic.Int64

// encodeAgenda is json.Marshal(v). The bytes are cached: a buffer sized more than an
// eighth too large is copied to its length.
func encodeAgenda(v *AgendaView) ([]byte, error) {
	rows := len(v.Sessions) + 1
	for i := range v.Sessions {
		rows += len(v.Sessions[i].Items)
	}
	per := agendaRowBytes.Load()
	if per <= 0 {
		per = 1024
	}
	b, err := appendAgendaJSON(make([]byte, 0, int64(rows)*(per+per/16)), v)
	if err != nil {
		return nil, err
	}
	agendaRowBytes.Store(int64(len(b)/rows + 1))
	if cap(b)-len(b) > len(b)/8 {
		b = append([]byte(nil), b...)
	}
	return b, nil
}

// appendAgendaJSON appends v as json.Marshal writes it.
func appendAgendaJSON(b []byte, v *AgendaView) ([]byte, error) {
	b = append(b, `{"meeting":{"id":`...)
	b = appendJSONString(b, v.Meeting.ID)
	b = append(b, `,"title":`...)
	b = appendLocalized(b, &v.Meeting.Title)
	b = appendField(b, "venue_tz", v.Meeting.VenueTZ)
	b = appendField(b, "format", v.Meeting.Format)
	b = appendField(b, "default_lang", v.Meeting.DefaultLang)
	b = appendField(b, "platform", v.Meeting.Platform)
	b = append(b, '}')
	b = appendField(b, "tz", v.TZ)
	b = appendField(b, "lang", v.Lang)
	b = appendField(b, "tzdata_version", v.TZDataVersion)
	b = append(b, `,"revision":`...)
	b = strconv.AppendInt(b, v.Revision, 10)
	var err error
	if v.Interpretation != nil {
		if b, err = appendMarshal(b, `,"interpretation":`, v.Interpretation); err != nil {
			return nil, err
		}
	}
	b = append(b, `,"sessions":`...)
	if v.Sessions == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range v.Sessions {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendSession(b, &v.Sessions[i]); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

func appendSession(b []byte, s *SessionView) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, s.ID)
	b = append(b, `,"title":`...)
	b = appendLocalized(b, &s.Title)
	b = appendField(b, "status", s.Status)
	if s.CancelReason != "" {
		b = appendField(b, "cancel_reason", s.CancelReason)
	}
	b = appendField(b, "start_utc", s.StartUTC)
	b = appendField(b, "end_utc", s.EndUTC)
	b = append(b, `,"venue":`...)
	b = appendLocalTimes(b, &s.Venue)
	b = append(b, `,"local":`...)
	b = appendLocalTimes(b, &s.Local)
	b = appendStrings(b, `,"floor_languages":`, s.FloorLanguages)
	b = appendStrings(b, `,"output_languages":`, s.OutputLanguages)
	b = appendStrings(b, `,"audience":`, s.Audience)
	b = append(b, `,"staffed_channels":`...)
	if s.StaffedChannels == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range s.StaffedChannels {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"language":`...)
			b = appendJSONString(b, c.Language)
			b = appendField(b, "staffed_by", c.StaffedBy)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"schedule_version":`...)
	b = strconv.AppendInt(b, s.ScheduleVersion, 10)
	b = append(b, `,"outside_working_hours":`...)
	b = strconv.AppendBool(b, s.OutsideWorkingHours)
	var err error
	if b, err = appendFloat(b, `,"outside_share":`, s.OutsideShare); err != nil {
		return nil, err
	}
	if s.Interpretation != nil {
		if b, err = appendMarshal(b, `,"interpretation":`, s.Interpretation); err != nil {
			return nil, err
		}
	}
	b = append(b, `,"items":`...)
	if s.Items == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range s.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendItem(b, &s.Items[i])
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

func appendItem(b []byte, it *ItemView) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, it.ID)
	b = append(b, `,"position":`...)
	b = strconv.AppendInt(b, int64(it.Position), 10)
	b = append(b, `,"title":`...)
	b = appendLocalized(b, &it.Title)
	if it.StartUTC != "" {
		b = appendField(b, "start_utc", it.StartUTC)
	}
	if it.EndUTC != "" {
		b = appendField(b, "end_utc", it.EndUTC)
	}
	if it.Local != nil {
		b = append(b, `,"local":`...)
		b = appendLocalTimes(b, it.Local)
	}
	b = append(b, `,"speakers":`...)
	if it.Speakers == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range it.Speakers {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendSpeaker(b, &it.Speakers[i])
		}
		b = append(b, ']')
	}
	if it.Language != "" {
		b = appendField(b, "language", it.Language)
	}
	return append(b, '}')
}

func appendSpeaker(b []byte, s *Speaker) []byte {
	b = append(b, `{"name":`...)
	b = appendJSONString(b, s.Name)
	for _, f := range [...]struct{ name, v string }{
		{"affiliation", s.Affiliation}, {"stakeholder_group", s.StakeholderGroup},
		{"regional_group", s.RegionalGroup}, {"language", s.Language},
	} {
		if f.v != "" {
			b = appendField(b, f.name, f.v)
		}
	}
	return append(b, '}')
}

func appendLocalized(b []byte, l *Localized) []byte {
	b = append(b, `{"text":`...)
	b = appendJSONString(b, l.Text)
	b = appendField(b, "lang", l.Lang)
	b = append(b, `,"translation_missing":`...)
	b = strconv.AppendBool(b, l.TranslationMissing)
	b = appendStrings(b, `,"available_languages":`, l.Available)
	return append(b, '}')
}

func appendLocalTimes(b []byte, t *LocalTimes) []byte {
	b = append(b, `{"tz":`...)
	b = appendJSONString(b, t.TZ)
	b = appendField(b, "start", t.Start)
	b = appendField(b, "end", t.End)
	b = appendField(b, "offset", t.Offset)
	if t.Abbrev != "" {
		b = appendField(b, "abbreviation", t.Abbrev)
	}
	if t.Text != "" {
		b = appendField(b, "text", t.Text)
	}
	b = append(b, `,"day_shift":`...)
	b = strconv.AppendInt(b, int64(t.DayShift), 10)
	return append(b, '}')
}

// appendField appends ,"name":"v" (name needs no escape).
func appendField(b []byte, name, v string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendJSONString(b, v)
}

// appendStrings appends key then l as a JSON array, null when nil.
func appendStrings(b []byte, key string, l []string) []byte {
	b = append(b, key...)
	if l == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendMarshal appends key then v by encoding/json.
func appendMarshal(b []byte, key string, v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(append(b, key...), raw...), nil
}

// appendFloat appends key then f as encoding/json writes a float64 (as ES6 does); NaN
// and infinities are its error.
func appendFloat(b []byte, key string, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return appendMarshal(b, key, f)
	}
	b = append(b, key...)
	abs, format := math.Abs(f), byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 is written e-9.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as encoding/json does with HTML escaping: ", \ and
// controls escaped (\b \f \n \r \t short), <, > and & as \u003c..., invalid UTF-8 as
// \ufffd, U+2028 and U+2029 as \u2028 and \u2029.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
