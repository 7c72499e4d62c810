package web

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// TestMissingTranslations fails for every key that one language has and
// another lacks: translate would show that reader English, or the bare key.
func TestMissingTranslations(t *testing.T) {
	t.Parallel()
	keys := map[string]bool{}
	for _, lang := range languages {
		for k := range messages[lang] {
			keys[k] = true
		}
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		for _, lang := range languages {
			if _, ok := messages[lang][k]; !ok {
				t.Errorf("key %q is missing in %s (messages/%s.json)", k, lang, lang)
			}
		}
	}
}

// TestCatalogueFiles fails when a catalogue names a language the portal
// does not offer, or holds a key twice: decoding keeps the last text
// silently, so a key added twice by two people would hide one of them.
func TestCatalogueFiles(t *testing.T) {
	t.Parallel()
	names, err := fs.Glob(messageFiles, "messages/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		lang := strings.TrimSuffix(filepath.Base(n), ".json")
		if !slices.Contains(languages, lang) {
			t.Errorf("%s: %s is not one of the portal's languages %v", n, lang, languages)
		}
		b, err := fs.ReadFile(messageFiles, n)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range duplicateKeys(t, b) {
			t.Errorf("%s: key %q appears more than once", n, k)
		}
	}
}

func duplicateKeys(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	seen, dups := map[string]bool{}, []string(nil)
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dec.Token(); err != nil {
			t.Fatal(err)
		}
		if key := k.(string); seen[key] {
			dups = append(dups, key)
		} else {
			seen[key] = true
		}
	}
	return dups
}

// valueKeys are the families of keys a template builds from a value, as in
// {{$.T (print "st_" .Status)}}, with every value the value can take.
func valueKeys() map[string][]string {
	var runs []string
	for n, name := range enumspb.WorkflowExecutionStatus_name {
		st := enumspb.WorkflowExecutionStatus(n)
		if st == enumspb.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED || st == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			continue // the dashboard lists only workflows that are not running
		}
		runs = append(runs, strings.ToLower(strings.TrimPrefix(name, "WORKFLOW_EXECUTION_STATUS_")))
	}
	return map[string][]string{
		"st_": words(cooperation.ActivityStatuses),
		"ts_": words(cooperation.TaskStatuses),
		"cs_": {string(cooperation.CycleOpen), string(cooperation.CycleClosed)},
		"ds_": words(cooperation.Distributions),
		"rs_": store.SubmissionStatuses,
		// The language a report's texts were written in.
		"text_written_": cooperation.Languages,
		"rq_":           {store.RequestPending, store.RequestGranted, store.RequestRefused, "withdrawn"},
		// A page is read-only when its cycle is closed or its task takes no report.
		"task_read_only_": {"closed", string(cooperation.TaskAccepted), string(cooperation.TaskWaived), string(cooperation.TaskMissing)},
		"d_":              {workflows.DecisionApprove, workflows.DecisionReject, workflows.DecisionRequestChanges},
		"ms_":             {store.EmailQueued, store.EmailSending, store.EmailSent, store.EmailFailed},
		"run_":            append(runs, workflows.RunMissing),
		"k_":              mailKinds(),
		"ao_":             {"sent", "temporary", "permanent", "unknown"},
		"round_outcome_":  cooperation.RoundOutcomes,
		"decided_by_":     cooperation.DecidedBy,
		"dir_done_":       slices.Sorted(maps.Keys(directoryActions)),
		"role_":           {string(cooperation.Chair), string(cooperation.Member)},
		"kind_":           {cooperation.RoleFocalPoint, cooperation.RolePrincipal, cooperation.RoleAlternate, cooperation.RoleDelegate},
		"translation_":    cooperation.Languages,
	}
}

var (
	literalKey = regexp.MustCompile(`\bT "([^"]+)"`)
	labelKey   = regexp.MustCompile(`\((?:field|input|options) \$ "[^"]+" "([^"]+)"`)
	valueKey   = regexp.MustCompile(`\bT \(print "([^"]+)"`)
	codeKey    = regexp.MustCompile(`"(err_[a-z0-9_]+)"|TitleKey:\s*"([a-z0-9_]+)"`)
)

