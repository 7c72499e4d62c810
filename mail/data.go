package mail

import (
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/web/messages"
)

// The data each kind's templates read. Every type carries Lang (the
// language the message is written in, for dates and country names), Title
// (the HTML page title) and, where a person is addressed, Name. Countries
// are ISO codes: the templates write their names in the message's language.
// A text meant for readers (an activity's title) is a cooperation.Shown, in
// the recipient's language where it was given in it: the templates print it
// with shown, which says in which language it is when it is not theirs.

// TaskData is what task_invitation and receipt read.
type TaskData struct {
	Lang          string
	Title         string
	Name          string
	ActivityTitle cooperation.Shown
	Code          string
	Country       string
	CycleTitle    string
	Due           time.Time
	Closes        time.Time
	URL           string
	Extended      bool
	// Version, Status (a store.SubmissionStatuses value) and Late describe
	// the submission a receipt acknowledges; Texts and Files are what it
	// held, so the receipt is a copy of what was sent.
	Version int
	Status  string
	Late    bool
	Texts   []ReportText
	Files   []FileLine
	// TextLanguage is the language the Texts were written in, "" when the
	// focal point did not say.
	TextLanguage string
	// Reason is the secretariat's: why it asks for clarification, refuses
	// an extension or waives the task, or its comment on an acceptance.
	Reason string
	// Requested is the due date a refused extension request asked for.
	Requested time.Time
}

// ReportText is one narrative field of a submission: Field is its key
// (progress, results, difficulties, next_steps), which templates name in
// the message's language.
type ReportText struct {
	Field, Text string
}

// FileLine is an evidence file as a message lists it.
type FileLine struct {
	Name, Kind, Size string
}

// ReviewData is what every committee message reads: vote_request, recused,
// decision, changes_requested, casting_request and round_decided.
type ReviewData struct {
	Lang, Title, Name string
	Biennium, Code    string
	// Titles is the activity's title in every language given; each
	// recipient is given theirs as ActivityTitle.
	Titles        cooperation.TextSet
	ActivityTitle cooperation.Shown
	Round         int
	ClosesAt      time.Time
	// Zone is the recipient's IANA time zone: a round closes at an hour,
	// which messages give in it (UTC when it names none).
	Zone               string
	URL                string
	Changes            []store.FieldDiff
	Comments           []store.Vote
	Outcome, DecidedBy string
	Tally              map[string]int
	// Approve, Reject and RC (request changes) are Tally's counts, for the
	// Chair's casting request and the committee's notice of the decision.
	Approve, Reject, RC int
	// Casting is the Chair's casting vote, when it decided the round.
	Casting string
}

// CycleData is what the secretariat's overdue_notice and cycle_closed read.
type CycleData struct {
	Lang, Title, CycleTitle string
	// Reason is why the cycle closed: "signal" (the secretariat closed it),
	// "complete" (every task answered) or "closing_date".
	Reason string
	Date   time.Time
	Late   []LateTask
	Counts []StatusCount
	Total  int
}

// LateTask is one line of an overdue notice.
type LateTask struct {
	Code, Country, ActivityTitle string
	Due                          time.Time
}

// StatusCount is how many of a cycle's tasks are in Status.
type StatusCount struct {
	Status cooperation.TaskStatus
	N      int
}

// ReportData is what report_ready reads. URL is the dashboard's entry of
// the cycle, where its report is downloaded in every language and format;
// Command prints it from a shell.
type ReportData struct {
	Lang, Title, Name                      string
	ProgrammeTitle                         cooperation.Shown
	Biennium, CycleTitle                   string
	Tasks, Submitted, OnTime, Late, Waived int
	Missing                                int
	Rate, Command, URL                     string
}

// CallData is what call_for_proposals and proposal_receipt read.
type CallData struct {
	Lang, Title, Name, Biennium, URL string
	Closes                           time.Time
	Code                             string
	ActivityTitle                    cooperation.Shown
}

// Digest is what a reminder reads.
type Digest struct {
	Lang  string
	Title string
	Name  string
	// Next is the earliest due date listed, NextOverdue whether it has
	// passed (the subject then says since when, not "next due"); Count the
	// items listed.
	Next        time.Time
	NextOverdue bool
	Count       int
	// Due are the items reminded of now, each with a fresh link.
	Due []DigestItem
	// Open are the recipient's other open items. An item has a URL only when
	// the recipient holds no live link to it; EarlierLinks says some have
	// none, so the message says the links of earlier messages still work.
	Open         []DigestItem
	EarlierLinks bool
}

// DigestItem is one task, vote or casting vote a reminder lists.
type DigestItem struct {
	// Task and Vote say the kind (neither: the Chair's casting vote), as
	// fields because a template function call per item costs more.
	Task    bool
	Vote    bool
	Title   cooperation.Shown
	Code    string
	Country string
	// Cycle names a task's reporting cycle, so that two tasks on one
	// activity in two cycles read as two lines.
	Cycle string
	// Date is the due date written in the digest's language, once in Go
	// rather than once per item through a template function.
	Date    string
	Overdue bool
	URL     string
	// For names the person away whom the recipient acts for, on an item
	// that is theirs; empty for the recipient's own.
	For string
}

// FailureData is what the secretariat's failure_notice reads.
type FailureData struct {
	Lang   string
	Title  string
	Name   string
	Day    time.Time
	Failed []store.FailedEmail
}

// WrittenIn says, in the message's language, which language the texts
// were written in ("Written in Spanish"), with the portal's words; "" when
// that was not said.
func (d TaskData) WrittenIn() string {
	if d.TextLanguage == "" {
		return ""
	}
	return messages.WrittenNote(d.Lang, d.TextLanguage)
}
