package reminder

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jonboulle/clockwork"
)

// DefaultSchedule sweeps at the top of every hour (REMINDER_SCHEDULE).
const DefaultSchedule = "0 * * * *"

// ScheduleOptions assemble the sweep job.
type ScheduleOptions struct {
	Sweeper *Sweeper
	// Cron is a five-field cron expression read in UTC; DefaultSchedule if empty.
	Cron string
	// Clock drives the scheduler; the real clock if nil.
	Clock clockwork.Clock
	// Pool backs the leader election among replicas; without it (and
	// without Elector) every replica sweeps, which the unique keys allow.
	Pool *pgxpool.Pool
	// Elector replaces the one built on Pool.
	Elector gocron.Elector
	Logger  *slog.Logger
	// AfterSweep, if set, is told the outcome of every sweep this replica ran.
	AfterSweep func(Result, error)
	// Jobs are more nudges to run on the leading replica, each at its own
	// interval.
	Jobs []Job
}

// Job is a nudge the scheduler runs every Every, such as telling workflows
// of what Postgres holds and they have not recorded.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(context.Context)
}

// Schedule starts a scheduler that runs the sweep on the cron schedule. Only
// the replica holding the Postgres advisory lock sweeps; correctness never
// depends on it, since Postgres unique keys make a second sweep harmless.
// Shutting the scheduler down also gives up the leadership.
func Schedule(ctx context.Context, o ScheduleOptions) (gocron.Scheduler, error) {
	if o.Sweeper == nil {
		return nil, errors.New("reminder schedule: no sweeper")
	}
	if o.Cron == "" {
		o.Cron = DefaultSchedule
	}
	if o.Clock == nil {
		o.Clock = clockwork.NewRealClock()
	}
	logger := o.Logger
	if logger == nil {
		logger = slog.Default()
	}
	var elector *Elector
	if o.Elector == nil && o.Pool != nil {
		elector = NewElector(o.Pool, logger)
		o.Elector = elector
	}
	opts := []gocron.SchedulerOption{gocron.WithClock(o.Clock), gocron.WithLocation(time.UTC)}
	if o.Elector != nil {
		opts = append(opts, gocron.WithDistributedElector(o.Elector))
	}
	sched, err := gocron.NewScheduler(opts...)
	if err != nil {
		return nil, fmt.Errorf("reminder schedule: %w", err)
	}
	sweep := func(jobCtx context.Context) {
		now := o.Clock.Now()
		res, err := o.Sweeper.Sweep(jobCtx, now)
		if err != nil {
			logger.Error("reminder sweep failed", "at", now, "err", err)
		} else {
			logger.Info("reminder sweep done", "at", now, "digests", res.Digests, "items", res.Items,
				"skipped_hours", res.SkippedHours, "already_sent", res.AlreadySent)
		}
		if o.AfterSweep != nil {
			o.AfterSweep(res, err)
		}
	}
	_, err = sched.NewJob(gocron.CronJob(o.Cron, false), gocron.NewTask(sweep),
		gocron.WithName("reminder-sweep"), gocron.WithContext(ctx))
	if err != nil {
		_ = sched.Shutdown()
		return nil, fmt.Errorf("REMINDER_SCHEDULE %q: %w", o.Cron, err)
	}
	for _, j := range o.Jobs {
		if _, err := sched.NewJob(gocron.DurationJob(j.Every), gocron.NewTask(j.Run), gocron.WithName(j.Name),
			gocron.WithContext(ctx), gocron.WithSingletonMode(gocron.LimitModeReschedule)); err != nil {
			_ = sched.Shutdown()
			return nil, fmt.Errorf("schedule %s: %w", j.Name, err)
		}
	}
	sched.Start()
	return &scheduler{Scheduler: sched, elector: elector}, nil
}

// scheduler gives up the leadership when it shuts down, so another replica
// takes over at its next sweep rather than when the connection times out.
type scheduler struct {
	gocron.Scheduler
	elector *Elector
}

func (s *scheduler) Shutdown() error {
	err := s.Scheduler.Shutdown()
	if s.elector != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.elector.Close(ctx)
	}
	return err
}
