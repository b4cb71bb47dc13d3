package liftruntime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

var levels = map[string]int{"debug": 10, "info": 20, "warn": 30, "error": 40}
var levelNames = map[int]string{10: "DEBUG", 20: "INFO", 30: "WARN", 40: "ERROR"}

// field is one key and value of a log line or EMF document, written in order.
type field struct {
	key   string
	value interface{}
}

// object writes fields as one compact JSON object, keys in the given order (later duplicates dropped).
func object(fields []field) []byte {
	var buf bytes.Buffer
	seen := make(map[string]bool, len(fields))
	buf.WriteByte('{')
	for _, f := range fields {
		if seen[f.key] {
			continue
		}
		seen[f.key] = true
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		key, _ := json.Marshal(f.key)
		buf.Write(key)
		buf.WriteByte(':')
		value, err := json.Marshal(f.value)
		if err != nil {
			value, _ = json.Marshal(fmt.Sprint(f.value))
		}
		buf.Write(value)
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

// Logger writes one JSON (or text) line per record to stdout, with the current invocation's request id,
// cold-start flag and X-Ray trace id on every line. Use the package's Log.
type Logger struct {
	mu        sync.Mutex
	out       io.Writer
	threshold int
	json      bool
	static    []field
	context   []field
}

// Log is the process-wide logger the runtime configures; handlers log through it:
//
//	liftruntime.Log.Info("order created", "order_id", id)
var Log = &Logger{out: os.Stdout, threshold: 20, json: true}

func (l *Logger) configure(out io.Writer, level, format string, static []field) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.out = out
	if n, ok := levels[level]; ok {
		l.threshold = n
	} else {
		l.threshold = 20
	}
	l.json = format != "text"
	l.static = static
}

func (l *Logger) begin(requestID string, cold bool, trace string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.context = []field{{"request_id", requestID}, {"cold_start", cold}}
	if trace != "" {
		l.context = append(l.context, field{"xray_trace_id", trace})
	}
}

func timestamp(now time.Time) string {
	return now.UTC().Format("2006-01-02T15:04:05.000Z")
}

func pairs(kv []interface{}) []field {
	out := make([]field, 0, len(kv)/2+1)
	for i := 0; i < len(kv); i += 2 {
		key := fmt.Sprint(kv[i])
		if i+1 == len(kv) {
			out = append(out, field{key, nil})
			break
		}
		value := kv[i+1]
		if err, ok := value.(error); ok {
			value = err.Error()
		}
		out = append(out, field{key, value})
	}
	return out
}

func (l *Logger) write(level int, message string, fields []field) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if level < l.threshold {
		return
	}
	now := time.Now()
	var line []byte
	if l.json {
		all := []field{{"timestamp", timestamp(now)}, {"level", levelNames[level]}, {"message", message}}
		all = append(all, l.static...)
		all = append(all, l.context...)
		all = append(all, fields...)
		line = object(all)
	} else {
		var b strings.Builder
		b.WriteString(timestamp(now) + " " + levelNames[level] + " " + message)
		for _, f := range append(append([]field{}, l.context...), fields...) {
			fmt.Fprintf(&b, " %s=%v", f.key, f.value)
		}
		line = []byte(strings.NewReplacer("\n", "\\n", "\r", "\\r").Replace(b.String()))
	}
	l.out.Write(append(line, '\n'))
}

// Debug logs at debug level; kv are alternating keys and values.
func (l *Logger) Debug(message string, kv ...interface{}) { l.write(10, message, pairs(kv)) }

// Info logs at info level; kv are alternating keys and values.
func (l *Logger) Info(message string, kv ...interface{}) { l.write(20, message, pairs(kv)) }

// Warn logs at warn level; kv are alternating keys and values.
func (l *Logger) Warn(message string, kv ...interface{}) { l.write(30, message, pairs(kv)) }

// Error logs at error level; kv are alternating keys and values.
func (l *Logger) Error(message string, kv ...interface{}) { l.write(40, message, pairs(kv)) }
