package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// activitiesPerPage keeps a goal's list as cheap to show as the dashboard.
const activitiesPerPage = 100

type activityListData struct {
	Biennium   string
	Goal       int
	Status     string
	Page       store.ActivityPage
	PageNumber int
	Pages      int
	Prev, Next string
}

// listActivities shows one goal's activities, a page at a time, optionally
// only those of one status: the full list behind a goal on the dashboard.
func (s *server) listActivities(w http.ResponseWriter, r *http.Request) {
	q, n, ok := parseActivityQuery(r.PathValue("biennium"), r.PathValue("goal"), r.URL.Query())
	if !ok {
		s.fail(w, r, http.StatusBadRequest, "err_activity_query")
		return
	}
	q.Today = s.now()
	pg, err := s.store.GoalActivities(r.Context(), q)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	} else if err != nil {
		s.internal(w, r, "list activities of goal", err)
		return
	}
	data := activityListData{Biennium: q.Biennium, Goal: q.Goal, Status: string(q.Status), Page: pg,
		PageNumber: n, Pages: max(1, (pg.Total+activitiesPerPage-1)/activitiesPerPage)}
	if n > 1 {
		data.Prev = activityListURL(q, n-1)
	}
	if n < data.Pages {
		data.Next = activityListURL(q, n+1)
	}
	p := s.userPage(r, "activities_title")
	p.Data = data
	s.render(w, r, http.StatusOK, "activities", p)
}

// parseActivityQuery reads the goal from the path and ?status=&page= (page from 1).
func parseActivityQuery(biennium, goalNumber string, v url.Values) (store.GoalQuery, int, bool) {
	q := store.GoalQuery{Biennium: biennium, Status: cooperation.ActivityStatus(v.Get("status")), Limit: activitiesPerPage}
	goal, err := strconv.Atoi(goalNumber)
	if err != nil || goal < 1 || q.Biennium == "" || len(q.Biennium) > 40 {
		return q, 0, false
	}
	if q.Status != "" && !slices.Contains(cooperation.ActivityStatuses, q.Status) {
		return q, 0, false
	}
	n := 1
	if p := v.Get("page"); p != "" {
		if n, err = strconv.Atoi(p); err != nil || n < 1 || n > 100000 {
			return q, 0, false
		}
	}
	q.Goal, q.Offset = goal, (n-1)*activitiesPerPage
	return q, n, true
}

// goalURL is the address of a goal's list; the language switch keeps it.
func goalURL(biennium string, goal int) string {
	return "/goals/" + url.PathEscape(biennium) + "/" + strconv.Itoa(goal)
}

func activityListURL(q store.GoalQuery, n int) string {
	v := url.Values{"page": {strconv.Itoa(n)}}
	if q.Status != "" {
		v.Set("status", string(q.Status))
	}
	return goalURL(q.Biennium, q.Goal) + "?" + v.Encode()
}
