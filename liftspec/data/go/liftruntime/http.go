package liftruntime

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
)

// Response is a proxy response (API Gateway HTTP and REST APIs, ALB). A handler may return one, any
// value that marshals to an object with "statusCode", or anything else, which becomes a 200 JSON body.
type Response struct {
	StatusCode        int                 `json:"statusCode"`
	Headers           map[string]string   `json:"headers,omitempty"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders,omitempty"`
	Body              string              `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded"`
	Cookies           []string            `json:"cookies,omitempty"`
}

// Bodies that are already compressed: gzip would only cost time.
var compressedTypes = []string{
	"image/", "audio/", "video/", "font/woff", "application/zip", "application/gzip", "application/x-gzip",
	"application/x-7z", "application/x-bzip", "application/x-xz", "application/zstd", "application/pdf",
}

// request is what the runtime needs to know about an HTTP event (payload 2.0, 1.0, ALB).
type request struct {
	method     string
	path       string
	headers    map[string][]string // lower-case names
	authorized bool
	multiOnly  bool // ALB with multi-value headers: responses must use multiValueHeaders
}

type rawEvent struct {
	Version           string                 `json:"version"`
	RawPath           string                 `json:"rawPath"`
	Path              string                 `json:"path"`
	HTTPMethod        *string                `json:"httpMethod"`
	RouteKey          interface{}            `json:"routeKey"` // HTTP API 2.0: the route API Gateway matched
	Resource          interface{}            `json:"resource"` // REST 1.0: the resource API Gateway matched
	Headers           map[string]interface{} `json:"headers"`
	MultiValueHeaders map[string]interface{} `json:"multiValueHeaders"`
	RequestContext    *struct {
		Stage string `json:"stage"`
		HTTP  *struct {
			Method   string      `json:"method"`
			Path     string      `json:"path"`
			SourceIP interface{} `json:"sourceIp"`
		} `json:"http"`
		Identity   interface{}            `json:"identity"` // REST 1.0: sourceIp
		Authorizer map[string]interface{} `json:"authorizer"`
	} `json:"requestContext"`
	Records []struct {
		EventSource string `json:"eventSource"`
	} `json:"Records"`
}

// kindOf tells "http2", "http1", "sqs" or "other", as the Python runtime does.
func kindOf(event []byte) (string, *rawEvent) {
	var raw rawEvent
	if len(bytes.TrimSpace(event)) == 0 || bytes.TrimSpace(event)[0] != '{' || json.Unmarshal(event, &raw) != nil {
		return "other", nil
	}
	if raw.RequestContext != nil {
		if raw.Version == "2.0" && raw.RequestContext.HTTP != nil {
			return "http2", &raw
		}
		if raw.HTTPMethod != nil {
			return "http1", &raw
		}
	}
	if len(raw.Records) > 0 && raw.Records[0].EventSource == "aws:sqs" {
		return "sqs", &raw
	}
	return "other", &raw
}

func text(value interface{}) string {
	switch v := value.(type) {
	case string:
		return v
	case nil:
		return ""
	}
	data, _ := json.Marshal(value)
	return string(data)
}

func newRequest(raw *rawEvent, version int) request {
	r := request{headers: map[string][]string{}}
	for name, value := range raw.Headers {
		key := strings.ToLower(name)
		r.headers[key] = append(r.headers[key], text(value))
	}
	for name, values := range raw.MultiValueHeaders {
		key := strings.ToLower(name)
		if _, single := raw.Headers[name]; single && len(r.headers[key]) > 0 {
			continue // REST APIs send both forms: the single one already holds the first value
		}
		if list, ok := values.([]interface{}); ok {
			for _, v := range list {
				r.headers[key] = append(r.headers[key], text(v))
			}
		}
	}
	r.multiOnly = raw.Headers == nil && raw.MultiValueHeaders != nil
	context := raw.RequestContext
	if version == 2 {
		r.method = strings.ToUpper(context.HTTP.Method)
		path := raw.RawPath
		if path == "" {
			path = context.HTTP.Path
		}
		if stage := context.Stage; stage != "" && stage != "$default" && strings.HasPrefix(path, "/"+stage+"/") {
			path = path[len(stage)+1:] // a named stage is part of rawPath
		}
		r.path = path
		authorizer := context.Authorizer
		r.authorized = nonEmpty(authorizer["jwt"]) || nonEmpty(authorizer["lambda"])
	} else {
		r.method = strings.ToUpper(*raw.HTTPMethod)
		r.path = raw.Path
		r.authorized = len(context.Authorizer) > 0
	}
	if r.method == "" {
		r.method = "GET"
	}
	if r.path == "" {
		r.path = "/"
	}
	return r
}

