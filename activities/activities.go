// Package activities holds the side effects workflows ask for: reading and
// writing Postgres through store, composing e-mails. Every method is
// idempotent, because Temporal retries an activity whose outcome it did not
// see: a retry never doubles a row, an audit line or an e-mail.
package activities

import (
	"log/slog"
	"time"

	"github.com/bienal/bienal/store"
)

// Error types that retrying cannot fix.
const (
	ErrTypeNotFound = "NotFound"
	ErrTypeInvalid  = "Invalid"
)

// Activities holds what the side effects need. Workflows call its methods
// through a nil pointer (var a *Activities) so the SDK knows their names.
type Activities struct {
	Store *store.Store
	// BaseURL starts every link put in an e-mail (BASE_URL).
	BaseURL string
	// Now is the clock, replaceable in tests.
	Now    func() time.Time
	Logger *slog.Logger
}

func (a *Activities) now() time.Time {
	if a.Now == nil {
		return time.Now()
	}
	return a.Now()
}
