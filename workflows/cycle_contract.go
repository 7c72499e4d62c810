package workflows

import (
	"time"

	"github.com/bienal/bienal/cooperation"
)

// SignalTaskStatus is sent by a report task to its cycle (by workflow ID, so
// it reaches the cycle's current run) each time the task's status changes.
const SignalTaskStatus = "task-status"

// TaskStatusSignal is the payload of signal "task-status".
type TaskStatusSignal struct {
	Code    string                 `json:"code"`
	Country string                 `json:"country"`
	Status  cooperation.TaskStatus `json:"status"`
	Due     string                 `json:"due"`
	Late    bool                   `json:"late"`
}

// CycleTask is what a cycle remembers of one of its tasks.
type CycleTask struct {
	Status cooperation.TaskStatus `json:"status"`
	Due    string                 `json:"due"`
}

// CycleCarry is the state a reporting cycle hands to its next run when it
// continues as new: where it is in starting its tasks, and what it knows of
// each. BatchSize may also be set by whoever starts the cycle.
type CycleCarry struct {
	BatchSize    int                  `json:"batch_size,omitempty"`
	AfterCode    string               `json:"after_code,omitempty"`
	AfterCountry string               `json:"after_country,omitempty"`
	AllStarted   bool                 `json:"all_started"`
	Tasks        map[string]CycleTask `json:"tasks"`
	// NoticeAt is when the next notice of late tasks is due; zero while none is.
	NoticeAt time.Time `json:"notice_at"`
	Runs     int       `json:"runs"`
}

// DefaultCycleBatchSize is how many tasks a cycle starts per run: well below
// Temporal's 2,000 pending children per workflow.
const DefaultCycleBatchSize = 500
