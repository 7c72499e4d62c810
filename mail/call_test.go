package mail_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

// A proposal receipt says the proposal is in, in the proposer's language,
// with the call's link when there is one and without a word of it when
// there is none; a language bienal does not write falls back to Spanish.
func TestProposalReceipt(t *testing.T) {
	to := store.Recipient{Email: "fp.cl@example.org", Name: "Focal Chile", Language: "en"}
	e, err := mail.ProposalReceipt("2017-2018", "G1P1", cooperation.Plain("Open data"), mail.LinkURL("https://portal.example.org/", "tok"), to)
	require.NoError(t, err)
	require.Equal(t, "proposal_receipt/2017-2018/G1P1", e.DedupKey)
	require.Contains(t, e.Text, "follow its status through the call's link:\nhttps://portal.example.org/l/tok\n")
	require.Contains(t, e.HTML, `<a href="https://portal.example.org/l/tok">`)
	e, err = mail.ProposalReceipt("2017-2018", "G1P1", cooperation.Plain("Open data"), "", to)
	require.NoError(t, err)
	require.NotContains(t, e.Text, "link")
	require.NotContains(t, e.HTML, "<a href")
	require.True(t, strings.HasSuffix(e.Text, "for review.\n"), "%q", e.Text)
	to.Language = "de"
	e, err = mail.ProposalReceipt("2017-2018", "G1P1", cooperation.Plain("Open data"), "", to)
	require.NoError(t, err)
	require.Equal(t, "es", e.Language)
	require.Contains(t, e.Subject, "Recibida")
}
