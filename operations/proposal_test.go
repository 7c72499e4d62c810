package operations_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// proposal is a request the small programme takes: Chile proposes, with
// Mexico taking part.
func proposal() operations.ProposalRequest {
	return operations.ProposalRequest{Biennium: "2017-2018", Goal: 1, LineOfAction: 1, Lead: "CL",
		Participants: []string{"MX"}, Title: "Open data", Description: "A shared portal.",
		ExpectedOutputs: []string{"Portal", "Guide"}, StartsOn: "2017-03-01", EndsOn: "2018-06-30",
		ProposedBy: "fp.cl@example.org", By: "fp.cl@example.org"}
}

// receipt returns the text of the proposal receipt queued for a code, as it
// is sent (its link's token filled in).
func receipt(t *testing.T, ops *operations.Service, pool *pgxpool.Pool, code string) string {
	t.Helper()
	require.Equal(t, 1, count(t, pool, "email WHERE dedup_key = $1", "proposal_receipt/2017-2018/"+code))
	claimed, err := ops.Store.ClaimEmails(context.Background(), time.Now().Add(time.Second), 50, time.Minute)
	require.NoError(t, err)
	for _, e := range claimed {
		if e.DedupKey == "proposal_receipt/2017-2018/"+code {
			return e.Fill(e.Text)
		}
	}
	t.Fatalf("the receipt of %s was not claimed", code)
	return ""
}

// linkIn returns the link the personal address in text opens.
func linkIn(t *testing.T, ops *operations.Service, text string) store.Link {
	t.Helper()
	const base = "https://portal.example.org/l/"
	i := strings.Index(text, base)
	require.GreaterOrEqual(t, i, 0, text)
	l, err := ops.Store.LookupLink(context.Background(), strings.Fields(text[i+len(base):])[0], now)
	require.NoError(t, err, "the link opens")
	return l
}

// A proposal sent through a call link gets the next code of its goal, a
// receipt to its proposer quoting that link, and its workflow; the same
// request sent again (a double click) stores nothing more and starts
// nothing more.
func TestProposeThroughACall(t *testing.T) {
	t.Parallel()
	ops, pool, tc := service(t)
	ctx := context.Background()
	token, err := ops.Store.CreateLink(ctx, store.PurposePropose, store.CallRef("2017-2018"), "fp.cl@example.org", now.AddDate(0, 1, 0))
	require.NoError(t, err)
	req := proposal()
	req.Link, req.RequestID = token, "form-0123456789abcdef"
	p, err := ops.Propose(ctx, req)
	require.NoError(t, err)
	require.Equal(t, operations.Proposed{Biennium: "2017-2018", Code: "G1P1"}, p)
	require.Equal(t, []string{workflows.ActivityID("2017-2018", "G1P1")}, tc.Started())
	a, err := ops.Store.GetActivity(ctx, "2017-2018", "G1P1")
	require.NoError(t, err)
	require.Equal(t, cooperation.ActivityProposed, a.Status)
	require.Equal(t, "fp.cl@example.org", a.ProposedBy)
	require.Equal(t, []string{"MX"}, a.Participants)
	require.Equal(t, []string{"Portal", "Guide"}, a.ExpectedOutputs)
	text := receipt(t, ops, pool, "G1P1")
	require.Contains(t, text, "Dear Focal Chile", "in the proposer's language")
	l := linkIn(t, ops, text)
	require.Equal(t, store.PurposePropose, l.Purpose)
	require.Equal(t, "call/2017-2018", l.Subject)
	require.Equal(t, "fp.cl@example.org", l.Recipient)
	require.True(t, l.ExpiresAt.Equal(now.AddDate(0, 1, 0)), "the link the proposal came by, which the message carries as a copy")
	_, err = ops.Store.LookupLink(ctx, token, now)
	require.NoError(t, err, "the link it came by still opens")

	again, err := ops.Propose(ctx, req)
	require.NoError(t, err)
	require.Equal(t, operations.Proposed{Biennium: "2017-2018", Code: "G1P1", Repeated: true}, again)
	require.Equal(t, 2, count(t, pool, "activity"), "A1 and one proposal")
	require.Len(t, tc.Started(), 1)
	require.Equal(t, 1, count(t, pool, "email WHERE kind = 'proposal_receipt'"))

	req.RequestID = "form-fedcba9876543210"
	p, err = ops.Propose(ctx, req)
	require.NoError(t, err)
	require.Equal(t, "G1P2", p.Code, "another request is another proposal")
}

