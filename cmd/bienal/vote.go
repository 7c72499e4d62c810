package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/bienal/bienal/operations"
)

type voteCmd struct {
	Ref      string `arg:"" help:"<biennium>/<code> of the activity under review."`
	Member   string `required:"" help:"The committee member's e-mail."`
	Decision string `required:"" enum:"approve,reject,request_changes" help:"approve, reject or request_changes."`
	Comment  string `help:"Why."`
	VoteID   string `name:"vote-id" help:"Identifier of this vote; the same ID sent twice counts once (default: a fresh one)."`
	Casting  bool   `help:"The Chair's casting vote, when the voting period ended without a majority."`
}

func (c *voteCmd) Run(ctx context.Context, a *app) error {
	p, err := splitRef(c.Ref, 2, "<biennium>/<code>")
	if err != nil {
		return err
	}
	id := c.VoteID
	if id == "" {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		id = "cli-" + hex.EncodeToString(b)
	}
	ops, err := a.operations(ctx)
	if err != nil {
		return err
	}
	ans, err := ops.Vote(ctx, operations.VoteRequest{Biennium: p[0], Code: p[1], Member: c.Member,
		Decision: c.Decision, Comment: c.Comment, VoteID: id, Casting: c.Casting})
	if err != nil {
		return flagged(err, nil)
	}
	fmt.Printf("vote %s counted in round %d\n", id, ans.Round)
	if ans.Outcome != "" {
		fmt.Printf("this vote decided the round: %s\n", strings.ReplaceAll(ans.Outcome, "_", " "))
	}
	return nil
}
