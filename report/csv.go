package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// CSVHeader names the columns of the CSV report.
var CSVHeader = []string{"biennium", "cycle", "goal", "activity_code", "activity_title", "country", "role",
	"task_status", "late", "submission_status", "progress", "results", "difficulties", "next_steps", "submitted_at"}

// CSV writes the report as one header row and one row per report task.
// Free text that a spreadsheet would take for a formula (starting with =, +,
// -, @, a tab or a carriage return) is prefixed with a single quote, so
// opening the file never runs what a focal point typed.
func CSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("write csv report of %s/%s: %w", r.Biennium, r.Cycle.Name, err)
	}
	for _, g := range r.Goals {
		for _, a := range g.Activities {
			for _, t := range a.Tasks {
				row := []string{r.Biennium, r.Cycle.Name, strconv.Itoa(g.Number), a.Code, cell(a.Title),
					t.Country.Code, t.Role, t.Status, strconv.FormatBool(t.Late), "", "", "", "", "", ""}
				if s := t.Submission; s != nil {
					copy(row[9:], []string{s.Status, cell(s.Progress), cell(s.Results), cell(s.Difficulties),
						cell(s.NextSteps), s.SubmittedAt.UTC().Format(time.RFC3339)})
				}
				if err := cw.Write(row); err != nil {
					return fmt.Errorf("write csv report of %s/%s: %w", r.Biennium, r.Cycle.Name, err)
				}
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv report of %s/%s: %w", r.Biennium, r.Cycle.Name, err)
	}
	return nil
}

func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
