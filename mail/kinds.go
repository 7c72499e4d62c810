package mail

import (
	"fmt"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// The kinds of message bienal writes, each with its templates in
// templates/<kind>.tmpl and its name in the kind column of the e-mail table.
const (
	KindTaskInvitation   = "task_invitation"
	KindReceipt          = "receipt"
	KindVoteRequest      = "vote_request"
	KindRecused          = "recused"
	KindDecision         = "decision"
	KindChangesRequested = "changes_requested"
	KindCastingRequest   = "casting_request"
	KindOverdueNotice    = "overdue_notice"
	KindCycleClosed      = "cycle_closed"
	KindReportReady      = "report_ready"
	KindCallForProposals = "call_for_proposals"
	KindProposalReceipt  = "proposal_receipt"
	KindReminder         = "reminder"
	KindHandover         = "handover"
	KindRoundDecided     = "round_decided"
	KindFailureNotice    = store.FailureNoticeKind
	KindClarification    = "clarification_request"
	KindReportAccepted   = "report_accepted"
	KindExtensionRefused = "extension_refused"
	KindTaskWaived       = "task_waived"
)

// Kind is one kind of message and the one type of data its templates read.
type Kind struct {
	Name string
	// Data is a zero value of that type: Render refuses data of any other,
	// so a caller cannot feed a template fields it does not know.
	Data any
}

// Kinds lists every kind of message, each of which must be written in
// every one of Languages (a test holds them to it).
var Kinds = []Kind{
	{KindTaskInvitation, TaskData{}},     // to each focal point of the task's country
	{KindReceipt, TaskData{}},            // to each focal point of the country that submitted
	{KindVoteRequest, ReviewData{}},      // to each committee member entitled to vote
	{KindRecused, ReviewData{}},          // to each member recused from the round
	{KindDecision, ReviewData{}},         // to the proposer and the lead country's focal points
	{KindChangesRequested, ReviewData{}}, // to the lead country's focal points
	{KindCastingRequest, ReviewData{}},   // to the Chair
	{KindRoundDecided, ReviewData{}},     // to every seat's delegates
	{KindOverdueNotice, CycleData{}},     // to the secretariat
	{KindCycleClosed, CycleData{}},       // to the secretariat
	{KindReportReady, ReportData{}},      // to the report's recipients
	{KindCallForProposals, CallData{}},   // to each focal point invited
	{KindProposalReceipt, CallData{}},    // to the focal point who proposed
	{KindReminder, Digest{}},             // to whoever has open tasks or votes
	{KindHandover, HandoverData{}},       // to a new focal point or delegate, or a delegate of someone away
	{KindFailureNotice, FailureData{}},   // to the secretariat
	{KindClarification, TaskData{}},      // to each focal point of a task sent back for clarification
	{KindReportAccepted, TaskData{}},     // to each focal point of a task whose report is accepted
	{KindExtensionRefused, TaskData{}},   // to each focal point of a task whose extension request is refused
	{KindTaskWaived, TaskData{}},         // to each focal point of a task waived
}

func kindNamed(name string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// Dedup keys. A message is written once per key (the e-mail table's unique
// key), so a retried activity or a replayed workflow never mails twice; a
// key changes only where a second message is meant. The reminder's key is
// reminder.DigestKey; the failure notice's and the call invitation's are
// made by store, which writes those rows.

// InvitationKey makes one invitation per task, focal point and extension:
// an extension mails the new due date, a retry does not mail again.
func InvitationKey(task cooperation.TaskKey, email string, extensions int) string {
	return fmt.Sprintf("invitation/%s/%s/%d", task, email, extensions)
}

// TaskNoticeKey makes one notice of a kind per task, focal point and the
// secretariat's decision (a review's or an extension request's ID; 0 for a
// waiver, which happens once).
func TaskNoticeKey(kind string, task cooperation.TaskKey, email string, decision int64) string {
	return fmt.Sprintf("%s/%s/%s/%d", kind, task, email, decision)
}

// ReceiptKey makes one receipt per version of a report and focal point.
func ReceiptKey(task cooperation.TaskKey, version int, email string) string {
	return fmt.Sprintf("receipt/%s/v%d/%s", task, version, email)
}

// ReviewKey makes one message of a committee kind (vote_request, recused,
// decision, changes_requested, casting_request, round_decided) per
// activity, round and person.
func ReviewKey(kind, biennium, code string, round int, email string) string {
	return fmt.Sprintf("%s/%s/%s/%d/%s", kind, biennium, code, round, email)
}

// OverdueKey makes one overdue notice per cycle, day (YYYY-MM-DD) and
// secretariat user.
func OverdueKey(biennium, cycle, day, email string) string {
	return fmt.Sprintf("overdue/%s/%s/%s/%s", biennium, cycle, day, email)
}

// CycleClosedKey makes one closing notice per cycle and secretariat user.
func CycleClosedKey(biennium, cycle, email string) string {
	return fmt.Sprintf("cycle_closed/%s/%s/%s", biennium, cycle, email)
}

// ReportKey makes one report_ready per cycle and recipient.
func ReportKey(biennium, cycle, email string) string {
	return fmt.Sprintf("report/%s/%s/%s", biennium, cycle, email)
}

// ProposalReceiptKey makes one receipt per proposal: only its proposer gets one.
func ProposalReceiptKey(biennium, code string) string {
	return "proposal_receipt/" + biennium + "/" + code
}
