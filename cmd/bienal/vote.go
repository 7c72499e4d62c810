package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/workflows"
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
	id := c.VoteID
	if id == "" {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		id = "cli-" + hex.EncodeToString(b)
	}
	// The workflow refuses these too (raw signals bypass the command); here
	// the refusal comes at once and names the flag.
	if err := firstError(cooperation.ID("--vote-id", id),
		cooperation.Line("--member", c.Member, cooperation.MaxEmail, true),
		cooperation.Text("--comment", c.Comment, cooperation.MaxVoteComment, false)); err != nil {
		return err
	}
	signal := workflows.SignalVote
	if c.Casting {
		signal = workflows.SignalCastingVote
	}
	if err := a.signalActivity(ctx, c.Ref, signal, workflows.VoteSignal{
		VoteID: id, Member: c.Member, Decision: c.Decision, Comment: c.Comment,
	}); err != nil {
		return err
	}
	fmt.Printf("vote_id %s (the workflow counts it if the member may vote; refusals are in the audit log)\n", id)
	return nil
}
