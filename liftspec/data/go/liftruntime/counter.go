package liftruntime

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// rate_limit.scope client, as lift_runtime/counter.py counts it: one fixed-window counter per client in
// DynamoDB, shared by every container. Each request adds 1 to the item of its client and window with a
// conditional UpdateItem (ADD count :one if count < max); a failed condition is the 429. The item expires
// by DynamoDB TTL at the window's end. The client's identity is hashed into the key, never stored.
//
// The table is named by LIFT_RATE_LIMIT_TABLE (the compiled template sets it; without it only the
// per-client buckets of the container apply). A store that cannot answer within store_timeout gets
// on_store_error: allow (logged, counted as the RateLimitStoreErrors metric) or deny (429).
// LIFT_DYNAMODB_ENDPOINT points the calls at a local DynamoDB-compatible server, for tests only.

const (
	// RateLimitTableEnv names the counter table.
	RateLimitTableEnv = "LIFT_RATE_LIMIT_TABLE"
	// DynamoDBEndpointEnv points the counter at a local DynamoDB-compatible server (tests only).
	DynamoDBEndpointEnv = "LIFT_DYNAMODB_ENDPOINT"
	storeErrorsMetric   = "RateLimitStoreErrors"
	updateItemTarget    = "DynamoDB_20120810.UpdateItem"
	conditionFailed     = "ConditionalCheckFailedException"
)

// errLimitReached: the client's counter is at max for this window.
const errLimitReached = constError("the client's counter is at its limit")

// storeError: the store did not give an answer (unreachable, too slow, refused the call, or answered nonsense).
type storeError struct{ reason string }

func (e storeError) Error() string { return e.reason }

// counterStore is what clientLimiter needs of a store: dynamoStore, or a fake in a test.
type counterStore interface {
	increment(item string, limit int, expires int64) (int, error)
}

// dynamoStore makes conditional increments of one table through the DynamoDB JSON API, on kept-alive connections.
type dynamoStore struct {
	table    string
	endpoint string
	host     string
	path     string
	client   *http.Client
}

func newDynamoStore(table string, timeout float64, endpoint string) (*dynamoStore, error) {
	if endpoint == "" {
		region := os.Getenv("AWS_REGION")
		if region == "" {
			region = "us-east-1"
		}
		endpoint = "https://dynamodb." + region + ".amazonaws.com"
	}
	parsed, err := url.Parse(endpoint)
	if err != nil || parsed.Host == "" {
		return nil, fmt.Errorf("liftruntime: %s is not a URL: %q", DynamoDBEndpointEnv, endpoint)
	}
	path := parsed.EscapedPath()
	if path == "" {
		path = "/"
	}
	transport := &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 64, IdleConnTimeout: 90 * time.Second}
	client := &http.Client{Transport: transport, Timeout: time.Duration(timeout * float64(time.Second))}
	return &dynamoStore{table: table, endpoint: parsed.Scheme + "://" + parsed.Host + path, host: parsed.Host, path: path, client: client}, nil
}

type attributeValue map[string]string

func (s *dynamoStore) increment(item string, limit int, expires int64) (int, error) {
	creds, ok := credentialsFromEnvironment() // read per call: cheap, and never stale
	if !ok {
		return 0, storeError{"no AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION)"}
	}
	body, _ := json.Marshal(map[string]interface{}{
		"TableName":                 s.table,
		"Key":                       map[string]attributeValue{"pk": {"S": item}},
		"UpdateExpression":          "ADD #count :one SET #expires = :expires",
		"ConditionExpression":       "attribute_not_exists(#count) OR #count < :max",
		"ExpressionAttributeNames":  map[string]string{"#count": "count", "#expires": "expires_at"},
		"ExpressionAttributeValues": map[string]attributeValue{":one": {"N": "1"}, ":max": {"N": strconv.Itoa(limit)}, ":expires": {"N": strconv.FormatInt(expires, 10)}},
		"ReturnValues":              "UPDATED_NEW",
	})
	headers := sign(creds, "dynamodb", "POST", s.host, s.path,
		map[string]string{"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": updateItemTarget}, body, time.Now())
	status, data, err := s.post(body, headers)
	if err != nil {
		return 0, storeError{err.Error()}
	}
	return countOf(status, data)
}

