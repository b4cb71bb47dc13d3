package liftruntime

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func testConfig() Config {
	var c Config
	c.Service, c.Environment, c.LogLevel, c.LogFormat = "svc", "production", "info", "json"
	c.RequestTimeout = 2
	c.RequireHTTPS = true
	c.SecurityHeaders = map[string]string{"X-Frame-Options": "DENY", "Strict-Transport-Security": "max-age=63072000"}
	c.RateLimit.Enabled, c.RateLimit.Window, c.RateLimit.Max, c.RateLimit.Burst = true, 60, 600, 2
	c.MetricsEnabled, c.MetricsNamespace = true, "Svc"
	c.Compression.Enabled, c.Compression.MinSize = true, 100
	c.HealthPath = "/health"
	c.Functions = map[string]FunctionConfig{"api": {RequestTimeout: 0.3}}
	return c
}

func v2(method, path string, headers map[string]string) []byte {
	event := map[string]interface{}{
		"version": "2.0", "rawPath": path, "headers": headers,
		"requestContext": map[string]interface{}{"stage": "$default", "http": map[string]string{"method": method, "path": path}},
	}
	data, _ := json.Marshal(event)
	return data
}

func v1(method, path string, headers map[string]string, multi map[string][]string) []byte {
	event := map[string]interface{}{"httpMethod": method, "path": path, "requestContext": map[string]interface{}{}}
	if headers != nil {
		event["headers"] = headers
	}
	if multi != nil {
		event["multiValueHeaders"] = multi
	}
	data, _ := json.Marshal(event)
	return data
}

type run struct {
	out  bytes.Buffer
	w    *Wrapper
	inv  Invocation
	resp response
}

func newRun(t *testing.T, c Config, h Handler) *run {
	r := &run{}
	r.w = NewWrapper(h, c, "", "", &r.out)
	r.inv = Invocation{RequestID: "req-1", Deadline: time.Now().Add(10 * time.Second)}
	return r
}

func (r *run) invoke(t *testing.T, event []byte) response {
	t.Helper()
	result, err := r.w.Invoke(r.inv, event)
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	resp, ok := result.(response)
	if !ok {
		t.Fatalf("not an HTTP response: %#v", result)
	}
	r.resp = resp
	return resp
}

func (r *run) lines(t *testing.T) []map[string]interface{} {
	var out []map[string]interface{}
	for _, line := range strings.Split(strings.TrimSpace(r.out.String()), "\n") {
		var m map[string]interface{}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		out = append(out, m)
	}
	return out
}

func body(t *testing.T, resp response) map[string]interface{} {
	t.Helper()
	var m map[string]interface{}
	if err := json.Unmarshal([]byte(resp["body"].(string)), &m); err != nil {
		t.Fatalf("body is not JSON: %v", resp["body"])
	}
	return m
}

func hello(ctx context.Context, event json.RawMessage) (interface{}, error) {
	return map[string]string{"hello": "world"}, nil
}

func TestHealthIsAnsweredByTheRuntime(t *testing.T) {
	called := false
	r := newRun(t, testConfig(), func(ctx context.Context, e json.RawMessage) (interface{}, error) { called = true; return nil, nil })
	resp := r.invoke(t, v2("GET", "/health", map[string]string{"x-forwarded-proto": "http"}))
	if status, _ := resp.status(); status != 200 || called {
		t.Fatalf("health: %v, handler called: %v", resp, called)
	}
	if b := body(t, resp); b["status"] != "ok" || b["service"] != "svc" || b["environment"] != "production" {
		t.Fatalf("health body: %v", b)
	}
}

func TestPlainHTTPIsRefusedInEveryHeaderForm(t *testing.T) {
	events := map[string][]byte{
		"v2":             v2("GET", "/x", map[string]string{"X-Forwarded-Proto": "http"}),
		"v2 cloudfront":  v2("GET", "/x", map[string]string{"cloudfront-forwarded-proto": "HTTP"}),
		"v2 first hop":   v2("GET", "/x", map[string]string{"x-forwarded-proto": "http, https"}),
		"v1":             v1("GET", "/x", map[string]string{"X-FORWARDED-PROTO": "http"}, nil),
		"alb single":     v1("GET", "/x", map[string]string{"x-forwarded-proto": "http"}, nil),
		"alb multivalue": v1("GET", "/x", nil, map[string][]string{"X-Forwarded-Proto": {"http"}}),
	}
	for name, event := range events {
		r := newRun(t, testConfig(), hello)
		resp := r.invoke(t, event)
		if status, _ := resp.status(); status != 403 {
			t.Errorf("%s: status %v, want 403", name, resp["statusCode"])
		}
	}
	for name, event := range map[string][]byte{
		"v2 https":       v2("GET", "/x", map[string]string{"x-forwarded-proto": "https"}),
		"no header":      v2("GET", "/x", nil),
		"alb multivalue": v1("GET", "/x", nil, map[string][]string{"x-forwarded-proto": {"HTTPS"}}),
	} {
		r := newRun(t, testConfig(), hello)
		if status, _ := r.invoke(t, event).status(); status != 200 {
			t.Errorf("%s: status %d, want 200", name, status)
		}
	}
}

