package main

import (
	"fmt"
	"strings"

	"github.com/bienal/bienal/cooperation"
)

// The commands print for people: words, not Go's formatting of a value
// (map[approved:3], [a b], "", true).

// list joins items with commas, "none" when there are none.
func list[S ~string](items []S) string {
	if len(items) == 0 {
		return "none"
	}
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = string(s)
	}
	return strings.Join(out, ", ")
}

// numbers joins whole numbers with commas, "none" when there are none.
func numbers(ns []int) string {
	if len(ns) == 0 {
		return "none"
	}
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = fmt.Sprint(n)
	}
	return strings.Join(out, ", ")
}

// yesNo says a setting.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// titled is " “title”" after a name, nothing when there is no title.
func titled(title string) string {
	if strings.TrimSpace(title) == "" {
		return ""
	}
	return " “" + title + "”"
}

// byStatus counts activities status by status, in the order of their
// life, leaving out the statuses none is in: "3 approved, 6 in execution".
func byStatus(counts map[cooperation.ActivityStatus]int) string {
	var out []string
	for _, st := range cooperation.ActivityStatuses {
		if n := counts[st]; n > 0 {
			out = append(out, fmt.Sprintf("%d %s", n, strings.ReplaceAll(string(st), "_", " ")))
		}
	}
	return list(out)
}
