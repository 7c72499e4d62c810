package cooperation

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDocumentSymbol(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"", "LC/L.4221(CCITIC.2/4)", "LC/G.2586-P", "E/CN.4/2005/L.10/Add.1", "LC/SES.37/3-P"} {
		require.NoError(t, DocumentSymbol("symbol", ok), ok)
	}
	for in, want := range map[string]string{
		"LC/L 4221":                    `' ' at character 5 cannot be in a document symbol (letters, digits and / . ( ) - only)`,
		"LC/L.4221;DROP":               `';' at character 10 cannot be in a document symbol`,
		"LC/L.4221(CCITIC.2/4":         "a parenthesis is not closed",
		"LC/L.4221)":                   "a closing parenthesis without its opening one at character 10",
		"LC/L.4221((2))":               "a parenthesis inside another at character 11",
		"LC/L.4221()":                  "empty parentheses at character 10",
		"LC//L.4221":                   "an empty part between two slashes at character 4",
		"LC/L.4221/":                   "ends with a slash",
		"4221/LC":                      "starts with a letter",
		"LC/L.4221/Rev.1":              "leave the revision out of the symbol",
		"LC/L.4221(CCITIC.2/4)/rev 2":  `' ' at character 26`,
		"LC/L.4221(CCITIC.2/4)/REV.12": "leave the revision out of the symbol",
		"LC/L.\u00e94221":              `'é' at character 6`,
		"LC/L.4221\n":                  "holds a control character",
	} {
		err := DocumentSymbol("symbol", in)
		require.ErrorContains(t, err, want, "%q", in)
		var fe *FieldError
		require.ErrorAs(t, err, &fe)
		require.Equal(t, "symbol", fe.Field)
	}
	long := "LC/"
	for len(long) <= MaxSymbol {
		long += "A"
	}
	require.ErrorContains(t, DocumentSymbol("symbol", long), "longer than 100 characters")
}

func TestDistributionAndRevision(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want Distribution
	}{{"limited", DistributionLimited}, {"LIMITED", DistributionLimited}, {" General ", DistributionGeneral}} {
		in, want := c.in, c.want
		d, err := ParseDistribution("distribution", in)
		require.NoError(t, err)
		require.Equal(t, want, d)
	}
	_, err := ParseDistribution("distribution", "restricted")
	require.ErrorContains(t, err, `distribution: "restricted" is not one of [limited general]`)

	n, err := ParseRevision("revision", "2")
	require.NoError(t, err)
	require.Equal(t, 2, n)
	for _, bad := range []string{"-1", "100", "two", "", "1.5"} {
		_, err := ParseRevision("revision", bad)
		require.ErrorContains(t, err, "want a whole number from 0 to 99", bad)
	}
	require.Equal(t, "LC/L.4221(CCITIC.2/4)/Rev.1", RevisedSymbol("LC/L.4221(CCITIC.2/4)", 1))
	require.Equal(t, "LC/L.4221(CCITIC.2/4)", RevisedSymbol("LC/L.4221(CCITIC.2/4)", 0))
	require.Empty(t, RevisedSymbol("", 3), "no symbol, no suffix")
}
