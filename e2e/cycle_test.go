package e2e

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// A reporting cycle on the adopted programme: every focal point is invited,
// reports come in through `bienal task submit`, one task is extended, the
// cycle is closed, and the consolidated report holds every activity under
// its goal, every submission and the missing ones.
func TestReportingCycleEndToEnd(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.bienal("programme", "import", example)
	eventually(t, "nine activities in execution", 30*time.Second, func() bool {
		return s.count("SELECT count(*) FROM activity WHERE status = 'in_execution'") == 9
	})
	tasks := s.count("SELECT count(*) FROM activity_country")
	mailBefore := len(s.smtp.Messages())

	due := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
	closes := time.Now().AddDate(0, 2, 0).Format(time.DateOnly)
	out := s.bienal("cycle", "open", "--biennium", "2017-2018", "--name", "final", "--due", due, "--closes", closes, "--title", "Final report",
		"--symbol", "LC/L.4221(CCITIC.2/4)", "--distribution", "limited", "--original-language", "es")
	require.Contains(t, out, "opened cycle 2017-2018/final")
	_, errOut, err := s.run("", "cycle", "open", "--biennium", "2017-2018", "--name", "final", "--due", due)
	require.Error(t, err, "opening the same cycle again is refused")
	require.Contains(t, errOut, "already")

	eventually(t, "one task row per activity and country", 60*time.Second, func() bool {
		return s.count("SELECT count(*) FROM report_task WHERE cycle = 'final'") == tasks
	})
	// One focal point per country in the example: one invitation per task.
	msgs := s.smtp.WaitFor(mailBefore+tasks, 60*time.Second)
	invitations := map[string]int{}
	for _, m := range msgs[mailBefore:] {
		for _, to := range m.To {
			invitations[to]++
		}
	}
	require.Equal(t, tasks, s.count("SELECT count(*) FROM email WHERE kind = 'task_invitation'"))
	var perCountry []struct {
		Email string
		N     int
	}
	rows, err := s.pool.Query(ctx, `SELECT p.email, count(*) FROM report_task t
		JOIN focal_point f ON f.biennium = t.biennium AND f.country = t.country
		JOIN person p ON p.email = f.email WHERE t.cycle = 'final' GROUP BY p.email`)
	require.NoError(t, err)
	for rows.Next() {
		var e string
		var n int
		require.NoError(t, rows.Scan(&e, &n))
		perCountry = append(perCountry, struct {
			Email string
			N     int
		}{e, n})
	}
	require.NoError(t, rows.Err())
	for _, pc := range perCountry {
		require.Equal(t, pc.N, invitations[pc.Email], "invitations received by %s", pc.Email)
	}

	all, err := s.store.ListTasks(ctx, "2017-2018", "final", store.TaskFilter{})
	require.NoError(t, err)
	require.Len(t, all, tasks)
	// Everyone reports but the last two tasks; the first is extended first.
	extended := all[0]
	s.bienal("cycle", "extend", "2017-2018/final", "--activity", extended.Code, "--country", extended.Country,
		"--until", time.Now().AddDate(0, 1, 14).Format(time.DateOnly), "--reason", "national elections")
	eventually(t, "the extension recorded", 20*time.Second, func() bool {
		return s.count("SELECT count(*) FROM extension WHERE code = $1 AND country = $2", extended.Code, extended.Country) == 1
	})
	s.checkCalendarMoved(extended)

	report := filepath.Join(t.TempDir(), "report.yaml")
	for i, task := range all[:len(all)-2] {
		body := fmt.Sprintf("status: on_track\nprogress: Progress of %s in %s, item %d.\nresults: Workshop held.\ndifficulties: None.\nnext_steps: Continue.\n", task.Code, task.Country, i)
		require.NoError(t, os.WriteFile(report, []byte(body), 0o644))
		s.bienal("task", "submit", task.Key().String(), "--file", report)
	}
	eventually(t, "submissions counted", 60*time.Second, func() bool {
		return s.count("SELECT count(*) FROM report_task WHERE cycle = 'final' AND status = 'submitted'") == tasks-2
	})
	missing := all[len(all)-2:]

	s.bienal("cycle", "close", "2017-2018/final")
	eventually(t, "cycle closed with its report kept", 60*time.Second, func() bool {
		return s.count("SELECT count(*) FROM report_snapshot WHERE cycle = 'final'") == 1
	})
	require.Equal(t, 2, s.count("SELECT count(*) FROM report_task WHERE cycle = 'final' AND status = 'missing'"))
	require.Equal(t, 2, s.count("SELECT count(*) FROM audit_log WHERE subject LIKE 'task/2017-2018/final/%' AND action = 'task_missing'"),
		"one audit line per task recorded missing")
	desc, err := s.client.DescribeWorkflowExecution(ctx, workflows.CycleID("2017-2018", "final"), "")
	require.NoError(t, err)
	eventually(t, "cycle workflow completed", 30*time.Second, func() bool {
		desc, err = s.client.DescribeWorkflowExecution(ctx, workflows.CycleID("2017-2018", "final"), "")
		return err == nil && desc.WorkflowExecutionInfo.Status == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED
	})

	html := s.bienal("report", "2017-2018/final", "--format", "html", "--lang", "en")
	md := s.bienal("report", "2017-2018/final", "--format", "md", "--lang", "en")
	csvText := strings.TrimPrefix(s.bienal("report", "2017-2018/final", "--format", "csv", "--lang", "en"), "\uFEFF")
	acts, err := s.store.ListActivities(ctx, store.ActivityFilter{Biennium: "2017-2018"})
	require.NoError(t, err)
	for _, doc := range []string{html, md} {
		last := -1
		for _, g := range []string{"Goal 1", "Goal 2", "Goal 3"} {
			i := strings.Index(doc, g)
			require.Greater(t, i, last, "goals in order")
			last = i
		}
		for _, a := range acts {
			require.Contains(t, doc, a.Code)
		}
		for _, task := range all[:len(all)-2] {
			require.Contains(t, doc, fmt.Sprintf("Progress of %s in %s", task.Code, task.Country))
		}
		for _, m := range missing {
			require.Contains(t, doc, m.Country)
		}
	}
	records, err := csv.NewReader(strings.NewReader(csvText)).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, tasks+1, "a header and one row per task")
	missingRows := 0
	for _, r := range records[1:] {
		if strings.Contains(strings.Join(r, ","), "missing") {
			missingRows++
		}
	}
	require.Equal(t, 2, missingRows)
	s.checkDocuments(acts, all[:len(all)-2], missing)

	s.saveHistory("cycle-final-closed", workflows.CycleID("2017-2018", "final"))
	s.saveHistory("task-extended-submitted", workflows.TaskID("2017-2018", "final", extended.Code, extended.Country))
	s.saveHistory("task-missing", workflows.TaskID("2017-2018", "final", missing[0].Code, missing[0].Country))
}

