package liftruntime

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// routesConfig: examples/order-service's api function (as tests/test_runtime_routes.py has it):
// GET|POST /{proxy+} behind the JWT authorizer, GET /products public, POST /orders with scopes.
func routesConfig() Config {
	c := testConfig()
	c.RateLimit.Enabled = false
	c.Auth.Enabled, c.Auth.JWT = true, json.RawMessage(`{"issuer":"https://auth.example.com/"}`)
	c.Functions = map[string]FunctionConfig{"api": {RequestTimeout: 2, Routes: []Route{
		{Route: "GET /{proxy+}", Scopes: []string{}},
		{Route: "POST /{proxy+}", Scopes: []string{}},
		{Route: "GET /products", Public: true, Scopes: []string{}},
		{Route: "POST /orders", Scopes: []string{"orders:write", "admin"}},
	}}}
	return c
}

func edit(t *testing.T, event []byte, change func(map[string]interface{})) []byte {
	t.Helper()
	var m map[string]interface{}
	if err := json.Unmarshal(event, &m); err != nil {
		t.Fatal(err)
	}
	change(m)
	data, _ := json.Marshal(m)
	return data
}

func contextOf(m map[string]interface{}) map[string]interface{} {
	return m["requestContext"].(map[string]interface{})
}

// httpAPI is a payload 2.0 event at route key key (by path when key is ""), with the authorizer given.
func httpAPI(t *testing.T, method, path, key string, authorizer interface{}) []byte {
	return edit(t, v2(method, path, nil), func(m map[string]interface{}) {
		if key != "" {
			m["routeKey"] = key
			contextOf(m)["routeKey"] = key
		}
		if authorizer != nil {
			contextOf(m)["authorizer"] = authorizer
		}
	})
}

func jwtAuthorizer(claims map[string]interface{}, scopes interface{}) map[string]interface{} {
	claims["sub"] = "user-1"
	return map[string]interface{}{"jwt": map[string]interface{}{"claims": claims, "scopes": scopes}}
}

func rest(t *testing.T, method, resource, path string, claims map[string]interface{}) []byte {
	return edit(t, v1(method, path, map[string]string{"accept": "*/*"}, nil), func(m map[string]interface{}) {
		m["resource"] = resource
		contextOf(m)["resourcePath"] = resource
		if claims != nil {
			contextOf(m)["authorizer"] = map[string]interface{}{"claims": claims}
		}
	})
}

