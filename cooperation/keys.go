package cooperation

// The keys of the programme's subjects. Each names its subject in one
// format, which is at once its workflow's ID, the subject of its personal
// links and of its audit lines: a released contract (README, "Workflow
// IDs"), never changed.

// ActivityID is activity/<biennium>/<code>.
func ActivityID(biennium, code string) string { return "activity/" + biennium + "/" + code }

// CycleID is cycle/<biennium>/<name>.
func CycleID(biennium, name string) string { return "cycle/" + biennium + "/" + name }

// TaskID is task/<biennium>/<cycle>/<activity code>/<country>.
func TaskID(biennium, cycle, code, country string) string {
	return "task/" + biennium + "/" + cycle + "/" + code + "/" + country
}

// CallID is call/<biennium>: the subject of a call for proposals' links.
func CallID(biennium string) string { return "call/" + biennium }