func TestALBMultiValueResponsesUseMultiValueHeaders(t *testing.T) {
	r := newRun(t, testConfig(), hello)
	resp := r.invoke(t, v1("GET", "/x", nil, map[string][]string{"x-forwarded-proto": {"https"}}))
	if _, single := resp["headers"]; single {
		t.Fatalf("single-value headers in a multi-value response: %v", resp)
	}
	if got := resp.multi()["X-Frame-Options"]; len(got.([]interface{})) != 1 {
		t.Fatalf("security header missing: %v", resp)
	}
}

func TestMissingClaimsAre401WhenJWTIsConfigured(t *testing.T) {
	c := testConfig()
	c.Auth.Enabled, c.Auth.JWT = true, json.RawMessage(`{"issuer":"https://i/"}`)
	r := newRun(t, c, hello)
	resp := r.invoke(t, v2("GET", "/x", nil))
	if status, _ := resp.status(); status != 401 || resp.single()["WWW-Authenticate"] != "Bearer" {
		t.Fatalf("no claims: %v", resp)
	}
	var event map[string]interface{}
	json.Unmarshal(v2("GET", "/x", nil), &event)
	event["requestContext"].(map[string]interface{})["authorizer"] = map[string]interface{}{"jwt": map[string]interface{}{"claims": map[string]string{"sub": "u"}}}
	withClaims, _ := json.Marshal(event)
	if status, _ := r.invoke(t, withClaims).status(); status != 200 {
		t.Fatalf("claims present: %v", r.resp)
	}
}

func TestRateLimitAnswers429WithRetryAfter(t *testing.T) {
	r := newRun(t, testConfig(), hello)
	for i := 0; i < 2; i++ {
		if status, _ := r.invoke(t, v2("GET", "/x", nil)).status(); status != 200 {
			t.Fatalf("request %d refused", i)
		}
	}
	resp := r.invoke(t, v2("GET", "/x", nil))
	h := resp.single()
	if status, _ := resp.status(); status != 429 || h["Retry-After"] != "1" || h["X-RateLimit-Limit"] != "600" || h["X-RateLimit-Remaining"] != "0" {
		t.Fatalf("third request: %v", resp)
	}
}

func TestDeadlineAnswers504(t *testing.T) {
	c := testConfig()
	r := newRun(t, c, func(ctx context.Context, e json.RawMessage) (interface{}, error) {
		<-ctx.Done()
		time.Sleep(50 * time.Millisecond)
		return "late", nil
	})
	r.w = NewWrapper(r.w.handler, c, "api", "", &r.out) // the api function's own deadline: 0.3 s
	started := time.Now()
	resp := r.invoke(t, v2("GET", "/slow", nil))
	if status, _ := resp.status(); status != 504 || body(t, resp)["error"] != "timeout" {
		t.Fatalf("slow handler: %v", resp)
	}
	if elapsed := time.Since(started); elapsed > time.Second {
		t.Fatalf("504 after %v", elapsed)
	}
	r.inv.Deadline = time.Now().Add(-time.Second)
	if status, _ := r.invoke(t, v2("GET", "/x", nil)).status(); status != 504 {
		t.Fatalf("no time left: %v", r.resp)
	}
}

func TestPanicsAndErrorsAre500WithoutInternals(t *testing.T) {
	for _, h := range []Handler{
		func(ctx context.Context, e json.RawMessage) (interface{}, error) {
			panic("secret db password in panic")
		},
		func(ctx context.Context, e json.RawMessage) (interface{}, error) {
			return nil, errors.New("secret db password")
		},
	} {
		r := newRun(t, testConfig(), h)
		resp := r.invoke(t, v2("GET", "/x", nil))
		b := body(t, resp)
		if status, _ := resp.status(); status != 500 || b["error"] != "internal_error" || b["request_id"] != "req-1" || b["detail"] != nil {
			t.Fatalf("500: %v", resp)
		}
		if strings.Contains(resp["body"].(string), "secret") || !strings.Contains(r.out.String(), "secret db password") {
			t.Fatalf("the error must be logged, not sent: %s", r.out.String())
		}
	}
	c := testConfig()
	c.DetailedErrors = true
	r := newRun(t, c, func(ctx context.Context, e json.RawMessage) (interface{}, error) { panic("boom") })
	detail := body(t, r.invoke(t, v2("GET", "/x", nil)))["detail"].(map[string]interface{})
	if detail["type"] != "panic" || detail["message"] != "panic: boom" || len(detail["traceback"].([]interface{})) == 0 {
		t.Fatalf("detailed: %v", detail)
	}
}

