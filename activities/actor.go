package activities

import (
	"context"
	"errors"

	"github.com/bienal/bienal/store"
)

// actorOf is who a row and an audit line name for by, the actor a workflow
// payload carried: the address of the person whose ID it is, so that
// history stays attributed to whoever acted at the time even after they
// leave the directory's role. Anything that is no known ID (an address a
// client of the released payloads sent, "system", "secretariat") is kept as
// given.
func actorOf(ctx context.Context, s *store.Store, by string) (string, error) {
	email, err := s.ActorEmail(ctx, by)
	if errors.Is(err, store.ErrNotFound) {
		return by, nil
	}
	return email, err
}
