package liftruntime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The client rate limit against a DynamoDB-compatible server: tests/test_go_client_limit.py starts moto's
// server (tests/moto_server.py says why moto) and passes its URL in LIFT_TEST_DYNAMODB_URL. Without it the
// tests that need the server are skipped; those that need no server (down, silent) always run.

const testDynamoURLEnv = "LIFT_TEST_DYNAMODB_URL"

var testTables int64

// withStore sets the environment the compiled template gives the function, the endpoint pointed at url.
func withStore(t *testing.T, url, table string) {
	for key, value := range map[string]string{"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
		"AWS_SESSION_TOKEN": "testing", "AWS_REGION": "us-east-1", RateLimitTableEnv: table, DynamoDBEndpointEnv: url} {
		t.Setenv(key, value)
	}
}

func dynamoCall(t *testing.T, url, operation string, payload interface{}) map[string]interface{} {
	t.Helper()
	body, _ := json.Marshal(payload)
	creds := credentials{"testing", "testing", "testing", "us-east-1"}
	host := strings.TrimPrefix(url, "http://")
	headers := sign(creds, "dynamodb", "POST", host, "/",
		map[string]string{"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810." + operation}, body, time.Now())
	req, _ := http.NewRequest("POST", url+"/", bytes.NewReader(body))
	for name, value := range headers {
		if name != "Host" {
			req.Header.Set(name, value)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]interface{}
	if resp.StatusCode != 200 || json.Unmarshal(data, &out) != nil {
		t.Fatalf("%s: HTTP %d %s", operation, resp.StatusCode, data)
	}
	return out
}

// moto gives a fresh counter table (key pk, TTL on expires_at, as the template compiles it) and sets the environment.
func moto(t *testing.T) (url, table string) {
	url = os.Getenv(testDynamoURLEnv)
	if url == "" {
		t.Skip(testDynamoURLEnv + " is not set: tests/test_go_client_limit.py runs these against moto's server")
	}
	table = fmt.Sprintf("go-limits-%d-%d", time.Now().UnixNano(), atomic.AddInt64(&testTables, 1))
	dynamoCall(t, url, "CreateTable", map[string]interface{}{
		"TableName": table, "BillingMode": "PAY_PER_REQUEST",
		"AttributeDefinitions": []map[string]string{{"AttributeName": "pk", "AttributeType": "S"}},
		"KeySchema":            []map[string]string{{"AttributeName": "pk", "KeyType": "HASH"}},
	})
	dynamoCall(t, url, "UpdateTimeToLive", map[string]interface{}{
		"TableName": table, "TimeToLiveSpecification": map[string]interface{}{"AttributeName": "expires_at", "Enabled": true},
	})
	withStore(t, url, table)
	return url, table
}

func items(t *testing.T, url, table string) []interface{} {
	found, _ := dynamoCall(t, url, "Scan", map[string]string{"TableName": table})["Items"].([]interface{})
	return found
}

// clientLimited is a wrapper with a client limit of max a minute (the local bucket out of the way), its
// shared counter's clock at clock.
func clientLimited(t *testing.T, max int, clock time.Time, change func(*Config)) *run {
	c := testConfig()
	c.RateLimit.Scope, c.RateLimit.Key, c.RateLimit.Max, c.RateLimit.Burst = "client", "source_ip", max, 100000
	c.RateLimit.Window, c.RateLimit.OnStoreError, c.RateLimit.StoreTimeout = 60, "allow", 0.3
	if change != nil {
		change(&c)
	}
	r := newRun(t, c, hello)
	if r.w.clients == nil {
		t.Fatal("scope client with the table variable: the shared counter applies")
	}
	r.w.clients.now = func() time.Time { return clock }
	return r
}

func from(t *testing.T, ip string) []byte {
	return edit(t, v2("GET", "/x", nil), func(m map[string]interface{}) {
		contextOf(m)["http"].(map[string]interface{})["sourceIp"] = ip
	})
}

func statuses(t *testing.T, r *run, events ...[]byte) string {
	var got []int
	for _, event := range events {
		got = append(got, statusOf(r.invoke(t, event)))
	}
	return jsonText(got)
}

func TestDynamoEachClientGetsMaxAWindowThen429(t *testing.T) {
	url, table := moto(t)
	r := clientLimited(t, 3, windowStart.Add(15*time.Second), nil)
	var remaining []interface{}
	for i := 0; i < 4; i++ {
		remaining = append(remaining, r.invoke(t, from(t, "198.51.100.1")).single()["X-RateLimit-Remaining"])
	}
	refused := r.resp.single()
	if statusOf(r.resp) != 429 || jsonText(remaining) != `["2","1","0","0"]` || refused["X-RateLimit-Limit"] != "3" ||
		refused["Retry-After"] != "45" || refused["X-RateLimit-Reset"] != "45" {
		t.Fatalf("remaining %v, last answer %v", remaining, r.resp)
	}
	if got := statuses(t, r, from(t, "198.51.100.2")); got != "[200]" {
		t.Fatalf("another client: %s", got)
	}
	later := clientLimited(t, 3, windowStart.Add(60*time.Second), nil)
	if got := statuses(t, later, from(t, "198.51.100.1")); got != "[200]" {
		t.Fatalf("the next window: %s", got)
	}
	all := items(t, url, table)
	counts := []string{}
	for _, item := range all {
		m := item.(map[string]interface{})
		counts = append(counts, jsonText(m["count"])+jsonText(m["expires_at"]))
		if strings.Contains(jsonText(m), "198.51.100") {
			t.Errorf("the item holds the identity: %v", m)
		}
	}
	if len(all) != 3 || !strings.Contains(strings.Join(counts, " "), `{"N":"3"}{"N":"1800000060"}`) {
		t.Fatalf("items: %v", counts)
	}
}

func TestDynamoTwoWrappersShareOneLimit(t *testing.T) {
	moto(t)
	one, two := clientLimited(t, 4, windowStart, nil), clientLimited(t, 4, windowStart, nil)
	var got []int
	for i := 0; i < 3; i++ {
		for _, w := range []*run{one, two} {
			got = append(got, statusOf(w.invoke(t, from(t, "198.51.100.9"))))
		}
	}
	if jsonText(got) != "[200,200,200,200,429,429]" {
		t.Fatalf("%v", got)
	}
}

func TestDynamoManyConcurrentClientsEachGetExactlyMax(t *testing.T) {
	moto(t)
	// a generous store timeout: on a loaded test machine a slow answer would be a store error, not a count
	deny := func(c *Config) { c.RateLimit.StoreTimeout, c.RateLimit.OnStoreError = 10, "deny" }
	containers := []*run{clientLimited(t, 5, windowStart, deny), clientLimited(t, 5, windowStart, deny)}
	var mu sync.Mutex
	served, refused := map[string]int{}, map[string]int{}
	var wg sync.WaitGroup
	jobs := make(chan [2]int)
	for worker := 0; worker < 16; worker++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range jobs {
				ip := fmt.Sprintf("10.0.0.%d", job[0])
				_, raw := kindOf(from(t, ip))
				d, _ := containers[job[1]%2].w.rateLimit(raw, newRequest(raw, 2))
				mu.Lock()
				if d.allowed {
					served[ip]++
				} else {
					refused[ip]++
				}
				mu.Unlock()
			}
		}()
	}
	for client := 0; client < 12; client++ {
		for n := 0; n < 8; n++ {
			jobs <- [2]int{client, n}
		}
	}
	close(jobs)
	wg.Wait()
	for client := 0; client < 12; client++ {
		ip := fmt.Sprintf("10.0.0.%d", client)
		if served[ip] != 5 || refused[ip] != 3 {
			t.Errorf("%s: %d served, %d refused", ip, served[ip], refused[ip])
		}
	}
	for _, r := range containers {
		if strings.Contains(r.out.String(), "rate limit store error") {
			t.Fatalf("a store error: %s", r.out.String())
		}
	}
}

