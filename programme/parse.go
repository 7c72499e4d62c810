package programme

import (
	"net/mail"
	"regexp"
	"strconv"
	"time"
	// Time zones are checked against the IANA database compiled in, so a
	// file validates the same on every machine.
	_ "time/tzdata"

	"github.com/bienal/bienal/cooperation"
)

var (
	bienniumPattern = regexp.MustCompile(`^[0-9]{4}-[0-9]{4}$`)
	countryPattern  = regexp.MustCompile(`^[A-Z]{2}$`)
	emailPattern    = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// refs is what the rest of a file may point to, gathered as it is read.
type refs struct {
	goals     map[int]bool
	lines     map[int]bool
	countries map[string]bool
	people    map[string]seenPerson
	// first and last day of the biennium; zero when the biennium is invalid.
	first, last time.Time
	// proposal is set for a proposal file, whose code may be left out.
	proposal bool
}

type seenPerson struct {
	Person
	field string
}

// Parse reads a programme file (format in the package documentation) and
// validates it in itself. On any problem it returns Errors listing all of them.
func Parse(data []byte) (*File, error) {
	root, err := documentRoot(data)
	if err != nil {
		return nil, err
	}
	w := &walker{}
	o := w.object(root, "", "biennium", "title", "rules", "goals", "lines_of_action",
		"countries", "focal_points", "committee", "secretariat", "activities")
	r := &refs{goals: map[int]bool{}, lines: map[int]bool{}, countries: map[string]bool{}, people: map[string]seenPerson{}}
	f := &File{}
	f.Biennium = readBiennium(o, r)
	var title *Text
	f.Title, title = o.text("title", true, 500)
	f.Texts.add("title", title)
	f.Rules = readRules(w.object(o.keys["rules"], "rules", "voting_days", "max_rounds", "recuse_involved"))
	f.Goals = readGoals(o, r)
	f.LinesOfAction = readLines(o, r)
	f.Countries = readCountries(o, r)
	f.FocalPoints = readFocalPoints(o, r)
	f.Committee = readCommittee(o, r)
	f.Secretariat = readSecretariat(o, r)
	codes := map[string]string{}
	for i, n := range o.list("activities", false) {
		path := index("activities", i)
		a, code := readActivity(w.object(n, path, activityFields...), r)
		if first, dup := codes[a.Code]; dup && a.Code != "" {
			code.fail("code", "duplicate code %q (also %s)", a.Code, first)
		} else {
			codes[a.Code] = path
		}
		f.Activities = append(f.Activities, a)
	}
	if len(w.errs) > 0 {
		return nil, w.errs.sorted()
	}
	return f, nil
}

func readBiennium(o *object, r *refs) string {
	b := o.str("biennium", true, 9)
	if b == "" {
		return ""
	}
	if !bienniumPattern.MatchString(b) {
		o.fail("biennium", "expected two consecutive years like \"2017-2018\", found %q", b)
		return b
	}
	y1, _ := strconv.Atoi(b[:4])
	y2, _ := strconv.Atoi(b[5:])
	if y2 != y1+1 {
		o.fail("biennium", "%q is not two consecutive years", b)
		return b
	}
	r.first, r.last = bienniumSpan(b)
	return b
}

func readRules(o *object) Rules {
	rules := DefaultRules
	if v, ok := o.integer("voting_days", false, 1, 365); ok {
		rules.VotingDays = v
	}
	if v, ok := o.integer("max_rounds", false, 1, 20); ok {
		rules.MaxRounds = v
	}
	if v, ok := o.boolean("recuse_involved"); ok {
		rules.RecuseInvolved = v
	}
	return rules
}

func readGoals(o *object, r *refs) []Goal {
	var out []Goal
	readNumbered(o, "goals", "goal", r.goals, func(num int, title string, t *Text) {
		g := Goal{Number: num, Title: title}
		g.Texts.add("title", t)
		out = append(out, g)
	})
	return out
}

func readLines(o *object, r *refs) []LineOfAction {
	var out []LineOfAction
	readNumbered(o, "lines_of_action", "line of action", r.lines, func(num int, title string, t *Text) {
		l := LineOfAction{Number: num, Title: title}
		l.Texts.add("title", t)
		out = append(out, l)
	})
	return out
}

// readNumbered reads a list of {number, title} items, each number given
// once, and records the numbers in seen for the references that follow.
func readNumbered(o *object, key, noun string, seen map[int]bool, add func(num int, title string, t *Text)) {
	for i, n := range o.list(key, true) {
		item := o.w.object(n, index(key, i), "number", "title")
		num, ok := item.integer("number", true, 1, 1000)
		if ok && seen[num] {
			item.fail("number", "%s %d given twice", noun, num)
		}
		seen[num] = ok
		title, t := item.text("title", true, 1000)
		add(num, title, t)
	}
}

func readCountries(o *object, r *refs) []Country {
	var out []Country
	for i, n := range o.list("countries", true) {
		c := o.w.object(n, index("countries", i), "code", "name")
		code := countryCode(c, "code", true)
		if code != "" && r.countries[code] {
			c.fail("code", "country %q given twice", code)
		}
		if code != "" {
			r.countries[code] = true
		}
		out = append(out, Country{Code: code, Name: c.str("name", true, 200)})
	}
	return out
}

// countryCode reads an ISO 3166 alpha-2 code; it returns "" when malformed.
func countryCode(o *object, key string, required bool) string {
	code := o.str(key, required, 2)
	if code != "" && !countryPattern.MatchString(code) {
		o.fail(key, "expected an ISO 3166 alpha-2 code in capitals like \"CL\", found %q", code)
		return ""
	}
	return code
}

// knownCountry reads a country code that must be among the file's countries;
// r.countries is nil when checking a proposal, whose countries the store checks.
func knownCountry(o *object, key string, r *refs) string {
	code := countryCode(o, key, true)
	if code != "" && r.countries != nil && !r.countries[code] {
		o.fail(key, "unknown country %q (not in countries)", code)
	}
	return code
}

func emailAddress(o *object, key string, required bool) string {
	s := o.str(key, required, 254)
	if s == "" {
		return ""
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s || !emailPattern.MatchString(s) {
		o.fail(key, "bad e-mail address %q", s)
		return ""
	}
	return toLower(s)
}

// toLower folds ASCII only: addresses are compared and stored in lower case.
func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// readPerson reads the fields every person has and checks that an address
// seen before names the same person in the same language and time zone.
func readPerson(o *object, r *refs) Person {
	p := Person{
		Name:     o.str("name", true, 200),
		Email:    emailAddress(o, "email", true),
		Language: o.str("language", true, 2),
		TimeZone: o.str("time_zone", true, 64),
	}
	if p.Language != "" && !contains(cooperation.Languages, p.Language) {
		o.fail("language", "unknown language %q (expected es, en, pt or fr)", p.Language)
	}
	if p.TimeZone != "" {
		if _, err := time.LoadLocation(p.TimeZone); err != nil || p.TimeZone == "Local" {
			o.fail("time_zone", "unknown time zone %q (expected an IANA name like America/Santiago)", p.TimeZone)
		}
	}
	if p.Email == "" {
		return p
	}
	if prev, ok := r.people[p.Email]; ok {
		for _, d := range []struct{ field, was, now string }{
			{"name", prev.Name, p.Name}, {"language", prev.Language, p.Language}, {"time_zone", prev.TimeZone, p.TimeZone},
		} {
			if d.was != d.now {
				o.fail(d.field, "%s has %s %q in %s but %q here", p.Email, d.field, d.was, prev.field, d.now)
			}
		}
		return p
	}
	r.people[p.Email] = seenPerson{Person: p, field: o.path}
	return p
}

func readFocalPoints(o *object, r *refs) []FocalPoint {
	var out []FocalPoint
	seen := map[string]string{}
	for i, n := range o.list("focal_points", false) {
		path := index("focal_points", i)
		fo := o.w.object(n, path, "name", "email", "language", "time_zone", "country")
		fp := FocalPoint{Person: readPerson(fo, r), Country: knownCountry(fo, "country", r)}
		key := fp.Country + " " + fp.Email
		if prev, dup := seen[key]; dup && fp.Email != "" && fp.Country != "" {
			fo.fail("email", "%s is already focal point of %s (%s)", fp.Email, fp.Country, prev)
		}
		seen[key] = path
		out = append(out, fp)
	}
	return out
}

func readSecretariat(o *object, r *refs) []Person {
	var out []Person
	seen := map[string]string{}
	for i, n := range o.list("secretariat", false) {
		path := index("secretariat", i)
		p := readPerson(o.w.object(n, path, "name", "email", "language", "time_zone"), r)
		if prev, dup := seen[p.Email]; dup && p.Email != "" {
			o.w.fail(resolve(n).Line, path, "%s is listed twice (also %s)", p.Email, prev)
		}
		seen[p.Email] = path
		out = append(out, p)
	}
	return out
}

// readCommittee reads the Executive Committee: exactly one chair and at least
// one member.
func readCommittee(o *object, r *refs) []CommitteeMember {
	var out []CommitteeMember
	seen := map[string]string{}
	seats := map[string]string{}
	chair := ""
	members := 0
	for i, n := range o.list("committee", true) {
		path := index("committee", i)
		co := o.w.object(n, path, "name", "email", "language", "time_zone", "country", "role", "term_start", "term_end", "alternates")
		m := CommitteeMember{Person: readPerson(co, r), Country: knownCountry(co, "country", r), Role: cooperation.Role(co.str("role", true, 10))}
		if prev, dup := seen[m.Email]; dup && m.Email != "" {
			co.fail("email", "%s sits on the committee twice (also %s)", m.Email, prev)
		}
		seen[m.Email] = path
		if prev, dup := seats[m.Country]; dup && m.Country != "" {
			co.fail("country", "%s has a seat already (%s); a seat has one principal, list others under its alternates", m.Country, prev)
		}
		seats[m.Country] = path
		for j, an := range co.list("alternates", false) {
			apath := index(join(path, "alternates"), j)
			a := readPerson(o.w.object(an, apath, "name", "email", "language", "time_zone"), r)
			if prev, dup := seen[a.Email]; dup && a.Email != "" {
				o.w.fail(resolve(an).Line, apath+".email", "%s sits on the committee twice (also %s)", a.Email, prev)
			}
			seen[a.Email] = apath
			m.Alternates = append(m.Alternates, a)
		}
		switch m.Role {
		case cooperation.Chair:
			if chair != "" {
				co.fail("role", "a second chair (%s is chair already); the committee has one chair", chair)
			}
			chair = path
		case cooperation.Member:
			members++
		case "":
		default:
			co.fail("role", "unknown role %q (expected chair or member)", m.Role)
		}
		var okS, okE bool
		m.TermStart, okS = co.date("term_start", false)
		m.TermEnd, okE = co.date("term_end", false)
		if okS && okE && m.TermEnd.Before(m.TermStart) {
			co.fail("term_end", "%s is before term_start %s", day(m.TermEnd), day(m.TermStart))
		}
		out = append(out, m)
	}
	if len(out) > 0 && chair == "" {
		o.fail("committee", "no chair: one member must have role: chair")
	}
	if len(out) > 0 && members == 0 {
		o.fail("committee", "a chair and at least one member (role: member) are needed")
	}
	return out
}
