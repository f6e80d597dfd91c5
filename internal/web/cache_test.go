package web

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func TestCacheHitAndMiss(t *testing.T) {
	c := newCache[dataKey, int](10)
	ctx := context.Background()
	calls := 0
	compute := func(n int) func(context.Context) (int, error) {
		return func(context.Context) (int, error) { calls++; return n, nil }
	}
	k := dataKey{Gemeente: "GM0384", Version: 1}
	if v, hit, err := c.get(ctx, k, compute(1)); v != 1 || hit || err != nil {
		t.Errorf("first get = %d, %t, %v; want 1, miss", v, hit, err)
	}
	if v, hit, err := c.get(ctx, k, compute(2)); v != 1 || !hit || err != nil {
		t.Errorf("second get = %d, %t, %v; want 1 from the cache", v, hit, err)
	}
	// The data changed: a new version is a new key.
	k2 := dataKey{Gemeente: "GM0384", Version: 2}
	if v, hit, err := c.get(ctx, k2, compute(3)); v != 3 || hit || err != nil {
		t.Errorf("after a data change = %d, %t, %v; want 3, miss", v, hit, err)
	}
	k3 := dataKey{Gemeente: "GM0384", Version: 2, AggregatesOnly: true}
	if v, hit, _ := c.get(ctx, k3, compute(4)); v != 4 || hit {
		t.Errorf("aggregates only = %d, %t; want 4, miss", v, hit)
	}
	if calls != 3 {
		t.Errorf("computed %d times, want 3", calls)
	}
}

func TestCacheKeepsNoErrors(t *testing.T) {
	c := newCache[string, int](10)
	ctx := context.Background()
	boom := errors.New("boom")
	if _, _, err := c.get(ctx, "k", func(context.Context) (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("err = %v, want boom", err)
	}
	if v, hit, err := c.get(ctx, "k", func(context.Context) (int, error) { return 7, nil }); v != 7 || hit || err != nil {
		t.Errorf("after an error = %d, %t, %v; want 7, computed", v, hit, err)
	}
}

func TestCacheIsBounded(t *testing.T) {
	c := newCache[int, int](3)
	ctx := context.Background()
	id := func(n int) func(context.Context) (int, error) {
		return func(context.Context) (int, error) { return n, nil }
	}
	for i := range 5 {
		c.get(ctx, i, id(i))
		if i == 3 {
			c.get(ctx, 1, id(1)) // 1 is used again: 2 is now the least recently used
		}
	}
	if n := c.len(); n != 3 {
		t.Errorf("%d entries, want 3", n)
	}
	for k, want := range map[int]bool{0: false, 1: true, 2: false, 3: true, 4: true} {
		c.mu.Lock()
		_, ok := c.entries[k]
		c.mu.Unlock()
		if ok != want {
			t.Errorf("key %d cached = %t, want %t", k, ok, want)
		}
	}
}

// TestCacheSingleFlight: 50 concurrent misses of one key compute once. Whoever comes
// after the computation finished is a hit, so the count is 1 whatever the timing.
func TestCacheSingleFlight(t *testing.T) {
	c := newCache[dataKey, int](10)
	var calls atomic.Int32
	release := make(chan struct{})
	started := make(chan struct{})
	compute := func(context.Context) (int, error) {
		if calls.Add(1) == 1 {
			close(started)
		}
		<-release
		return 42, nil
	}
	const clients = 50
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for range clients {
		wg.Go(func() {
			v, _, err := c.get(context.Background(), dataKey{Gemeente: "GM0384", Version: 9}, compute)
			if err == nil && v != 42 {
				err = errors.New("wrong value")
			}
			errs <- err
		})
	}
	<-started
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("computed %d times, want 1", n)
	}
}

// A waiter whose request goes away stops waiting; the computation goes on for the rest.
func TestCacheWaiterCancelled(t *testing.T) {
	c := newCache[string, int](10)
	release := make(chan struct{})
	started := make(chan struct{})
	done := make(chan int)
	go func() {
		v, _, _ := c.get(context.Background(), "k", func(context.Context) (int, error) {
			close(started)
			<-release
			return 5, nil
		})
		done <- v
	}()
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := c.get(ctx, "k", func(context.Context) (int, error) { return 0, nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled waiter: err = %v, want context.Canceled", err)
	}
	close(release)
	if v := <-done; v != 5 {
		t.Errorf("first caller got %d, want 5", v)
	}
}
