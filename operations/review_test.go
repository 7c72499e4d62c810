package operations_test

import (
	"context"
	"testing"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
)

// Every review operation refuses bad input before anything is asked or
// written, naming each field at fault.
func TestReviewOperationsRefuseBadInput(t *testing.T) {
	svc, pool, _ := service(t)
	ctx := context.Background()
	task := cooperation.TaskKey{Biennium: "2017-2018", Cycle: "mid", Code: "A1", Country: "CL"}
	cases := []struct {
		name string
		call func() error
		want map[string]string
	}{
		{"accept without a secretariat user", func() error {
			_, err := svc.Accept(ctx, operations.AcceptRequest{Task: task})
			return err
		}, map[string]string{"by": cooperation.ErrRequired}},
		{"clarify with no reason and a bad date", func() error {
			_, err := svc.Clarify(ctx, operations.ClarifyRequest{Task: task, Due: "20/07/2026", By: "sec@eclac.example"})
			return err
		}, map[string]string{"due": cooperation.ErrDate, "reason": cooperation.ErrRequired}},
		{"an extension request without a date", func() error {
			_, err := svc.RequestExtension(ctx, operations.ExtensionAsk{Task: task, Reason: "elections", By: "ana@cl.example"})
			return err
		}, map[string]string{"until": cooperation.ErrDate}},
		{"a refusal without a reason", func() error {
			_, err := svc.RefuseExtension(ctx, operations.ExtensionAnswer{Task: task, By: "sec@eclac.example"})
			return err
		}, map[string]string{"reason": cooperation.ErrRequired}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := fields(t, c.call())
			for f, key := range c.want {
				if got[f] != key {
					t.Errorf("field %s: got %q, want %q (all: %v)", f, got[f], key, got)
				}
			}
		})
	}
	for _, table := range []string{"task_review", "extension_request", "audit_log"} {
		if n := count(t, pool, table); n != 0 {
			t.Errorf("%s: %d rows written by refused requests", table, n)
		}
	}
}
