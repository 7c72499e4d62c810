package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/programme"
)

// ErrNoLiveLinks is returned when a revocation matches no live link.
var ErrNoLiveLinks = errors.New("nothing revoked")

// CheckLinkSubject checks that subject names something a personal link can
// open: task/<biennium>/<cycle>/<code>/<country>, activity/<biennium>/<code>
// or call/<biennium>, each part written as its own rule wants. Its error is
// a field error of the field "subject".
func CheckLinkSubject(subject string) error {
	bad := func(why string) error {
		return &cooperation.FieldError{Field: "subject", Key: cooperation.ErrChoice, Detail: fmt.Sprintf(
			"%q: %s; want task/<biennium>/<cycle>/<code>/<country>, activity/<biennium>/<code> or call/<biennium>, e.g. task/2017-2018/final/G1A1/AR",
			cooperation.Excerpt(subject, 200), why)}
	}
	kind, rest, _ := strings.Cut(subject, "/")
	parts := strings.Split(rest, "/")
	want := map[string]int{"task": 4, "activity": 2, "call": 1}[kind]
	switch {
	case want == 0:
		return bad(fmt.Sprintf("%q is not task, activity or call", kind))
	case len(parts) != want:
		return bad(fmt.Sprintf("a %s subject has %d parts after %s/", kind, want, kind))
	}
	if _, err := cooperation.ParseBiennium("biennium", parts[0]); err != nil {
		return bad(fmt.Sprintf("biennium %q is not two consecutive years", parts[0]))
	}
	code := ""
	switch kind {
	case "activity":
		code = parts[1]
	case "task":
		if !ValidCycleName(parts[1]) {
			return bad(fmt.Sprintf("cycle %q is not a cycle name", parts[1]))
		}
		code = parts[2]
		if !programme.ValidCountry(parts[3]) {
			return bad(fmt.Sprintf("country %q is not an ISO 3166 alpha-2 code in capitals", parts[3]))
		}
	}
	if kind != "call" && !programme.ValidCode(code) {
		return bad(fmt.Sprintf("activity code %q is not an activity code", code))
	}
	return nil
}

// RevokeLiveLinks is RevokeLinksBy for the secretariat
// (operations.RevokeLinks, which checks the request first): it refuses with
// ErrNoLiveLinks, writing nothing, when no link matches or every link that
// matches is already revoked, since revoking nothing is a mistaken subject
// or recipient that "0 links revoked" would hide.
func (s *Store) RevokeLiveLinks(ctx context.Context, subject, recipient, by, reason string) (int64, error) {
	whose := ""
	if recipient != "" {
		whose = " for " + recipient
	}
	var n int64
	err := s.InTx(ctx, func(tx *Store) error {
		var total, live int64
		if err := tx.db.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE revoked_at IS NULL)
			FROM link WHERE subject = $1 AND ($2 = '' OR recipient = $2)`, subject, recipient).Scan(&total, &live); err != nil {
			return fmt.Errorf("count links to %s: %w", subject, err)
		}
		switch {
		case total == 0:
			return fmt.Errorf("no link to %s%s was ever sent: %w (check the subject and the recipient)", subject, whose, ErrNoLiveLinks)
		case live == 0:
			return fmt.Errorf("the %d links to %s%s are already revoked: %w", total, subject, whose, ErrNoLiveLinks)
		}
		var err error
		if n, err = tx.RevokeLinksBy(ctx, subject, recipient, by, reason); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("the links to %s%s were revoked meanwhile: %w", subject, whose, ErrNoLiveLinks)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
