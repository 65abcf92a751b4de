package zone

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Places are what notices print where a zone belongs: "(Bangkok time)", "local time in
// Chile", "Nepal Time". A place names the IANA zone of that country or city: the table in
// places.tsv (countries, and cities that are not the city of a tz name), then the cities
// of the tz names themselves (Vienna: Europe/Vienna).

//go:embed places.tsv
var placesTSV string

type place struct {
	name, zone, note string
}

var (
	placesOnce sync.Once
	placeIndex map[string]place // folded name -> place
)

func places() map[string]place {
	placesOnce.Do(func() {
		placeIndex = map[string]place{}
		for _, line := range strings.Split(placesTSV, "\n") {
			if line == "" || line[0] == '#' {
				continue
			}
			f := strings.Split(line, "\t")
			if len(f) < 2 {
				continue
			}
			p := place{name: f[0], zone: f[1]}
			if len(f) > 2 {
				p.note = f[2]
			}
			placeIndex[foldPlace(p.name)] = p
		}
		for _, n := range database().names {
			region, rest, ok := strings.Cut(n, "/")
			if !ok {
				continue
			}
			switch region {
			case "Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific":
			default:
				continue
			}
			city := strings.ReplaceAll(rest[strings.LastIndexByte(rest, '/')+1:], "_", " ")
			if _, taken := placeIndex[foldPlace(city)]; !taken {
				placeIndex[foldPlace(city)] = place{name: city, zone: n}
			}
		}
	})
	return placeIndex
}

// foldPlace is a place name reduced for lookup: lower case, no accents, single spaces,
// no leading "the", hyphens and dots as spaces (São Paulo, sao-paulo, "the Hague").
func foldPlace(s string) string {
	var sb strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == '-' || r == '_' || r == '.' || r == ',' || unicode.IsSpace(r):
			sb.WriteByte(' ')
		default:
			sb.WriteRune(r)
		}
	}
	out := strings.Join(strings.Fields(sb.String()), " ")
	return strings.TrimPrefix(out, "the ")
}

// placeWords strips what people write around a place: "Bangkok time", "local time in
// Chile", "Nepal Time", "time in Vienna", "Geneva local time".
func placeWords(s string) string {
	f := foldPlace(s)
	for _, p := range []string{"local time in ", "local time of ", "time in ", "local time ", "in "} {
		f = strings.TrimPrefix(f, p)
	}
	for _, suf := range []string{" local time", " standard time", " time", " local"} {
		f = strings.TrimSuffix(f, suf)
	}
	return f
}

// lookupPlace finds the place s names, if any.
func lookupPlace(s string) (place, bool) {
	if len(s) > 100 {
		return place{}, false
	}
	p, ok := places()[placeWords(s)]
	return p, ok
}