func nonEmpty(value interface{}) bool {
	switch v := value.(type) {
	case nil:
		return false
	case map[string]interface{}:
		return len(v) > 0
	case string:
		return v != ""
	case bool:
		return v
	}
	return true
}

// isPlainHTTP: a proxy in front (CloudFront, ALB) says the client used plain HTTP. Without the header the
// request came straight from API Gateway, which only accepts HTTPS. The first hop's value counts.
func (r request) isPlainHTTP() bool {
	for _, name := range []string{"cloudfront-forwarded-proto", "x-forwarded-proto"} {
		values, ok := r.headers[name]
		if !ok || len(values) == 0 {
			continue
		}
		first := strings.ToLower(strings.TrimSpace(strings.SplitN(values[0], ",", 2)[0]))
		if first != "https" {
			return true
		}
	}
	return false
}

func (r request) acceptsGzip() bool {
	star := false
	for _, value := range r.headers["accept-encoding"] {
		for _, item := range strings.Split(value, ",") {
			parts := strings.SplitN(item, ";", 2)
			name := strings.ToLower(strings.TrimSpace(parts[0]))
			if name != "gzip" && name != "*" {
				continue
			}
			q := 1.0
			if len(parts) == 2 {
				params := strings.ToLower(strings.TrimSpace(parts[1]))
				if strings.HasPrefix(params, "q=") {
					parsed, err := strconv.ParseFloat(params[2:], 64)
					if err != nil {
						parsed = 0
					}
					q = parsed
				}
			}
			if name == "gzip" {
				return q > 0
			}
			star = q > 0
		}
	}
	return star
}

// response is a proxy response as a JSON object, so that whatever the handler set passes through.
type response map[string]interface{}

func jsonResponse(status int, payload interface{}, headers map[string]string) response {
	h := map[string]interface{}{"Content-Type": "application/json"}
	for k, v := range headers {
		h[k] = v
	}
	body := ""
	if payload != nil {
		data, _ := json.Marshal(payload)
		body = string(data)
	}
	return response{"statusCode": status, "headers": h, "body": body, "isBase64Encoded": false}
}

func errorResponse(status int, code, message, requestID string, headers map[string]string, detail interface{}) response {
	payload := rawObject(object(append([]field{{"error", code}, {"message", message}, {"request_id", requestID}},
		detailField(detail)...)))
	return jsonResponse(status, payload, headers)
}

func detailField(detail interface{}) []field {
	if detail == nil {
		return nil
	}
	return []field{{"detail", detail}}
}

// normalize turns what a handler returned into a proxy response.
func normalize(result interface{}) (response, error) {
	data, err := json.Marshal(result)
	if err != nil {
		return nil, err
	}
	var object map[string]interface{}
	if json.Unmarshal(data, &object) == nil && object != nil {
		if _, ok := object["statusCode"]; ok {
			if headers, ok := object["headers"]; ok && headers != nil {
				if _, isMap := headers.(map[string]interface{}); !isMap {
					return nil, errBadHeaders
				}
			} else {
				object["headers"] = map[string]interface{}{}
			}
			return response(object), nil
		}
	}
	return response{"statusCode": 200, "headers": map[string]interface{}{"Content-Type": "application/json"},
		"body": string(data), "isBase64Encoded": false}, nil
}

type constError string

func (e constError) Error() string { return string(e) }

const errBadHeaders = constError("response headers must be an object")

