package programme

import (
	"regexp"
	"time"

	"github.com/bienal/bienal/cooperation"
)

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$`)

var activityFields = []string{"code", "goal", "line_of_action", "lead", "participants", "title",
	"description", "expected_outputs", "starts_on", "ends_on", "status", "proposed_by"}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// ParseActivity reads a proposal file: one activity in the programme file's
// format plus a biennium key. It is validated in itself; whether its goal,
// line of action and countries exist is for the store to check against the
// imported programme. A proposal's status is always proposed; its code may
// be left out, for the code to be chosen when it is stored.
func ParseActivity(data []byte) (*ActivityProposal, error) {
	root, err := documentRoot(data)
	if err != nil {
		return nil, err
	}
	w := &walker{}
	o := w.object(root, "", append([]string{"biennium"}, activityFields...)...)
	r := &refs{proposal: true}
	p := &ActivityProposal{Biennium: readBiennium(o, r)}
	p.Activity, _ = readActivity(o, r)
	if p.Status != cooperation.ActivityProposed {
		o.fail("status", "a proposal is always proposed; found %q", p.Status)
	}
	if len(w.errs) > 0 {
		return nil, w.errs.sorted()
	}
	return p, nil
}

// readActivity reads one activity. With r.goals, r.lines and r.countries nil
// (a proposal) it checks only their form; r.first is zero when the biennium
// itself was invalid, and dates are then only checked against each other.
func readActivity(o *object, r *refs) (Activity, *object) {
	a := Activity{Code: o.str("code", !r.proposal, 32)}
	if a.Code != "" && !codePattern.MatchString(a.Code) {
		o.fail("code", "expected letters, digits, '.', '_' or '-' (at most 32, starting with a letter or digit), found %q", a.Code)
	}
	var ok bool
	if a.Goal, ok = o.integer("goal", true, 1, 1000); ok && r.goals != nil && !r.goals[a.Goal] {
		o.fail("goal", "unknown goal %d (not in goals)", a.Goal)
	}
	if a.LineOfAction, ok = o.integer("line_of_action", true, 1, 1000); ok && r.lines != nil && !r.lines[a.LineOfAction] {
		o.fail("line_of_action", "unknown line of action %d (not in lines_of_action)", a.LineOfAction)
	}
	a.Lead = knownCountry(o, "lead", r)
	a.Participants = readParticipants(o, r, a.Lead)
	var t *Text
	a.Title, t = o.text("title", true, 500)
	a.Texts.add("title", t)
	a.Description, t = o.text("description", false, 20000)
	a.Texts.add("description", t)
	var outputs map[int]*Text
	a.ExpectedOutputs, outputs = o.texts("expected_outputs", false, 2000)
	for i, t := range outputs {
		a.Texts.add(OutputField(i), t)
	}
	readDates(o, r, &a)
	a.Status = cooperation.ActivityStatus(o.str("status", false, 20))
	switch a.Status {
	case "":
		a.Status = cooperation.ActivityProposed
	case cooperation.ActivityProposed, cooperation.ActivityApproved:
	default:
		o.fail("status", "unknown status %q (expected proposed or approved)", a.Status)
	}
	a.ProposedBy = emailAddress(o, "proposed_by", false)
	if a.ProposedBy != "" && r.people != nil {
		if _, ok := r.people[a.ProposedBy]; !ok {
			o.fail("proposed_by", "%s is not a focal point, committee member or secretariat user in this file", a.ProposedBy)
		}
	}
	return a, o
}

func readParticipants(o *object, r *refs, lead string) []string {
	codes, lines := o.strings("participants", false, 2)
	field := join(o.path, "participants")
	out := []string{}
	seen := map[string]bool{}
	for i, c := range codes {
		f := index(field, i)
		switch {
		case !countryPattern.MatchString(c):
			o.w.fail(lines[i], f, "expected an ISO 3166 alpha-2 code in capitals like \"CL\", found %q", c)
		case r.countries != nil && !r.countries[c]:
			o.w.fail(lines[i], f, "unknown country %q (not in countries)", c)
		case c == lead:
			o.w.fail(lines[i], f, "%q is the lead country; list only the other countries", c)
		case seen[c]:
			o.w.fail(lines[i], f, "country %q given twice", c)
		default:
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

func readDates(o *object, r *refs, a *Activity) {
	var okS, okE bool
	a.StartsOn, okS = o.date("starts_on", true)
	a.EndsOn, okE = o.date("ends_on", true)
	if !r.first.IsZero() {
		span := day(r.first) + " to " + day(r.last)
		if okS && (a.StartsOn.Before(r.first) || a.StartsOn.After(r.last)) {
			o.fail("starts_on", "%s is outside the biennium (%s)", day(a.StartsOn), span)
			okS = false
		}
		if okE && (a.EndsOn.Before(r.first) || a.EndsOn.After(r.last)) {
			o.fail("ends_on", "%s is outside the biennium (%s)", day(a.EndsOn), span)
			okE = false
		}
	}
	if okS && okE && a.EndsOn.Before(a.StartsOn) {
		o.fail("ends_on", "%s is before starts_on %s", day(a.EndsOn), day(a.StartsOn))
	}
}

// ValidCode tells whether code may be an activity's code, the rule files,
// subjects and commands share.
func ValidCode(code string) bool { return codePattern.MatchString(code) }

// ValidCountry tells whether code is written as a country code: ISO 3166
// alpha-2, in capitals.
func ValidCountry(code string) bool { return countryPattern.MatchString(code) }
