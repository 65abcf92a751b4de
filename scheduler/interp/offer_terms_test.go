package interp

import (
	"slices"
	"testing"
	"time"
)

// The standard policies give two days to answer, want every answer three days before the
// session and tell the secretariat of open seats three days before (the terms); a
// custom policy sets its own, and a term it leaves out takes the default.
func TestOfferTerms(t *testing.T) {
	for _, p := range []Policy{AIIC(), UN()} {
		got := p.OfferTerms()
		if got.AnswerWithin() != 48*time.Hour || got.MinNotice() != 72*time.Hour || got.OpenSeatsNotice() != 72*time.Hour {
			t.Errorf("%s: terms %+v, want 48 h to answer, 72 h notice, open seats told 72 h before", p.Name, got)
		}
	}
	custom := AIIC()
	custom.Name = "custom"
	custom.Offers = OfferTerms{AnswerWithinMinutes: 24 * 60, OpenSeatsNoticeMinutes: 5 * 24 * 60}
	if fe := custom.Validate(); fe != nil {
		t.Fatalf("custom policy: %v", fe)
	}
	got := custom.OfferTerms()
	if got.AnswerWithin() != 24*time.Hour || got.MinNotice() != 72*time.Hour || got.OpenSeatsNotice() != 120*time.Hour {
		t.Errorf("custom terms %+v, want 24 h, the default 72 h, 120 h", got)
	}
	bad := AIIC()
	bad.Offers = OfferTerms{AnswerWithinMinutes: -1, MinNoticeMinutes: 15 * 24 * 60}
	var codes []string
	for _, f := range bad.Validate() {
		codes = append(codes, f.Field+" "+f.Code)
	}
	if want := []string{"offers.answer_within_minutes negative", "offers.min_notice_minutes too_long"}; !slices.Equal(codes, want) {
		t.Errorf("invalid offer terms: %v, want %v", codes, want)
	}
}
