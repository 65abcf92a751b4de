package zone

// Abbreviation is one entry of the table of zone abbreviations Plenary accepts. Each names
// a reference IANA zone and the offset the abbreviation stands for; Summer tells whether it
// is the daylight-saving one. Resolution uses the reference zone (what readers in that place
// see on their clocks) and flags the abbreviation when its offset is not the one in effect.
type Abbreviation struct {
	Abbrev string
	Zone   string // reference IANA zone
	Offset int    // seconds east of UTC
	Summer bool
	Note   string // shown with findings, e.g. places that keep the abbreviation all year
}

const hour = 3600

// abbreviations is the table; extend it here. Only abbreviations that are unambiguous in
// practice belong in it; the others go in ambiguousAbbreviations.
//
// Decisions: BST is British Summer Time (Bangladesh is written "+06" by the tz database and
// "BST" rarely in international notices); PST is US Pacific (not the Philippines); GMT is
// treated as UTC, not as Europe/London, because notices use it for UTC+00:00 all year.
var abbreviations = []Abbreviation{
	{"CET", "Europe/Paris", 1 * hour, false, ""},
	{"CEST", "Europe/Paris", 2 * hour, true, ""},
	{"BST", "Europe/London", 1 * hour, true, ""},
	{"WET", "Europe/Lisbon", 0, false, ""},
	{"WEST", "Europe/Lisbon", 1 * hour, true, ""},
	{"EET", "Europe/Athens", 2 * hour, false, ""},
	{"EEST", "Europe/Athens", 3 * hour, true, ""},
	{"MSK", "Europe/Moscow", 3 * hour, false, ""},
	{"EST", "America/New_York", -5 * hour, false, ""},
	{"EDT", "America/New_York", -4 * hour, true, ""},
	{"MST", "America/Denver", -7 * hour, false, "Arizona (America/Phoenix) keeps MST all year"},
	{"MDT", "America/Denver", -6 * hour, true, ""},
	{"PST", "America/Los_Angeles", -8 * hour, false, ""},
	{"PDT", "America/Los_Angeles", -7 * hour, true, ""},
	{"AKST", "America/Anchorage", -9 * hour, false, ""},
	{"AKDT", "America/Anchorage", -8 * hour, true, ""},
	{"HST", "Pacific/Honolulu", -10 * hour, false, ""},
	{"ADT", "America/Halifax", -3 * hour, true, ""},
	{"NST", "America/St_Johns", -3*hour - 1800, false, ""},
	{"NDT", "America/St_Johns", -2*hour - 1800, true, ""},
	{"BRT", "America/Sao_Paulo", -3 * hour, false, ""},
	{"ART", "America/Argentina/Buenos_Aires", -3 * hour, false, ""},
	{"CLT", "America/Santiago", -4 * hour, false, ""},
	{"CLST", "America/Santiago", -3 * hour, true, ""},
	{"SAST", "Africa/Johannesburg", 2 * hour, false, ""},
	{"CAT", "Africa/Maputo", 2 * hour, false, ""},
	{"EAT", "Africa/Nairobi", 3 * hour, false, ""},
	{"WAT", "Africa/Lagos", 1 * hour, false, ""},
	{"PKT", "Asia/Karachi", 5 * hour, false, ""},
	{"NPT", "Asia/Kathmandu", 5*hour + 2700, false, ""},
	{"IRST", "Asia/Tehran", 3*hour + 1800, false, ""},
	{"ICT", "Asia/Bangkok", 7 * hour, false, ""},
	{"WIB", "Asia/Jakarta", 7 * hour, false, ""},
	{"WITA", "Asia/Makassar", 8 * hour, false, ""},
	{"WIT", "Asia/Jayapura", 9 * hour, false, ""},
	{"HKT", "Asia/Hong_Kong", 8 * hour, false, ""},
	{"SGT", "Asia/Singapore", 8 * hour, false, ""},
	{"PHT", "Asia/Manila", 8 * hour, false, ""},
	{"JST", "Asia/Tokyo", 9 * hour, false, ""},
	{"KST", "Asia/Seoul", 9 * hour, false, ""},
	{"AWST", "Australia/Perth", 8 * hour, false, ""},
	{"ACST", "Australia/Adelaide", 9*hour + 1800, false, "the Northern Territory (Australia/Darwin) keeps ACST all year"},
	{"ACDT", "Australia/Adelaide", 10*hour + 1800, true, ""},
	{"AEST", "Australia/Sydney", 10 * hour, false, "Queensland (Australia/Brisbane) keeps AEST all year"},
	{"AEDT", "Australia/Sydney", 11 * hour, true, ""},
	{"NZST", "Pacific/Auckland", 12 * hour, false, ""},
	{"NZDT", "Pacific/Auckland", 13 * hour, true, ""},
}

// ambiguousAbbreviations are rejected, with the IANA zones they may mean.
var ambiguousAbbreviations = map[string][]string{
	"CST": {"America/Chicago", "Asia/Shanghai", "America/Havana"},
	"CDT": {"America/Chicago", "America/Havana"},
	"IST": {"Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"},
	"AST": {"America/Halifax", "Asia/Riyadh"},
	"GST": {"Asia/Dubai", "Atlantic/South_Georgia"},
	"SST": {"Pacific/Pago_Pago", "Asia/Singapore"},
	"AMT": {"Asia/Yerevan", "America/Manaus"},
	"ECT": {"America/Guayaquil", "Europe/Paris"},
	"BT":  {"Asia/Baghdad", "Asia/Thimphu"},
}

var abbrevByName = func() map[string]*Abbreviation {
	m := make(map[string]*Abbreviation, len(abbreviations))
	for i := range abbreviations {
		m[abbreviations[i].Abbrev] = &abbreviations[i]
	}
	return m
}()

// Abbreviations returns a copy of the accepted abbreviation table.
func Abbreviations() []Abbreviation { return append([]Abbreviation(nil), abbreviations...) }

// abbrevFor names the offset a reference zone has, from the table, if any.
func abbrevFor(zoneName string, offset int) string {
	for _, a := range abbreviations {
		if a.Zone == zoneName && a.Offset == offset {
			return a.Abbrev
		}
	}
	return ""
}
