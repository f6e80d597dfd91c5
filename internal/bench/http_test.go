package bench_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"baken/internal/bench"
)

func TestRunHTTPCountsAndStops(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Cookie") != "s=1" {
			http.Error(w, "no cookie", http.StatusUnauthorized)
			return
		}
		if r.URL.Path == "/fout" {
			http.Error(w, "fout", http.StatusInternalServerError)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	res := bench.RunHTTP(context.Background(), bench.HTTPLoad{Client: srv.Client(), URLs: []string{srv.URL + "/", srv.URL + "/fout"},
		Header: http.Header{"Cookie": {"s=1"}}, Clients: 4, Duration: time.Minute, MaxRequests: 100})
	if res.Requests != 100 || len(res.Latency) != 100 {
		t.Errorf("%d requests, want 100 (the bound)", res.Requests)
	}
	if res.Status[200]+res.Status[500] != 100 || res.Status[500] == 0 || res.Errors != res.Status[500] {
		t.Errorf("status %v, errors %d: want 200s and 500s, the 500s counted as errors", res.Status, res.Errors)
	}
}
