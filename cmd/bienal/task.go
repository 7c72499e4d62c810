package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/programme"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

type taskCmd struct {
	Submit taskSubmitCmd `cmd:"" help:"Submit a report for a task from a YAML file (for operators; focal points use their e-mailed link)."`
	Files  taskFilesCmd  `cmd:"" help:"Write the evidence files of a task into a folder."`

	Accept           taskAcceptCmd           `cmd:"" help:"Accept a submitted report; it takes no newer version."`
	Clarify          taskClarifyCmd          `cmd:"" help:"Send a submitted report back for clarification, with a reason and a new due date."`
	RequestExtension taskRequestExtensionCmd `cmd:"" name:"request-extension" help:"Record a focal point's request for a new due date."`
	RefuseExtension  taskRefuseExtensionCmd  `cmd:"" name:"refuse-extension" help:"Refuse a pending extension request, with a reason."`
}

type taskSubmitCmd struct {
	Task   string   `arg:"" help:"<biennium>/<cycle>/<activity code>/<country>, e.g. 2017-2018/final/G1A1/AR."`
	File   string   `required:"" type:"existingfile" help:"YAML with status, progress, results, difficulties, next_steps, and language (es, en, pt or fr) if said."`
	Attach []string `type:"existingfile" help:"An evidence file to attach (PDF, DOCX, XLSX, ODT, PNG, JPEG, CSV or TXT); repeat for more."`
	By     string   `help:"E-mail of who submits (default: submitted_by in the file, else secretariat)."`
}

func (c *taskSubmitCmd) Run(ctx context.Context, a *app) error {
	key, err := cooperation.ParseTaskKey(c.Task)
	if err != nil {
		return err
	}
	data, err := programme.ReadFile(c.File)
	if err != nil {
		return err
	}
	rf, err := programme.ParseReport(data)
	if err != nil {
		return fmt.Errorf("%s: nothing submitted:\n%w", c.File, err)
	}
	ev := a.evidence()
	files, err := readEvidence(c.Attach, ev.Bounds())
	if err != nil {
		return fmt.Errorf("%s: nothing submitted: %w", c.File, err)
	}
	by := c.By
	if by == "" {
		by = rf.SubmittedBy
	}
	if by == "" {
		by = "secretariat"
	}
	s, tc, err := a.connect(ctx)
	if err != nil {
		return err
	}
	sub, err := s.CreateSubmission(ctx, store.NewSubmission{
		Task: key, Status: rf.Status, Progress: rf.Progress, Results: rf.Results,
		Difficulties: rf.Difficulties, NextSteps: rf.NextSteps, SubmittedBy: by, Language: rf.Language, At: time.Now(),
		Files: files, Evidence: ev,
	}, activities.ComposeReceipt)
	if err != nil {
		return fmt.Errorf("%s: nothing submitted: %w", c.File, err)
	}
	id := workflows.TaskID(key.Biennium, key.Cycle, key.Code, key.Country)
	ops, err := a.operations(ctx)
	if err != nil {
		return err
	}
	sig, err := ops.SubmitSignal(ctx, sub.ID, by)
	if err == nil {
		err = tc.SignalWorkflow(ctx, id, "", workflows.SignalSubmit, sig)
	}
	if err != nil {
		// Stored is submitted: the scheduler's tell-submissions step tells
		// the workflow within a minute or so.
		a.logger.Warn("task not told yet; the scheduler tells it", "workflow_id", id, "error", signalError(err, id))
	}
	late := ""
	if sub.Late {
		late = " (late)"
	}
	fmt.Printf("submitted version %d of %s%s; a receipt is on its way\n", sub.Version, c.Task, late)
	for _, f := range sub.Files {
		fmt.Printf("  attached %s (%s, %s)\n", f.Name, f.Type.Label(), cooperation.Bytes(f.Size))
	}
	return nil
}

// evidence is where this process keeps evidence bytes, and their limits.
func (a *app) evidence() store.EvidenceOptions {
	return store.EvidenceOptions{Limits: a.cfg.EvidenceLimits()}
}

// readEvidence reads and checks the files to attach, under the portal's
// rules. A file over the limit is refused from its size, before it is read.
func readEvidence(paths []string, lim cooperation.EvidenceLimits) ([]cooperation.EvidenceFile, error) {
	if len(paths) > cooperation.MaxEvidenceFiles {
		return nil, fmt.Errorf("%d files to attach: a report takes at most %d", len(paths), cooperation.MaxEvidenceFiles)
	}
	names := make([]string, len(paths))
	data := make([][]byte, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if fi.Size() > lim.FileBytes {
			return nil, fmt.Errorf("%w (EVIDENCE_FILE_MB)", cooperation.FileTooLarge(names[i], lim))
		}
		if data[i], err = os.ReadFile(p); err != nil {
			return nil, err
		}
	}
	return cooperation.CheckEvidence(names, data, lim)
}
