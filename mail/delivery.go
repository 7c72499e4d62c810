package mail

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/bienal/bienal/store"
)

// DeliveryOptions configure a Deliverer. Store and one of SMTPURL or
// CaptureDir are required; the rest have defaults.
type DeliveryOptions struct {
	Store *store.Store
	// SMTPURL is smtp://[user:pass@]host[:port] (STARTTLS when the server
	// offers it) or smtps://... (TLS from the start), from SMTP_URL.
	SMTPURL string
	// From is the sender address (MAIL_FROM).
	From string
	// CaptureDir, used when SMTPURL is empty, receives every message as
	// <id>-<kind>.eml instead of sending it; the message counts as sent.
	CaptureDir string
	// TLSConfig overrides the TLS settings, for a private CA.
	TLSConfig *tls.Config
	Now       func() time.Time
	Logger    *slog.Logger
	// MaxAge is how long temporary failures are retried after a message is
	// queued before it is given up (48 hours).
	MaxAge time.Duration
	// BatchSize is how many messages one connection carries (50).
	BatchSize int
	// PollInterval is how often Run looks for due messages when nothing wakes it (5 s).
	PollInterval time.Duration
	// Lease is how long a claimed message stays with one worker (5 min).
	Lease time.Duration
	// Timeout bounds every exchange with the SMTP server (30 s).
	Timeout time.Duration
}

// Deliverer sends the rows of the e-mail table. Any number of Deliverers,
// in one process or many, may run over the same database: each message is
// claimed by one of them at a time.
type Deliverer struct {
	o      DeliveryOptions
	client *gomail.Client // nil in capture mode
	wake   chan struct{}

	mu          sync.Mutex // one DeliverOnce at a time per Deliverer
	noticeCheck time.Time
}

// Backoff limits between attempts after a temporary failure.
const (
	firstRetry = time.Minute
	maxRetry   = time.Hour
)

// NewDeliverer checks the options and prepares the SMTP client.
func NewDeliverer(o DeliveryOptions) (*Deliverer, error) {
	if o.Store == nil {
		return nil, errors.New("mail delivery: no store")
	}
	if o.SMTPURL == "" && o.CaptureDir == "" {
		return nil, errors.New("mail delivery: set SMTP_URL, or a capture directory to write messages to")
	}
	if o.From == "" {
		return nil, errors.New("mail delivery: MAIL_FROM is empty")
	}
	if err := gomail.NewMsg().From(o.From); err != nil {
		return nil, fmt.Errorf("mail delivery: MAIL_FROM %q: %w", o.From, err)
	}
	setDefaults(&o)
	d := &Deliverer{o: o, wake: make(chan struct{}, 1)}
	if o.SMTPURL != "" {
		c, err := newSMTPClient(o.SMTPURL, o.Timeout, o.TLSConfig)
		if err != nil {
			return nil, err
		}
		d.client = c
	}
	return d, nil
}

func setDefaults(o *DeliveryOptions) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxAge <= 0 {
		o.MaxAge = 48 * time.Hour
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 50
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 5 * time.Second
	}
	if o.Lease <= 0 {
		o.Lease = 5 * time.Minute
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
}

