package liftruntime

import (
	"io"
	"math"
	"sync"
	"time"
)

var dimensions = []string{"service", "environment", "function"}

type metric struct {
	name  string
	value float64
	unit  string
}

var pending struct {
	sync.Mutex
	metrics []metric
}

// AddMetric adds a metric to the current invocation's EMF line; values of the same name are summed.
func AddMetric(name string, value float64, unit string) {
	if unit == "" {
		unit = "Count"
	}
	pending.Lock()
	defer pending.Unlock()
	for i := range pending.metrics {
		if pending.metrics[i].name == name {
			pending.metrics[i].value += value
			return
		}
	}
	pending.metrics = append(pending.metrics, metric{name, value, unit})
}

// emitter writes one CloudWatch Embedded Metric Format document per invocation.
type emitter struct {
	enabled   bool
	namespace string
	static    []field
	out       io.Writer
}

func (e *emitter) flush(requests, errors int, latencyMS float64, properties []field) {
	values := []metric{
		{"Requests", float64(requests), "Count"},
		{"Errors", float64(errors), "Count"},
		{"Latency", math.Round(latencyMS*1000) / 1000, "Milliseconds"},
	}
	pending.Lock()
	for _, m := range pending.metrics {
		replaced := false
		for i := range values {
			if values[i].name == m.name {
				values[i] = m
				replaced = true
			}
		}
		if !replaced {
			values = append(values, m)
		}
	}
	pending.metrics = nil
	pending.Unlock()
	if !e.enabled {
		return
	}
	definitions := make([]map[string]string, len(values))
	for i, m := range values {
		definitions[i] = map[string]string{"Name": m.name, "Unit": m.unit}
	}
	aws := []field{
		{"Timestamp", time.Now().UnixNano() / int64(time.Millisecond)},
		{"CloudWatchMetrics", []interface{}{rawObject(object([]field{
			{"Namespace", e.namespace},
			{"Dimensions", [][]string{dimensions}},
			{"Metrics", definitions},
		}))}},
	}
	document := []field{{"_aws", rawObject(object(aws))}}
	document = append(document, e.static...)
	document = append(document, properties...)
	for _, m := range values {
		document = append(document, field{m.name, m.value})
	}
	e.out.Write(append(object(document), '\n'))
}

// rawObject is JSON that object() has already encoded.
type rawObject []byte

func (r rawObject) MarshalJSON() ([]byte, error) { return r, nil }
