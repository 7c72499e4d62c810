package activities

import (
	"context"

	"github.com/bienal/bienal/cooperation"
)

// RefusalInput is a signal a report task or a cycle did not act on, and why.
type RefusalInput struct {
	Subject string `json:"subject"` // the workflow ID, which names the subject in the audit log
	// Key makes the audit line's dedup key, so a retry writes one line.
	Key    string `json:"key"`
	Signal string `json:"signal"`
	Actor  string `json:"actor"`
	Reason string `json:"reason"`
	Detail string `json:"detail,omitempty"`
}

// RecordRefusal writes the audit line of a refused signal. What the signal
// carried is quoted through cooperation.Excerpt, so a payload that was
// refused for its bytes cannot make the audit line fail too.
func (a *Activities) RecordRefusal(ctx context.Context, in RefusalInput) error {
	actor, err := actorOf(ctx, a.Store, cooperation.Excerpt(in.Actor, cooperation.MaxEmail))
	if err != nil {
		return err
	}
	if actor == "" {
		actor = "unknown"
	}
	return a.Store.Audit(ctx, "refused/"+in.Key, actor, in.Subject, "signal_refused", map[string]any{
		"signal": in.Signal, "reason": in.Reason, "detail": cooperation.Excerpt(in.Detail, maxDetail)})
}

// maxDetail bounds what an audit line quotes of a refused payload.
const maxDetail = 500