// TestKeysExist fails when a page or a handler asks for a key no catalogue
// holds, or a template turns a status into a key the catalogue lacks: the
// reader would see "st_in_execution" or "err_x" instead of a word of their
// language. With TestMissingTranslations, every such key reads in all four.
func TestKeysExist(t *testing.T) {
	t.Parallel()
	need := map[string][]string{} // key -> where it is asked for
	families := valueKeys()
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		b, err := fs.ReadFile(templateFiles, n)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range []*regexp.Regexp{literalKey, labelKey} {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				need[m[1]] = append(need[m[1]], n)
			}
		}
		for _, m := range valueKey.FindAllStringSubmatch(string(b), -1) {
			values, ok := families[m[1]]
			if !ok {
				t.Errorf("%s builds keys %q from a value this test does not know; add its values to valueKeys", n, m[1]+"...")
			}
			for _, v := range values {
				need[m[1]+v] = append(need[m[1]+v], n)
			}
		}
	}
	for _, dir := range []string{".", "../cooperation"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range codeKey.FindAllStringSubmatch(string(b), -1) {
				k := m[1] + m[2]
				need[k] = append(need[k], f)
			}
		}
	}
	for _, k := range busyTexts {
		need[k] = append(need[k], "busy.go")
	}
	for _, k := range slices.Sorted(maps.Keys(need)) {
		if _, ok := messages["en"][k]; !ok {
			t.Errorf("key %q, asked for in %s, is in no catalogue", k, strings.Join(slices.Compact(need[k]), ", "))
		}
	}
}

func words[S ~string](ws []S) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = string(w)
	}
	return out
}

// TestDeadLinkTextsExist fails when a reason of a dead link, or the outcome
// of a decided round, names a text no catalogue holds.
func TestDeadLinkTextsExist(t *testing.T) {
	t.Parallel()
	for _, r := range []string{store.DeadTruncated, store.DeadUnknown, store.DeadExpired, store.DeadRevoked, store.DeadWaived,
		store.DeadCycleClosed, store.DeadDecided, store.DeadWithdrawn, store.DeadCallClosed} {
		if _, ok := deadTexts[r]; !ok {
			t.Errorf("dead link reason %s has no page", r)
		}
	}
	for reason, texts := range deadTexts {
		for _, k := range []string{texts.title, texts.why, texts.next} {
			if _, ok := messages["en"][k]; !ok {
				t.Errorf("dead link %s: key %q is in no catalogue", reason, k)
			}
		}
	}
	for _, k := range confirmKeys {
		if _, ok := messages["en"][k]; !ok {
			t.Errorf("confirmation page: key %q is in no catalogue", k)
		}
	}
	for _, d := range cooperation.Decisions {
		if _, ok := messages["en"][outcomeWords[string(d)]]; !ok {
			t.Errorf("outcome %s has no words", d)
		}
	}
}

// TestTimelineWordsExist fails when an action of the activity timeline or
// an actor names a text no catalogue holds, and when an activity status,
// which the timeline records as an action, has no words.
func TestTimelineWordsExist(t *testing.T) {
	t.Parallel()
	for action, k := range timelineWords {
		if _, ok := messages["en"][k]; !ok {
			t.Errorf("timeline action %s: key %q is in no catalogue", action, k)
		}
	}
	for actor, k := range timelineActors {
		if _, ok := messages["en"][k]; !ok {
			t.Errorf("timeline actor %s: key %q is in no catalogue", actor, k)
		}
	}
	for _, st := range cooperation.ActivityStatuses {
		if st == cooperation.ActivityDraft {
			continue
		}
		if _, ok := timelineWords[string(st)]; !ok {
			t.Errorf("activity status %s is a timeline action without words", st)
		}
	}
}
