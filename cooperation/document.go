package cooperation

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Distribution is how widely an ECLAC document is circulated, printed on
// its front matter as "Distr. LIMITED" or "Distr. GENERAL".
type Distribution string

// Distributions.
const (
	DistributionLimited Distribution = "limited"
	DistributionGeneral Distribution = "general"
)

// Distributions lists the distributions a report may be issued under.
var Distributions = []Distribution{DistributionLimited, DistributionGeneral}

// Bounds of a document's front matter.
const (
	MaxSymbol   = 100 // characters of a document symbol
	MaxRevision = 99  // the highest /Rev.N
)

// Translation keys of the refusals of a document's front matter.
const (
	ErrSymbol        = "err_symbol"         // a character or a shape a symbol cannot hold
	ErrRevisionLower = "err_revision_lower" // a revision below the one already issued
	ErrRevision      = "err_revision"       // not a whole number from 0 to MaxRevision
)

// ParseDistribution reads a distribution as people type it: "limited",
// "LIMITED" and "General" are all accepted.
func ParseDistribution(field, v string) (Distribution, error) {
	d := Distribution(strings.ToLower(strings.TrimSpace(v)))
	if err := OneOf(field, d, Distributions...); err != nil {
		return "", err
	}
	return d, nil
}

// revisionSuffix is a revision written into a symbol by hand.
var revisionSuffix = regexp.MustCompile(`(?i)/rev\.?\s*[0-9]+$`)

// DocumentSymbol checks a United Nations document symbol as ECLAC writes
// them, such as LC/L.4221(CCITIC.2/4): letters, digits and the separators
// / . ( ) -, starting with a letter, parentheses in pairs, no empty part
// between two slashes. Empty means no symbol yet. A revision is not part
// of what is typed (the document adds /Rev.N from its revision number),
// so a symbol ending in one is refused with that advice.
func DocumentSymbol(field, v string) error {
	if v == "" {
		return nil
	}
	if err := Line(field, v, MaxSymbol, false); err != nil {
		return err
	}
	bad := func(format string, args ...any) error {
		return &FieldError{Field: field, Key: ErrSymbol, Detail: fmt.Sprintf("%q: ", Excerpt(v, 40)) + fmt.Sprintf(format, args...)}
	}
	depth := 0
	for i, r := range v {
		switch {
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '-':
		case r == '/':
			if i > 0 && v[i-1] == '/' {
				return bad("an empty part between two slashes at character %d", i+1)
			}
		case r == '(':
			depth++
			if depth > 1 {
				return bad("a parenthesis inside another at character %d", i+1)
			}
		case r == ')':
			if depth == 0 {
				return bad("a closing parenthesis without its opening one at character %d", i+1)
			}
			if v[i-1] == '(' {
				return bad("empty parentheses at character %d", i)
			}
			depth--
		default:
			return bad("%q at character %d cannot be in a document symbol (letters, digits and / . ( ) - only)", r, i+1)
		}
	}
	letter := v[0] >= 'A' && v[0] <= 'Z' || v[0] >= 'a' && v[0] <= 'z'
	switch {
	case !letter:
		return bad("a document symbol starts with a letter, as LC/L.4221(CCITIC.2/4)")
	case depth != 0:
		return bad("a parenthesis is not closed")
	case strings.HasSuffix(v, "/"):
		return bad("ends with a slash")
	case revisionSuffix.MatchString(v):
		return bad("leave the revision out of the symbol and give its number as the revision: the document adds /Rev.N")
	}
	return nil
}

// ParseRevision reads a revision number: a whole number from 0 (the
// document as first issued) to MaxRevision.
func ParseRevision(field, v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 || n > MaxRevision {
		return 0, &FieldError{Field: field, Key: ErrRevision, Max: MaxRevision,
			Detail: fmt.Sprintf("%q: want a whole number from 0 to %d", Excerpt(v, 20), MaxRevision)}
	}
	return n, nil
}

// RevisedSymbol is the symbol a document carries at revision n: the
// symbol itself, then /Rev.n once revised.
func RevisedSymbol(symbol string, n int) string {
	if symbol == "" || n == 0 {
		return symbol
	}
	return fmt.Sprintf("%s/Rev.%d", symbol, n)
}
