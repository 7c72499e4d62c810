package mail

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
)

// countriesCSV names each member state and associate member of ECLAC in
// every one of Languages, one row per ISO code with a column per language,
// in the short form of the United Nations' country lists. A row keeps the
// four names of a country together, which is how they are checked.
//
//go:embed countries.csv
var countriesCSV string

// countryNames maps language, then code, to the country's name.
var countryNames = loadCountries(countriesCSV)

func loadCountries(src string) map[string]map[string]string {
	rows, err := csv.NewReader(strings.NewReader(src)).ReadAll()
	if err != nil {
		panic(fmt.Sprintf("mail: read countries.csv: %v", err))
	}
	header := rows[0]
	if header[0] != "code" || !slices.Equal(header[1:], Languages) {
		panic(fmt.Sprintf("mail: countries.csv header is %v, want code and %v", header, Languages))
	}
	names := make(map[string]map[string]string, len(Languages))
	for _, lang := range Languages {
		names[lang] = make(map[string]string, len(rows)-1)
	}
	for _, row := range rows[1:] {
		for i, lang := range Languages {
			names[lang][row[0]] = row[i+1]
		}
	}
	return names
}

// CountryName is the name of the country with ISO code code as a reader of
// lang writes it; a code the list lacks is given back as it is, so a message
// never loses the country altogether.
func CountryName(lang, code string) string {
	m, ok := countryNames[lang]
	if !ok {
		m = countryNames["en"]
	}
	if n := m[code]; n != "" {
		return n
	}
	return code
}
