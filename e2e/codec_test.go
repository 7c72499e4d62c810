package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/proxy"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/bienal/bienal/codec"
	"github.com/bienal/bienal/workflows"
)

// With TEMPORAL_PAYLOAD_KEYS set, what Temporal stores of a committee's
// review and of a report (the votes' members and comments, the submitter,
// the state carried along) holds no e-mail address in clear, while the
// CLI still reads the workflow's state, `bienal codec-server` decodes the
// payloads for the Web UI and the CLI, and the history replays through
// the same codec.
func TestPayloadsEncryptedInTemporal(t *testing.T) {
	raw := make([]byte, codec.KeySize)
	_, err := rand.Read(raw)
	require.NoError(t, err)
	keys := "e2e-1:" + base64.StdEncoding.EncodeToString(raw)
	s := newStackWith(t, stackOptions{PayloadKeys: keys})
	ctx := context.Background()
	s.importAndExecute()
	s.bienal("activity", "propose", "examples/proposal.yaml")
	eventually(t, "round 1 open", 30*time.Second, func() bool {
		return s.count("SELECT count(*) FROM review_round WHERE code = 'G1A4'") == 1
	})
	s.voteAll(2, "approve", "1")
	show := s.bienal("activity", "show", "2017-2018/G1A4")
	require.Contains(t, show, "committee.ar@example.org", "the CLI reads the encrypted state through the codec")

	s.bienal("cycle", "open", "--biennium", "2017-2018", "--name", "final", "--due", futureDay(30))
	eventually(t, "the task of AR on G1A1", 60*time.Second, func() bool {
		return s.count("SELECT count(*) FROM report_task WHERE cycle = 'final' AND code = 'G1A1' AND country = 'AR'") == 1
	})
	s.bienal("task", "submit", "2017-2018/final/G1A1/AR", "--file", reportFile(t), "--by", "focal.ar@example.org")
	task := workflows.TaskID("2017-2018", "final", "G1A1", "AR")
	eventually(t, "the submission recorded by its workflow", 30*time.Second, func() bool {
		return s.count("SELECT count(*) FROM audit_log WHERE subject = $1 AND action = 'task_submitted'", task) == 1
	})

	var payloads []*commonpb.Payload
	for _, id := range []string{workflows.ActivityID("2017-2018", "G1A4"), task} {
		h := s.history(id)
		for _, ev := range h.Events {
			b, err := proto.Marshal(ev)
			require.NoError(t, err)
			require.False(t, bytes.Contains(b, []byte("@example.org")), "%s: event %d %s holds an address in clear", id, ev.EventId, ev.EventType)
		}
		require.NoError(t, proxy.VisitPayloads(ctx, h, proxy.VisitPayloadsOptions{SkipSearchAttributes: true,
			Visitor: func(_ *proxy.VisitPayloadsContext, ps []*commonpb.Payload) ([]*commonpb.Payload, error) {
				for _, p := range ps {
					require.Equal(t, codec.EncodingEncrypted, string(p.Metadata[converter.MetadataEncoding]), "%s: every payload encrypted", id)
				}
				payloads = append(payloads, ps...)
				return ps, nil
			}}))

		pc, err := codec.Parse(keys)
		require.NoError(t, err)
		replayer, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{
			DataConverter: pc.DataConverter(), FailureConverter: pc.FailureConverter()})
		require.NoError(t, err)
		replayer.RegisterWorkflowWithOptions(workflows.Activity, workflow.RegisterOptions{Name: workflows.ActivityWorkflowName})
		replayer.RegisterWorkflowWithOptions(workflows.ReportTask, workflow.RegisterOptions{Name: workflows.TaskWorkflowName})
		require.NoError(t, replayer.ReplayWorkflowHistory(nil, h), "%s replays through the codec", id)
	}

	decoded := s.codecServerDecode(payloads)
	for _, want := range []string{`"seat":"AR"`, `"by":"p-`, "Activity 2017-2018/G1A4"} {
		require.Contains(t, decoded, want)
	}
}

// history is the workflow's history as the server stores it, payloads
// untouched.
func (s *stack) history(workflowID string) *historypb.History {
	s.t.Helper()
	it := s.client.GetWorkflowHistory(context.Background(), workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		require.NoError(s.t, err)
		h.Events = append(h.Events, ev)
	}
	return h
}

// codecServerDecode runs `bienal codec-server` with the stack's keys and
// asks it, as the Web UI does from its page, to decode the payloads; it
// returns the decoded payloads' data, one per line.
func (s *stack) codecServerDecode(payloads []*commonpb.Payload) string {
	s.t.Helper()
	addr := freeAddr(s.t)
	cmd := exec.Command(bienalBin, "codec-server")
	cmd.Dir = repoRoot
	cmd.Env = append(s.env(), "CODEC_ADDR="+addr, "CODEC_CORS_ORIGINS=http://127.0.0.1:8233")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	require.NoError(s.t, cmd.Start())
	s.t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	body, err := protojson.Marshal(&commonpb.Payloads{Payloads: payloads})
	require.NoError(s.t, err)
	var status int
	var allowed string
	var out []byte
	eventually(s.t, "the codec server answering", 20*time.Second, func() bool {
		req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/decode", bytes.NewReader(body))
		require.NoError(s.t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", "http://127.0.0.1:8233")
		req.Header.Set("X-Namespace", s.cfg.TemporalNamespace)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		status, allowed = resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin")
		out, err = io.ReadAll(resp.Body)
		require.NoError(s.t, err)
		return true
	})
	require.Equal(s.t, http.StatusOK, status, "%s\n%s", out, logs.String())
	require.Equal(s.t, "http://127.0.0.1:8233", allowed)
	var decoded commonpb.Payloads
	require.NoError(s.t, protojson.Unmarshal(out, &decoded))
	require.Len(s.t, decoded.Payloads, len(payloads))
	var b strings.Builder
	for _, p := range decoded.Payloads {
		b.Write(p.Data)
		b.WriteByte('\n')
	}
	return b.String()
}
