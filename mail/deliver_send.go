package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"github.com/bienal/bienal/store"
)

// result is what one attempt came to.
type result struct {
	outcome  string // store.Attempt*
	code     int
	enhanced string
	err      error
	// broken says the connection cannot carry another message.
	broken bool
	// beforeData says the server never saw the message's content.
	beforeData bool
}

// sender hands composed messages to their destination.
type sender interface {
	send(m *gomail.Msg, e store.ClaimedEmail) result
	close()
}

// smtpSender sends a batch over one connection, opened on first use.
type smtpSender struct {
	client  *gomail.Client
	ctx     context.Context
	conn    *smtp.Client
	dialErr error
	// reused says the open connection has carried a message already.
	reused bool
}

func (s *smtpSender) send(m *gomail.Msg, _ store.ClaimedEmail) result {
	if s.conn == nil {
		// A server that refused one connection in this batch is not asked again
		// for each message: the rest of the batch waits for its retry.
		if s.dialErr == nil {
			s.conn, s.dialErr = s.client.DialToSMTPClientWithContext(s.ctx)
		}
		if s.dialErr != nil {
			return result{outcome: store.AttemptTemporary, err: fmt.Errorf("connect: %w", s.dialErr), broken: true, beforeData: true}
		}
		s.reused = false
	}
	r := classify(m, s.client.SendWithSMTPClient(s.conn, m))
	if r.broken {
		wasReused := s.reused
		s.drop()
		// The server may have closed an idle connection: that says nothing
		// about this message, which gets one try on a fresh connection.
		if wasReused && r.beforeData {
			return s.send(m, store.ClaimedEmail{})
		}
		return r
	}
	s.reused = true
	return r
}

func (s *smtpSender) drop() {
	if s.conn != nil {
		_ = s.conn.Close()
	}
	s.conn = nil
}

func (s *smtpSender) close() {
	if s.conn != nil {
		_ = s.client.CloseWithSMTPClient(s.conn)
		s.drop()
	}
}

// classify sorts go-mail's answer into the failure classes of delivery
// (FACTS.md): a message the server accepted is sent whatever happened next;
// a 5xx reply is permanent, a 4xx reply temporary; a connection lost before
// the data was complete is temporary, and lost while waiting for the reply to
// the data, unknown.
func classify(m *gomail.Msg, err error) result {
	if err == nil {
		return result{outcome: store.AttemptSent}
	}
	if m.IsDelivered() {
		// Accepted, then a later step (RSET) failed: sent, and never again.
		return result{outcome: store.AttemptSent, err: fmt.Errorf("accepted, then: %w", err), broken: true}
	}
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return result{outcome: store.AttemptTemporary, err: err, broken: true}
	}
	r := result{code: se.ErrorCode(), enhanced: se.EnhancedStatusCode(), err: err}
	switch se.Reason {
	case gomail.ErrConnCheck, gomail.ErrSMTPMailFrom, gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrGetSender, gomail.ErrGetRcpts:
		r.beforeData = true
	}
	switch {
	case r.code >= 500:
		r.outcome = store.AttemptPermanent
	case r.code >= 400:
		r.outcome = store.AttemptTemporary
	case se.Reason == gomail.ErrSMTPDataClose:
		r.outcome, r.broken = store.AttemptUnknown, true
	default:
		r.outcome, r.broken = store.AttemptTemporary, true
	}
	return r
}