// A proposal filed by the secretariat, as `bienal activity propose` does,
// keeps its code; its receipt goes to the focal point it names, with no
// link while no call is open, and with a new link to the call while one is.
func TestProposeOnACountrysBehalf(t *testing.T) {
	t.Parallel()
	ops, pool, tc := service(t)
	ctx := context.Background()
	req := proposal()
	req.Code, req.By = "G1A9", "secretariat"
	p, err := ops.Propose(ctx, req)
	require.NoError(t, err)
	require.Equal(t, "G1A9", p.Code)
	require.Equal(t, []string{workflows.ActivityID("2017-2018", "G1A9")}, tc.Started())
	text := receipt(t, ops, pool, "G1A9")
	require.Contains(t, text, "We received your proposal G1A9")
	require.NotContains(t, text, "/l/", "no call is open to follow it by")
	require.Equal(t, 1, count(t, pool, "audit_log WHERE action = 'proposed' AND actor = 'secretariat'"))

	_, err = ops.OpenCall(ctx, operations.CallRequest{Biennium: "2017-2018", Closes: "2026-04-30", By: "ana@example.org"})
	require.NoError(t, err)
	req.Code = ""
	p, err = ops.Propose(ctx, req)
	require.NoError(t, err)
	require.Equal(t, "G1P1", p.Code)
	l := linkIn(t, ops, receipt(t, ops, pool, "G1P1"))
	require.Equal(t, store.Link{Purpose: store.PurposePropose, Subject: "call/2017-2018", Recipient: "fp.cl@example.org",
		ExpiresAt: l.ExpiresAt}, l)
	require.True(t, l.ExpiresAt.Equal(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)), "until the call closes")

	req.ProposedBy, req.Lead, req.Participants = "", "MX", nil
	_, err = ops.Propose(ctx, req)
	require.NoError(t, err)
	require.Equal(t, 2, count(t, pool, "email WHERE kind = 'proposal_receipt'"), "the secretariat gets no receipt")
}

// With Temporal away the proposal stays stored, its receipt queued, and the
// answer says its workflow did not start; the same request again starts
// it, whether the request is named by its ID or by its code, and once it
// runs a request with that code is refused.
func TestProposeWithTemporalAwayStartsOnRepeat(t *testing.T) {
	t.Parallel()
	ops, pool, tc := service(t)
	ctx := context.Background()
	down := errors.New("connection refused")
	for _, named := range []struct{ code, requestID, want string }{
		{"", "form-0123456789abcdef", "G1P1"},
		{"G1A9", "", "G1A9"},
	} {
		req := proposal()
		req.Code, req.RequestID = named.code, named.requestID
		tc.Away(down)
		_, err := ops.Propose(ctx, req)
		var ns *operations.NotStarted
		require.ErrorAs(t, err, &ns)
		require.ErrorIs(t, err, down)
		require.Equal(t, workflows.ActivityID("2017-2018", named.want), ns.WorkflowID)
		require.Equal(t, 1, count(t, pool, "activity WHERE code = $1 AND status = 'proposed'", named.want))
		require.Equal(t, 1, count(t, pool, "email WHERE dedup_key = $1", "proposal_receipt/2017-2018/"+named.want))

		tc.Away(nil)
		p, err := ops.Propose(ctx, req)
		require.NoError(t, err)
		require.Equal(t, operations.Proposed{Biennium: "2017-2018", Code: named.want, Resumed: true}, p)
		require.Contains(t, tc.Started(), workflows.ActivityID("2017-2018", named.want))
	}
	require.Equal(t, 3, count(t, pool, "activity"), "A1 and the two proposals, each stored once")
	require.Equal(t, 2, count(t, pool, "email WHERE kind = 'proposal_receipt'"))

	req := proposal()
	req.Code = "G1A9"
	_, err := ops.Propose(ctx, req)
	require.Equal(t, map[string]string{"code": cooperation.ErrChoice}, fields(t, err))
	require.ErrorContains(t, err, "already exists")
	require.Len(t, tc.Started(), 2)
}

