package liftruntime

import (
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
