package liftruntime

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSigV4MatchesTheAWSTestSuiteVector(t *testing.T) {
	// get-vanilla from the AWS Signature Version 4 test suite
	c := credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", "us-east-1"}
	signed := sign(c, "service", "GET", "example.amazonaws.com", "/", nil, nil, time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC))
	want := "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, " +
		"SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
	if signed["Authorization"] != want {
		t.Fatalf("got %s", signed["Authorization"])
	}
}

func TestSigV4SignsADynamoDBCallAsBotocoreDoes(t *testing.T) {
	// the call tests/test_runtime_client_limit.py checks against botocore, signed the same
	headers := map[string]string{"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": updateItemTarget}
	c := credentials{"AKID", "SECRET", "TOKEN", "eu-west-1"}
	signed := sign(c, "dynamodb", "POST", "db.local:8000", "/", headers, []byte(`{"TableName":"t"}`), time.Unix(1700000000, 0))
	if !strings.HasSuffix(signed["Authorization"], "Signature=33e5a82a898ea930af4d4d2e54a6bb650586c337fe48dfc10fd1a12dfe88f259") ||
		!strings.Contains(signed["Authorization"], "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target") {
		t.Fatalf("got %s", signed["Authorization"])
	}
	if signed["X-Amz-Security-Token"] != "TOKEN" || signed["X-Amz-Date"] != "20231114T221320Z" || headers["Host"] != "" {
		t.Fatalf("headers: %v (given: %v)", signed, headers)
	}
}

type fakeStore struct {
	mu     sync.Mutex
	counts map[string]int
	items  []string
	fail   error
}

func (f *fakeStore) increment(item string, limit int, expires int64) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items = append(f.items, item+"@"+strconv.FormatInt(expires, 10))
	if f.fail != nil {
		return 0, f.fail
	}
	if f.counts[item] >= limit {
		return 0, errLimitReached
	}
	f.counts[item]++
	return f.counts[item], nil
}

// windowStart: a fixed clock at the start of a window of any length up to an hour (1_800_000_000 s).
var windowStart = time.Unix(1800000000, 0)

func TestClientLimiterCountsPerClientAndWindow(t *testing.T) {
	store := &fakeStore{counts: map[string]int{}}
	clock := windowStart.Add(15 * time.Second)
	l := &clientLimiter{store: store, limit: 2, window: 60, now: func() time.Time { return clock }}
	var got []decision
	for i := 0; i < 3; i++ {
		d, ok := l.take("ip:198.51.100.1")
		if !ok {
			t.Fatal("no decision")
		}
		got = append(got, d)
	}
	want := []decision{{true, 2, 1, 45, 0}, {true, 2, 0, 45, 0}, {false, 2, 0, 45, 45}}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if d, _ := l.take("ip:198.51.100.2"); !d.allowed {
		t.Error("another client has its own counter")
	}
	clock = windowStart.Add(60 * time.Second)
	if d, _ := l.take("ip:198.51.100.1"); !d.allowed {
		t.Error("the next window starts from zero")
	}
	item := store.items[0]
	if !strings.HasSuffix(item, "#30000000@1800000060") || len(item) != 32+len("#30000000@1800000060") || strings.Contains(item, "198.51") {
		t.Errorf("item key: %s (a digest, the window index, expires at the window's end)", item)
	}
}

func TestStoreErrorsFollowOnStoreError(t *testing.T) {
	var out bytes.Buffer
	Log.configure(&out, "info", "json", nil)
	store := &fakeStore{fail: storeError{"dial tcp: connection refused"}}
	allow := &clientLimiter{store: store, limit: 5, window: 60, now: time.Now}
	if _, ok := allow.take("ip:a"); ok {
		t.Fatal("allow: no decision, the request goes on")
	}
	deny := &clientLimiter{store: store, limit: 5, window: 60, denyOnError: true, now: time.Now}
	if d, ok := deny.take("ip:a"); !ok || d != (decision{false, 5, 0, 1, 1}) {
		t.Fatalf("deny: %+v %v", d, ok)
	}
	logged := out.String()
	if strings.Count(logged, `"message":"rate limit store error"`) != 2 || !strings.Contains(logged, `"on_store_error":"allow"`) ||
		!strings.Contains(logged, `"reason":"dial tcp: connection refused"`) {
		t.Fatalf("logs: %s", logged)
	}
	pending.Lock()
	counted := pending.metrics
	pending.metrics = nil
	pending.Unlock()
	if len(counted) != 1 || counted[0].name != storeErrorsMetric || counted[0].value != 2 {
		t.Fatalf("metrics: %+v", counted)
	}
}

