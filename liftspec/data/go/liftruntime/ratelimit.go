package liftruntime

import (
	"container/list"
	"math"
	"strconv"
	"sync"
	"time"
)

// tokenBucket is the per-container rate limiter: burst tokens, refilled at max per window.
// Each concurrent Lambda instance has its own bucket; the API's throttling is the service-wide limit.
type tokenBucket struct {
	mu        sync.Mutex
	limit     int
	capacity  float64
	perSecond float64
	tokens    float64
	updated   time.Time
	now       func() time.Time
}

func newTokenBucket(limit int, window float64, burst int, now func() time.Time) *tokenBucket {
	capacity := math.Max(1, float64(burst))
	perSecond := math.Inf(1)
	if window > 0 {
		perSecond = float64(limit) / window
	}
	return &tokenBucket{limit: limit, capacity: capacity, perSecond: perSecond, tokens: capacity, updated: now(), now: now}
}

// decision is one request's outcome and what its X-RateLimit-* headers say.
type decision struct {
	allowed    bool
	limit      int
	remaining  int
	resetAfter int // seconds until the bucket is full again
	retryAfter int // seconds until the next request is allowed (0 when allowed)
}

func (d decision) headers() [][2]string {
	out := [][2]string{
		{"X-RateLimit-Limit", strconv.Itoa(d.limit)},
		{"X-RateLimit-Remaining", strconv.Itoa(d.remaining)},
		{"X-RateLimit-Reset", strconv.Itoa(d.resetAfter)},
	}
	if !d.allowed {
		out = append(out, [2]string{"Retry-After", strconv.Itoa(d.retryAfter)})
	}
	return out
}

func (b *tokenBucket) take() decision {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	tokens := math.Min(b.capacity, b.tokens+now.Sub(b.updated).Seconds()*b.perSecond)
	b.updated = now
	allowed := tokens >= 1
	if allowed {
		tokens--
	}
	b.tokens = tokens
	reset := int(math.Ceil((b.capacity - tokens) / b.perSecond))
	retry := 0
	if !allowed {
		retry = int(math.Max(1, math.Ceil((1-tokens)/b.perSecond)))
	}
	return decision{allowed, b.limit, int(tokens), reset, retry}
}

// clientBuckets is rate_limit.scope client in one container: a tokenBucket per client, the local burst
// guard. It refuses a client's burst before it costs a call to the shared counter. At most size clients
// are kept; the one seen least recently goes first.
type clientBuckets struct {
	mu      sync.Mutex
	limit   int
	window  float64
	burst   int
	size    int
	now     func() time.Time
	buckets map[string]*list.Element // of *clientBucket, most recent at the front
	order   *list.List
}

type clientBucket struct {
	client string
	bucket *tokenBucket
}

func newClientBuckets(limit int, window float64, burst, size int, now func() time.Time) *clientBuckets {
	return &clientBuckets{limit: limit, window: window, burst: burst, size: size, now: now,
		buckets: map[string]*list.Element{}, order: list.New()}
}

func (c *clientBuckets) take(client string) decision {
	c.mu.Lock()
	element, ok := c.buckets[client]
	if ok {
		c.order.MoveToFront(element)
	} else {
		if c.order.Len() >= c.size {
			oldest := c.order.Back()
			delete(c.buckets, oldest.Value.(*clientBucket).client)
			c.order.Remove(oldest)
		}
		bucket := newTokenBucket(c.limit, c.window, c.burst, c.now)
		element = c.order.PushFront(&clientBucket{client, bucket})
		c.buckets[client] = element
	}
	bucket := element.Value.(*clientBucket).bucket
	c.mu.Unlock()
	return bucket.take()
}

// kept lists the clients kept, least recent first (for tests).
func (c *clientBuckets) kept() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := []string{}
	for e := c.order.Back(); e != nil; e = e.Prev() {
		out = append(out, e.Value.(*clientBucket).client)
	}
	return out
}
