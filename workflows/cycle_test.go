package workflows_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
	"github.com/bienal/bienal/workflows"
)

const cycleSeed = `
	INSERT INTO programme (biennium, title) VALUES ('2017-2018', 'Programme');
	INSERT INTO goal VALUES ('2017-2018', 1, 'Goal');
	INSERT INTO line_of_action VALUES ('2017-2018', 1, 'Line');
	INSERT INTO country VALUES ('CL', 'Chile'), ('AR', 'Argentina'), ('MX', 'Mexico');
	INSERT INTO person (email, name, language, country) VALUES
		('ana@cl.example', 'Ana', 'es', 'CL'), ('diego@cl.example', 'Diego', 'fr', 'CL'),
		('bob@ar.example', 'Bob', 'en', 'AR'), ('carla@mx.example', 'Carla', 'pt', 'MX'),
		('sec@eclac.example', 'Secretariat', 'en', NULL);
	INSERT INTO secretariat_user (email) VALUES ('sec@eclac.example');
	INSERT INTO focal_point VALUES ('2017-2018', 'CL', 'ana@cl.example'), ('2017-2018', 'CL', 'diego@cl.example'),
		('2017-2018', 'AR', 'bob@ar.example'), ('2017-2018', 'MX', 'carla@mx.example');
	INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status) VALUES
		('2017-2018', 'A1', 1, 1, 'CL', 'Broadband for schools', 'in_execution'),
		('2017-2018', 'A2', 1, 1, 'MX', 'Open data', 'in_execution'),
		('2017-2018', 'A3', 1, 1, 'MX', 'Still proposed', 'proposed');
	INSERT INTO activity_country VALUES ('2017-2018', 'A1', 'CL', 'lead'), ('2017-2018', 'A1', 'AR', 'participant');`

// cycleHarness runs a cycle in the SDK's time-skipping test environment
// against real activities and a real database. The activity
// "StoreCycleReports" is a stub here that records its calls: the worker
// registers the real one.
type cycleHarness struct {
	testsuite.WorkflowTestSuite
	t       *testing.T
	s       *store.Store
	pool    *pgxpool.Pool
	env     *testsuite.TestWorkflowEnvironment
	reports atomic.Int32
	runs    atomic.Int32
}

var (
	cycleStart = time.Date(2018, 6, 1, 9, 0, 0, 0, time.UTC)
	dueEnd     = time.Date(2018, 7, 1, 0, 0, 0, 0, time.UTC)
	closesEnd  = time.Date(2018, 8, 1, 0, 0, 0, 0, time.UTC)
)