func TestStoreAnswers(t *testing.T) {
	cases := []struct {
		status int
		body   string
		count  int
		err    string
	}{
		{200, `{"Attributes":{"count":{"N":"3"}}}`, 3, ""},
		{400, `{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"failed"}`, 0, "limit"},
		{400, `{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"no table"}`, 0, "HTTP 400: com.amazonaws.dynamodb.v20120810#ResourceNotFoundException no table"},
		{500, `<html>`, 0, "HTTP 500: not a JSON object"},
		{200, `[]`, 0, "HTTP 200: not a JSON object"},
		{200, `{}`, 0, "the answer carries no count"},
		{200, ``, 0, "the answer carries no count"},
	}
	for _, c := range cases {
		count, err := countOf(c.status, []byte(c.body))
		switch {
		case c.err == "limit" && err != errLimitReached, c.err == "" && (err != nil || count != c.count):
			t.Errorf("%d %s: %d %v", c.status, c.body, count, err)
		case c.err != "" && c.err != "limit" && (err == nil || err.Error() != c.err):
			t.Errorf("%d %s: %v, want %s", c.status, c.body, err, c.err)
		}
	}
}

func TestClientKeys(t *testing.T) {
	base := httpAPI(t, "GET", "/x", "", jwtAuthorizer(map[string]interface{}{}, nil))
	withIP := edit(t, base, func(m map[string]interface{}) {
		contextOf(m)["http"].(map[string]interface{})["sourceIp"] = "198.51.100.1"
		m["headers"] = map[string]string{"X-Api-Key": "k1", "x-forwarded-for": "10.0.0.1"}
	})
	_, raw := kindOf(withIP)
	r := newRequest(raw, 2)
	cases := map[string]string{
		"source_ip":         "ip:198.51.100.1",
		"jwt_sub":           "sub:user-1",
		"header:x-api-key":  "header:x-api-key:k1",
		"header:x-other":    "ip:198.51.100.1", // absent: the source IP
		"something unknown": "ip:198.51.100.1",
	}
	for key, want := range cases {
		if got := raw.clientKey(r, key); got != want {
			t.Errorf("%s: %s, want %s", key, got, want)
		}
	}
	_, noSub := kindOf(httpAPI(t, "GET", "/x", "", nil))
	if got := noSub.clientKey(newRequest(noSub, 2), "jwt_sub"); got != "ip:unknown" {
		t.Errorf("a public route has no sub: %s", got)
	}
	_, rest := kindOf(edit(t, rest(t, "GET", "/x", "/x", nil), func(m map[string]interface{}) {
		contextOf(m)["identity"] = map[string]interface{}{"sourceIp": "192.0.2.7"}
	}))
	if got := rest.clientKey(newRequest(rest, 1), "source_ip"); got != "ip:192.0.2.7" {
		t.Errorf("REST: %s", got)
	}
	_, lb := kindOf(alb(t, "GET", "/x"))
	lbRequest := newRequest(lb, 1)
	lbRequest.headers["x-forwarded-for"] = []string{"6.6.6.6, 203.0.113.9", " 203.0.113.10 "}
	if got := lb.clientKey(lbRequest, "source_ip"); got != "ip:203.0.113.10" {
		t.Errorf("ALB: the last hop counts: %s", got)
	}
}

func TestClientBucketsKeepTheClientsSeenLast(t *testing.T) {
	b := newClientBuckets(1, 60, 1, 2, func() time.Time { return windowStart })
	var allowed []bool
	for _, c := range []string{"a", "b", "a", "c"} {
		allowed = append(allowed, b.take(c).allowed)
	}
	if jsonText(allowed) != "[true,true,false,true]" ||
		strings.Join(b.kept(), ",") != "a,c" {
		t.Fatalf("%v %v", allowed, b.kept())
	}
	if !b.take("b").allowed || strings.Join(b.kept(), ",") != "c,b" {
		t.Fatalf("b starts over and a (least recent) goes: %v", b.kept())
	}
}

func jsonText(v interface{}) string {
	data, _ := json.Marshal(v)
	return string(data)
}

func TestScopeClientWithoutTheTableUsesTheLocalBucketsOnly(t *testing.T) {
	t.Setenv(RateLimitTableEnv, "")
	c := testConfig()
	c.RateLimit.Scope, c.RateLimit.Key, c.RateLimit.Max, c.RateLimit.Burst = "client", "source_ip", 1, 2
	r := newRun(t, c, hello)
	if r.w.clients != nil || r.w.buckets == nil || r.w.limiter != nil {
		t.Fatalf("%+v", r.w)
	}
	from := func(ip string) []byte {
		return edit(t, v2("GET", "/x", nil), func(m map[string]interface{}) {
			contextOf(m)["http"].(map[string]interface{})["sourceIp"] = ip
		})
	}
	var got []int
	for _, ip := range []string{"192.0.2.1", "192.0.2.1", "192.0.2.1", "192.0.2.2"} {
		got = append(got, statusOf(r.invoke(t, from(ip))))
	}
	if jsonText(got) != "[200,200,429,200]" {
		t.Fatalf("one client's burst of 2, then another client: %v", got)
	}
	if r.resp.single()["X-RateLimit-Limit"] != "1" {
		t.Fatalf("headers: %v", r.resp)
	}
}
