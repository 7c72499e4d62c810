package cooperation

// How a committee review round ends: its outcome (a Decision, or the
// proposal withdrawn) and what decided it, as review_round CHECKs them and
// the vote pages and e-mails name them.
const (
	OutcomeWithdrawn = "withdrawn"

	DecidedByMajority        = "majority"
	DecidedByChair           = "chair"
	DecidedByRoundsExhausted = "rounds_exhausted"
	DecidedByWithdrawal      = "withdrawal"
)

// RoundOutcomes lists every outcome a round can have.
var RoundOutcomes = []string{string(Approve), string(Reject), string(RequestChanges), OutcomeWithdrawn}

// DecidedBy lists everything that can decide a round.
var DecidedBy = []string{DecidedByMajority, DecidedByChair, DecidedByRoundsExhausted, DecidedByWithdrawal}