func newCycleHarness(t *testing.T, seed string) *cycleHarness {
	h := &cycleHarness{t: t}
	h.s, h.pool = storetest.New(t)
	_, err := h.pool.Exec(context.Background(), seed)
	require.NoError(t, err)
	_, err = h.s.OpenCycle(context.Background(), "2017-2018", "final", "Final report", day("2018-06-30"), day("2018-07-31"))
	require.NoError(t, err)
	h.env = h.NewTestWorkflowEnvironment()
	h.env.SetStartTime(cycleStart)
	h.env.SetTestTimeout(2 * time.Minute)
	h.env.SetWorkerOptions(worker.Options{Interceptors: []interceptor.WorkerInterceptor{activities.Interceptor()}})
	h.env.RegisterWorkflowWithOptions(workflows.ReportingCycle, workflow.RegisterOptions{Name: workflows.CycleWorkflowName})
	if !strings.Contains(t.Name(), "Batches") {
		h.env.RegisterWorkflowWithOptions(workflows.ReportTask, workflow.RegisterOptions{Name: workflows.TaskWorkflowName})
	}
	acts := &activities.Activities{Store: h.s, BaseURL: "https://bienal.example", Now: h.env.Now}
	h.env.RegisterActivityWithOptions(func(ctx context.Context, ref activities.CycleRef) (activities.CycleInfo, error) {
		h.runs.Add(1) // every run of the cycle loads it once
		return acts.LoadCycle(ctx, ref)
	}, activity.RegisterOptions{Name: "LoadCycle"})
	for _, fn := range []any{acts.CycleTargets, acts.CloseCycle, acts.SendOverdueNotice, acts.SendCycleClosed,
		acts.OpenTask, acts.TaskSubmitted, acts.ExtendTask, acts.WaiveTask, acts.MarkTaskOverdue, acts.MarkTaskMissing,
		acts.AcceptTask, acts.ClarifyTask, acts.RequestExtension, acts.RefuseExtension, acts.RecordRefusal} {
		h.env.RegisterActivity(fn)
	}
	h.env.RegisterActivityWithOptions(func(ctx context.Context, ref activities.CycleRef) error {
		require.Equal(t, activities.CycleRef{Biennium: "2017-2018", Name: "final"}, ref)
		h.reports.Add(1)
		return nil
	}, activity.RegisterOptions{Name: workflows.StoreCycleReportsActivity})
	return h
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func taskKey(code, country string) cooperation.TaskKey {
	return cooperation.TaskKey{Biennium: "2017-2018", Cycle: "final", Code: code, Country: country}
}

// at runs fn when the test clock reaches the instant.
func (h *cycleHarness) at(instant time.Time, fn func()) {
	h.env.RegisterDelayedCallback(fn, instant.Sub(cycleStart))
}

// submit stores a submission as the portal does and signals the task.
func (h *cycleHarness) submit(code, country, status string) {
	sub, err := h.s.CreateSubmission(context.Background(), store.NewSubmission{Task: taskKey(code, country),
		Status: status, Progress: "progress of " + code, SubmittedBy: "fp@" + country, At: h.env.Now()}, activities.ComposeReceipt)
	require.NoError(h.t, err)
	err = h.env.SignalWorkflowByID(workflows.TaskID("2017-2018", "final", code, country), workflows.SignalSubmit,
		workflows.SubmitSignal{SubmissionID: sub.ID, By: "fp@" + country})
	require.NoError(h.t, err)
}

func (h *cycleHarness) signalTask(code, country, name string, payload any) {
	require.NoError(h.t, h.env.SignalWorkflowByID(workflows.TaskID("2017-2018", "final", code, country), name, payload))
}

func (h *cycleHarness) run() {
	h.env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: workflows.CycleID("2017-2018", "final")})
	h.env.ExecuteWorkflow(workflows.CycleWorkflowName, workflows.CycleInput{Biennium: "2017-2018", Name: "final"})
	require.True(h.t, h.env.IsWorkflowCompleted())
	require.NoError(h.t, h.env.GetWorkflowError())
}

func (h *cycleHarness) progress() workflows.CycleProgress {
	v, err := h.env.QueryWorkflow(workflows.QueryProgress)
	require.NoError(h.t, err)
	var p workflows.CycleProgress
	require.NoError(h.t, v.Get(&p))
	return p
}

func (h *cycleHarness) taskStatuses() map[string]cooperation.TaskStatus {
	ts, err := h.s.ListTasks(context.Background(), "2017-2018", "final", store.TaskFilter{})
	require.NoError(h.t, err)
	m := map[string]cooperation.TaskStatus{}
	for _, tk := range ts {
		m[tk.Code+"/"+tk.Country] = tk.Status
	}
	return m
}

// emails returns "kind recipient" of every e-mail row, in order.
func (h *cycleHarness) emails() []string {
	rows, err := h.pool.Query(context.Background(), `SELECT kind || ' ' || recipient FROM email ORDER BY kind, recipient, id`)
	require.NoError(h.t, err)
	var out []string
	for rows.Next() {
		var s string
		require.NoError(h.t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(h.t, rows.Err())
	return out
}

func (h *cycleHarness) cycleStatus() string {
	c, err := h.s.GetCycle(context.Background(), "2017-2018", "final")
	require.NoError(h.t, err)
	return string(c.Status)
}

func count(list []string, prefix string) int {
	n := 0
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			n++
		}
	}
	return n
}

