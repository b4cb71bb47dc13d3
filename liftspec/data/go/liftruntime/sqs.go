package liftruntime

import (
	"encoding/json"
	"strings"
	"time"
)

type sqsRecord struct {
	raw            json.RawMessage
	MessageID      string `json:"messageId"`
	EventSourceARN string `json:"eventSourceARN"`
}

// handled: the handler neither failed nor returned a non-empty batchItemFailures for its one record.
func handled(result interface{}) bool {
	data, err := json.Marshal(result)
	if err != nil {
		return true
	}
	var report struct {
		Failures []json.RawMessage `json:"batchItemFailures"`
	}
	if json.Unmarshal(data, &report) != nil {
		return true
	}
	return len(report.Failures) == 0
}

// sqs calls the handler once per record, with an SQS event holding that record, and reports the
// failed ones in batchItemFailures. On a FIFO queue the first failure fails every later record; past
// the deadline the record in progress and the rest fail.
func (w *Wrapper) sqs(inv Invocation, event []byte, seconds float64, started time.Time, cold bool) (interface{}, error) {
	var batch struct {
		Records []json.RawMessage `json:"Records"`
	}
	json.Unmarshal(event, &batch)
	records := make([]sqsRecord, len(batch.Records))
	for i, raw := range batch.Records {
		json.Unmarshal(raw, &records[i])
		records[i].raw = raw
	}
	fifo := len(records) > 0 && strings.HasSuffix(records[0].EventSourceARN, ".fifo")
	deadline := started.Add(time.Duration(seconds * float64(time.Second)))
	var failed []int
	for i := 0; i < len(records); i++ {
		left := time.Until(deadline).Seconds()
		single, _ := json.Marshal(map[string][]json.RawMessage{"Records": {records[i].raw}})
		out := w.call(inv, single, left)
		if out.timedOut {
			Log.Error("deadline exceeded: the rest of the batch is reported failed", "deadline_s", round3(seconds), "unprocessed", len(records)-i)
			for j := i; j < len(records); j++ {
				failed = append(failed, j)
			}
			break
		}
		ok := out.err == nil && handled(out.result)
		if out.err != nil {
			logFailure("record failed", out, "message_id", records[i].MessageID)
		} else if !ok {
			Log.Warn("record failed", "message_id", records[i].MessageID)
		}
		if !ok {
			failed = append(failed, i)
			if fifo {
				for j := i + 1; j < len(records); j++ {
					failed = append(failed, j)
				}
				break
			}
		}
	}
	latency := float64(time.Since(started).Microseconds()) / 1000
	Log.Info("batch", "records", len(records), "failed", len(failed), "duration_ms", round3(latency))
	w.metrics.flush(len(records), len(failed), latency, []field{{"cold_start", cold}})
	items := make([]map[string]string, len(failed))
	for k, i := range failed {
		items[k] = map[string]string{"itemIdentifier": records[i].MessageID}
	}
	return map[string]interface{}{"batchItemFailures": items}, nil
}