// A proposal is checked under the same rules from every front door, each
// refusal naming its field, and a refused one stores and starts nothing.
func TestProposeRefuses(t *testing.T) {
	t.Parallel()
	ops, pool, tc := service(t)
	ctx := context.Background()
	cases := []struct {
		name  string
		spoil func(*operations.ProposalRequest)
		want  map[string]string
	}{
		{"no goal", func(r *operations.ProposalRequest) { r.Goal = 0 }, map[string]string{"goal": cooperation.ErrChoice}},
		{"unknown goal", func(r *operations.ProposalRequest) { r.Goal = 9 }, map[string]string{"goal": cooperation.ErrChoice}},
		{"unknown line", func(r *operations.ProposalRequest) { r.LineOfAction = 4 }, map[string]string{"line_of_action": cooperation.ErrChoice}},
		{"lead in lower case", func(r *operations.ProposalRequest) { r.Lead = "cl" }, map[string]string{"lead": cooperation.ErrChoice}},
		{"participant twice", func(r *operations.ProposalRequest) { r.Participants = []string{"MX", "MX"} },
			map[string]string{"participants": cooperation.ErrDuplicate}},
		{"lead among participants", func(r *operations.ProposalRequest) { r.Participants = []string{"CL"} },
			map[string]string{"participants": cooperation.ErrDuplicate}},
		{"unknown participant", func(r *operations.ProposalRequest) { r.Participants = []string{"AR"} },
			map[string]string{"participants": cooperation.ErrChoice}},
		{"no title", func(r *operations.ProposalRequest) { r.Title = " " }, map[string]string{"title": cooperation.ErrRequired}},
		{"title too long", func(r *operations.ProposalRequest) { r.Title = strings.Repeat("x", cooperation.MaxTitle+1) },
			map[string]string{"title": cooperation.ErrTooLong}},
		{"no description", func(r *operations.ProposalRequest) { r.Description = "" }, map[string]string{"description": cooperation.ErrRequired}},
		{"NUL in description", func(r *operations.ProposalRequest) { r.Description = "a\x00b" }, map[string]string{"description": cooperation.ErrControl}},
		{"output of two lines", func(r *operations.ProposalRequest) { r.ExpectedOutputs = []string{"a\nb"} },
			map[string]string{"expected_outputs": cooperation.ErrControl}},
		{"outputs too long", func(r *operations.ProposalRequest) {
			r.ExpectedOutputs = []string{strings.Repeat("x", 3000), strings.Repeat("y", 3000)}
		}, map[string]string{"expected_outputs": cooperation.ErrTooLong}},
		{"no start", func(r *operations.ProposalRequest) { r.StartsOn = "" }, map[string]string{"starts_on": cooperation.ErrRequired}},
		{"starts before the biennium", func(r *operations.ProposalRequest) { r.StartsOn = "2016-12-31" },
			map[string]string{"starts_on": cooperation.ErrRange}},
		{"ends in year 9999", func(r *operations.ProposalRequest) { r.EndsOn = "9999-12-31" }, map[string]string{"ends_on": cooperation.ErrRange}},
		{"ends on no day", func(r *operations.ProposalRequest) { r.EndsOn = "2018-13-40" }, map[string]string{"ends_on": cooperation.ErrDate}},
		{"ends before it starts", func(r *operations.ProposalRequest) { r.EndsOn = "2017-02-28" }, map[string]string{"ends_on": cooperation.ErrOrder}},
		{"bad code", func(r *operations.ProposalRequest) { r.Code = "G1 A9" }, map[string]string{"code": cooperation.ErrChoice}},
		{"code in use", func(r *operations.ProposalRequest) { r.Code = "A1" }, map[string]string{"code": cooperation.ErrChoice}},
		{"bad proposer", func(r *operations.ProposalRequest) { r.ProposedBy = "Focal Chile" }, map[string]string{"proposed_by": cooperation.ErrChoice}},
		{"unknown proposer", func(r *operations.ProposalRequest) { r.ProposedBy = "nobody@example.org" }, map[string]string{"proposed_by": cooperation.ErrChoice}},
		{"bad biennium", func(r *operations.ProposalRequest) { r.Biennium = "2017-2019" }, map[string]string{"biennium": cooperation.ErrChoice}},
		{"no such programme", func(r *operations.ProposalRequest) {
			r.Biennium = "2019-2020"
			r.StartsOn, r.EndsOn = "2019-03-01", "2020-06-30"
		},
			map[string]string{"biennium": cooperation.ErrChoice}},
	}
	for _, c := range cases {
		req := proposal()
		req.RequestID = "form-0123456789abcdef"
		c.spoil(&req)
		_, err := ops.Propose(ctx, req)
		require.Equal(t, c.want, fields(t, err), c.name)
	}
	require.Equal(t, 1, count(t, pool, "activity"), "a refused proposal stores nothing")
	require.Zero(t, count(t, pool, "email")+count(t, pool, "form_use"), "and claims no request")
	require.Empty(t, tc.Started())
}
