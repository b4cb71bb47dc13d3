package liftruntime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"
)

// Environment variables compile sets on every Go function.
const (
	FunctionEnv = "LIFT_FUNCTION"  // the function's name in lift.yaml: its own request timeout
	LogLevelEnv = "LIFT_LOG_LEVEL" // overrides the configured level without a redeploy
)

const apiVersion = "2018-06-01"

// Start runs handler under config (the generated liftconfig.Config) for ever, serving the Lambda
// Runtime API at AWS_LAMBDA_RUNTIME_API. It returns only when the Runtime API cannot be reached.
func Start(config interface{}, handler Handler) error {
	api := os.Getenv("AWS_LAMBDA_RUNTIME_API")
	base := "http://" + api + "/" + apiVersion + "/runtime"
	client := &http.Client{} // no timeout: /next blocks until the next event
	cfg, err := LoadConfig(config)
	if err != nil || api == "" {
		if err == nil {
			err = fmt.Errorf("AWS_LAMBDA_RUNTIME_API is not set: run this binary in Lambda or the Runtime Interface Emulator")
		} else {
			post(client, base+"/init/error", failure(err))
		}
		fmt.Fprintln(os.Stderr, err)
		return err
	}
	wrapper := NewWrapper(handler, cfg, os.Getenv(FunctionEnv), os.Getenv(LogLevelEnv), os.Stdout)
	for {
		if err := serveNext(client, base, wrapper); err != nil {
			fmt.Fprintln(os.Stderr, "liftruntime:", err)
			return err
		}
	}
}

func serveNext(client *http.Client, base string, wrapper *Wrapper) error {
	resp, err := client.Get(base + "/invocation/next")
	if err != nil {
		return err
	}
	event, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /invocation/next: %s", resp.Status)
	}
	inv := Invocation{RequestID: resp.Header.Get("Lambda-Runtime-Aws-Request-Id"), TraceID: resp.Header.Get("Lambda-Runtime-Trace-Id")}
	if ms, err := strconv.ParseInt(resp.Header.Get("Lambda-Runtime-Deadline-Ms"), 10, 64); err == nil {
		inv.Deadline = time.Unix(0, ms*int64(time.Millisecond))
	}
	if inv.TraceID != "" {
		os.Setenv("_X_AMZN_TRACE_ID", inv.TraceID) // where the AWS SDK looks for it
	} else {
		os.Unsetenv("_X_AMZN_TRACE_ID")
	}
	result, invokeErr := wrapper.Invoke(inv, event)
	target := base + "/invocation/" + inv.RequestID
	if invokeErr != nil {
		return post(client, target+"/error", failure(invokeErr))
	}
	body, err := json.Marshal(result)
	if err != nil {
		return post(client, target+"/error", failure(fmt.Errorf("the handler's result cannot be encoded as JSON: %w", err)))
	}
	return post(client, target+"/response", payload{body: body})
}

type payload struct {
	body      []byte
	errorType string
}

func failure(err error) payload {
	kind := fmt.Sprintf("%T", err)
	body, _ := json.Marshal(map[string]interface{}{"errorMessage": err.Error(), "errorType": kind})
	return payload{body: body, errorType: kind}
}

func post(client *http.Client, url string, p payload) error {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(p.body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if p.errorType != "" {
		req.Header.Set("Lambda-Runtime-Function-Error-Type", p.errorType)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("POST %s: %s", url, resp.Status)
	}
	return nil
}
