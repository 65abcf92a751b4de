package planner

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Hours are local working hours, as minutes after local midnight. End may be below Start
// for hours that run past midnight. The zero value means the default, 08:00-20:00.
type Hours struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// DefaultHours are the working hours assumed where none are configured.
var DefaultHours = Hours{Start: 8 * 60, End: 20 * 60}

func (h Hours) isZero() bool { return h.Start == 0 && h.End == 0 }

func (h Hours) or(d Hours) Hours {
	if h.isZero() {
		return d
	}
	return h
}

func (h Hours) valid() bool {
	return h.Start >= 0 && h.Start < 1440 && h.End > 0 && h.End <= 1440 && h.Start != h.End
}

// RefZone is one reference zone of a region: an IANA zone, the country whose weekend
// applies there, a weight (default 1) and optional working hours of its own.
type RefZone struct {
	Zone    string  `json:"zone"`
	Country string  `json:"country,omitempty"` // ISO 3166 alpha-2
	Weight  float64 `json:"weight,omitempty"`
	Hours   Hours   `json:"hours,omitempty"`
}

// Region is a group of participants represented by reference zones.
type Region struct {
	Name      string    `json:"name"`
	Aliases   []string  `json:"aliases,omitempty"`
	Countries []string  `json:"countries,omitempty"` // ISO 3166 alpha-2 members
	Zones     []RefZone `json:"zones"`
	Hours     Hours     `json:"hours,omitempty"`
}

// The five UN regional groups. Membership follows the UN's lists of regional groups of
// Member States (the United States attends WEOG as an observer and is counted there for
// planning; Kiribati sits with Asia-Pacific; Türkiye with WEOG for planning purposes).
var unGroups = []Region{
	{Name: "African Group", Aliases: []string{"African", "Africa Group", "AG"},
		Countries: strings.Fields("DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW"),
		Zones: []RefZone{{Zone: "Africa/Dakar", Country: "SN"}, {Zone: "Africa/Lagos", Country: "NG"}, {Zone: "Africa/Cairo", Country: "EG"},
			{Zone: "Africa/Johannesburg", Country: "ZA"}, {Zone: "Africa/Nairobi", Country: "KE"}, {Zone: "Africa/Casablanca", Country: "MA"}}},
	{Name: "Asia-Pacific Group", Aliases: []string{"Asia-Pacific", "Asia and the Pacific", "APG"},
		Countries: strings.Fields("AF BH BD BT BN KH CN CY FJ IN ID IR IQ JP JO KZ KI KW KG LA LB MY MV MH FM MN MM NR NP KP OM PK PW PG PH QA KR WS SA SG SB LK SY TJ TH TL TO TM TV AE UZ VU VN YE"),
		Zones: []RefZone{{Zone: "Asia/Riyadh", Country: "SA"}, {Zone: "Asia/Tehran", Country: "IR"}, {Zone: "Asia/Kolkata", Country: "IN"},
			{Zone: "Asia/Jakarta", Country: "ID"}, {Zone: "Asia/Shanghai", Country: "CN"}, {Zone: "Asia/Tokyo", Country: "JP"}, {Zone: "Pacific/Fiji", Country: "FJ"}}},
	{Name: "Eastern European Group", Aliases: []string{"Eastern European", "Eastern Europe", "EEG"},
		Countries: strings.Fields("AL AM AZ BY BA BG HR CZ EE GE HU LV LT ME MK MD PL RO RU RS SK SI UA"),
		Zones: []RefZone{{Zone: "Europe/Warsaw", Country: "PL"}, {Zone: "Europe/Bucharest", Country: "RO"}, {Zone: "Europe/Kyiv", Country: "UA"},
			{Zone: "Europe/Moscow", Country: "RU"}, {Zone: "Asia/Tbilisi", Country: "GE"}, {Zone: "Asia/Baku", Country: "AZ"}}},
	{Name: "Latin American and Caribbean Group", Aliases: []string{"Latin American and Caribbean", "Latin America and the Caribbean", "GRULAC", "LAC"},
		Countries: strings.Fields("AG AR BS BB BZ BO BR CL CO CR CU DM DO EC SV GD GT GY HT HN JM MX NI PA PY PE KN LC VC SR TT UY VE"),
		Zones: []RefZone{{Zone: "America/Mexico_City", Country: "MX"}, {Zone: "America/Bogota", Country: "CO"}, {Zone: "America/Lima", Country: "PE"},
			{Zone: "America/Port_of_Spain", Country: "TT"}, {Zone: "America/Sao_Paulo", Country: "BR"}, {Zone: "America/Argentina/Buenos_Aires", Country: "AR"}}},
	{Name: "Western European and Others Group", Aliases: []string{"Western European and Others", "WEOG"},
		Countries: strings.Fields("AD AT BE DK FI FR DE GR IS IE IT LI LU MT MC NL NO PT SM ES SE CH GB TR AU CA IL NZ US"),
		Zones: []RefZone{{Zone: "Europe/London", Country: "GB"}, {Zone: "Europe/Paris", Country: "FR"}, {Zone: "Europe/Berlin", Country: "DE"},
			{Zone: "America/New_York", Country: "US"}, {Zone: "America/Toronto", Country: "CA"}, {Zone: "Australia/Sydney", Country: "AU"}, {Zone: "Pacific/Auckland", Country: "NZ"}}},
}

