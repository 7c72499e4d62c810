package operations_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
)

// Revoking links needs a well-formed subject and a reason; a revocation
// that matches no live link is refused, whatever the front door, and only
// one that revokes something is audited.
func TestRevokeLinks(t *testing.T) {
	t.Parallel()
	ops, pool, _ := service(t)
	ctx := context.Background()
	const subject = "task/2017-2018/mid/A1/CL"
	for _, to := range []string{"fp.cl@example.org", "fp.mx@example.org"} {
		_, err := ops.Store.CreateLink(ctx, store.PurposeReport, subject, to, now.AddDate(0, 1, 0))
		require.NoError(t, err)
	}
	invalid := []struct {
		name string
		req  operations.RevokeRequest
		want map[string]string
	}{
		{"no reason", operations.RevokeRequest{Subject: subject, By: "ana@example.org", Reason: " \n"},
			map[string]string{"reason": cooperation.ErrRequired}},
		{"NUL in the reason", operations.RevokeRequest{Subject: subject, By: "ana@example.org", Reason: "left\x00office"},
			map[string]string{"reason": cooperation.ErrControl}},
		{"unknown kind, no one", operations.RevokeRequest{Subject: "vote/2017-2018/A1", Reason: "r"},
			map[string]string{"subject": cooperation.ErrChoice, "by": cooperation.ErrRequired}},
		{"task without its country", operations.RevokeRequest{Subject: "task/2017-2018/mid/A1", By: "ana@example.org", Reason: "r"},
			map[string]string{"subject": cooperation.ErrChoice}},
		{"recipient in capitals", operations.RevokeRequest{Subject: subject, Recipient: "FP.CL@example.org", By: "ana@example.org", Reason: "r"},
			map[string]string{"recipient": cooperation.ErrChoice}},
	}
	for _, c := range invalid {
		_, err := ops.RevokeLinks(ctx, c.req)
		require.Equal(t, c.want, fields(t, err), c.name)
	}

	_, err := ops.RevokeLinks(ctx, operations.RevokeRequest{Subject: "task/2017-2018/mid/A1/MX", By: "ana@example.org", Reason: "left office"})
	require.Equal(t, "no_live_links", refusal(err))
	require.ErrorContains(t, err, "no link to task/2017-2018/mid/A1/MX was ever sent")
	var ref *operations.Refused
	require.ErrorAs(t, err, &ref)
	require.Equal(t, "refused_no_live_links", ref.Key())

	n, err := ops.RevokeLinks(ctx, operations.RevokeRequest{Subject: subject, Recipient: "fp.cl@example.org", By: "ana@example.org", Reason: "left office"})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	_, err = ops.RevokeLinks(ctx, operations.RevokeRequest{Subject: subject, Recipient: "fp.cl@example.org", By: "ana@example.org", Reason: "again"})
	require.Equal(t, "no_live_links", refusal(err))
	require.ErrorContains(t, err, "the 1 links to "+subject+" for fp.cl@example.org are already revoked")
	n, err = ops.RevokeLinks(ctx, operations.RevokeRequest{Subject: subject, By: "ana@example.org", Reason: "wrong address"})
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "only the live one")
	_, err = ops.RevokeLinks(ctx, operations.RevokeRequest{Subject: subject, By: "ana@example.org", Reason: "once more"})
	require.Equal(t, "no_live_links", refusal(err))
	require.Zero(t, count(t, pool, "link WHERE revoked_at IS NULL"))
	require.Equal(t, 2, count(t, pool, "audit_log WHERE action = 'links_revoked' AND actor = 'ana@example.org'"),
		"one audit line per revocation that revoked something")
}
