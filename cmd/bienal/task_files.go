package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

type taskFilesCmd struct {
	Task string `arg:"" help:"<biennium>/<cycle>/<activity code>/<country>, e.g. 2017-2018/final/G1A1/AR."`
	Out  string `short:"o" required:"" help:"Folder to write the files into (created when missing)."`
}

// Run writes every file the task holds, under the names the cycle's archive
// gives them. A file already there with the same content is left as it is,
// so running it again is harmless; one with other content is never
// overwritten.
func (c *taskFilesCmd) Run(ctx context.Context, a *app) error {
	key, err := cooperation.ParseTaskKey(c.Task)
	if err != nil {
		return err
	}
	s, err := a.store(ctx)
	if err != nil {
		return err
	}
	if _, err := s.GetTask(ctx, key); err != nil {
		return notFoundAs(err, "task "+c.Task)
	}
	files, err := s.TaskEvidence(ctx, key)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fmt.Printf("%s holds no evidence files\n", c.Task)
		return nil
	}
	if err := os.MkdirAll(c.Out, 0o750); err != nil {
		return err
	}
	blobs := a.evidence().BlobStore()
	for _, f := range files {
		path := filepath.Join(c.Out, f.Name)
		wrote, err := writeEvidence(ctx, s, blobs, f, path)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		what := "wrote"
		if !wrote {
			what = "kept"
		}
		fmt.Printf("%s %s (%s, %s, version %d, SHA-256 %s)\n", what, path, f.Type.Label(), cooperation.Bytes(f.Size), f.Version, f.SHA256[:12])
	}
	return nil
}

// writeEvidence writes one file to path unless the same content is there
// already; it reports whether it wrote.
func writeEvidence(ctx context.Context, s *store.Store, blobs store.Blobs, f store.EvidenceFile, path string) (bool, error) {
	if held, err := os.ReadFile(path); err == nil {
		sum := sha256.Sum256(held)
		if hex.EncodeToString(sum[:]) == f.SHA256 {
			return false, nil
		}
		return false, errors.New("a different file is there already: nothing overwritten")
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	rc, err := s.OpenEvidence(ctx, blobs, f)
	if err != nil {
		return false, err
	}
	defer func() { _ = rc.Close() }()
	var b bytes.Buffer
	if _, err := io.Copy(&b, rc); err != nil {
		return false, err
	}
	// Written whole under another name, then renamed: an interrupted run
	// leaves no half file under the real name.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".bienal-*")
	if err != nil {
		return false, err
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.Write(b.Bytes()); err != nil {
		_ = tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	return true, os.Rename(tmp.Name(), path)
}
