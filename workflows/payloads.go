package workflows

import (
	"time"

	"github.com/bienal/bienal/cooperation"
)

// Every workflow, signal and query carries one struct with explicit
// snake_case JSON tags: renaming a Go field never changes the wire format.
// Payloads carry IDs, not documents: texts live in Postgres.

// ActivityInput starts the workflow of one activity. The workflow reads the
// activity's status from Postgres and carries on from there: a proposed
// activity enters committee review, an approved one goes into execution.
type ActivityInput struct {
	Biennium string `json:"biennium"`
	Code     string `json:"code"`
	// Carried is set only by the workflow itself when it continues as new:
	// its state and the signals it had received but not yet handled.
	Carried *ActivityCarry `json:"carried,omitempty"`
}

// Vote decisions as signal payloads spell them: cooperation's words.
const (
	DecisionApprove        = string(cooperation.Approve)
	DecisionReject         = string(cooperation.Reject)
	DecisionRequestChanges = string(cooperation.RequestChanges)
)

// VoteSignal is the payload of signals "vote" and "casting-vote" (and of
// the updates "cast-vote" and "cast-casting-vote"). Seat is the country
// whose committee seat votes, Member the ID of the person who casts it (one
// of its delegates, or whoever one of them named while away). The released
// payload, with Member an e-mail address and no Seat, is still accepted:
// the workflow finds the seat that address may vote for.
type VoteSignal struct {
	VoteID   string `json:"vote_id"`
	Seat     string `json:"seat,omitempty"`
	Member   string `json:"member"`
	Decision string `json:"decision"`
	Comment  string `json:"comment"`
}

// ReviseSignal says a revised version of the proposal is stored in Postgres.
type ReviseSignal struct {
	RevisionID string `json:"revision_id"`
	By         string `json:"by"`
}

// WithdrawSignal withdraws a proposal before a decision.
type WithdrawSignal struct {
	By     string `json:"by"`
	Reason string `json:"reason"`
}

// CompleteSignal reports an activity in execution completed.
type CompleteSignal struct {
	By        string `json:"by"`
	Statement string `json:"statement"`
}

// CancelSignal cancels an approved activity.
type CancelSignal struct {
	By     string `json:"by"`
	Reason string `json:"reason"`
}

// SubmitSignal says a submission is stored in Postgres for a report task.
type SubmitSignal struct {
	SubmissionID int64  `json:"submission_id"`
	By           string `json:"by"`
}

// ExtendSignal moves a report task's due date.
type ExtendSignal struct {
	Until  string `json:"until"` // YYYY-MM-DD
	Reason string `json:"reason"`
	By     string `json:"by"`
}

// WaiveSignal releases a country from one report task.
type WaiveSignal struct {
	Reason string `json:"reason"`
	By     string `json:"by"`
}

// AcceptReport is the payload of update "accept-task": the secretariat
// accepts the report as it stands.
type AcceptReport struct {
	Comment string `json:"comment"`
	By      string `json:"by"`
}

// ClarifyReport is the payload of update "clarify-task": the secretariat
// sends the report back with a reason and a new due date.
type ClarifyReport struct {
	Reason string `json:"reason"`
	Due    string `json:"due"` // YYYY-MM-DD
	By     string `json:"by"`
}

// ExtensionRequest is the payload of update "request-extension": a focal
// point asks for a new due date.
type ExtensionRequest struct {
	Until  string `json:"until"` // YYYY-MM-DD
	Reason string `json:"reason"`
	By     string `json:"by"`
}

// ExtensionRefusal is the payload of update "refuse-extension": the
// secretariat refuses the pending request. Granting it is "extend-task".
type ExtensionRefusal struct {
	Reason string `json:"reason"`
	By     string `json:"by"`
}

// CloseSignal closes a reporting cycle before its closing date.
type CloseSignal struct {
	By string `json:"by"`
}

// CastVote is one vote as the state query shows it: the seat's (Seat), cast
// by Member, a person's ID. In a round of a run begun before seats, Seat is
// empty and Member is the voter's address.
type CastVote struct {
	Seat     string    `json:"seat,omitempty"`
	Member   string    `json:"member"`
	Decision string    `json:"decision"`
	Comment  string    `json:"comment"`
	At       time.Time `json:"at"`
	Casting  bool      `json:"casting"`
}

// ActivityState is the answer of query "state" on an activity workflow.
type ActivityState struct {
	Biennium string                     `json:"biennium"`
	Code     string                     `json:"code"`
	Stage    string                     `json:"stage"` // review | execution | closed
	Status   cooperation.ActivityStatus `json:"status"`
	Round    int                        `json:"round"`
	Deadline time.Time                  `json:"deadline"`
	Majority int                        `json:"majority"`
	Votes    []CastVote                 `json:"votes"`
	// Pending, Recused and Chair name seats by country (by their member's
	// address in a round of a run begun before seats).
	Pending []string `json:"pending"`
	Recused []string `json:"recused"`
	Chair   string   `json:"chair"`
	// AwaitingCasting is true while the Chair is asked for a casting vote.
	AwaitingCasting bool   `json:"awaiting_casting"`
	Decision        string `json:"decision,omitempty"`
	DecidedBy       string `json:"decided_by,omitempty"`
	Refused         int    `json:"refused"`
}

// CycleInput opens a reporting cycle whose row is already in Postgres.
type CycleInput struct {
	Biennium string `json:"biennium"`
	Name     string `json:"name"`
	// Carry is set only by the cycle itself when it continues as new.
	Carry *CycleCarry `json:"carry,omitempty"`
}

// TaskInput starts one report task whose row is written by the task itself.
type TaskInput struct {
	Biennium string `json:"biennium"`
	Cycle    string `json:"cycle"`
	Code     string `json:"code"`
	Country  string `json:"country"`
	Due      string `json:"due"`    // YYYY-MM-DD
	Closes   string `json:"closes"` // YYYY-MM-DD
}

// TaskState is the answer of query "state" on a report task.
type TaskState struct {
	Status       cooperation.TaskStatus `json:"status"`
	Due          string                 `json:"due"`
	SubmissionID int64                  `json:"submission_id,omitempty"`
	Late         bool                   `json:"late"`
	// RequestedUntil is the due date a pending extension request asks for.
	RequestedUntil string `json:"requested_until,omitempty"`
}

// OpenTask names a task still waiting for its submission.
type OpenTask struct {
	Code    string                 `json:"code"`
	Country string                 `json:"country"`
	Status  cooperation.TaskStatus `json:"status"`
	Due     string                 `json:"due"`
}

// CycleProgress is the answer of query "progress" on a reporting cycle.
type CycleProgress struct {
	Biennium string                         `json:"biennium"`
	Name     string                         `json:"name"`
	Status   string                         `json:"status"` // opening | open | closed
	Counts   map[cooperation.TaskStatus]int `json:"counts"`
	Total    int                            `json:"total"`
	Open     []OpenTask                     `json:"open"`
}