func TestSecurityHeadersOnEveryResponseButTheHandlersWin(t *testing.T) {
	r := newRun(t, testConfig(), func(ctx context.Context, e json.RawMessage) (interface{}, error) {
		return Response{StatusCode: 201, Headers: map[string]string{"x-frame-options": "SAMEORIGIN"}, Body: "made"}, nil
	})
	resp := r.invoke(t, v2("POST", "/x", nil))
	h := resp.single()
	if status, _ := resp.status(); status != 201 || h["x-frame-options"] != "SAMEORIGIN" || h["X-Frame-Options"] != nil {
		t.Fatalf("handler's header: %v", resp)
	}
	if h["Strict-Transport-Security"] != "max-age=63072000" || h["X-Request-Id"] != "req-1" || resp["body"] != "made" {
		t.Fatalf("runtime headers: %v", resp)
	}
	refused := r.invoke(t, v2("GET", "/x", map[string]string{"x-forwarded-proto": "http"}))
	if refused.single()["X-Frame-Options"] != "DENY" {
		t.Fatalf("the runtime's own responses get them too: %v", refused)
	}
}

func TestLargeBodiesAreGzippedWhenAccepted(t *testing.T) {
	big := strings.Repeat("liftspec ", 100)
	r := newRun(t, testConfig(), func(ctx context.Context, e json.RawMessage) (interface{}, error) {
		return Response{StatusCode: 200, Headers: map[string]string{"Content-Type": "text/plain"}, Body: big}, nil
	})
	resp := r.invoke(t, v2("GET", "/x", map[string]string{"Accept-Encoding": "br, gzip;q=0.5"}))
	if resp.single()["Content-Encoding"] != "gzip" || resp["isBase64Encoded"] != true || resp.single()["Vary"] != "Accept-Encoding" {
		t.Fatalf("gzip: %v", resp)
	}
	packed, _ := base64.StdEncoding.DecodeString(resp["body"].(string))
	reader, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(reader)
	if string(plain) != big {
		t.Fatalf("round trip: %q", plain)
	}
	for _, accept := range []string{"", "gzip;q=0", "br"} {
		if r.invoke(t, v2("GET", "/x", map[string]string{"accept-encoding": accept})).single()["Content-Encoding"] != nil {
			t.Fatalf("gzipped for %q", accept)
		}
	}
}

func TestAnyValueBecomesA200JSONBody(t *testing.T) {
	r := newRun(t, testConfig(), hello)
	resp := r.invoke(t, v2("GET", "/x", nil))
	if status, _ := resp.status(); status != 200 || body(t, resp)["hello"] != "world" || resp.single()["Content-Type"] != "application/json" {
		t.Fatalf("%v", resp)
	}
}

func TestLogsAreJSONWithColdStartAndMetricsAreEMF(t *testing.T) {
	r := newRun(t, testConfig(), func(ctx context.Context, e json.RawMessage) (interface{}, error) {
		Log.Info("made", "order_id", 7)
		AddMetric("OrdersCreated", 1, "")
		return hello(ctx, e)
	})
	r.invoke(t, v2("GET", "/x", nil))
	r.invoke(t, v2("GET", "/x", nil))
	var made, requests, emf []map[string]interface{}
	for _, line := range r.lines(t) {
		switch {
		case line["_aws"] != nil:
			emf = append(emf, line)
		case line["message"] == "made":
			made = append(made, line)
		case line["message"] == "request":
			requests = append(requests, line)
		}
	}
	if len(made) != 2 || made[0]["cold_start"] != true || made[1]["cold_start"] != false || made[0]["order_id"] != 7.0 {
		t.Fatalf("user log lines: %v", made)
	}
	if made[0]["level"] != "INFO" || made[0]["request_id"] != "req-1" || made[0]["service"] != "svc" || made[0]["timestamp"] == nil {
		t.Fatalf("fields: %v", made[0])
	}
	if len(requests) != 2 || requests[0]["status"] != 200.0 || requests[0]["path"] != "/x" {
		t.Fatalf("request lines: %v", requests)
	}
	if len(emf) != 2 || emf[0]["Requests"] != 1.0 || emf[0]["Errors"] != 0.0 || emf[0]["OrdersCreated"] != 1.0 {
		t.Fatalf("EMF: %v", emf)
	}
	aws := emf[0]["_aws"].(map[string]interface{})["CloudWatchMetrics"].([]interface{})[0].(map[string]interface{})
	if aws["Namespace"] != "Svc" || len(aws["Metrics"].([]interface{})) != 4 {
		t.Fatalf("EMF metadata: %v", aws)
	}
}

