package activities

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"

	"github.com/bienal/bienal/store"
)

// Outcome is the error an activity hands to Temporal. The SDK reads only
// the outermost error's type, so an ApplicationError wrapped by fmt.Errorf
// would lose its NonRetryable flag and be retried forever; Outcome keeps
// it, and turns what no retry can fix into a non-retryable error: a row
// that is not there, a state that refuses the change, a value Postgres
// refuses (bad encoding, too long, a CHECK or a foreign key).
func Outcome(err error) error {
	if err == nil {
		return nil
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		if error(appErr) == err { //nolint:errorlint // identity on purpose: is the outermost error itself the ApplicationError?
			return err
		}
		return temporal.NewApplicationErrorWithOptions(err.Error(), appErr.Type(),
			temporal.ApplicationErrorOptions{NonRetryable: appErr.NonRetryable(), Cause: appErr})
	}
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.Is(err, store.ErrNotFound):
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeNotFound, err)
	case errors.Is(err, store.ErrInvalid), errors.Is(err, store.ErrWrongStatus), errors.Is(err, store.ErrTaskClosed):
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeInvalid, err)
	case refusedByPostgres(err):
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeInvalid, err)
	}
	return err
}

// refusedByPostgres tells a value Postgres will refuse however often it is
// sent (class 22: data exceptions such as a NUL byte or a string too long;
// 23502/23503/23514: NOT NULL, foreign key, CHECK) from a failure that a
// retry may cure (a lost connection, a serialisation conflict, a unique key
// raced by a concurrent attempt of the same activity).
func refusedByPostgres(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	switch {
	case len(pgErr.Code) == 5 && pgErr.Code[:2] == "22":
		return true
	case pgErr.Code == "23502", pgErr.Code == "23503", pgErr.Code == "23514":
		return true
	}
	return false
}

// Interceptor applies Outcome to every activity a worker runs, local ones
// included, so no activity needs to remember it.
func Interceptor() interceptor.WorkerInterceptor { return &outcomeInterceptor{} }

type outcomeInterceptor struct {
	interceptor.WorkerInterceptorBase
}

func (*outcomeInterceptor) InterceptActivity(_ context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	i := &outcomeInbound{}
	i.Next = next
	return i
}

type outcomeInbound struct {
	interceptor.ActivityInboundInterceptorBase
}

func (i *outcomeInbound) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	res, err := i.Next.ExecuteActivity(ctx, in)
	return res, Outcome(err)
}
