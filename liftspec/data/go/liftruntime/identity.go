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
