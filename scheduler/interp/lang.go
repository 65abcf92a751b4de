package interp

import "strings"

// Lang is an ISO 639-1 language code in lower case ("en", "fr", "ar").
type Lang string

// Class is an interpreter's class in a language (AIIC; ISO 20539).
type Class string

const (
	// ClassA is a native language: the interpreter works into it from all their others.
	ClassA Class = "A"
	// ClassB is an active language other than the native one: works into it (retour).
	ClassB Class = "B"
	// ClassC is a passive language: understood, interpreted from, never into.
	ClassC Class = "C"
)

// Valid reports whether c is A, B or C.
func (c Class) Valid() bool { return c == ClassA || c == ClassB || c == ClassC }

// iso6391 is the ISO 639-1 code list (183 codes; the withdrawn "bh" is left out).
const iso6391 = "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy " +
	"da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz " +
	"ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo " +
	"lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps " +
	"pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn " +
	"to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu"

var isoCodes = func() map[Lang]bool {
	m := make(map[Lang]bool, 190)
	for _, c := range strings.Fields(iso6391) {
		m[Lang(c)] = true
	}
	return m
}()

// Valid reports whether l is a code of the ISO 639-1 list, written in lower case.
func (l Lang) Valid() bool { return isoCodes[l] }

// Upper is the code in upper case, as booths are named in the trade ("the FR booth").
func (l Lang) Upper() string { return strings.ToUpper(string(l)) }
