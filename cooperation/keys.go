package cooperation

import (
	"fmt"
	"strings"
)

// The keys of the programme's subjects. Each names its subject in one
// format, which is at once its workflow's ID, the subject of its personal
// links and of its audit lines: a released contract (README, "Workflow
// IDs"), never changed.

// ActivityID is activity/<biennium>/<code>.
func ActivityID(biennium, code string) string { return "activity/" + biennium + "/" + code }

// CycleID is cycle/<biennium>/<name>.
func CycleID(biennium, name string) string { return "cycle/" + biennium + "/" + name }

// TaskID is task/<biennium>/<cycle>/<activity code>/<country>.
func TaskID(biennium, cycle, code, country string) string {
	return "task/" + biennium + "/" + cycle + "/" + code + "/" + country
}

// CallID is call/<biennium>: the subject of a call for proposals' links.
func CallID(biennium string) string { return "call/" + biennium }

// TaskKey names one report task: one country's report on one activity in
// one cycle.
type TaskKey struct {
	Biennium string `json:"biennium"`
	Cycle    string `json:"cycle"`
	Code     string `json:"code"`
	Country  string `json:"country"`
}

// String is the task as commands write it: <biennium>/<cycle>/<code>/<country>.
func (k TaskKey) String() string {
	return k.Biennium + "/" + k.Cycle + "/" + k.Code + "/" + k.Country
}

// ID is the task's workflow ID and subject.
func (k TaskKey) ID() string { return TaskID(k.Biennium, k.Cycle, k.Code, k.Country) }

// ParseTaskKey reads a task name as commands write it.
func ParseTaskKey(s string) (TaskKey, error) {
	p := strings.Split(s, "/")
	if len(p) != 4 || p[0] == "" || p[1] == "" || p[2] == "" || p[3] == "" {
		return TaskKey{}, fmt.Errorf("task %q: want <biennium>/<cycle>/<activity code>/<country>", s)
	}
	return TaskKey{Biennium: p[0], Cycle: p[1], Code: p[2], Country: p[3]}, nil
}

// Target is one (activity, country) pair a cycle owes a task.
type Target struct {
	Code    string `json:"code" db:"code"`
	Country string `json:"country" db:"country"`
	// Status and Due are the task's, when the cycle has one for the pair
	// already: a cycle whose workflow starts again takes them up.
	Status TaskStatus `json:"status,omitempty" db:"status"`
	Due    string     `json:"due,omitempty" db:"due"`
}

// Subject is something whose workflow Postgres says should be running: an
// activity not yet closed, an open cycle, or a task of an open cycle that
// may still take a report.
type Subject struct {
	Kind     string `db:"kind"` // activity, cycle or task
	Biennium string `db:"biennium"`
	Cycle    string `db:"cycle"`
	Code     string `db:"code"`
	Country  string `db:"country"`
}

// ID is the subject's workflow ID.
func (s Subject) ID() string {
	switch s.Kind {
	case "cycle":
		return CycleID(s.Biennium, s.Cycle)
	case "task":
		return TaskID(s.Biennium, s.Cycle, s.Code, s.Country)
	}
	return ActivityID(s.Biennium, s.Code)
}
