package activities_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
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
	a := &activities.Activities{Store: s}
	ref := activities.ReportRef{Biennium: reporttest.Biennium, Name: reporttest.Cycle}

	require.NoError(t, a.StoreCycleReports(ctx, ref))
	bodies := map[string]string{}
	for _, f := range []string{"html", "md", "csv"} {
		body, err := s.GetReport(ctx, ref.Biennium, ref.Name, f)
		require.NoError(t, err, f)
		require.Contains(t, body, "A1.10", f)
		bodies[f] = body
	}
	require.True(t, strings.HasPrefix(bodies["html"], "<!DOCTYPE html>"))
	require.Contains(t, bodies["md"], "## Goal 3. Build capacities")
	require.Equal(t, 11, strings.Count(bodies["csv"], "\n\"2017-2018\",")+1, "header and ten tasks")

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
	require.Contains(t, mails[0].Text, "Faltantes: 3")
	require.Contains(t, mails[0].Text, "Tasa de presentación: 67%")
	require.Equal(t, "bob@cepal.org", mails[1].Recipient)
	require.Equal(t, "Consolidated report ready: Final report 2017-2018 (2017-2018)", mails[1].Subject)
	require.Contains(t, mails[1].Text, "Submitted: 6 (on time: 4, late: 2)")
	require.Contains(t, mails[1].Text, "bienal report 2017-2018/final --format csv")
	for _, m := range mails {
		require.Len(t, m.Attachments, 1)
		require.Equal(t, "report-2017-2018-final.html", m.Attachments[0].Name)
		require.Equal(t, bodies["html"], string(m.Attachments[0].Content))
	}
	exists, err := s.EmailExists(ctx, "report/2017-2018/final/bob@cepal.org")
	require.NoError(t, err)
	require.True(t, exists)

	// A retry stores the same report and queues nothing more.
	require.NoError(t, a.StoreCycleReports(ctx, ref))
	require.Len(t, read(), 2)
	again, err := s.GetReport(ctx, ref.Biennium, ref.Name, "html")
	require.NoError(t, err)
	require.Equal(t, bodies["html"], again)
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

	_, err = s.GetReport(ctx, reporttest.Biennium, "midterm", "html")
	require.ErrorIs(t, err, store.ErrNotFound)
	exists, err := s.EmailExists(ctx, "report/2017-2018/midterm/ana@cepal.org")
	require.NoError(t, err)
	require.False(t, exists)
}
