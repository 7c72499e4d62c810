package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/bienal/bienal/store"
)

func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// resolveBiennium returns b, or the only programme's biennium when b is empty.
func resolveBiennium(ctx context.Context, s *store.Store, b string) (string, error) {
	if b != "" {
		return b, nil
	}
	ps, err := s.ListProgrammes(ctx)
	if err != nil {
		return "", err
	}
	switch len(ps) {
	case 0:
		return "", fmt.Errorf("no programme yet: import one with `bienal programme import FILE`")
	case 1:
		return ps[0].Biennium, nil
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Biennium
	}
	return "", fmt.Errorf("several programmes (%s): choose one with --biennium", strings.Join(names, ", "))
}

// splitRef splits "<biennium>/<rest...>" into its n parts, naming the expected form on error.
func splitRef(ref string, n int, form string) ([]string, error) {
	parts := strings.Split(ref, "/")
	if len(parts) != n {
		return nil, fmt.Errorf("%q: want %s", ref, form)
	}
	for _, p := range parts {
		if p == "" {
			return nil, fmt.Errorf("%q: want %s", ref, form)
		}
	}
	return parts, nil
}
