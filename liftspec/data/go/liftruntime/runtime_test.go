package liftruntime

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeRuntimeAPI serves events on /next, records what the runtime posts back, then answers 410.
type fakeRuntimeAPI struct {
	mu     sync.Mutex
	events [][]byte
	posts  map[string]string // path -> body
	kinds  map[string]string // path -> Lambda-Runtime-Function-Error-Type
}

func (f *fakeRuntimeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/invocation/next") {
		if len(f.events) == 0 {
			w.WriteHeader(http.StatusGone)
			return
		}
		id := "req-" + strconv.Itoa(len(f.posts))
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", id)
		w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(5*time.Second).UnixNano()/1e6, 10))
		w.Header().Set("Lambda-Runtime-Trace-Id", "Root=1-abc")
		w.Write(f.events[0])
		f.events = f.events[1:]
		return
	}
	body, _ := io.ReadAll(r.Body)
	f.posts[r.URL.Path] = string(body)
	f.kinds[r.URL.Path] = r.Header.Get("Lambda-Runtime-Function-Error-Type")
	w.WriteHeader(http.StatusAccepted)
}

func TestStartServesTheRuntimeAPI(t *testing.T) {
	api := &fakeRuntimeAPI{
		events: [][]byte{v2("GET", "/health", nil), []byte(`{"source":"aws.events"}`)},
		posts:  map[string]string{},
		kinds:  map[string]string{},
	}
	server := httptest.NewServer(api)
	defer server.Close()
	os.Setenv("AWS_LAMBDA_RUNTIME_API", strings.TrimPrefix(server.URL, "http://"))
	defer os.Unsetenv("AWS_LAMBDA_RUNTIME_API")
	err := Start(testConfig(), func(ctx context.Context, e json.RawMessage) (interface{}, error) {
		return nil, errors.New("scheduled job failed")
	})
	if err == nil || !strings.Contains(err.Error(), "410") {
		t.Fatalf("Start returned %v, want the 410 that ends the test", err)
	}
	var health map[string]interface{}
	json.Unmarshal([]byte(api.posts["/2018-06-01/runtime/invocation/req-0/response"]), &health)
	if health["statusCode"] != 200.0 {
		t.Fatalf("health response: %v", api.posts)
	}
	failure := api.posts["/2018-06-01/runtime/invocation/req-1/error"]
	if !strings.Contains(failure, `"errorMessage":"scheduled job failed"`) || api.kinds["/2018-06-01/runtime/invocation/req-1/error"] == "" {
		t.Fatalf("error post: %v %v", api.posts, api.kinds)
	}
}

func TestStartReportsAnUnusableConfigAsAnInitError(t *testing.T) {
	api := &fakeRuntimeAPI{posts: map[string]string{}, kinds: map[string]string{}}
	server := httptest.NewServer(api)
	defer server.Close()
	os.Setenv("AWS_LAMBDA_RUNTIME_API", strings.TrimPrefix(server.URL, "http://"))
	defer os.Unsetenv("AWS_LAMBDA_RUNTIME_API")
	if err := Start(map[string]interface{}{"service": 7}, hello); err == nil {
		t.Fatal("a config of the wrong shape must fail")
	}
	if !strings.Contains(api.posts["/2018-06-01/runtime/init/error"], "lift_config.json") {
		t.Fatalf("init error: %v", api.posts)
	}
}
