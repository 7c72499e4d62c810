package config

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
)

type lister struct {
	have map[string]enumspb.IndexedValueType
	err  error
}

func (l lister) ListCustom(context.Context, string) (map[string]enumspb.IndexedValueType, error) {
	return l.have, l.err
}

var wanted = []RequiredSearchAttribute{
	{Name: "BienalCountry", Type: enumspb.INDEXED_VALUE_TYPE_KEYWORD},
	{Name: "BienalDue", Type: enumspb.INDEXED_VALUE_TYPE_DATETIME},
	{Name: "BienalLate", Type: enumspb.INDEXED_VALUE_TYPE_BOOL},
}

// e2e's TestPartsRefuseToStartNamingWhatIsMissing runs the check against
// the real server; here every answer it can get.
func TestCheckSearchAttributesNamesTheCommand(t *testing.T) {
	t.Parallel()
	c := valid()
	c.TemporalNamespace = "bienal"
	c.TemporalAddress = "temporal.internal:7233"
	ctx := context.Background()

	all := map[string]enumspb.IndexedValueType{"BienalCountry": enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		"BienalDue": enumspb.INDEXED_VALUE_TYPE_DATETIME, "BienalLate": enumspb.INDEXED_VALUE_TYPE_BOOL, "Other": enumspb.INDEXED_VALUE_TYPE_INT}
	require.NoError(t, c.CheckSearchAttributes(ctx, lister{have: all}, wanted))

	err := c.CheckSearchAttributes(ctx, lister{have: map[string]enumspb.IndexedValueType{"BienalCountry": enumspb.INDEXED_VALUE_TYPE_KEYWORD}}, wanted)
	require.EqualError(t, err, `TEMPORAL_NAMESPACE: namespace "bienal" on temporal.internal:7233 lacks the search attributes BienalDue, BienalLate; `+
		`register them once with: temporal operator search-attribute create --namespace bienal --address temporal.internal:7233 `+
		`--name BienalDue --type Datetime --name BienalLate --type Bool`)
	var saErr *SearchAttributeError
	require.True(t, errors.As(err, &saErr))

	err = c.CheckSearchAttributes(ctx, lister{have: map[string]enumspb.IndexedValueType{"BienalCountry": enumspb.INDEXED_VALUE_TYPE_KEYWORD_LIST,
		"BienalDue": enumspb.INDEXED_VALUE_TYPE_DATETIME, "BienalLate": enumspb.INDEXED_VALUE_TYPE_BOOL}}, wanted)
	require.ErrorContains(t, err, "wrong type (BienalCountry is KeywordList, not Keyword)")

	err = c.CheckSearchAttributes(ctx, lister{err: serviceerror.NewPermissionDenied("no", "")}, wanted)
	require.ErrorContains(t, err, "TEMPORAL_API_KEY")
	unreachable := serviceerror.NewUnavailable("connection refused")
	err = c.CheckSearchAttributes(ctx, lister{err: unreachable}, wanted)
	require.ErrorIs(t, err, unreachable)
	require.ErrorContains(t, err, "TEMPORAL_ADDRESS")
}
