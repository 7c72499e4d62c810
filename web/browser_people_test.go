package web_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/bienal/bienal/web/axetest"
)

// The pages of the people and the committee pass axe-core's default rules,
// at a laptop's width and a phone's: the directory, the vote page of a
// second round (its diff), the page naming a delegate while away.
func TestBrowserPeoplePagesAreAccessible(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := axetest.New(t)
	base := f.serve()
	token := f.roundTwo(time.Date(2026, 3, 12, 22, 43, 0, 0, time.UTC))
	for _, w := range axetest.Widths {
		b.Open(base+"/vote/"+token, w, "#vote")
		b.RequireAccessible(fmt.Sprintf("vote page at %d px", w))
		b.Open(base+"/l/"+token+"/away", w, "#away")
		b.RequireAccessible(fmt.Sprintf("away page at %d px", w))
	}
	signInBrowser(t, f, b, base)
	for _, w := range axetest.Widths {
		b.Open(base+"/directory", w, "#replace-submit")
		b.RequireAccessible(fmt.Sprintf("directory at %d px", w))
	}
}
