package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"time"
)

// HTTPLoad describes a closed-loop load: Clients clients, each sending its next request
// as soon as the previous answer is read, for Duration or until MaxRequests in all.
type HTTPLoad struct {
	Client      *http.Client
	URLs        []string // requested in turn by each client
	Header      http.Header
	Clients     int
	Duration    time.Duration
	MaxRequests int64
}

// HTTPResult counts answers and keeps every latency.
type HTTPResult struct {
	Clients  int
	Elapsed  time.Duration
	Requests int
	Status   map[int]int
	Errors   int // transport errors and answers other than 200
	Latency  Latencies
	Bytes    int64
}

// RunHTTP runs the load and returns what it measured. Requests under way when the time
// is up are let finish (and counted), so that the server sees no abandoned request; it
// stops early when ctx ends.
func RunHTTP(ctx context.Context, l HTTPLoad) HTTPResult {
	deadline := time.Now().Add(l.Duration)
	type local struct {
		lat    Latencies
		status map[int]int
		errs   int
		bytes  int64
	}
	parts := make([]local, l.Clients)
	var (
		mu   sync.Mutex
		sent int64
	)
	take := func() bool {
		mu.Lock()
		defer mu.Unlock()
		if l.MaxRequests > 0 && sent >= l.MaxRequests {
			return false
		}
		sent++
		return true
	}
	start := time.Now()
	var wg sync.WaitGroup
	for c := range l.Clients {
		wg.Go(func() {
			p := &parts[c]
			p.status = map[int]int{}
			for i := c; ctx.Err() == nil && time.Now().Before(deadline) && take(); i++ {
				req, err := http.NewRequestWithContext(ctx, "GET", l.URLs[i%len(l.URLs)], nil)
				if err != nil {
					p.errs++
					continue
				}
				for k, v := range l.Header {
					req.Header[k] = v
				}
				t0 := time.Now()
				resp, err := l.Client.Do(req)
				if err != nil {
					if ctx.Err() != nil {
						break // the run was stopped: not an error of the server
					}
					p.errs++
					continue
				}
				n, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(t0)
				p.lat = append(p.lat, d)
				p.bytes += n
				p.status[resp.StatusCode]++
				if err != nil || resp.StatusCode != http.StatusOK {
					p.errs++
				}
			}
		})
	}
	wg.Wait()
	res := HTTPResult{Clients: l.Clients, Elapsed: time.Since(start), Status: map[int]int{}}
	for _, p := range parts {
		res.Latency = append(res.Latency, p.lat...)
		res.Errors += p.errs
		res.Bytes += p.bytes
		for s, n := range p.status {
			res.Status[s] += n
		}
	}
	res.Requests = len(res.Latency)
	return res
}

// Print writes the result.
func (r HTTPResult) Print(w io.Writer) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	var longest time.Duration
	for _, d := range r.Latency {
		longest = max(longest, d)
	}
	codes := make([]int, 0, len(r.Status))
	for s := range r.Status {
		codes = append(codes, s)
	}
	sort.Ints(codes)
	fmt.Fprintf(w, "  %d clients, %.1f s: %d requests, %.0f requests/s, %.1f KiB/request\n", r.Clients, r.Elapsed.Seconds(),
		r.Requests, float64(r.Requests)/r.Elapsed.Seconds(), float64(r.Bytes)/1024/float64(max(r.Requests, 1)))
	fmt.Fprintf(w, "  latency p50 %s, p95 %s, p99 %s, max %s\n", ms(r.Latency.Percentile(50)), ms(r.Latency.Percentile(95)),
		ms(r.Latency.Percentile(99)), ms(longest))
	fmt.Fprintf(w, "  status")
	for _, s := range codes {
		fmt.Fprintf(w, " %d: %d", s, r.Status[s])
	}
	fmt.Fprintf(w, "; errors: %d\n", r.Errors)
}