// Regions meetings commonly define: the two sessions of a meeting held twice in one day.
var meetingRegions = []Region{
	{Name: "Asia/Pacific", Aliases: []string{"Asia Pacific"},
		Zones: []RefZone{{Zone: "Asia/Tokyo", Country: "JP"}, {Zone: "Australia/Sydney", Country: "AU"}, {Zone: "Asia/Jakarta", Country: "ID"},
			{Zone: "Asia/Kolkata", Country: "IN"}, {Zone: "Pacific/Auckland", Country: "NZ"}}},
	{Name: "Africa, Europe and the Americas", Aliases: []string{"Africa, Europe and Americas", "Africa/Europe/Americas"},
		Zones: []RefZone{{Zone: "Africa/Lagos", Country: "NG"}, {Zone: "Africa/Cairo", Country: "EG"}, {Zone: "Africa/Johannesburg", Country: "ZA"},
			{Zone: "Europe/London", Country: "GB"}, {Zone: "Europe/Paris", Country: "FR"},
			{Zone: "America/New_York", Country: "US"}, {Zone: "America/Mexico_City", Country: "MX"}, {Zone: "America/Sao_Paulo", Country: "BR"}}},
}

// BuiltinRegions returns the five UN regional groups and the common meeting regions.
func BuiltinRegions() []Region {
	out := make([]Region, 0, len(unGroups)+len(meetingRegions))
	out = append(out, unGroups...)
	return append(out, meetingRegions...)
}

// weekends by country (ISO 3166 alpha-2); Saturday and Sunday elsewhere.
var fridaySaturday = []time.Weekday{time.Friday, time.Saturday}

var weekends = map[string][]time.Weekday{
	"SA": fridaySaturday, "EG": fridaySaturday, "QA": fridaySaturday, "KW": fridaySaturday, "BH": fridaySaturday,
	"OM": fridaySaturday, "JO": fridaySaturday, "IQ": fridaySaturday, "DZ": fridaySaturday, "LY": fridaySaturday,
	"SD": fridaySaturday, "SY": fridaySaturday, "YE": fridaySaturday, "IL": fridaySaturday, "MV": fridaySaturday,
	"BD": fridaySaturday, "AF": fridaySaturday,
	"IR": {time.Friday},
	"NP": {time.Saturday},
	"BN": {time.Friday, time.Sunday},
}

// Weekend is the weekend of a country; Saturday and Sunday when not known otherwise.
func Weekend(country string) []time.Weekday {
	if w, ok := weekends[strings.ToUpper(country)]; ok {
		return append([]time.Weekday(nil), w...)
	}
	return []time.Weekday{time.Saturday, time.Sunday}
}

func weekendMask(country string) uint8 {
	var m uint8
	for _, d := range Weekend(country) {
		m |= 1 << uint(d)
	}
	return m
}

// findRegion looks a region up by name or alias, case-insensitively: the caller's
// definitions first, then the built-ins.
func findRegion(name string, defs []Region) (Region, bool) {
	key := normalize(name)
	for _, set := range [][]Region{defs, unGroups, meetingRegions} {
		for _, r := range set {
			if normalize(r.Name) == key {
				return r, true
			}
			for _, a := range r.Aliases {
				if normalize(a) == key {
					return r, true
				}
			}
		}
	}
	return Region{}, false
}

func normalize(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

func regionNames(defs []Region) []string {
	var out []string
	for _, set := range [][]Region{defs, unGroups, meetingRegions} {
		for _, r := range set {
			out = append(out, r.Name)
		}
	}
	sort.Strings(out)
	return out
}

// CheckRegions validates a meeting's own regions as the planner will read them: a name,
// at least one reference zone the tz database knows, positive weights and working hours
// within the day. A meeting stores its regions only once they pass, so a session's
// audience, the agenda and the slot planner resolve them alike.
func CheckRegions(defs []Region) error {
	if len(defs) == 0 {
		return nil
	}
	seen := map[string]bool{}
	as := make([]Audience, 0, len(defs))
	for _, r := range defs {
		key := strings.ToLower(strings.TrimSpace(r.Name))
		if seen[key] {
			return &Error{Code: CodeInvalidRegion, Message: fmt.Sprintf("region %q is defined twice", r.Name)}
		}
		seen[key] = true
		as = append(as, Audience{Name: r.Name})
	}
	// Any short period will do: resolving checks zones, weights and hours.
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := resolveAudiences(as, defs, DefaultHours, from, from.Add(time.Hour))
	return err
}