// checkDocuments writes the closed cycle's report as the secretariat takes
// it to the Conference, DOCX in Spanish (the cycle's original language, its
// default) and PDF in English, and reads both back with LibreOffice and
// pdftotext: the front matter, every activity, every country's input, the
// missing reports, and no English heading in the Spanish one.
func (s *stack) checkDocuments(acts []store.Activity, reported, missing []store.Task) {
	t := s.t
	t.Helper()
	dir := t.TempDir()
	docx, pdf := filepath.Join(dir, "informe.docx"), filepath.Join(dir, "report.pdf")
	s.bienal("report", "2017-2018/final", "--format", "docx", "-o", docx)
	s.bienal("report", "2017-2018/final", "--format", "pdf", "--lang", "en", "-o", pdf)
	out, err := exec.Command("soffice", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless",
		"--convert-to", "txt:Text (encoded):UTF8", "--outdir", dir, docx).CombinedOutput()
	require.NoError(t, err, "soffice (.ci/install-document-tools installs it): %s", out)
	b, err := os.ReadFile(filepath.Join(dir, "informe.txt"))
	require.NoError(t, err, "%s", out)
	es := string(b)
	out, err = exec.Command("pdftotext", pdf, "-").CombinedOutput()
	require.NoError(t, err, "pdftotext (.ci/install-document-tools installs it): %s", out)
	en := string(out)
	for _, front := range []string{"Distr.", "LC/L.4221(CCITIC.2/4)"} {
		require.Contains(t, es, front)
		require.Contains(t, en, front)
	}
	require.Contains(t, es, "LIMITADA")
	require.Contains(t, es, "ORIGINAL: ESPAÑOL")
	require.Contains(t, en, "ORIGINAL: SPANISH")
	for _, doc := range []string{es, en} {
		for _, a := range acts {
			require.Contains(t, doc, a.Code)
		}
		for _, m := range missing {
			require.Contains(t, doc, m.Code)
		}
	}
	for _, task := range reported {
		require.Contains(t, es, fmt.Sprintf("Progress of %s in %s", task.Code, task.Country))
	}
	for _, heading := range []string{"Resumen", "Objetivo 1.", "Objetivo 2.", "Objetivo 3.", "Lo que falta, por país"} {
		require.Contains(t, es, heading)
	}
	for _, english := range []string{"Summary", "Goal 1", "What is missing", "Reports by country", "Lead country", "Consolidated biennial report"} {
		require.NotContains(t, es, english, "no English heading in the Spanish report")
		require.Contains(t, en, english)
	}
}

// checkCalendarMoved reads the extended task's two invitations as its focal
// point received them: the calendar event keeps its UID and moves to the
// new date with a higher SEQUENCE, so the calendar updates it in place.
func (s *stack) checkCalendarMoved(task store.Task) {
	t := s.t
	t.Helper()
	var recipient string
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT email FROM focal_point
		WHERE biennium = $1 AND country = $2 LIMIT 1`, task.Biennium, task.Country).Scan(&recipient))
	uid := fmt.Sprintf("UID:task/%s/%s/%s/%s@bienal", task.Biennium, task.Cycle, task.Code, task.Country)
	var events []string
	eventually(t, "the second invitation of the extended task", 30*time.Second, func() bool {
		events = events[:0]
		for _, m := range s.smtp.Messages() {
			if len(m.To) == 0 || m.To[0] != recipient {
				continue
			}
			parts, err := m.Parts()
			require.NoError(t, err)
			for _, a := range parts.Attachments {
				ics := strings.ReplaceAll(string(a.Content), "\r\n ", "")
				if a.MediaType == "text/calendar" && strings.Contains(ics, uid) {
					events = append(events, ics)
				}
			}
		}
		return len(events) >= 2
	})
	field := func(ics, name string) string {
		for _, line := range strings.Split(ics, "\r\n") {
			if v, ok := strings.CutPrefix(line, name); ok {
				return v
			}
		}
		return ""
	}
	first, last := events[0], events[len(events)-1]
	require.Equal(t, "0", field(first, "SEQUENCE:"))
	require.Equal(t, "1", field(last, "SEQUENCE:"))
	require.Equal(t, task.DueOn.Format("20060102"), field(first, "DTSTART;VALUE=DATE:"))
	require.Equal(t, time.Now().AddDate(0, 1, 14).Format("20060102"), field(last, "DTSTART;VALUE=DATE:"))
}