func TestLogLevelFiltersAndOverride(t *testing.T) {
	var out bytes.Buffer
	NewWrapper(hello, testConfig(), "", "error", &out)
	Log.Info("hidden")
	Log.Error("shown")
	if strings.Contains(out.String(), "hidden") || !strings.Contains(out.String(), "shown") {
		t.Fatalf("%s", out.String())
	}
}

func sqsEvent(arn string, ids ...string) []byte {
	var records []map[string]string
	for _, id := range ids {
		records = append(records, map[string]string{"messageId": id, "eventSource": "aws:sqs", "eventSourceARN": arn, "body": id})
	}
	data, _ := json.Marshal(map[string]interface{}{"Records": records})
	return data
}

func failures(t *testing.T, result interface{}) []string {
	var out []string
	for _, item := range result.(map[string]interface{})["batchItemFailures"].([]map[string]string) {
		out = append(out, item["itemIdentifier"])
	}
	return out
}

func TestSQSReportsTheFailedRecords(t *testing.T) {
	var seen []string
	h := func(ctx context.Context, e json.RawMessage) (interface{}, error) {
		var one struct{ Records []struct{ Body string } }
		json.Unmarshal(e, &one)
		if len(one.Records) != 1 {
			t.Fatalf("one record per call: %s", e)
		}
		body := one.Records[0].Body
		seen = append(seen, body)
		switch body {
		case "b":
			return nil, errors.New("bad")
		case "c":
			panic("worse")
		case "d":
			return map[string]interface{}{"batchItemFailures": []map[string]string{{"itemIdentifier": "d"}}}, nil
		}
		return nil, nil
	}
	r := newRun(t, testConfig(), h)
	result, err := r.w.Invoke(r.inv, sqsEvent("arn:aws:sqs:us-east-1:1:q", "a", "b", "c", "d", "e"))
	if err != nil || strings.Join(failures(t, result), ",") != "b,c,d" || len(seen) != 5 {
		t.Fatalf("standard queue: %v %v %v", result, err, seen)
	}
	seen = nil
	result, _ = r.w.Invoke(r.inv, sqsEvent("arn:aws:sqs:us-east-1:1:q.fifo", "a", "b", "e"))
	if strings.Join(failures(t, result), ",") != "b,e" || len(seen) != 2 {
		t.Fatalf("fifo: %v %v", result, seen)
	}
}

func TestSQSPastTheDeadlineFailsTheRest(t *testing.T) {
	c := testConfig()
	r := newRun(t, c, func(ctx context.Context, e json.RawMessage) (interface{}, error) {
		if strings.Contains(string(e), `"slow"`) {
			<-ctx.Done()
		}
		return nil, nil
	})
	r.w = NewWrapper(r.w.handler, c, "api", "", &r.out)
	result, _ := r.w.Invoke(r.inv, sqsEvent("arn:aws:sqs:us-east-1:1:q", "a", "slow", "c"))
	if strings.Join(failures(t, result), ",") != "slow,c" {
		t.Fatalf("%v", result)
	}
}

func TestOtherEventsFailToLambda(t *testing.T) {
	r := newRun(t, testConfig(), func(ctx context.Context, e json.RawMessage) (interface{}, error) { return nil, errors.New("nope") })
	if _, err := r.w.Invoke(r.inv, []byte(`{"source":"aws.events"}`)); err == nil || err.Error() != "nope" {
		t.Fatalf("error: %v", err)
	}
	c := testConfig()
	slow := NewWrapper(func(ctx context.Context, e json.RawMessage) (interface{}, error) { <-ctx.Done(); return nil, nil }, c, "api", "", io.Discard)
	if _, err := slow.Invoke(r.inv, []byte(`{}`)); err == nil || !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("timeout: %v", err)
	}
	ok := NewWrapper(hello, c, "", "", io.Discard)
	if result, err := ok.Invoke(r.inv, []byte(`"plain"`)); err != nil || result.(map[string]string)["hello"] != "world" {
		t.Fatalf("pass-through: %v %v", result, err)
	}
}

func TestLoadConfigReadsTheJSONShape(t *testing.T) {
	type generated struct {
		Service        string  `json:"service"`
		RequestTimeout float64 `json:"request_timeout"`
	}
	c, err := LoadConfig(generated{"svc", 9})
	if err != nil || c.Service != "svc" || c.RequestTimeout != 9 {
		t.Fatalf("%v %v", c, err)
	}
	if _, err := LoadConfig(map[string]interface{}{"service": 5}); err == nil {
		t.Fatal("a wrong shape must be an error")
	}
}
