package liftruntime

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"sort"
	"strings"
	"time"
)

// AWS Signature Version 4 for one request, as lift_runtime/sigv4.py signs it: the runtime carries no AWS
// SDK, and signs the one DynamoDB call it makes itself with the credentials Lambda gives every function.

const sigv4Algorithm = "AWS4-HMAC-SHA256"

type credentials struct {
	accessKey, secretKey, token, region string
}

// credentialsFromEnvironment reads Lambda's AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and
// AWS_REGION; ok is false when one of the key, the secret or the region is missing.
func credentialsFromEnvironment() (credentials, bool) {
	c := credentials{os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), os.Getenv("AWS_SESSION_TOKEN"), os.Getenv("AWS_REGION")}
	return c, c.accessKey != "" && c.secretKey != "" && c.region != ""
}

func hmacSHA256(key []byte, text string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(text))
	return mac.Sum(nil)
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// sign returns headers plus Host, X-Amz-Date, X-Amz-Security-Token (with a session token) and Authorization.
// Every header given is signed. The path must already be URI-encoded; no query string.
func sign(c credentials, service, method, host, path string, headers map[string]string, body []byte, now time.Time) map[string]string {
	stamp := now.UTC().Format("20060102T150405Z")
	out := map[string]string{}
	for name, value := range headers {
		out[name] = value
	}
	out["Host"] = host
	out["X-Amz-Date"] = stamp
	if c.token != "" {
		out["X-Amz-Security-Token"] = c.token
	}
	canonical := map[string]string{}
	names := make([]string, 0, len(out))
	for name, value := range out {
		lower := strings.ToLower(name)
		if _, seen := canonical[lower]; !seen {
			names = append(names, lower)
		}
		canonical[lower] = strings.Join(strings.Fields(value), " ")
	}
	sort.Strings(names)
	var lines strings.Builder
	for _, name := range names {
		lines.WriteString(name + ":" + canonical[name] + "\n")
	}
	signed := strings.Join(names, ";")
	if path == "" {
		path = "/"
	}
	request := strings.Join([]string{method, path, "", lines.String(), signed, sha256Hex(body)}, "\n")
	scope := stamp[:8] + "/" + c.region + "/" + service + "/aws4_request"
	toSign := strings.Join([]string{sigv4Algorithm, stamp, scope, sha256Hex([]byte(request))}, "\n")
	key := []byte("AWS4" + c.secretKey)
	for _, part := range []string{stamp[:8], c.region, service, "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	signature := hex.EncodeToString(hmacSHA256(key, toSign))
	out["Authorization"] = sigv4Algorithm + " Credential=" + c.accessKey + "/" + scope + ", SignedHeaders=" + signed + ", Signature=" + signature
	return out
}