// post sends one signed call. A kept-alive connection the server closed while the function was frozen
// fails at once: the call is sent once more, on a new connection.
func (s *dynamoStore) post(body []byte, headers map[string]string) (int, []byte, error) {
	for attempt := 0; ; attempt++ {
		reused := false
		trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = info.Reused }}
		req, err := http.NewRequest("POST", s.endpoint, bytes.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
		for name, value := range headers {
			if name != "Host" {
				req.Header.Set(name, value)
			}
		}
		resp, err := s.client.Do(req)
		if err != nil {
			if reused && attempt == 0 && closedByServer(err) {
				continue
			}
			return 0, nil, err
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, 65536))
		resp.Body.Close()
		return resp.StatusCode, data, err
	}
}

func closedByServer(err error) bool {
	var timeout interface{ Timeout() bool }
	if errors.As(err, &timeout) && timeout.Timeout() {
		return false
	}
	text := err.Error()
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(text, "connection reset") ||
		strings.Contains(text, "broken pipe") || strings.Contains(text, "server closed")
}

func countOf(status int, data []byte) (int, error) {
	var answer map[string]interface{}
	if len(bytes.TrimSpace(data)) == 0 {
		answer = map[string]interface{}{}
	} else if json.Unmarshal(data, &answer) != nil || answer == nil {
		return 0, storeError{fmt.Sprintf("HTTP %d: not a JSON object", status)}
	}
	kind, _ := answer["__type"].(string)
	if status == 400 && strings.HasSuffix(kind, conditionFailed) {
		return 0, errLimitReached
	}
	if status != 200 {
		message, _ := answer["message"].(string)
		if message == "" {
			message, _ = answer["Message"].(string)
		}
		return 0, storeError{fmt.Sprintf("HTTP %d: %s %s", status, kind, message)}
	}
	var shape struct {
		Attributes struct {
			Count struct {
				N string `json:"N"`
			} `json:"count"`
		} `json:"Attributes"`
	}
	json.Unmarshal(data, &shape) // an object, as checked above
	count, err := strconv.Atoi(shape.Attributes.Count.N)
	if err != nil {
		return 0, storeError{"the answer carries no count"}
	}
	return count, nil
}

// clientLimiter allows max requests per client and fixed window, counted in the store; windows start at
// multiples of window.
type clientLimiter struct {
	store       counterStore
	limit       int
	window      float64
	denyOnError bool
	now         func() time.Time
}

// newClientLimiter is nil without LIFT_RATE_LIMIT_TABLE (a local run or a unit test; the template always sets it).
func newClientLimiter(c Config) *clientLimiter {
	table := os.Getenv(RateLimitTableEnv)
	if table == "" {
		return nil
	}
	l := &clientLimiter{limit: c.RateLimit.Max, window: c.RateLimit.Window, denyOnError: c.RateLimit.OnStoreError == "deny", now: time.Now}
	store, err := newDynamoStore(table, c.RateLimit.StoreTimeout, os.Getenv(DynamoDBEndpointEnv))
	if err != nil {
		l.store = unusableStore{err.Error()} // every call is a store error: on_store_error applies
	} else {
		l.store = store
	}
	return l
}

type unusableStore storeError

func (s unusableStore) increment(string, int, int64) (int, error) { return 0, storeError(s) }

func ceil64(v float64) int64 { return int64(math.Ceil(v)) }

// take decides one request of client; ok is false when the store failed and on_store_error is allow.
func (l *clientLimiter) take(client string) (d decision, ok bool) {
	now := float64(l.now().UnixNano()) / 1e9
	index := int64(math.Floor(now / l.window))
	end := float64(index+1) * l.window
	reset := int(ceil64(end - now))
	if reset < 1 {
		reset = 1
	}
	digest := sha256.Sum256([]byte(client))
	item := hex.EncodeToString(digest[:])[:32] + "#" + strconv.FormatInt(index, 10)
	count, err := l.store.increment(item, l.limit, ceil64(end))
	switch {
	case err == errLimitReached:
		return decision{false, l.limit, 0, reset, reset}, true
	case err != nil:
		AddMetric(storeErrorsMetric, 1, "Count")
		action := "allow"
		if l.denyOnError {
			action = "deny"
		}
		Log.Error("rate limit store error", "reason", err.Error(), "on_store_error", action)
		if l.denyOnError {
			return decision{false, l.limit, 0, 1, 1}, true
		}
		return decision{}, false
	}
	remaining := l.limit - count
	if remaining < 0 {
		remaining = 0
	}
	return decision{true, l.limit, remaining, reset, 0}, true
}
