package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
)

// document is the front matter a cycle's report is issued under, as
// `cycle open` and `cycle set` take it. A flag not given leaves its field
// as it is.
type document struct {
	Symbol           *string `help:"Document symbol, e.g. LC/L.4221(CCITIC.2/4) (letters, digits and / . ( ) -; \"\" removes it). The revision is given apart."`
	Distribution     *string `help:"limited or general (default when a cycle opens: limited)."`
	OriginalLanguage *string `name:"original-language" help:"es, en, pt or fr: the language the report is written in (default: the secretariat's; \"\" goes back to it)."`
}

type cycleSetCmd struct {
	Cycle string `arg:"" help:"<biennium>/<name>, e.g. 2017-2018/final."`
	document
	Revision *string `help:"Revision number: 0 as first issued; N prints /Rev.N after the symbol. Never lower than the current one; raising it on a closed cycle takes its report again from Postgres."`
	By       string  `default:"secretariat" help:"Who sets it (audited)."`
}

func (c *cycleSetCmd) Run(ctx context.Context, a *app) error {
	p, err := splitRef(c.Cycle, 2, "<biennium>/<name>")
	if err != nil {
		return err
	}
	if c.Symbol == nil && c.Distribution == nil && c.Revision == nil && c.OriginalLanguage == nil {
		return errors.New("nothing to set: give --symbol, --distribution, --revision or --original-language")
	}
	ops, err := a.operations(ctx)
	if err != nil {
		return err
	}
	doc, err := ops.SetCycleDocument(ctx, operations.CycleDocumentRequest{Biennium: p[0], Name: p[1], Symbol: c.Symbol,
		Distribution: c.Distribution, Revision: c.Revision, OriginalLanguage: c.OriginalLanguage, By: c.By})
	if errors.Is(err, store.ErrNotFound) {
		return notFoundAs(err, "cycle "+c.Cycle)
	}
	if err != nil {
		return flagged(err, map[string]string{"original_language": "--original-language"})
	}
	verb := "set"
	if !doc.Changed {
		verb = "unchanged"
	}
	symbol := doc.RevisedSymbol()
	if symbol == "" {
		symbol = "(no symbol)"
	}
	lang := doc.OriginalLanguage
	if !doc.OwnLanguage {
		lang += " (the secretariat's)"
	}
	fmt.Printf("cycle %s %s: %s, distribution %s, revision %d, original language %s\n", c.Cycle, verb, symbol,
		doc.Distribution, doc.Revision, lang)
	return nil
}
