package liftruntime

import "strings"

// Who is asking, as lift_runtime/identity.py reads it: HTTP API (payload 2.0) events carry a JWT
// authorizer's claims in requestContext.authorizer.jwt.claims (and its scopes in jwt.scopes); REST (1.0)
// events in requestContext.authorizer.claims. ALB events carry none: an ALB has no authorizer.

func (raw *rawEvent) authorizer() map[string]interface{} {
	if raw == nil || raw.RequestContext == nil {
		return nil
	}
	return raw.RequestContext.Authorizer
}

// claims are the verified JWT claims API Gateway put in the event; nil when there are none.
func (raw *rawEvent) claims() map[string]interface{} {
	authorizer := raw.authorizer()
	var found interface{}
	if jwt, ok := authorizer["jwt"].(map[string]interface{}); ok {
		found = jwt["claims"] // v2 JWT
	} else {
		found = authorizer["claims"] // v1 REST
	}
	claims, _ := found.(map[string]interface{})
	return claims
}

// words reads a scope claim: space-separated text (OAuth's scope), a list (scp), or a list as HTTP API
// renders it: "[a b]".
func words(value interface{}) []string {
	switch v := value.(type) {
	case []interface{}:
		out := make([]string, len(v))
		for i, item := range v {
			out[i] = text(item)
		}
		return out
	case string:
		s := strings.TrimSpace(v)
		if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
			s = s[1 : len(s)-1]
		}
		return strings.Fields(strings.ReplaceAll(s, ",", " "))
	}
	return nil
}

// scopes are every scope the token carries: the scope and scp claims, and the scopes list of an HTTP
// API JWT authorizer.
func (raw *rawEvent) scopes() map[string]bool {
	found := map[string]bool{}
	claims := raw.claims()
	lists := []interface{}{claims["scope"], claims["scp"]}
	if jwt, ok := raw.authorizer()["jwt"].(map[string]interface{}); ok {
		lists = append(lists, jwt["scopes"])
	}
	for _, list := range lists {
		for _, word := range words(list) {
			found[word] = true
		}
	}
	return found
}

// clientKey is who is asking for a client rate limit: the configured identity (jwt_sub, header:<name>),
// else the source IP (a public route has no JWT, a header may be absent).
func (raw *rawEvent) clientKey(r request, key string) string {
	if key == "jwt_sub" {
		if sub, ok := raw.claims()["sub"].(string); ok && sub != "" {
			return "sub:" + sub
		}
	} else if strings.HasPrefix(key, "header:") {
		if values := r.headers[key[len("header:"):]]; len(values) > 0 {
			return key + ":" + strings.Join(values, ", ")
		}
	}
	return "ip:" + raw.sourceIP(r)
}

// sourceIP is the client's address as API Gateway saw it (2.0: http.sourceIp; 1.0: identity.sourceIp). ALB:
// the address it appended last to X-Forwarded-For (earlier entries are whatever the client sent).
func (raw *rawEvent) sourceIP(r request) string {
	if context := raw.RequestContext; context != nil {
		if context.HTTP != nil {
			if ip, ok := context.HTTP.SourceIP.(string); ok && ip != "" {
				return ip
			}
		}
		if identity, ok := context.Identity.(map[string]interface{}); ok {
			if ip, ok := identity["sourceIp"].(string); ok && ip != "" {
				return ip
			}
		}
	}
	var hops []string
	for _, hop := range strings.Split(strings.Join(r.headers["x-forwarded-for"], ","), ",") {
		if hop = strings.TrimSpace(hop); hop != "" {
			hops = append(hops, hop)
		}
	}
	if len(hops) == 0 {
		return "unknown"
	}
	return hops[len(hops)-1]
}
