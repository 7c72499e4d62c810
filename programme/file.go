package programme

import (
	"time"

	"github.com/bienal/bienal/cooperation"
)

// File is a parsed and validated programme file: everything in it is
// consistent in itself (references resolve, dates fall in the biennium).
type File struct {
	Biennium      string            `json:"biennium"`
	Title         string            `json:"title"`
	Rules         Rules             `json:"rules"`
	Goals         []Goal            `json:"goals"`
	LinesOfAction []LineOfAction    `json:"lines_of_action"`
	Countries     []Country         `json:"countries"`
	FocalPoints   []FocalPoint      `json:"focal_points"`
	Committee     []CommitteeMember `json:"committee"`
	Secretariat   []Person          `json:"secretariat"`
	Activities    []Activity        `json:"activities"`
	// Texts is the programme's title in the languages the file gives it in.
	Texts Texts `json:"texts,omitempty" db:"-"`
}

// Rules are the committee's decision rule for the programme.
type Rules struct {
	// VotingDays is the length of a review round (default 14).
	VotingDays int `json:"voting_days"`
	// MaxRounds is how many rounds a proposal may take before it is rejected (default 3).
	MaxRounds int `json:"max_rounds"`
	// RecuseInvolved recuses members whose country leads or participates (default true).
	RecuseInvolved bool `json:"recuse_involved"`
}

// DefaultRules apply to every field a file's rules leave out.
var DefaultRules = Rules{VotingDays: 14, MaxRounds: 3, RecuseInvolved: true}

// Goal is a strategic goal of the programme.
type Goal struct {
	Number int    `json:"number"`
	Title  string `json:"title"`
	Texts  Texts  `json:"texts,omitempty" db:"-"` // read apart: programme_text
}

// LineOfAction is one of the Conference's lines of action.
type LineOfAction struct {
	Number int    `json:"number"`
	Title  string `json:"title"`
	Texts  Texts  `json:"texts,omitempty" db:"-"` // read apart: programme_text
}

// Country is a participating country, by ISO 3166 alpha-2 code.
type Country struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Person is someone the system writes to; the e-mail address (lower case)
// identifies them across roles.
type Person struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Language string `json:"language"`
	TimeZone string `json:"time_zone"`
}

// FocalPoint is a country's national contact.
type FocalPoint struct {
	Person
	Country string `json:"country"`
}

// CommitteeMember is a country's seat on the Executive Committee for the
// biennium: its principal delegate (the Person), its role and term, and any
// alternates, who may cast the seat's vote as well.
type CommitteeMember struct {
	Person
	Country    string           `json:"country"`
	Role       cooperation.Role `json:"role"`
	Alternates []Person         `json:"alternates,omitempty"`
	// TermStart and TermEnd are zero when the file leaves them out.
	TermStart time.Time `json:"term_start"`
	TermEnd   time.Time `json:"term_end"`
}

// Activity is one cooperation activity as the file describes it.
type Activity struct {
	Code            string                     `json:"code"`
	Goal            int                        `json:"goal"`
	LineOfAction    int                        `json:"line_of_action"`
	Lead            string                     `json:"lead"`
	Participants    []string                   `json:"participants"`
	Title           string                     `json:"title"`
	Description     string                     `json:"description"`
	ExpectedOutputs []string                   `json:"expected_outputs"`
	StartsOn        time.Time                  `json:"starts_on"`
	EndsOn          time.Time                  `json:"ends_on"`
	Status          cooperation.ActivityStatus `json:"status"`
	ProposedBy      string                     `json:"proposed_by,omitempty"`
	// Texts are its title, description and expected outputs in the
	// languages the file gives them in (the fields above hold each in its
	// original language).
	Texts Texts `json:"texts,omitempty" db:"-"`
}

// ActivityProposal is one activity proposed for a programme already imported;
// its references are checked against the database, not the file.
type ActivityProposal struct {
	Biennium string `json:"biennium"`
	Activity
}

// bienniumSpan returns the first and last day of a biennium already checked
// to read "YYYY-YYYY".
func bienniumSpan(biennium string) (first, last time.Time) {
	var a, b int
	for _, c := range biennium[:4] {
		a = a*10 + int(c-'0')
	}
	for _, c := range biennium[5:] {
		b = b*10 + int(c-'0')
	}
	return time.Date(a, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(b, 12, 31, 0, 0, 0, 0, time.UTC)
}
