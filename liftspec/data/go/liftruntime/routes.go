package liftruntime

import (
	"sort"
	"strings"
)

// The route table of one function, as lift_runtime/routes.py reads it: API Gateway names the route it
// matched (routeKey in payload 2.0, resource in REST's 1.0); an ALB names none, so the path is matched
// the way HTTP APIs do: a route without path variables before one with {name} variables before a greedy
// {name+}, longer literal prefixes first, a method before ANY, and $default last.

type pattern struct {
	route    *Route
	method   string
	parts    []string
	greedy   bool
	literals int
}

func segments(path string) []string {
	out := []string{}
	for _, part := range strings.Split(path, "/") {
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

func newPattern(route *Route) pattern {
	method, path := route.Route, ""
	if i := strings.Index(route.Route, " "); i >= 0 {
		method, path = route.Route[:i], route.Route[i+1:]
	}
	p := pattern{route: route, method: method, parts: segments(path)}
	if n := len(p.parts); n > 0 {
		last := p.parts[n-1]
		p.greedy = strings.HasPrefix(last, "{") && strings.HasSuffix(last, "+}")
	}
	for _, part := range p.parts {
		if !strings.HasPrefix(part, "{") {
			p.literals++
		}
	}
	return p
}

func (p pattern) matches(method string, parts []string) bool {
	if p.method != "ANY" && p.method != method {
		return false
	}
	fixed := p.parts
	if p.greedy {
		fixed = p.parts[:len(p.parts)-1]
		if len(parts) <= len(fixed) {
			return false // a greedy variable takes one segment or more
		}
	} else if len(parts) != len(fixed) {
		return false
	}
	for i, want := range fixed {
		if !strings.HasPrefix(want, "{") && want != parts[i] {
			return false
		}
	}
	return true
}

// outranks: p is tried before q (routes.py's rank tuple, compared from the first element).
func (p pattern) outranks(q pattern) bool {
	pExact, qExact := p.literals == len(p.parts), q.literals == len(q.parts)
	switch {
	case p.greedy != q.greedy:
		return !p.greedy
	case pExact != qExact:
		return pExact
	case p.literals != q.literals:
		return p.literals > q.literals
	}
	return p.method != "ANY" && q.method == "ANY"
}

// routeTable holds the routes of one function, looked up per request.
type routeTable struct {
	byKey    map[string]*Route
	fallback *Route // $default
	patterns []pattern
}

func newRouteTable(routes []Route) *routeTable {
	t := &routeTable{byKey: map[string]*Route{}}
	for i := range routes {
		route := &routes[i]
		t.byKey[route.Route] = route
		if route.Route != "$default" {
			t.patterns = append(t.patterns, newPattern(route))
		}
	}
	t.fallback = t.byKey["$default"]
	sort.SliceStable(t.patterns, func(i, j int) bool { return t.patterns[i].outranks(t.patterns[j]) })
	return t
}

// match is the route that served the request; nil when none of the function's routes fits it.
func (t *routeTable) match(raw *rawEvent, r request) *Route {
	if key, ok := raw.RouteKey.(string); ok && t.byKey[key] != nil {
		return t.byKey[key]
	}
	if resource, ok := raw.Resource.(string); ok && strings.HasPrefix(resource, "/") {
		for _, method := range []string{r.method, "ANY"} {
			if found, ok := t.byKey[method+" "+resource]; ok {
				return found
			}
		}
	}
	parts := segments(r.path)
	for _, p := range t.patterns {
		if p.matches(r.method, parts) {
			return p.route
		}
	}
	return t.fallback
}