func alb(t *testing.T, method, path string) []byte {
	return edit(t, v1(method, path, map[string]string{"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9"}, nil),
		func(m map[string]interface{}) {
			m["requestContext"] = map[string]interface{}{"elb": map[string]string{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1"}}
		})
}

type counting struct{ calls int }

func (c *counting) handler() Handler {
	return func(ctx context.Context, e json.RawMessage) (interface{}, error) {
		c.calls++
		return map[string]bool{"ok": true}, nil
	}
}

func callAPI(t *testing.T, c Config, event []byte) (response, int) {
	t.Helper()
	user := &counting{}
	r := newRun(t, c, user.handler())
	r.w = NewWrapper(user.handler(), c, "api", "", &r.out)
	return r.invoke(t, event), user.calls
}

func statusOf(resp response) int {
	status, _ := resp.status()
	return status
}

func TestAPublicRouteIsServedWithoutClaimsInEveryForm(t *testing.T) {
	events := map[string][]byte{
		"v2":  httpAPI(t, "GET", "/products", "GET /products", nil),
		"v1":  rest(t, "GET", "/products", "/products", nil),
		"alb": alb(t, "GET", "/products"),
	}
	for name, event := range events {
		if resp, calls := callAPI(t, routesConfig(), event); statusOf(resp) != 200 || calls != 1 {
			t.Errorf("%s: %v (handler called %d times)", name, resp, calls)
		}
	}
}

func TestOtherRoutesStillNeedClaims(t *testing.T) {
	events := map[string][]byte{
		"v2":                       httpAPI(t, "GET", "/orders", "GET /{proxy+}", nil),
		"v1":                       rest(t, "GET", "/{proxy+}", "/orders", nil),
		"alb":                      alb(t, "GET", "/orders"),
		"v2 method not public":     httpAPI(t, "POST", "/products", "POST /{proxy+}", nil),
		"alb method not public":    alb(t, "POST", "/products"),
		"v1 greedy resource":       rest(t, "GET", "/{proxy+}", "/products", nil),
		"no route of the function": httpAPI(t, "DELETE", "/products", "", nil),
	}
	for name, event := range events {
		resp, calls := callAPI(t, routesConfig(), event)
		if statusOf(resp) != 401 || calls != 0 || resp.single()["WWW-Authenticate"] != "Bearer" {
			t.Errorf("%s: %v (handler called %d times)", name, resp, calls)
		}
	}
}

func TestTheRouteKeyWinsOverThePath(t *testing.T) {
	// API Gateway matched GET /{proxy+} (say a stage variable rewrote the path): not the public route
	if resp, _ := callAPI(t, routesConfig(), httpAPI(t, "GET", "/products", "GET /{proxy+}", nil)); statusOf(resp) != 401 {
		t.Fatalf("route key GET /{proxy+}: %v", resp)
	}
	// $default is not a route of api: matched by path, GET /products
	if resp, _ := callAPI(t, routesConfig(), httpAPI(t, "GET", "/products", "$default", nil)); statusOf(resp) != 200 {
		t.Fatalf("route key $default: %v", resp)
	}
}

func TestHealthStaysPublic(t *testing.T) {
	if resp, calls := callAPI(t, routesConfig(), httpAPI(t, "GET", "/health", "", nil)); statusOf(resp) != 200 || calls != 0 {
		t.Fatalf("health: %v", resp)
	}
}

func TestAScopedRouteAnswers403WhenTheTokenLacksEveryScope(t *testing.T) {
	event := httpAPI(t, "POST", "/orders", "POST /orders",
		jwtAuthorizer(map[string]interface{}{"scope": "orders:read profile"}, []string{"orders:read", "profile"}))
	resp, calls := callAPI(t, routesConfig(), event)
	if statusOf(resp) != 403 || calls != 0 {
		t.Fatalf("%v (handler called %d times)", resp, calls)
	}
	if b := body(t, resp); b["error"] != "insufficient_scope" || b["message"] != "The token lacks the scope this route requires" || b["request_id"] != "req-1" {
		t.Fatalf("body: %v", b)
	}
	if got := resp.single()["WWW-Authenticate"]; got != `Bearer error="insufficient_scope", scope="orders:write admin"` {
		t.Fatalf("WWW-Authenticate: %v", got)
	}
	if resp.single()["Strict-Transport-Security"] == nil || resp.single()["X-Request-Id"] != "req-1" {
		t.Fatalf("the runtime's answers carry the headers: %v", resp)
	}
}

func TestAScopedRouteIsServedWhenTheTokenCarriesOneOfItsScopes(t *testing.T) {
	cases := map[string]map[string]interface{}{
		"OAuth scope claim":         jwtAuthorizer(map[string]interface{}{"scope": "orders:read orders:write"}, nil),
		"scp list":                  jwtAuthorizer(map[string]interface{}{"scp": []string{"admin"}}, nil),
		"array as HTTP API renders": jwtAuthorizer(map[string]interface{}{"scp": "[orders:write admin]"}, nil),
		"the authorizer's scopes":   jwtAuthorizer(map[string]interface{}{}, []string{"orders:write"}),
	}
	for name, authorizer := range cases {
		resp, calls := callAPI(t, routesConfig(), httpAPI(t, "POST", "/orders", "POST /orders", authorizer))
		if statusOf(resp) != 200 || calls != 1 {
			t.Errorf("%s: %v", name, resp)
		}
	}
	// another route with any valid token
	resp, _ := callAPI(t, routesConfig(), httpAPI(t, "POST", "/carts", "POST /{proxy+}", jwtAuthorizer(map[string]interface{}{}, nil)))
	if statusOf(resp) != 200 {
		t.Fatalf("POST /{proxy+}: %v", resp)
	}
}

func TestRESTClaimsAreReadFromTheAuthorizerClaims(t *testing.T) {
	cases := []struct {
		resource, scope string
		want            int
	}{
		{"/orders", "orders:read", 403},
		{"/orders", "orders:write", 200},
		{"/{proxy+}", "", 200}, // REST matched the greedy resource: any valid token
	}
	for _, c := range cases {
		event := rest(t, "POST", c.resource, "/orders", map[string]interface{}{"sub": "u", "scope": c.scope})
		if resp, _ := callAPI(t, routesConfig(), event); statusOf(resp) != c.want {
			t.Errorf("%s with %q: %v", c.resource, c.scope, resp)
		}
	}
}

func TestAnALBNeverReachesAScopedRoute(t *testing.T) {
	if resp, calls := callAPI(t, routesConfig(), alb(t, "POST", "/orders")); statusOf(resp) != 401 || calls != 0 {
		t.Fatalf("%v", resp)
	}
}

func TestWithoutAuthEveryRouteIsServed(t *testing.T) {
	c := routesConfig()
	c.Auth.Enabled = false
	if resp, calls := callAPI(t, c, httpAPI(t, "POST", "/orders", "POST /orders", nil)); statusOf(resp) != 200 || calls != 1 {
		t.Fatalf("%v", resp)
	}
}

func matched(table *routeTable, method, path string) string {
	route := table.match(&rawEvent{}, request{method: method, path: path})
	if route == nil {
		return "<none>"
	}
	return route.Route
}

func tableOf(keys ...string) *routeTable {
	routes := make([]Route, len(keys))
	for i, key := range keys {
		routes[i] = Route{Route: key}
	}
	return newRouteTable(routes)
}

func TestPathsMatchTheMostSpecificRouteAsHTTPAPIsDo(t *testing.T) {
	table := tableOf("ANY /{proxy+}", "GET /orders/{id}", "GET /orders/new", "ANY /orders/{rest+}", "$default", "POST /orders")
	cases := [][3]string{
		{"GET", "/orders/new", "GET /orders/new"},
		{"GET", "/orders/7", "GET /orders/{id}"},
		{"GET", "/orders/7/lines", "ANY /orders/{rest+}"},
		{"POST", "/orders", "POST /orders"},
		{"GET", "/orders", "ANY /{proxy+}"},
		{"GET", "/", "$default"}, // a greedy variable takes one segment or more
		{"GET", "//orders//new/", "GET /orders/new"},
	}
	for _, c := range cases {
		if got := matched(table, c[0], c[1]); got != c[2] {
			t.Errorf("%s %s: %s, want %s", c[0], c[1], got, c[2])
		}
	}
	if got := matched(tableOf("GET /a"), "GET", "/b"); got != "<none>" {
		t.Errorf("no route fits: %s", got)
	}
	ties := tableOf("GET /{a}/x", "GET /x/{b}") // same rank: the order written
	if got := matched(ties, "GET", "/x/x"); got != "GET /{a}/x" {
		t.Errorf("tie: %s", got)
	}
}

func TestRouteKeyAndResourceWinOverThePath(t *testing.T) {
	table := tableOf("GET /{proxy+}", "GET /products", "ANY /things")
	r := request{method: "GET", path: "/products"}
	cases := []struct {
		raw  rawEvent
		want string
	}{
		{rawEvent{RouteKey: "GET /{proxy+}"}, "GET /{proxy+}"},
		{rawEvent{Resource: "/{proxy+}"}, "GET /{proxy+}"},
		{rawEvent{Resource: "/things"}, "ANY /things"},
		{rawEvent{RouteKey: "$default"}, "GET /products"},
		{rawEvent{RouteKey: 7, Resource: []interface{}{}}, "GET /products"}, // not strings: ignored
	}
	for _, c := range cases {
		if got := table.match(&c.raw, r); got == nil || got.Route != c.want {
			t.Errorf("%+v: %v, want %s", c.raw, got, c.want)
		}
	}
}

func TestScopeClaimsInEveryShape(t *testing.T) {
	cases := map[string][]string{
		`{"jwt":{"claims":{"scope":" a  b,c "}}}`:             {"a", "b", "c"},
		`{"jwt":{"claims":{"scp":["a",1]},"scopes":["d"]}}`:   {"a", "1", "d"},
		`{"jwt":{"claims":{"scp":"[a b]"},"scopes":null}}`:    {"a", "b"},
		`{"claims":{"scope":"r w"}}`:                          {"r", "w"},
		`{"jwt":{"claims":"not an object"},"claims":{"x":1}}`: {},
		`{"lambda":{"scope":"not a claim"}}`:                  {},
	}
	for authorizer, want := range cases {
		var raw rawEvent
		if err := json.Unmarshal([]byte(`{"requestContext":{"authorizer":`+authorizer+`}}`), &raw); err != nil {
			t.Fatal(err)
		}
		got := raw.scopes()
		if len(got) != len(want) {
			t.Errorf("%s: %v, want %v", authorizer, got, want)
		}
		for _, scope := range want {
			if !got[scope] {
				t.Errorf("%s: %v lacks %q", authorizer, got, scope)
			}
		}
	}
	if got := (&rawEvent{}).scopes(); len(got) != 0 || strings.Join(words(nil), "") != "" {
		t.Errorf("no context: %v", got)
	}
}