func TestDynamoAStoreErrorAnswerIsAStoreError(t *testing.T) {
	url, _ := moto(t)
	withStore(t, url, "no-such-table") // the server answers 400 ResourceNotFoundException
	allow := clientLimited(t, 1, windowStart, nil)
	if got := statuses(t, allow, from(t, "192.0.2.1"), from(t, "192.0.2.1")); got != "[200,200]" {
		t.Fatalf("allow: %s", got)
	}
	if logs := allow.out.String(); strings.Count(logs, `"message":"rate limit store error"`) != 2 || !strings.Contains(logs, "ResourceNotFoundException") {
		t.Fatalf("logs: %s", logs)
	}
	if emf := allow.out.String(); !strings.Contains(emf, `"`+storeErrorsMetric+`":1`) {
		t.Fatalf("the store errors are counted: %s", emf)
	}
	deny := clientLimited(t, 1, windowStart, func(c *Config) { c.RateLimit.OnStoreError = "deny" })
	if got := statuses(t, deny, from(t, "192.0.2.1")); got != "[429]" {
		t.Fatalf("deny: %s", got)
	}
}

func TestDynamoTheLocalGuardRefusesABurstBeforeItCostsAStoreCall(t *testing.T) {
	url, table := moto(t)
	r := clientLimited(t, 100, windowStart, func(c *Config) { c.RateLimit.Burst = 2 })
	if got := statuses(t, r, from(t, "203.0.113.50"), from(t, "203.0.113.50"), from(t, "203.0.113.50"), from(t, "203.0.113.50")); got != "[200,200,429,429]" {
		t.Fatalf("%s", got)
	}
	all := items(t, url, table)
	if len(all) != 1 || jsonText(all[0].(map[string]interface{})["count"]) != `{"N":"2"}` {
		t.Fatalf("the refused two never reached the table: %v", all)
	}
}

func freePort(t *testing.T) (net.Listener, string) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return listener, "http://" + listener.Addr().String()
}

func TestStoreDownDenyAnswers429(t *testing.T) {
	listener, url := freePort(t)
	listener.Close() // nothing listens there
	withStore(t, url, "limits")
	r := clientLimited(t, 100, windowStart, func(c *Config) { c.RateLimit.OnStoreError = "deny" })
	resp := r.invoke(t, from(t, "192.0.2.1"))
	if statusOf(resp) != 429 || resp.single()["Retry-After"] != "1" || !strings.Contains(r.out.String(), "connection refused") {
		t.Fatalf("%v %s", resp, r.out.String())
	}
}

func TestASlowStoreCostsAtMostStoreTimeout(t *testing.T) {
	listener, url := freePort(t) // accepts connections and never answers
	defer listener.Close()
	withStore(t, url, "limits")
	r := clientLimited(t, 100, windowStart, func(c *Config) { c.RateLimit.OnStoreError, c.RateLimit.StoreTimeout = "deny", 0.2 })
	started := time.Now()
	if got := statuses(t, r, from(t, "192.0.2.1")); got != "[429]" || time.Since(started) > 1500*time.Millisecond {
		t.Fatalf("%s after %v", got, time.Since(started))
	}
}

func TestABadEndpointIsAStoreError(t *testing.T) {
	withStore(t, "not a url", "limits")
	r := clientLimited(t, 100, windowStart, nil)
	if got := statuses(t, r, from(t, "192.0.2.1")); got != "[200]" || !strings.Contains(r.out.String(), "is not a URL") {
		t.Fatalf("%s %s", got, r.out.String())
	}
}
