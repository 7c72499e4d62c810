package activities_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/report/reporttest"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

func TestStoreCycleReports(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	reporttest.Seed(t, pool)
	_, err := pool.Exec(ctx, `INSERT INTO programme_text (biennium, subject, field, original_language, language, body) VALUES
		('2017-2018', 'programme', 'title', 'en', 'en', 'Biennial programme of the Conference on Science, Innovation and ICTs'),
		('2017-2018', 'programme', 'title', 'en', 'es', 'Programa bienal de la Conferencia de Ciencia, Innovación y TIC')`)
	require.NoError(t, err)
	a := &activities.Activities{Store: s, BaseURL: "https://bienal.example/"}
	ref := activities.ReportRef{Biennium: reporttest.Biennium, Name: reporttest.Cycle}

	require.NoError(t, a.StoreCycleReports(ctx, ref))
	kept, err := s.HasReportSnapshot(ctx, ref.Biennium, ref.Name)
	require.NoError(t, err)
	require.True(t, kept, "the report's rows are kept as the cycle closed")
	// What was kept is what the rows said.
	live, err := s.LoadReportData(ctx, ref.Biennium, ref.Name)
	require.NoError(t, err)
	doc, err := s.ReportDocument(ctx, ref.Biennium, ref.Name)
	require.NoError(t, err)
	sameData(t, live, doc)

	type row struct {
		Recipient, Language, Subject, Text string
		Attachments                        []store.Attachment
	}
	read := func() []row {
		rows, err := pool.Query(ctx, `SELECT recipient, language, subject, body_text, attachments FROM email
			WHERE kind = 'report_ready' ORDER BY recipient`)
		require.NoError(t, err)
		defer rows.Close()
		var out []row
		for rows.Next() {
			var r row
			var atts []byte
			require.NoError(t, rows.Scan(&r.Recipient, &r.Language, &r.Subject, &r.Text, &atts))
			require.NoError(t, json.Unmarshal(atts, &r.Attachments))
			out = append(out, r)
		}
		require.NoError(t, rows.Err())
		return out
	}
	mails := read()
	require.Len(t, mails, 2)
	require.Equal(t, "ana@cepal.org", mails[0].Recipient)
	require.Equal(t, "Informe consolidado listo: Final report 2017-2018 (2017-2018)", mails[0].Subject)
	require.Contains(t, mails[0].Text, "del programa «Programa bienal de la Conferencia de Ciencia, Innovación y TIC»",
		"the programme's title in the reader's language")
	require.Contains(t, mails[0].Text, "Faltantes: 3")
	require.Contains(t, mails[0].Text, "Tasa de presentación: 67%")
	require.Equal(t, "bob@cepal.org", mails[1].Recipient)
	require.Equal(t, "Consolidated report ready: Final report 2017-2018 (2017-2018)", mails[1].Subject)
	require.Contains(t, mails[1].Text, "Submitted: 6 (on time: 4, late: 2)")
	require.Contains(t, mails[1].Text, `of the programme "Biennial programme of the Conference on Science, Innovation and ICTs"`)
	for i, lang := range []string{"es", "en"} {
		m := mails[i]
		require.Contains(t, m.Text, "https://bienal.example/#cycle-2017-2018-final", "the e-mail links to the dashboard's entry of the cycle")
		require.Contains(t, m.Text, "bienal report 2017-2018/final --lang "+lang+" --format docx")
		require.Len(t, m.Attachments, 1)
		require.Equal(t, "report-2017-2018-final-"+lang+".html", m.Attachments[0].Name)
		require.Contains(t, string(m.Attachments[0].Content), `<html lang="`+lang+`">`, "the report in the recipient's language")
	}
	require.Contains(t, string(mails[0].Attachments[0].Content), "Informe bienal consolidado")
	require.Contains(t, string(mails[1].Attachments[0].Content), "Consolidated biennial report")
	exists, err := s.EmailExists(ctx, "report/2017-2018/final/bob@cepal.org")
	require.NoError(t, err)
	require.True(t, exists)

	// A retry keeps the same rows and queues nothing more.
	require.NoError(t, a.StoreCycleReports(ctx, ref))
	require.Len(t, read(), 2)
	again, err := s.ReportDocument(ctx, ref.Biennium, ref.Name)
	require.NoError(t, err)
	sameData(t, doc, again)
	audit, err := s.AuditLog(ctx, "cycle/2017-2018/final")
	require.NoError(t, err)
	stored := 0
	for _, e := range audit {
		if e.Action == "report_stored" {
			stored++
		}
	}
	require.Equal(t, 1, stored)
}

// sameData compares two reports' rows as they are kept, in JSON: times read
// back from JSON carry no time zone of the machine's.
func sameData(t *testing.T, want, got store.ReportData) {
	t.Helper()
	a, err := json.Marshal(want)
	require.NoError(t, err)
	b, err := json.Marshal(got)
	require.NoError(t, err)
	require.JSONEq(t, string(a), string(b))
}

func TestStoreCycleReportsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	reporttest.Seed(t, pool)
	a := &activities.Activities{Store: s}

	var appErr *temporal.ApplicationError
	err := a.StoreCycleReports(ctx, activities.ReportRef{Biennium: reporttest.Biennium, Name: "midterm"})
	require.True(t, errors.As(err, &appErr))
	require.True(t, appErr.NonRetryable())
	require.Equal(t, activities.ErrTypeNotFound, appErr.Type())
	require.ErrorContains(t, err, "2017-2018/midterm")

	err = a.StoreCycleReports(ctx, activities.ReportRef{Biennium: reporttest.Biennium})
	require.True(t, errors.As(err, &appErr))
	require.Equal(t, activities.ErrTypeInvalid, appErr.Type())

	kept, err := s.HasReportSnapshot(ctx, reporttest.Biennium, "midterm")
	require.NoError(t, err)
	require.False(t, kept)
	exists, err := s.EmailExists(ctx, "report/2017-2018/midterm/ana@cepal.org")
	require.NoError(t, err)
	require.False(t, exists)
}
