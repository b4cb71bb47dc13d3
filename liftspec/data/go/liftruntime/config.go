// Package liftruntime gives a Go Lambda handler what liftspec's Python layer gives a Python one:
// the health route, HTTPS enforcement, the route table's auth check (public routes, scopes), the rate
// limit (429 with Retry-After), the request deadline (504), 500s without internals (panics recovered),
// security headers, gzip, JSON logs with the cold-start flag, EMF metrics and SQS partial batch failures. It speaks the Lambda
// Runtime API itself: standard library only.
//
//	func main() { liftruntime.Start(liftconfig.Config, handle) }
package liftruntime

import (
	"encoding/json"
	"fmt"
)

// Config is the part of the generated liftconfig.Config the runtime reads. Its JSON keys are those of
// lift_config.json, so any value that marshals to that shape (the generated one above all) configures it.
type Config struct {
	Service        string  `json:"service"`
	Environment    string  `json:"environment"`
	LogLevel       string  `json:"log_level"`
	LogFormat      string  `json:"log_format"`
	RequestTimeout float64 `json:"request_timeout"`
	DetailedErrors bool    `json:"detailed_errors"`
	RequireHTTPS   bool    `json:"require_https"`
	Auth           struct {
		Enabled bool            `json:"enabled"`
		JWT     json.RawMessage `json:"jwt"`
	} `json:"auth"`
	SecurityHeaders map[string]string `json:"security_headers"`
	RateLimit       struct {
		Enabled      bool    `json:"enabled"`
		Window       float64 `json:"window"`
		Max          int     `json:"max"`
		Burst        int     `json:"burst"`
		Scope        string  `json:"scope"`          // service | client
		Key          string  `json:"key"`            // client: source_ip | jwt_sub | header:<lowercase name>
		OnStoreError string  `json:"on_store_error"` // client: allow | deny
		StoreTimeout float64 `json:"store_timeout"`  // client: seconds
	} `json:"rate_limit"`
	TracingEnabled   bool   `json:"tracing_enabled"`
	MetricsEnabled   bool   `json:"metrics_enabled"`
	MetricsNamespace string `json:"metrics_namespace"`
	Compression      struct {
		Enabled bool `json:"enabled"`
		MinSize int  `json:"min_size"`
	} `json:"compression"`
	HealthPath string                    `json:"health_path"`
	Functions  map[string]FunctionConfig `json:"functions"`
}

// FunctionConfig is the part of functions[name] the runtime reads.
type FunctionConfig struct {
	RequestTimeout float64 `json:"request_timeout"`
	Routes         []Route `json:"routes"`
}

// Route is one of functions[name].routes: "METHOD /path" (or "$default") and who may call it.
type Route struct {
	Route  string   `json:"route"`
	Public bool     `json:"public"` // answered without claims
	Scopes []string `json:"scopes"` // the token must carry at least one of them (none: any valid token)
}

// LoadConfig reads a config value: a Config, the generated liftconfig.Config, or lift_config.json's bytes.
func LoadConfig(value interface{}) (Config, error) {
	var out Config
	switch v := value.(type) {
	case Config:
		return v, nil
	case *Config:
		return *v, nil
	case []byte:
		return out, json.Unmarshal(v, &out)
	}
	data, err := json.Marshal(value)
	if err != nil {
		return out, fmt.Errorf("liftruntime: the config cannot be encoded: %w", err)
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return out, fmt.Errorf("liftruntime: the config does not have the shape of lift_config.json: %w", err)
	}
	return out, nil
}

// jwtRequired: auth is on with a JWT authorizer, so a request without verified claims must not get through.
func (c Config) jwtRequired() bool {
	jwt := string(c.Auth.JWT)
	return c.Auth.Enabled && jwt != "" && jwt != "null"
}

// requestTimeout is the function's own deadline (LIFT_FUNCTION), else the service-wide one, in seconds.
func (c Config) requestTimeout(function string) float64 {
	if fn, ok := c.Functions[function]; ok {
		return fn.RequestTimeout
	}
	return c.RequestTimeout
}
