package workflows_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/workflows"
)

// dayWords is how each language writes a day of 2018 in a message.
func dayWords(lang string, d, m int) string {
	months := map[string][]string{
		"es": {"junio", "julio"}, "en": {"June", "July"}, "pt": {"junho", "julho"}, "fr": {"juin", "juillet"}}
	month := months[lang][m-6]
	switch lang {
	case "es", "pt":
		return fmt.Sprintf("%d de %s de 2018", d, month)
	default:
		return fmt.Sprintf("%d %s 2018", d, month)
	}
}

// mailOf is every message of kind to recipient: subject, text and HTML.
func (h *cycleHarness) mailOf(kind, recipient string) []string {
	h.t.Helper()
	rows, err := h.pool.Query(context.Background(), `SELECT subject || E'\n' || body_text || E'\n' || body_html || E'\n' ||
		COALESCE((SELECT string_agg(convert_from(decode(a->>'content', 'base64'), 'UTF8'), E'\n') FROM jsonb_array_elements(attachments) a), '')
		FROM email WHERE kind = $1 AND recipient = $2 ORDER BY id`, kind, recipient)
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

// requireDay checks that a message names the day in its language and not
// the day after (the midnight a deadline ends at, the old mistake).
func requireDay(t *testing.T, what, msg, lang string, d, m int) {
	t.Helper()
	require.Contains(t, msg, dayWords(lang, d, m), "%s names the day in %s", what, lang)
	next := time.Date(2018, time.Month(m), d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	after := regexp.MustCompile(`(^|[^0-9])` + regexp.QuoteMeta(dayWords(lang, next.Day(), int(next.Month()))))
	require.NotRegexp(t, after, msg, "%s does not name the day after", what)
}

// A day the secretariat types is that day everywhere: the cycle due on 30
// June 2018 and closing on 31 July, an extension until 15 July, an
// extension asked until 10 July, a clarification due on 20 July. The rows
// hold those days; the deadline of each runs to the end of its day in UTC
// (the same rule as a call's last day: not overdue at 23:59 of the day,
// overdue just after midnight); every message names the day in its
// recipient's language, never the day after; the calendar attachment is an
// all-day event on that day.
func TestTypedDaysAreTheSameDayEverywhere(t *testing.T) {
	h := newCycleHarness(t, cycleSeed)
	sec := "sec@eclac.example"
	at := func(s string, hour, min int) time.Time {
		return day(s).Add(time.Duration(hour)*time.Hour + time.Duration(min)*time.Minute)
	}

	status := map[string]cooperation.TaskStatus{}
	probe := func(name string, instant time.Time, code, country string) {
		h.at(instant, func() { status[name] = h.taskState(code, country).Status })
	}
	probe("AR at 23:59 of its due day", at("2018-06-30", 23, 59), "A1", "AR")
	probe("AR just after midnight", at("2018-07-01", 0, 1), "A1", "AR")
	h.updateTask(at("2018-06-20", 10, 0), "A1", "CL", workflows.UpdateExtend, "x1",
		workflows.ExtendSignal{Until: "2018-07-15", Reason: "elections", By: sec})
	probe("CL at 23:59 of its new due day", at("2018-07-15", 23, 59), "A1", "CL")
	probe("CL just after midnight", at("2018-07-16", 0, 1), "A1", "CL")
	asked := h.updateTask(at("2018-06-20", 10, 0), "A1", "AR", workflows.UpdateRequestExtension, "r1",
		workflows.ExtensionRequest{Until: "2018-07-10", Reason: "elections", By: "bob@ar.example"})
	h.updateTask(at("2018-06-22", 10, 0), "A1", "AR", workflows.UpdateRefuseExtension, "f1",
		workflows.ExtensionRefusal{Reason: "on time, please", By: sec})
	h.at(at("2018-06-11", 10, 0), func() { h.submit("A2", "MX", "on_track") })
	clarified := h.updateTask(at("2018-06-12", 10, 0), "A2", "MX", workflows.UpdateClarify, "c1",
		workflows.ClarifyReport{Reason: "add output 2", Due: "2018-07-20", By: sec})
	var cycleBefore string
	h.at(at("2018-07-31", 23, 59), func() { cycleBefore = h.cycleStatus() })
	h.run()

	require.Equal(t, cooperation.TaskOpen, status["AR at 23:59 of its due day"])
	require.Equal(t, cooperation.TaskOverdue, status["AR just after midnight"])
	require.Equal(t, cooperation.TaskOpen, status["CL at 23:59 of its new due day"])
	require.Equal(t, cooperation.TaskOverdue, status["CL just after midnight"])
	require.Equal(t, "open", cycleBefore, "the cycle takes reports through its closing day")
	require.NoError(t, asked.err)
	require.NoError(t, clarified.err)
	require.Equal(t, "2018-07-20", clarified.state.Due)

	// The rows hold the days typed.
	ctx := context.Background()
	var due, closes, until, clarifyDue, taskDue string
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT due_on::text, closes_on::text FROM reporting_cycle WHERE name = 'final'`).Scan(&due, &closes))
	require.Equal(t, []string{"2018-06-30", "2018-07-31"}, []string{due, closes})
	ended := h.env.Now().UTC()
	require.True(t, !ended.Before(closesEnd) && ended.Before(closesEnd.Add(time.Hour)),
		"the cycle closes when its closing day ends (UTC), not before: it ended at %s", ended)
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT due_on::text FROM report_task WHERE code = 'A1' AND country = 'CL'`).Scan(&taskDue))
	require.Equal(t, "2018-07-15", taskDue, "the extension's day")
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT until_date::text FROM extension_request WHERE country = 'AR'`).Scan(&until))
	require.Equal(t, "2018-07-10", until, "the day asked")
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT due_on::text FROM task_review WHERE country = 'MX'`).Scan(&clarifyDue))
	require.Equal(t, "2018-07-20", clarifyDue, "the clarification's day")
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT due_on::text FROM report_task WHERE code = 'A2' AND country = 'MX'`).Scan(&taskDue))
	require.Equal(t, "2018-07-20", taskDue, "the clarification moves the task's due day")

	// Every message names those days in its reader's language.
	first := func(kind, to string) string {
		t.Helper()
		m := h.mailOf(kind, to)
		require.NotEmpty(t, m, "%s to %s", kind, to)
		return m[0]
	}
	for to, lang := range map[string]string{"bob@ar.example": "en", "ana@cl.example": "es", "diego@cl.example": "fr"} {
		inv := first("task_invitation", to)
		requireDay(t, "the invitation to "+to, inv, lang, 30, 6)
		require.Contains(t, inv, dayWords(lang, 31, 7), "the invitation names the closing day")
		require.Contains(t, inv, "DTSTART;VALUE=DATE:20180630\r\nDTEND;VALUE=DATE:20180701", "an all-day event on the due day")
	}
	requireDay(t, "the invitation to Carla", first("task_invitation", "carla@mx.example"), "pt", 30, 6)
	for to, lang := range map[string]string{"ana@cl.example": "es", "diego@cl.example": "fr"} {
		m := h.mailOf("task_invitation", to)
		require.Len(t, m, 2, "the extension sends the invitation again")
		requireDay(t, "the extended invitation to "+to, m[1], lang, 15, 7)
		require.Contains(t, m[1], "DTSTART;VALUE=DATE:20180715\r\nDTEND;VALUE=DATE:20180716")
	}
	refusal := first("extension_refused", "bob@ar.example")
	requireDay(t, "the refusal", refusal, "en", 10, 7)
	requireDay(t, "the refusal's due day", refusal, "en", 30, 6)
	requireDay(t, "the clarification", first("clarification_request", "carla@mx.example"), "pt", 20, 7)
	notice := first("overdue_notice", sec)
	require.True(t, strings.Contains(notice, "A1 / Argentina: was due on 30 June 2018"), "the overdue notice names the due day: %s", notice)
}
