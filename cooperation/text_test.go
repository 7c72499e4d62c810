package cooperation

import "testing"

func TestShowGivesTheReadersTextElseTheOriginal(t *testing.T) {
	set := TextSet{Stored: "Red de parques", Original: "es",
		In: map[string]string{"es": "Red de parques", "en": "Network of parks"}}
	for _, c := range []struct {
		name    string
		set     TextSet
		reader  string
		want    Shown
		foreign bool
	}{
		{"the reader's own", set, "en", Shown{"Network of parks", "en", "en"}, false},
		{"the original, to its own readers", set, "es", Shown{"Red de parques", "es", "es"}, false},
		{"the original, marked, where no translation was given", set, "pt", Shown{"Red de parques", "es", "pt"}, true},
		{"revised since its translations: as revised, its language not said", TextSet{Stored: "Red de parques científicos", Original: "es", In: set.In},
			"en", Shown{"Red de parques científicos", "", "en"}, false},
		{"a plain text: as stored, its language not said", Plain("Two workshops"), "fr", Shown{"Two workshops", "", "fr"}, false},
	} {
		got := c.set.Show(c.reader)
		if got != c.want || got.Foreign() != c.foreign || got.String() != c.want.Text {
			t.Errorf("%s: Show(%s) = %+v (foreign %v), want %+v (foreign %v)", c.name, c.reader, got, got.Foreign(), c.want, c.foreign)
		}
	}
}
