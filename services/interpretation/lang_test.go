package interpretation_test

import (
	"testing"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/interpretation"
)

// The plan and the checker answer in the language asked for (?lang=, else
// Accept-Language), keeping each message's code and values.
func TestPlanAndCheckSpeakTheReadersLanguage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		m := e.meeting("aiic")
		s := e.session(m, "2026-12-07T10:00", "2026-12-07T12:00", []string{"en"}, []string{"en", "fr"})
		e.interpreter("Inès", "fr:A en:C", nil)
		var plan interpretation.PlanResult
		e.do("POST", "/v1/meetings/"+m+"/interpretation/plan?lang=es", nil).into(t, &plan)
		if len(plan.Gaps) != 1 {
			t.Fatalf("gaps %+v", plan.Gaps)
		}
		g := plan.Gaps[0]
		if g.Code != interp.MsgGapPoolExhausted || g.Args.Booth != "fr" || g.Args.Have != 1 || g.Args.Need != 2 ||
			g.Message != "La cabina FR de la sesión "+s+" (2026-12-07 09:00–11:00 UTC) tiene 1 de 2 intérpretes: todos los intérpretes de FR de la bolsa ya están en ella." {
			t.Errorf("Spanish gap: %+v", g)
		}
		if g.Fix.Message != "Intérpretes que añadir: 1, con FR como lengua A (o B con retorno), que trabajen desde: inglés, disponibles 2026-12-07 09:00–11:00 UTC." {
			t.Errorf("Spanish fix: %q", g.Fix.Message)
		}
		var check interpretation.CheckResult
		e.do("GET", "/v1/meetings/"+m+"/interpretation/check", nil, "Accept-Language", "ru-RU,ru;q=0.9").into(t, &check)
		if len(check.Violations) == 0 {
			t.Fatalf("no verdict: %+v", check)
		}
		for _, v := range check.Violations {
			if v.Code == interp.RuleTeamSize && v.Booth == "fr" &&
				v.Message != "В кабине FR заседания "+s+" переводчиков: 0; по правилам AIIC требуется: 2." {
				t.Errorf("Russian verdict %q", v.Message)
			}
		}

		// The board in French: the checker's verdict and the decisions to take.
		e.must(201, e.do("POST", "/v1/meetings/"+m+"/interpretation/plan?commit=true", nil))
		var board interpretation.Board
		e.do("GET", "/v1/meetings/"+m+"/interpretation/board?lang=fr", nil).into(t, &board)
		var toOffer, violation []string
		for _, d := range board.Decisions {
			switch d.Kind {
			case "to_offer":
				toOffer = append(toOffer, d.Message)
			case "violation":
				violation = append(violation, d.Message)
			}
		}
		if len(toOffer) != 1 || toOffer[0] != "Inès est proposé(e), mais le poste ne lui a pas encore été offert." {
			t.Errorf("French to_offer decisions %q", toOffer)
		}
		if len(violation) != 1 || violation[0] != "La cabine FR de la séance "+s+" compte 1 interprète(s) ; la politique AIIC en exige 2." {
			t.Errorf("French violation decisions %q", violation)
		}
	})
}
