package mail

import "strings"

// CycleAnchor is the id of a cycle's entry on the portal's dashboard, which
// lists its report's downloads in every language and format.
func CycleAnchor(biennium, name string) string { return "cycle-" + biennium + "-" + name }

// CycleReportsURL is the dashboard's entry of a cycle, the page the
// report-ready e-mail links to.
func CycleReportsURL(baseURL, biennium, name string) string {
	return strings.TrimSuffix(baseURL, "/") + "/#" + CycleAnchor(biennium, name)
}