func (resp response) headerMap() map[string]interface{} {
	h, _ := resp["headers"].(map[string]interface{})
	if h == nil {
		h = map[string]interface{}{}
		resp["headers"] = h
	}
	return h
}

func (resp response) single() map[string]interface{} {
	h, _ := resp["headers"].(map[string]interface{})
	return h
}

func (resp response) multi() map[string]interface{} {
	m, _ := resp["multiValueHeaders"].(map[string]interface{})
	return m
}

// header returns a response header's value, case-insensitively, from either form.
func (resp response) header(lower string) (string, bool) {
	for name, value := range resp.single() {
		if strings.ToLower(name) == lower {
			return text(value), true
		}
	}
	for name, values := range resp.multi() {
		if list, ok := values.([]interface{}); ok && strings.ToLower(name) == lower && len(list) > 0 {
			parts := make([]string, len(list))
			for i, v := range list {
				parts[i] = text(v)
			}
			return strings.Join(parts, ","), true
		}
	}
	return "", false
}

// addHeaders adds headers the response does not have yet (any case, either form): the handler's win.
func (resp response) addHeaders(extra [][2]string) {
	for _, kv := range extra {
		if _, present := resp.header(strings.ToLower(kv[0])); present {
			continue
		}
		resp.headerMap()[kv[0]] = kv[1]
	}
}

// setHeader replaces a header (any case, either form) by one value.
func (resp response) setHeader(name, value string) {
	lower := strings.ToLower(name)
	for key := range resp.single() {
		if strings.ToLower(key) == lower {
			delete(resp.single(), key)
		}
	}
	for key := range resp.multi() {
		if strings.ToLower(key) == lower {
			delete(resp.multi(), key)
		}
	}
	resp.headerMap()[name] = value
}

// toMulti moves every single-value header into multiValueHeaders: an ALB target group with multi-value
// headers on reads only those.
func (resp response) toMulti() {
	single := resp.single()
	if len(single) == 0 {
		delete(resp, "headers")
		return
	}
	m := resp.multi()
	if m == nil {
		m = map[string]interface{}{}
		resp["multiValueHeaders"] = m
	}
	for name, value := range single {
		m[name] = []interface{}{text(value)}
	}
	delete(resp, "headers")
}

func (resp response) status() (int, bool) {
	switch v := resp["statusCode"].(type) {
	case float64:
		return int(v), v == float64(int(v))
	case int:
		return v, true
	}
	return 0, false
}

// compress gzips the body when it is over minSize bytes, compressible, and the client accepts gzip.
func (resp response) compress(r request, minSize int) bool {
	status, _ := resp.status()
	body, ok := resp["body"].(string)
	if !ok || body == "" || status == 204 || status == 304 || r.method == "HEAD" {
		return false
	}
	if _, set := resp.header("content-encoding"); set {
		return false
	}
	contentType, _ := resp.header("content-type")
	contentType = strings.ToLower(contentType)
	for _, prefix := range compressedTypes {
		if strings.HasPrefix(contentType, prefix) && !strings.Contains(contentType, "svg") {
			return false
		}
	}
	if !r.acceptsGzip() {
		return false
	}
	data := []byte(body)
	if encoded, _ := resp["isBase64Encoded"].(bool); encoded {
		decoded, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return false
		}
		data = decoded
	}
	if len(data) <= minSize {
		return false
	}
	var packed bytes.Buffer
	writer, _ := gzip.NewWriterLevel(&packed, 6)
	writer.Write(data)
	writer.Close()
	if packed.Len() >= len(data) {
		return false
	}
	resp["body"] = base64.StdEncoding.EncodeToString(packed.Bytes())
	resp["isBase64Encoded"] = true
	vary, hasVary := resp.header("vary")
	resp.setHeader("Content-Encoding", "gzip")
	if !hasVary {
		resp.setHeader("Vary", "Accept-Encoding")
	} else if !strings.Contains(strings.ToLower(vary), "accept-encoding") && strings.TrimSpace(vary) != "*" {
		resp.setHeader("Vary", vary+", Accept-Encoding")
	}
	return true
}
