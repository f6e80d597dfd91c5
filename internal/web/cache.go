package web

import (
	"container/list"
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// errComputePanicked is what waiters get when the computation they waited for panicked.
var errComputePanicked = errors.New("web: cached computation panicked")

// dataKey names what a page computed from the rollups: the gemeente, its data version
// (store.DataVersion) and whether the actor sees aggregates only. Because the key carries
// the version, an entry is never stale: a change to the rollups raises the version and
// the next request computes afresh. Each server keeps its own cache of the database.
type dataKey struct {
	Gemeente       string
	Version        int64
	AggregatesOnly bool
}

// cache is a size-bounded, least-recently-used cache that is safe for concurrent use.
// Concurrent misses of one key compute once (single flight); errors are not kept.
type cache[K comparable, V any] struct {
	max int

	mu      sync.Mutex
	order   *list.List // of *cacheEntry[K, V], most recently used first
	entries map[K]*list.Element
	flights map[K]*flight[V]

	// hits and computed count the lookups answered from the cache and the
	// computations, for tests and metrics.
	hits, computed atomic.Int64
}

type cacheEntry[K comparable, V any] struct {
	key K
	val V
}

// flight is a computation under way; done is closed when val and err are set.
type flight[V any] struct {
	done chan struct{}
	val  V
	err  error
}

func newCache[K comparable, V any](max int) *cache[K, V] {
	return &cache[K, V]{max: max, order: list.New(), entries: map[K]*list.Element{}, flights: map[K]*flight[V]{}}
}

// get returns the value of key, calling compute on a miss. One caller computes; the
// others with the same key wait for its result (or for their own ctx). compute runs on a
// context that keeps ctx's values but not its cancellation, so that waiters still get a
// result when the first caller goes away. hit reports whether the value was cached.
func (c *cache[K, V]) get(ctx context.Context, key K, compute func(context.Context) (V, error)) (val V, hit bool, err error) {
	c.mu.Lock()
	if el, ok := c.entries[key]; ok {
		c.order.MoveToFront(el)
		val = el.Value.(*cacheEntry[K, V]).val
		c.mu.Unlock()
		c.hits.Add(1)
		return val, true, nil
	}
	if f, ok := c.flights[key]; ok {
		c.mu.Unlock()
		select {
		case <-f.done:
			return f.val, false, f.err
		case <-ctx.Done():
			return val, false, ctx.Err()
		}
	}
	f := &flight[V]{done: make(chan struct{})}
	c.flights[key] = f
	c.mu.Unlock()
	c.computed.Add(1)

	defer func() {
		// Also on a panic in compute: waiters must not hang.
		if r := recover(); r != nil {
			f.err = errComputePanicked
			c.finish(key, f, false)
			panic(r)
		}
	}()
	f.val, f.err = compute(context.WithoutCancel(ctx))
	c.finish(key, f, f.err == nil)
	return f.val, false, f.err
}

// finish ends a flight, keeping its value when keep is set.
func (c *cache[K, V]) finish(key K, f *flight[V], keep bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.flights, key)
	if keep {
		c.entries[key] = c.order.PushFront(&cacheEntry[K, V]{key: key, val: f.val})
		for c.order.Len() > c.max {
			last := c.order.Back()
			c.order.Remove(last)
			delete(c.entries, last.Value.(*cacheEntry[K, V]).key)
		}
	}
	close(f.done)
}

// stats returns how many lookups the cache answered and how many values it computed.
func (c *cache[K, V]) stats() (hits, computed int64) { return c.hits.Load(), c.computed.Load() }

// len returns the number of cached entries.
func (c *cache[K, V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