// A cycle whose reports are all in waits for the secretariat's review (it
// may still send one back), and closes itself once every one is accepted.
func TestCycleAllAcceptedOnTimeClosesItself(t *testing.T) {
	h := newCycleHarness(t, cycleSeed)
	var mid, submitted workflows.CycleProgress
	h.at(cycleStart.Add(time.Hour), func() { mid = h.progress() })
	h.at(cycleStart.Add(10*24*time.Hour), func() {
		h.submit("A1", "CL", "on_track")
		h.submit("A1", "AR", "delayed")
		h.submit("A2", "MX", "completed")
	})
	h.at(cycleStart.Add(11*24*time.Hour), func() { submitted = h.progress() })
	sec := "sec@eclac.example"
	var accepts []*taskUpdate
	for _, tk := range [][2]string{{"A1", "CL"}, {"A1", "AR"}, {"A2", "MX"}} {
		accepts = append(accepts, h.updateTask(cycleStart.Add(12*24*time.Hour), tk[0], tk[1], workflows.UpdateAccept,
			"accept-"+tk[1], workflows.AcceptReport{By: sec}))
	}
	h.run()

	require.EqualValues(t, "open", submitted.Status, "every report submitted, none reviewed: the cycle waits")
	require.Equal(t, 3, submitted.Counts[cooperation.TaskSubmitted])
	for _, u := range accepts {
		require.NoError(t, u.err)
		require.Equal(t, cooperation.TaskAccepted, u.state.Status)
	}

	require.Equal(t, 3, mid.Total)
	require.Equal(t, 3, mid.Counts[cooperation.TaskOpen])
	require.Len(t, mid.Open, 3)
	require.Equal(t, workflows.OpenTask{Code: "A1", Country: "AR", Status: "open", Due: "2018-06-30"}, mid.Open[0])
	require.True(t, h.env.Now().Before(dueEnd), "closed as soon as every task was in, at %s", h.env.Now())
	p := h.progress()
	require.EqualValues(t, "closed", p.Status)
	require.Equal(t, 3, p.Counts[cooperation.TaskAccepted])
	require.Empty(t, p.Open)
	require.Equal(t, "closed", h.cycleStatus())
	require.Equal(t, map[string]cooperation.TaskStatus{"A1/AR": "accepted", "A1/CL": "accepted", "A2/MX": "accepted"}, h.taskStatuses())
	require.Equal(t, []string{
		"cycle_closed sec@eclac.example",
		"receipt ana@cl.example", "receipt bob@ar.example", "receipt carla@mx.example", "receipt diego@cl.example",
		"report_accepted ana@cl.example", "report_accepted bob@ar.example", "report_accepted carla@mx.example", "report_accepted diego@cl.example",
		"task_invitation ana@cl.example", "task_invitation bob@ar.example", "task_invitation carla@mx.example", "task_invitation diego@cl.example",
	}, h.emails())
	require.EqualValues(t, 1, h.reports.Load())
	var subject, text, ics string
	require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT subject, body_text, convert_from(decode(attachments->0->>'content', 'base64'), 'UTF8')
		FROM email WHERE kind = 'task_invitation' AND recipient = 'ana@cl.example'`).Scan(&subject, &text, &ics))
	require.Equal(t, "Informe solicitado: Broadband for schools (Final report)", subject)
	require.Contains(t, text, "30 de junio de 2018")
	require.Contains(t, text, "https://bienal.example/tasks/")
	require.Contains(t, ics, "UID:task/2017-2018/final/A1/CL@bienal")
	require.Contains(t, ics, "SEQUENCE:0")
	for _, k := range []cooperation.TaskKey{taskKey("A1", "CL"), taskKey("A1", "AR")} {
		subs, err := h.s.ListSubmissions(context.Background(), k)
		require.NoError(t, err)
		require.Len(t, subs, 1)
		require.False(t, subs[0].Late)
	}
}

func TestCycleLateExtendedAndWaived(t *testing.T) {
	h := newCycleHarness(t, cycleSeed)
	// A1/CL gets until 15 July before its due date passes; A2/MX is waived;
	// A1/AR submits two days late.
	h.at(cycleStart.Add(20*24*time.Hour), func() {
		h.signalTask("A1", "CL", workflows.SignalExtend, workflows.ExtendSignal{Until: "2018-07-15", Reason: "elections", By: "sec@eclac.example"})
		h.signalTask("A2", "MX", workflows.SignalWaive, workflows.WaiveSignal{Reason: "activity suspended", By: "sec@eclac.example"})
	})
	var afterDue workflows.CycleProgress
	h.at(dueEnd.Add(2*time.Hour), func() { afterDue = h.progress() })
	h.at(dueEnd.Add(36*time.Hour), func() { h.submit("A1", "AR", "delayed") })
	h.at(day("2018-07-10"), func() { h.submit("A1", "CL", "completed") })
	h.run()

	require.Equal(t, 1, afterDue.Counts[cooperation.TaskOverdue])
	require.Equal(t, []workflows.OpenTask{
		{Code: "A1", Country: "AR", Status: "overdue", Due: "2018-06-30"},
		{Code: "A1", Country: "CL", Status: "open", Due: "2018-07-15"},
	}, afterDue.Open)
	require.Equal(t, map[string]cooperation.TaskStatus{"A1/AR": "submitted", "A1/CL": "submitted", "A2/MX": "waived"}, h.taskStatuses())
	ar, err := h.s.GetTask(context.Background(), taskKey("A1", "AR"))
	require.NoError(t, err)
	require.True(t, ar.Late)
	cl, err := h.s.GetTask(context.Background(), taskKey("A1", "CL"))
	require.NoError(t, err)
	require.False(t, cl.Late)
	require.Equal(t, day("2018-07-15"), cl.DueOn.UTC())

	// The extended task was never overdue; the late one was, once.
	for k, want := range map[string]int{"A1/CL": 0, "A1/AR": 1} {
		entries, err := h.s.AuditLog(context.Background(), "task/2017-2018/final/"+k)
		require.NoError(t, err)
		n := 0
		for _, e := range entries {
			if e.Action == "task_overdue" {
				n++
			}
		}
		require.Equal(t, want, n, k)
	}
	// One notice a day while a task is late (the submission came at noon on the 2nd).
	var keys []string
	rows, err := h.pool.Query(context.Background(), `SELECT dedup_key FROM email WHERE kind = 'overdue_notice' ORDER BY id`)
	require.NoError(t, err)
	for rows.Next() {
		var k string
		require.NoError(t, rows.Scan(&k))
		keys = append(keys, k)
	}
	require.Equal(t, []string{"overdue/2017-2018/final/2018-07-01/sec@eclac.example",
		"overdue/2017-2018/final/2018-07-02/sec@eclac.example"}, keys)

	// The extension re-sent the invitation to both CL focal points: same UID, SEQUENCE 1.
	rows, err = h.pool.Query(context.Background(), `SELECT convert_from(decode(attachments->0->>'content', 'base64'), 'UTF8')
		FROM email WHERE kind = 'task_invitation' AND dedup_key LIKE 'invitation/2017-2018/final/A1/CL/%/1'`)
	require.NoError(t, err)
	n := 0
	for rows.Next() {
		var ics string
		require.NoError(t, rows.Scan(&ics))
		require.Contains(t, ics, "UID:task/2017-2018/final/A1/CL@bienal")
		require.Contains(t, ics, "SEQUENCE:1")
		require.Contains(t, ics, "DTSTART;VALUE=DATE:20180715")
		n++
	}
	require.Equal(t, 2, n)
	require.Equal(t, "closed", h.cycleStatus())
	require.EqualValues(t, 1, h.reports.Load())
	p := h.progress()
	require.Equal(t, 2, p.Counts[cooperation.TaskSubmitted])
	require.Equal(t, 1, p.Counts[cooperation.TaskWaived])
}

func TestCycleClosingDateLeavesMissingAndLatestVersionCounts(t *testing.T) {
	h := newCycleHarness(t, cycleSeed)
	h.at(cycleStart.Add(5*24*time.Hour), func() { h.submit("A1", "CL", "on_track") })
	h.at(cycleStart.Add(6*24*time.Hour), func() { h.submit("A1", "CL", "completed") })
	h.run()

	require.Equal(t, closesEnd, h.env.Now().UTC().Truncate(24*time.Hour))
	require.Equal(t, map[string]cooperation.TaskStatus{"A1/AR": "missing", "A1/CL": "submitted", "A2/MX": "missing"}, h.taskStatuses())
	subs, err := h.s.ListSubmissions(context.Background(), taskKey("A1", "CL"))
	require.NoError(t, err)
	require.Len(t, subs, 2)
	require.Equal(t, []bool{false, true}, []bool{subs[0].Counted, subs[1].Counted})
	require.EqualValues(t, "completed", subs[1].Status)
	p := h.progress()
	require.EqualValues(t, "closed", p.Status)
	require.Equal(t, 2, p.Counts[cooperation.TaskMissing])
	require.Equal(t, 1, p.Counts[cooperation.TaskSubmitted])
	require.Equal(t, "closed", h.cycleStatus())
	emails := h.emails()
	require.Equal(t, 4, count(emails, "receipt "), emails) // two versions, two CL focal points
	require.Equal(t, 1, count(emails, "cycle_closed "))
	require.GreaterOrEqual(t, count(emails, "overdue_notice "), 1)
	// A submission after the close is refused and changes nothing.
	_, err = h.s.CreateSubmission(context.Background(), store.NewSubmission{Task: taskKey("A1", "AR"), Status: "on_track",
		SubmittedBy: "bob@ar.example", At: h.env.Now()}, activities.ComposeReceipt)
	require.ErrorIs(t, err, store.ErrTaskClosed)
}

func TestCycleClosedBySignal(t *testing.T) {
	h := newCycleHarness(t, cycleSeed)
	h.at(cycleStart.Add(2*24*time.Hour), func() { h.submit("A2", "MX", "on_track") })
	h.at(cycleStart.Add(3*24*time.Hour), func() {
		h.env.SignalWorkflow(workflows.SignalClose, workflows.CloseSignal{By: "sec@eclac.example"})
	})
	h.run()

	require.True(t, h.env.Now().Before(cycleStart.Add(4*24*time.Hour)))
	require.Equal(t, map[string]cooperation.TaskStatus{"A1/AR": "missing", "A1/CL": "missing", "A2/MX": "submitted"}, h.taskStatuses())
	require.Equal(t, "closed", h.cycleStatus())
	require.EqualValues(t, 1, h.reports.Load())
	entries, err := h.s.AuditLog(context.Background(), "cycle/2017-2018/final")
	require.NoError(t, err)
	require.Len(t, entries, 1)
	require.Equal(t, "sec@eclac.example", entries[0].Actor)
	require.JSONEq(t, `{"reason": "signal", "missing": 2}`, string(entries[0].Detail))
	for _, code := range []string{"A1/AR", "A1/CL", "A2/MX"} {
		require.NoError(t, h.env.GetWorkflowErrorByID("task/2017-2018/final/"+code))
	}
}

// cycleParent runs the cycle as a child, because the test environment
// follows a child's continue-as-new but not the root's.
func cycleParent(ctx workflow.Context, in workflows.CycleInput) error {
	ctx = workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{WorkflowID: workflows.CycleID(in.Biennium, in.Name)})
	return workflow.ExecuteChildWorkflow(ctx, workflows.CycleWorkflowName, in).Get(ctx, nil)
}

// startedTask stands in for ReportTask in the batch test: it writes its row
// and invitations with the real activity, then waits forever. The test
// environment deadlocks when an abandoned child completes after its parent
// continued as new, so here no task ends; the other tests cover tasks.
func startedTask(ctx workflow.Context, in workflows.TaskInput) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
	k := cooperation.TaskKey{Biennium: in.Biennium, Cycle: in.Cycle, Code: in.Code, Country: in.Country}
	if err := workflow.ExecuteActivity(ctx, "OpenTask", activities.OpenTaskInput{Task: k, Due: in.Due}).Get(ctx, nil); err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return false })
}

func TestCycleStartsTasksInBatchesAcrossRuns(t *testing.T) {
	// Three countries each: 180 tasks in batches of 50, so four runs. The
	// test environment queues at most 1,000 pending callbacks, which bounds
	// the size it can simulate; the batch size is what matters here.
	const activitiesN = 60
	var seed strings.Builder
	seed.WriteString(`INSERT INTO programme (biennium, title) VALUES ('2017-2018', 'Programme');
		INSERT INTO goal VALUES ('2017-2018', 1, 'Goal');
		INSERT INTO line_of_action VALUES ('2017-2018', 1, 'Line');
		INSERT INTO country VALUES ('CL', 'Chile'), ('AR', 'Argentina'), ('MX', 'Mexico');`)
	fmt.Fprintf(&seed, `INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status)
		SELECT '2017-2018', 'X' || lpad(n::text, 4, '0'), 1, 1, 'CL', 'Activity ' || n, 'in_execution' FROM generate_series(1, %d) n;
		INSERT INTO activity_country SELECT '2017-2018', code, c, 'participant' FROM activity, unnest(array['AR', 'MX']) c;`, activitiesN)
	h := newCycleHarness(t, seed.String())
	h.env.RegisterWorkflow(cycleParent)
	h.env.RegisterWorkflowWithOptions(startedTask, workflow.RegisterOptions{Name: workflows.TaskWorkflowName})
	h.env.SetDetachedChildWait(false)
	var opened workflows.CycleProgress
	h.at(cycleStart.Add(24*time.Hour), func() {
		v, err := h.env.QueryWorkflowByID(workflows.CycleID("2017-2018", "final"), workflows.QueryProgress)
		require.NoError(t, err)
		require.NoError(t, v.Get(&opened))
		require.NoError(t, h.env.SignalWorkflowByID(workflows.CycleID("2017-2018", "final"), workflows.SignalClose, workflows.CloseSignal{By: "sec"}))
	})
	h.env.ExecuteWorkflow(cycleParent, workflows.CycleInput{Biennium: "2017-2018", Name: "final",
		Carry: &workflows.CycleCarry{BatchSize: 50}})
	require.True(t, h.env.IsWorkflowCompleted())
	require.NoError(t, h.env.GetWorkflowError())

	require.EqualValues(t, 4, h.runs.Load(), "runs: three full batches, then the last one")
	require.EqualValues(t, "open", opened.Status)
	require.Equal(t, 3*activitiesN, opened.Total)
	require.Equal(t, 3*activitiesN, opened.Counts[cooperation.TaskOpen])
	counts, err := h.s.CycleCounts(context.Background(), "2017-2018", "final")
	require.NoError(t, err)
	require.Equal(t, 3*activitiesN, counts[cooperation.TaskMissing])
	require.Equal(t, "closed", h.cycleStatus())
	require.EqualValues(t, 1, h.reports.Load())
}

// Two focal points of one country answer at once: both submissions are
// stored before the task handles either signal, and each is recorded once,
// though the first signal finds the second already stored.
func TestTaskRecordsEverySubmissionOfACountry(t *testing.T) {
	h := newCycleHarness(t, cycleSeed)
	h.at(cycleStart.Add(5*24*time.Hour), func() {
		var ids []int64
		for _, by := range []string{"fp1@CL", "fp2@CL"} {
			sub, err := h.s.CreateSubmission(context.Background(), store.NewSubmission{Task: taskKey("A1", "CL"),
				Status: "on_track", Progress: "progress by " + by, SubmittedBy: by, At: h.env.Now()}, activities.ComposeReceipt)
			require.NoError(t, err)
			ids = append(ids, sub.ID)
		}
		for i, id := range ids {
			h.signalTask("A1", "CL", workflows.SignalSubmit, workflows.SubmitSignal{SubmissionID: id, By: []string{"fp1@CL", "fp2@CL"}[i]})
		}
		// The same signal again changes nothing.
		h.signalTask("A1", "CL", workflows.SignalSubmit, workflows.SubmitSignal{SubmissionID: ids[0], By: "fp1@CL"})
	})
	h.run()
	var audited int
	require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log
		WHERE subject = 'task/2017-2018/final/A1/CL' AND action = 'task_submitted'`).Scan(&audited))
	require.Equal(t, 2, audited, "each submission recorded once, with who sent it")
}