// captureSender writes each message to a file instead of sending it.
type captureSender struct{ dir string }

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9_-]+`)

func (c *captureSender) send(m *gomail.Msg, e store.ClaimedEmail) result {
	if err := os.MkdirAll(c.dir, 0o750); err != nil {
		return result{outcome: store.AttemptTemporary, err: fmt.Errorf("capture directory: %w", err)}
	}
	name := filepath.Join(c.dir, fmt.Sprintf("%d-%s.eml", e.ID, unsafeName.ReplaceAllString(e.Kind, "_")))
	if err := m.WriteToFile(name); err != nil {
		return result{outcome: store.AttemptTemporary, err: fmt.Errorf("capture to %s: %w", name, err)}
	}
	return result{outcome: store.AttemptSent}
}

func (c *captureSender) close() {}

// compose builds the MIME message of a row: text with an HTML alternative,
// then the attachments.
func (d *Deliverer) compose(e store.ClaimedEmail, now time.Time) (*gomail.Msg, error) {
	m := gomail.NewMsg()
	if err := m.From(d.o.From); err != nil {
		return nil, fmt.Errorf("sender %q: %w", d.o.From, err)
	}
	if err := m.To(e.Recipient); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", e.Recipient, err)
	}
	m.Subject(e.Subject)
	m.SetMessageIDWithValue(MessageID(e.DedupKey))
	m.SetDateWithValue(now)
	m.SetGenHeader(gomail.HeaderContentLang, e.Language)
	// Tells auto-responders (out of office) not to answer.
	m.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	// The row holds placeholders where its links' tokens go; the tokens
	// minted for this send are filled in here, in the message only (and in
	// the .eml capture of `bienal dev`, which is this message).
	m.SetBodyString(gomail.TypeTextPlain, e.Fill(e.Text))
	if e.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, e.Fill(e.HTML))
	}
	for _, a := range e.Attachments {
		switch {
		case len(e.Tokens) == 0:
		case store.IsCalendar(a.ContentType):
			a.Content = fillCalendar(a.Content, e.Fill)
		case strings.HasPrefix(a.ContentType, "text/"):
			a.Content = []byte(e.Fill(string(a.Content)))
		}
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		if strings.HasPrefix(ct, "text/calendar") && !strings.Contains(ct, "method=") {
			// Calendar clients treat an event without a method as a file, not an event.
			ct += "; method=PUBLISH"
		}
		if err := m.AttachReader(a.Name, bytes.NewReader(a.Content), gomail.WithFileContentType(gomail.ContentType(ct))); err != nil {
			return nil, fmt.Errorf("attach %s: %w", a.Name, err)
		}
	}
	return m, nil
}

// attempt makes one attempt at one message and says what to record; it
// reports whether the message was given up.
func (d *Deliverer) attempt(s sender, e store.ClaimedEmail) (o store.EmailOutcome, failed bool) {
	now := d.o.Now()
	var r result
	m, err := d.compose(e, now)
	if err != nil {
		r = result{outcome: store.AttemptPermanent, err: err}
	} else {
		r = s.send(m, e)
	}
	return d.outcome(e, r, now)
}

// outcome decides the state an attempt leaves a message in.
func (d *Deliverer) outcome(e store.ClaimedEmail, r result, now time.Time) (o store.EmailOutcome, failed bool) {
	a := store.EmailAttempt{At: now, Outcome: r.outcome, SMTPCode: r.code, EnhancedStatus: r.enhanced}
	if r.err != nil {
		a.Error = r.err.Error()
	}
	o = store.EmailOutcome{ID: e.ID, Attempt: a}
	log := d.o.Logger.With("email_id", e.ID, "dedup_key", e.DedupKey, "outcome", r.outcome, "smtp_code", r.code, "error", a.Error)
	switch {
	case r.outcome == store.AttemptSent:
		log.Debug("e-mail sent", "resent_after_unknown", e.ResentAfterUnknown || e.Reclaimed)
		o.Status = store.EmailSent
		return o, false
	case r.outcome == store.AttemptUnknown && !e.ResentAfterUnknown:
		o.Status, o.NextAttemptAt, o.ResentAfterUnknown = store.EmailQueued, now.Add(backoff(e.Attempts+1)), true
		log.Warn("e-mail outcome unknown, will resend once with the same Message-ID", "next_attempt_at", o.NextAttemptAt)
		return o, false
	case r.outcome == store.AttemptTemporary && now.Sub(e.QueuedAt) < d.o.MaxAge:
		o.Status, o.NextAttemptAt = store.EmailQueued, now.Add(backoff(e.Attempts+1))
		log.Warn("e-mail delivery failed for now, will retry", "next_attempt_at", o.NextAttemptAt)
		return o, false
	}
	switch r.outcome {
	case store.AttemptUnknown:
		o.Attempt.Error += " (outcome unknown after a resend; not sent again)"
	case store.AttemptTemporary:
		o.Attempt.Error = fmt.Sprintf("given up %s after it was queued: %s", d.o.MaxAge, a.Error)
	}
	log.Error("e-mail failed", "recipient", e.Recipient)
	o.Status = store.EmailFailed
	return o, true
}

// backoff is the wait after the n-th failed attempt: 1 min, 2 min, 4 min... at most 1 h.
func backoff(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	if n > 7 {
		return maxRetry
	}
	return min(firstRetry<<(n-1), maxRetry)
}
