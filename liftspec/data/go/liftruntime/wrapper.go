package liftruntime

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"time"
)

// Handler is a Go Lambda handler: the raw event in, any value (or a Response) out. ctx carries the
// request deadline; RequestID(ctx) gives Lambda's request id.
type Handler func(ctx context.Context, event json.RawMessage) (interface{}, error)

// MaxMargin is the time kept back from Lambda's own timeout to answer and log before Lambda stops the process.
const MaxMargin = 0.5

// Invocation is what the Runtime API says about one event.
type Invocation struct {
	RequestID string
	Deadline  time.Time // Lambda's own; zero when unknown
	TraceID   string
}

type invocationKey struct{}

// RequestID is the Lambda request id of the invocation ctx belongs to ("" outside one).
func RequestID(ctx context.Context) string {
	if inv, ok := ctx.Value(invocationKey{}).(Invocation); ok {
		return inv.RequestID
	}
	return ""
}

// Wrapper runs a handler under the config; one per process.
type Wrapper struct {
	handler        Handler
	config         Config
	function       string
	requestTimeout float64
	headers        [][2]string
	routes         *routeTable    // nil: no JWT authorizer, every route is served
	limiter        *tokenBucket   // scope service: the per-container bucket
	buckets        *clientBuckets // scope client: each client's bucket in this container (the local burst guard)
	clients        *clientLimiter // scope client: the counters shared by all containers; nil without the table
	metrics        *emitter
	cold           bool
	now            func() time.Time
}

// NewWrapper builds the wrapper for function (its name in lift.yaml); level, when not "", overrides
// the configured log level (LIFT_LOG_LEVEL). Logs and metrics go to out (os.Stdout when nil).
func NewWrapper(handler Handler, config Config, function, level string, out io.Writer) *Wrapper {
	if out == nil {
		out = os.Stdout
	}
	w := &Wrapper{handler: handler, config: config, function: function, cold: true, now: time.Now}
	w.requestTimeout = config.requestTimeout(function)
	for _, name := range sortedKeys(config.SecurityHeaders) {
		w.headers = append(w.headers, [2]string{name, config.SecurityHeaders[name]})
	}
	if config.jwtRequired() {
		w.routes = newRouteTable(config.Functions[function].Routes)
	}
	if limit := config.RateLimit; limit.Enabled && limit.Scope == "client" {
		w.buckets = newClientBuckets(limit.Max, limit.Window, limit.Burst, 10000, time.Now)
		w.clients = newClientLimiter(config)
	} else if limit.Enabled {
		w.limiter = newTokenBucket(limit.Max, limit.Window, limit.Burst, time.Now)
	}
	static := []field{{"service", config.Service}, {"environment", config.Environment}, {"function", function}}
	w.metrics = &emitter{enabled: config.MetricsEnabled, namespace: config.MetricsNamespace, static: static, out: out}
	if _, ok := levels[level]; !ok {
		level = config.LogLevel
	}
	Log.configure(out, level, config.LogFormat, static)
	return w
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// budget is the seconds the handler may run: the request timeout, capped by Lambda's remaining time minus a margin.
func (w *Wrapper) budget(inv Invocation) float64 {
	if inv.Deadline.IsZero() {
		return w.requestTimeout
	}
	remaining := inv.Deadline.Sub(w.now()).Seconds()
	return math.Min(w.requestTimeout, remaining-math.Min(MaxMargin, remaining/10))
}

// Invoke handles one event; the error, if any, is the invocation's failure (reported to Lambda).
func (w *Wrapper) Invoke(inv Invocation, event []byte) (interface{}, error) {
	started := time.Now()
	cold := w.cold
	w.cold = false
	Log.begin(inv.RequestID, cold, inv.TraceID)
	seconds := w.budget(inv)
	kind, raw := kindOf(event)
	switch kind {
	case "http2", "http1":
		version := 2
		if kind == "http1" {
			version = 1
		}
		return w.http(inv, event, raw, newRequest(raw, version), seconds, started, cold), nil
	case "sqs":
		return w.sqs(inv, event, seconds, started, cold)
	}
	return w.other(inv, event, seconds, started, cold)
}

// outcome of one handler call under the deadline.
type outcome struct {
	result   interface{}
	err      error
	panicked bool
	stack    []string
	timedOut bool
}

// call runs the handler in its own goroutine, recovering a panic, and stops waiting at the deadline.
func (w *Wrapper) call(inv Invocation, event []byte, seconds float64) outcome {
	if seconds <= 0 {
		return outcome{timedOut: true}
	}
	ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), invocationKey{}, inv),
		time.Duration(seconds*float64(time.Second)))
	defer cancel()
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- outcome{err: fmt.Errorf("panic: %v", p), panicked: true, stack: strings.Split(strings.TrimRight(string(debug.Stack()), "\n"), "\n")}
			}
		}()
		result, err := w.handler(ctx, json.RawMessage(event))
		done <- outcome{result: result, err: err}
	}()
	select {
	case out := <-done:
		if ctx.Err() == context.DeadlineExceeded {
			out.timedOut = true // it returned (often with ctx.Err()), but after the deadline
		}
		return out
	case <-ctx.Done():
		return outcome{timedOut: true}
	}
}