// newSMTPClient reads SMTP_URL into a go-mail client.
func newSMTPClient(raw string, timeout time.Duration, tc *tls.Config) (*gomail.Client, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("SMTP_URL: %w", err)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("SMTP_URL %q: no host", u.Redacted())
	}
	opts := []gomail.Option{gomail.WithTimeout(timeout), gomail.WithoutNoop()}
	port := 587
	switch u.Scheme {
	case "smtp":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("SMTP_URL %q: scheme must be smtp or smtps", u.Redacted())
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("SMTP_URL %q: bad port %q", u.Redacted(), p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	if tc == nil {
		tc = &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
	}
	opts = append(opts, gomail.WithTLSConfig(tc))
	c, err := gomail.NewClient(u.Hostname(), opts...)
	if err != nil {
		return nil, fmt.Errorf("SMTP_URL %q: %w", u.Redacted(), err)
	}
	return c, nil
}

// MessageID is the Message-ID (without angle brackets) of the message with
// this dedup key: the same key always gives the same ID, so a resend is
// recognisable as the same message by the receiving side.
func MessageID(dedupKey string) string {
	sum := sha256.Sum256([]byte(dedupKey))
	return hex.EncodeToString(sum[:16]) + "@bienal"
}

// Wake makes Run look for due messages now instead of at the next poll.
func (d *Deliverer) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers due messages until ctx ends. It listens for new rows when the
// store is over a pool, and polls as well, so that a lost notification only
// delays a message.
func (d *Deliverer) Run(ctx context.Context) error {
	go func() {
		err := d.o.Store.ListenEmails(ctx, d.Wake, func(err error) {
			d.o.Logger.Warn("e-mail notifications lost, reconnecting", "error", err)
		})
		if err != nil {
			d.o.Logger.Info("e-mail notifications unavailable, polling only", "error", err)
		}
	}()
	ticker := time.NewTicker(d.o.PollInterval)
	defer ticker.Stop()
	for {
		n, err := d.DeliverOnce(ctx)
		if err != nil && ctx.Err() == nil {
			d.o.Logger.Error("deliver e-mails", "error", err)
		}
		if err == nil && n == d.o.BatchSize {
			continue // a full batch: more may be waiting
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		case <-d.wake:
		}
	}
}

// maxUnrecorded bounds the attempts held in memory before they are recorded:
// should the worker die, these are the messages sent again (flagged) after
// their lease runs out.
const maxUnrecorded = 50

// DeliverOnce claims one batch of due messages and attempts each once,
// over one SMTP connection. The outcomes are recorded together, in one
// statement per maxUnrecorded messages (or per quarter of the lease, so that
// no accepted message waits unrecorded until another worker may reclaim it).
// It returns how many messages it attempted.
func (d *Deliverer) DeliverOnce(ctx context.Context) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.o.Now()
	batch, err := d.o.Store.ClaimEmails(ctx, now, d.o.BatchSize, d.o.Lease)
	if err != nil {
		return 0, err
	}
	failed := false
	if len(batch) > 0 {
		if failed, err = d.deliverBatch(ctx, batch, now); err != nil {
			return len(batch), err
		}
	}
	if err := d.noticeFailures(ctx, now, failed); err != nil {
		return len(batch), err
	}
	return len(batch), nil
}

// deliverBatch sends the claimed messages and records their outcomes; it
// reports whether a message was given up.
func (d *Deliverer) deliverBatch(ctx context.Context, batch []store.ClaimedEmail, claimedAt time.Time) (failed bool, err error) {
	var s sender = &captureSender{dir: d.o.CaptureDir}
	if d.client != nil {
		s = &smtpSender{client: d.client, ctx: ctx}
	}
	defer s.close()
	pending := make([]store.EmailOutcome, 0, min(len(batch), maxUnrecorded))
	recordedAt := claimedAt
	for i, e := range batch {
		if ctx.Err() != nil || d.o.Now().Sub(claimedAt) >= d.o.Lease/2 {
			// Stopping, or half the lease gone (a slow server): the rest go
			// back to the queue now, before another worker may reclaim them.
			if err := d.release(ctx, batch[i:], claimedAt.Add(d.o.Lease)); err != nil {
				d.o.Logger.Warn("e-mails not released; they return when their lease ends", "error", err)
			}
			break
		}
		o, f := d.attempt(s, e)
		pending = append(pending, o)
		failed = failed || f
		if len(pending) >= maxUnrecorded || d.o.Now().Sub(recordedAt) >= d.o.Lease/4 {
			if err := d.recordOutcomes(ctx, pending); err != nil {
				return failed, err
			}
			pending, recordedAt = pending[:0], d.o.Now()
		}
	}
	return failed, d.recordOutcomes(ctx, pending)
}

// release hands never-attempted messages back to the queue, also while the
// worker stops.
func (d *Deliverer) release(ctx context.Context, rest []store.ClaimedEmail, leaseEnd time.Time) error {
	ids := make([]int64, len(rest))
	for i, e := range rest {
		ids[i] = e.ID
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.o.Timeout)
	defer cancel()
	return d.o.Store.ReleaseEmails(rctx, ids, leaseEnd)
}

// recordOutcomes writes what the attempts came to. It outlives a cancelled
// ctx for a moment: a message the server accepted while the worker was
// stopping is then recorded as sent rather than resent after its lease.
func (d *Deliverer) recordOutcomes(ctx context.Context, outcomes []store.EmailOutcome) error {
	if len(outcomes) == 0 {
		return nil
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.o.Timeout)
	defer cancel()
	// A connection lost under the write (Postgres restarted, the connection
	// cut) is tried again on a fresh one: otherwise the messages, sent,
	// would wait out their lease as "sending" and go out a second time.
	// Recording is idempotent: only rows still sending are written.
	var err error
	for wait := 100 * time.Millisecond; ; wait *= 2 {
		if err = d.o.Store.RecordEmailAttempts(rctx, outcomes); err == nil {
			return nil
		}
		select {
		case <-rctx.Done():
			return err
		case <-time.After(wait):
		}
		d.o.Logger.Warn("e-mail outcomes not recorded yet, trying again", "messages", len(outcomes), "error", err)
	}
}
