package interpretation

import (
	"reflect"
	"strings"
	"testing"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/platform/i18n"
)

// Every language of the page has every sentence, each state and role, and the %s holes
// where the page fills them: a missing entry would show an empty label.
func TestRespondCatalogIsComplete(t *testing.T) {
	holes := map[string]bool{"Dear": true, "Time": true, "NothingToAnswer": true}
	states := []string{StateProposed, StateOffered, StateAccepted, StateDeclined, StateWithdrawn}
	roles := []string{string(interp.RoleInterpreter), string(interp.RoleRetour), string(interp.RoleRelayGiver), string(interp.RoleRelayTaker)}
	for _, lang := range i18n.Languages {
		text := respondTextIn(lang)
		v := reflect.ValueOf(text)
		for i := range v.NumField() {
			name := v.Type().Field(i).Name
			s, ok := v.Field(i).Interface().(string)
			if !ok {
				continue
			}
			switch {
			case holes[name] && (strings.Count(s, "%s") != 1 || strings.Count(s, "%") != 1):
				t.Errorf("%s %s = %q: want one %%s", lang, name, s)
			case !holes[name] && (s == "" || strings.Contains(s, "%")):
				t.Errorf("%s %s = %q: want a sentence without %%", lang, name, s)
			}
		}
		for _, st := range states {
			if text.States[st] == "" {
				t.Errorf("%s: no name for state %s", lang, st)
			}
		}
		for _, r := range roles {
			if text.Roles[r] == "" {
				t.Errorf("%s: no name for role %s", lang, r)
			}
		}
	}
	if got := respondTextIn(i18n.Languages[1]).roleText("retour+relay_giver+unknown"); got != "retour, assure le relais, unknown" {
		t.Errorf("French role text %q", got)
	}
}
