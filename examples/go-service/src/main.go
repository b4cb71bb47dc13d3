// Command bootstrap serves both functions of go-orders: the HTTP API and the queue worker.
// liftruntime gives it the health route, HTTPS, auth (public routes and scopes), rate limit, deadline, errors, headers, gzip,
// logs, metrics and SQS partial failures; liftconfig holds the values compiled from lift.yaml.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"liftspec.local/lift/liftconfig"
	"liftspec.local/lift/liftruntime"
)

func main() {
	if err := liftruntime.Start(liftconfig.Config, handle); err != nil {
		os.Exit(1)
	}
}

func handle(ctx context.Context, event json.RawMessage) (interface{}, error) {
	if os.Getenv(liftruntime.FunctionEnv) == "worker" {
		return work(ctx, event)
	}
	return serve(ctx, event)
}

// httpEvent is the part of an HTTP API (payload 2.0) event this service reads.
type httpEvent struct {
	RawPath        string `json:"rawPath"`
	RawQueryString string `json:"rawQueryString"`
	Body           string `json:"body"`
	RequestContext struct {
		HTTP struct {
			Method string `json:"method"`
		} `json:"http"`
	} `json:"requestContext"`
}

func serve(ctx context.Context, raw json.RawMessage) (interface{}, error) {
	var event httpEvent
	if err := json.Unmarshal(raw, &event); err != nil {
		return nil, err
	}
	query, _ := url.ParseQuery(event.RawQueryString)
	switch {
	case event.RawPath == "/orders" && event.RequestContext.HTTP.Method == "GET":
		fn := liftconfig.Config.Functions["api"]
		return map[string]interface{}{"orders": []string{}, "request_timeout": fn.RequestTimeout}, nil
	case event.RawPath == "/orders" && event.RequestContext.HTTP.Method == "POST":
		liftruntime.Log.Info("order created", "bytes", len(event.Body))
		liftruntime.AddMetric("OrdersCreated", 1, "Count")
		return liftruntime.Response{StatusCode: 201, Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"created":true}`}, nil
	case event.RawPath == "/products":
		return map[string]interface{}{"products": []string{"tea", "coffee"}}, nil
	case strings.HasPrefix(event.RawPath, "/orders/") && event.RequestContext.HTTP.Method == "DELETE":
		liftruntime.Log.Info("order cancelled", "order", strings.TrimPrefix(event.RawPath, "/orders/"))
		return liftruntime.Response{StatusCode: 204}, nil
	case event.RawPath == "/orders/big":
		return map[string]string{"text": strings.Repeat("order ", 1000)}, nil
	case event.RawPath == "/orders/slow":
		seconds, _ := strconv.ParseFloat(query.Get("seconds"), 64)
		select {
		case <-time.After(time.Duration(seconds * float64(time.Second))):
			return map[string]string{"slept": query.Get("seconds")}, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	case event.RawPath == "/orders/boom":
		panic("database password is hunter2") // never reaches the client
	}
	return liftruntime.Response{StatusCode: 404, Body: `{"error":"not_found"}`}, nil
}

// work handles one SQS record per call: an error fails that record only.
func work(ctx context.Context, raw json.RawMessage) (interface{}, error) {
	var event struct {
		Records []struct {
			Body string `json:"body"`
		} `json:"Records"`
	}
	if err := json.Unmarshal(raw, &event); err != nil {
		return nil, err
	}
	for _, record := range event.Records {
		if strings.Contains(record.Body, "poison") {
			return nil, errors.New("cannot process a poison message")
		}
		liftruntime.Log.Info("job done", "body_bytes", len(record.Body))
	}
	return nil, nil
}
