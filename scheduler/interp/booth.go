package interp

import (
	"slices"
)

// BoothNeed is one booth a session needs: its output language, the floor languages it
// must take in, and how many interpreters it needs.
type BoothNeed struct {
	SessionID string `json:"session_id"`
	Booth     Lang   `json:"booth"`
	Sources   []Lang `json:"sources"` // every floor language other than the booth's own
	Size      int    `json:"size"`
	// StaffedBy is set on a channel staffed by others (StaffedByDelegation,
	// StaffedByPartner): the organiser staffs none of it, so Size is 0.
	StaffedBy string `json:"staffed_by,omitempty"`
}

// PlanBooths lists the booths of a session: one per output language that some floor
// language differs from. A floor language that is also an output still gets a booth when
// the floor has other languages (its listeners need those interpreted); an output whose
// listeners already understand the whole floor (English floor, English output) needs none.
// A cancelled session needs no booth. Booths come sorted by language. A channel staffed
// by others (Session.StaffedChannels) is not the organiser's booth: PlanChannels lists it.
func PlanBooths(s Session, p Policy) []BoothNeed {
	return slices.DeleteFunc(PlanChannels(s, p), func(b BoothNeed) bool { return b.StaffedBy != "" })
}

// PlanChannels is the session's language plan: the booths of PlanBooths and, in language
// order among them, the channels staffed by others that need a booth, marked StaffedBy
// with Size 0.
func PlanChannels(s Session, p Policy) []BoothNeed {
	if s.Cancelled || !s.Start.Before(s.End) {
		return nil
	}
	floor := uniqueLangs(s.Floor)
	outs := uniqueLangs(s.Outputs)
	size := teamSize(s.Minutes(), p)
	var needs []BoothNeed
	for _, o := range outs {
		var src []Lang
		for _, f := range floor {
			if f != o {
				src = append(src, f)
			}
		}
		if len(src) == 0 {
			continue
		}
		if by := s.StaffedBy(o); by != "" {
			needs = append(needs, BoothNeed{SessionID: s.ID, Booth: o, Sources: src, StaffedBy: by})
			continue
		}
		n := size
		if slices.Contains(p.ThreeBooths, o) && n < 3*teams(s.Minutes(), p) {
			n = 3 * teams(s.Minutes(), p)
		}
		needs = append(needs, BoothNeed{SessionID: s.ID, Booth: o, Sources: src, Size: n})
	}
	return needs
}

func teams(minutes int, p Policy) int {
	if p.MaxSessionMinutes <= 0 || minutes <= p.MaxSessionMinutes {
		return 1
	}
	return (minutes + p.MaxSessionMinutes - 1) / p.MaxSessionMinutes
}

// teamSize is the size for one team by duration, times the teams a long session needs.
func teamSize(minutes int, p Policy) int {
	t := teams(minutes, p)
	per := minutes
	if t > 1 {
		per = p.MaxSessionMinutes
	}
	size := 2
	if len(p.TeamSizes) > 0 {
		size = p.TeamSizes[len(p.TeamSizes)-1].Size
	}
	for _, r := range p.TeamSizes {
		if per <= r.UpToMinutes {
			size = r.Size
			break
		}
	}
	return size * t
}

func uniqueLangs(ls []Lang) []Lang {
	out := slices.Clone(ls)
	slices.Sort(out)
	return slices.Compact(out)
}

// sizeRule says which rule of the policy gives a booth of a session its size (before
// any raise for a two-way pivot), in words for the plan.
func sizeRule(s *Session, booth Lang, size int, p Policy) (rule string, args Args) {
	m := s.Minutes()
	t := teams(m, p)
	switch {
	case slices.Contains(p.ThreeBooths, booth) && size == 3*t && teamSize(m, p) < size:
		return SizeThreeBooth, Args{Policy: p.Name, Booth: booth}
	case t > 1:
		return SizeByBlocks, Args{Minutes: m, Cap: p.MaxSessionMinutes, Count: t, Need: size}
	}
	return SizeByDuration, Args{Policy: p.Name, Minutes: m, Need: size}
}