func describe(out outcome) map[string]interface{} {
	kind := fmt.Sprintf("%T", out.err)
	if out.panicked {
		kind = "panic"
	}
	stack := out.stack
	if stack == nil {
		stack = []string{}
	}
	return map[string]interface{}{"type": kind, "message": out.err.Error(), "traceback": stack}
}

func logFailure(message string, out outcome, kv ...interface{}) map[string]interface{} {
	detail := describe(out)
	Log.Error(message, append([]interface{}{"error_type", detail["type"], "error", detail["message"], "traceback", detail["traceback"]}, kv...)...)
	return detail
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

func (w *Wrapper) http(inv Invocation, event []byte, raw *rawEvent, r request, seconds float64, started time.Time, cold bool) response {
	var limits [][2]string
	var resp response
	switch {
	case r.path == w.config.HealthPath && (r.method == "GET" || r.method == "HEAD"):
		resp = jsonResponse(200, rawObject(object([]field{{"status", "ok"}, {"service", w.config.Service}, {"environment", w.config.Environment}})), nil)
	case w.config.RequireHTTPS && r.isPlainHTTP():
		resp = errorResponse(403, "https_required", "HTTPS is required", inv.RequestID, nil, nil)
	default:
		if resp = w.authorize(inv, raw, r); resp != nil {
			break
		}
		d, limited := w.rateLimit(raw, r)
		if limited {
			limits = d.headers()
		}
		if limited && !d.allowed {
			Log.Warn("rate limited", "retry_after_s", d.retryAfter)
			resp = errorResponse(429, "rate_limited", "Too many requests", inv.RequestID, nil, nil)
		} else {
			resp = w.callHTTP(inv, event, seconds)
		}
	}
	resp.addHeaders(w.headers)
	resp.addHeaders(limits)
	resp.addHeaders([][2]string{{"X-Request-Id", inv.RequestID}})
	if w.config.Compression.Enabled {
		resp.compress(r, w.config.Compression.MinSize)
	}
	if r.method == "HEAD" {
		if body, _ := resp["body"].(string); body != "" {
			resp["body"] = ""
		}
	}
	if r.multiOnly {
		resp.toMulti()
	}
	status, ok := resp.status()
	latency := float64(time.Since(started).Microseconds()) / 1000
	Log.Info("request", "method", r.method, "path", r.path, "status", resp["statusCode"], "duration_ms", round3(latency))
	failed := 0
	if !ok || status >= 500 {
		failed = 1
	}
	w.metrics.flush(1, failed, latency, []field{{"request_id", inv.RequestID}, {"cold_start", cold}, {"status", resp["statusCode"]}})
	return resp
}

// rateLimit decides one request; limited is false when no limit applies. scope service: the per-container
// bucket. scope client: the client's bucket in this container, then the client's shared counter.
func (w *Wrapper) rateLimit(raw *rawEvent, r request) (d decision, limited bool) {
	switch {
	case w.limiter != nil:
		return w.limiter.take(), true
	case w.buckets == nil:
		return d, false
	}
	client := raw.clientKey(r, w.config.RateLimit.Key)
	d = w.buckets.take(client)
	if d.allowed && w.clients != nil {
		if shared, ok := w.clients.take(client); ok {
			d = shared
		}
	}
	return d, true
}

// authorize applies the function's route table as the authorizer does: a public route needs no claims;
// any other needs verified claims (401), and a route with scopes a token carrying at least one of them
// (403). A request that fits none of the routes needs claims. nil: the request may go on.
func (w *Wrapper) authorize(inv Invocation, raw *rawEvent, r request) response {
	if w.routes == nil {
		return nil
	}
	route := w.routes.match(raw, r)
	if route != nil && route.Public {
		return nil
	}
	if !r.authorized {
		return errorResponse(401, "unauthorized", "Authentication is required", inv.RequestID, map[string]string{"WWW-Authenticate": "Bearer"}, nil)
	}
	if route == nil || len(route.Scopes) == 0 {
		return nil
	}
	granted := raw.scopes()
	for _, scope := range route.Scopes {
		if granted[scope] {
			return nil
		}
	}
	Log.Warn("insufficient scope", "route", route.Route)
	challenge := `Bearer error="insufficient_scope", scope="` + strings.Join(route.Scopes, " ") + `"`
	return errorResponse(403, "insufficient_scope", "The token lacks the scope this route requires", inv.RequestID,
		map[string]string{"WWW-Authenticate": challenge}, nil)
}

func (w *Wrapper) callHTTP(inv Invocation, event []byte, seconds float64) response {
	if seconds <= 0 {
		Log.Error("no time left for the handler: answering 504", "deadline_s", round3(seconds))
		return errorResponse(504, "timeout", "The request took too long", inv.RequestID, nil, nil)
	}
	out := w.call(inv, event, seconds)
	if out.timedOut {
		Log.Error("request deadline exceeded", "deadline_s", round3(seconds))
		return errorResponse(504, "timeout", "The request took too long", inv.RequestID, nil, nil)
	}
	if out.err != nil {
		detail := logFailure("unhandled error", out)
		if !w.config.DetailedErrors {
			detail = nil
		}
		return errorResponse(500, "internal_error", "Internal Server Error", inv.RequestID, nil, detailOrNil(detail))
	}
	resp, err := normalize(out.result)
	if err != nil {
		logFailure("invalid response from handler", outcome{err: err})
		return errorResponse(500, "internal_error", "Internal Server Error", inv.RequestID, nil, nil)
	}
	return resp
}

func detailOrNil(detail map[string]interface{}) interface{} {
	if detail == nil {
		return nil
	}
	return detail
}

// RequestTimeout is the error a non-HTTP invocation fails with when the handler passes its deadline.
type RequestTimeout struct{ Seconds float64 }

func (e RequestTimeout) Error() string {
	return fmt.Sprintf("the handler ran past its %.3fs deadline", e.Seconds)
}

func (w *Wrapper) other(inv Invocation, event []byte, seconds float64, started time.Time, cold bool) (interface{}, error) {
	out := w.call(inv, event, seconds)
	var err error
	switch {
	case out.timedOut:
		Log.Error("request deadline exceeded", "deadline_s", round3(seconds))
		err = RequestTimeout{seconds}
	case out.err != nil:
		logFailure("unhandled error", out)
		err = out.err
	}
	latency := float64(time.Since(started).Microseconds()) / 1000
	Log.Info("invocation", "failed", err != nil, "duration_ms", round3(latency))
	failed := 0
	if err != nil {
		failed = 1
	}
	w.metrics.flush(1, failed, latency, []field{{"cold_start", cold}})
	if err != nil {
		return nil, err
	}
	return out.result, nil
}
