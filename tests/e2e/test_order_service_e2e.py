"""examples/order-service compiled, then run by the real Lambda Runtime Interface Emulator with awslambdaric.

Events are the AWS samples (tests/fixtures/events) with the path, method and headers each test needs,
POSTed to the emulator on 127.0.0.1 exactly as API Gateway, SQS and EventBridge would deliver them.
"""

from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from moto_server import CREDENTIALS, client, create_table
from rie import Function, running
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "order-service" / "lift.yaml"
# Lambda's own timeout for the api function in the emulator. The template says 30 s and the request
# deadline is 29 s; with 3 s Lambda's remaining time caps the deadline (3 s - 0.3 s margin), so the
# 504 of a slow request comes in under 3 s and before the emulator would kill the function.
API_LAMBDA_TIMEOUT = 3


@dataclass(frozen=True)
class TemplateFunction:
    name: str  # in lift.yaml (LIFT_FUNCTION)
    handler: str
    code: Path
    layer: Path
    variables: dict[str, str]
    timeout: int
    memory: int


def read_template(out: Path) -> list[TemplateFunction]:
    """The functions of the compiled template, with the paths it names resolved against the output folder."""
    template: Any = YAML(typ="rt").load((out / "template.yaml").read_text(encoding="utf-8"))
    resources = template["Resources"]
    layers = [res["Properties"]["ContentUri"] for res in resources.values() if res["Type"] == "AWS::Serverless::LayerVersion"]
    assert len(layers) <= 1, layers  # none when every function is a Go binary
    functions = []
    for resource in resources.values():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        props = resource["Properties"]
        variables = {str(k): str(v) for k, v in props["Environment"]["Variables"].items()}
        functions.append(
            TemplateFunction(
                name=variables["LIFT_FUNCTION"],
                handler=str(props["Handler"]),
                code=(out / str(props["CodeUri"])).resolve(),
                layer=(out / str(layers[0]) / "python").resolve() if layers else out.resolve(),
                variables=variables,
                timeout=int(props["Timeout"]),
                memory=int(props["MemorySize"]),
            )
        )
    return functions


# make test distributes whole files (--dist loadfile): one worker starts the emulators (session fixtures), once


@pytest.fixture(scope="session")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, TemplateFunction]:
    from liftspec.api import compile

    out = tmp_path_factory.mktemp("order-service") / "build"
    result = compile(EXAMPLE, out=out)
    assert not result.failed(), [f"{d.id} {d.message}" for d in result.diagnostics]
    return {fn.name: fn for fn in read_template(out)}


RATE_LIMIT_TABLE = "order-service-rate-limit"


@pytest.fixture(scope="session")
def counters(moto_url: str) -> dict[str, str]:
    """The client rate limit's table in moto's DynamoDB-compatible server, and what points the api function at it.

    The template's LIFT_RATE_LIMIT_TABLE is a !Ref: here it names the table created in the local server.
    """
    create_table(moto_url, RATE_LIMIT_TABLE)
    return {
        **CREDENTIALS,
        "LIFT_RATE_LIMIT_TABLE": RATE_LIMIT_TABLE,
        "LIFT_DYNAMODB_ENDPOINT": moto_url,
    }


@pytest.fixture(scope="session")
def functions(
    emulator: Path,
    compiled: dict[str, TemplateFunction],
    counters: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, Function]]:
    logs = tmp_path_factory.mktemp("rie-logs")
    for name, fn in compiled.items():
        assert ("LIFT_RATE_LIMIT_TABLE" in fn.variables) == (name == "api")  # only the HTTP function counts
    arguments = {
        name: {
            "binary": emulator,
            "handler": fn.handler,
            "code": fn.code,
            "layer": fn.layer,
            "variables": {**fn.variables, **counters} if name == "api" else fn.variables,
            "timeout": API_LAMBDA_TIMEOUT if name == "api" else fn.timeout,
            "memory": fn.memory,
            "name": name,
            "log": logs / f"{name}.log",
        }
        for name, fn in compiled.items()
    }
    with running(arguments) as started:
        yield started


# --- the tests ------------------------------------------------------------------

EVENTS = Path(__file__).resolve().parents[1] / "fixtures" / "events"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SECURITY = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "geolocation=(), microphone=(), camera=()",
}


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def http_event(
    method: str, path: str, query: dict[str, str] | None = None, headers: dict[str, str] | None = None, body: str | None = None
) -> dict[str, Any]:
    """The HTTP API (payload 2.0) sample, pointed at `method path`; it carries JWT claims like an authorized call."""
    event = sample("http-api-post")
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["http"]["method"] = method
    event["queryStringParameters"] = query or {}
    event["rawQueryString"] = "&".join(f"{k}={v}" for k, v in (query or {}).items())
    event["headers"] = {"x-forwarded-proto": "https", **(headers or {})}
    if body is None:
        event.pop("body", None)
        event["isBase64Encoded"] = False
    else:
        event["body"] = base64.b64encode(body.encode()).decode()
        event["isBase64Encoded"] = True
    return event


def header(response: dict[str, Any], name: str) -> str | None:
    for key, value in response.get("headers", {}).items():
        if key.lower() == name.lower():
            return str(value)
    return None


@pytest.fixture(scope="module")
def api(functions: dict[str, Function]) -> Function:
    return functions["api"]


def test_health(api: Function) -> None:
    response = api.invoke(sample("http-api-get-health"))
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"status": "ok", "service": "order-service", "environment": "production"}
    for name, value in SECURITY.items():
        assert header(response, name) == value


def test_normal_request_has_the_security_headers(api: Function) -> None:
    response = api.invoke(http_event("GET", "/orders", {"count": "3"}))
    assert response["statusCode"] == 200
    assert [order["id"] for order in json.loads(response["body"])["orders"]] == ["order-00000", "order-00001", "order-00002"]
    for name, value in SECURITY.items():
        assert header(response, name) == value
    assert header(response, "X-RateLimit-Limit") == "1000" and header(response, "X-RateLimit-Remaining") is not None
    assert UUID.match(header(response, "X-Request-Id") or "")


def with_claims(event: dict[str, Any], **claims: str) -> dict[str, Any]:
    event["requestContext"]["authorizer"]["jwt"]["claims"].update(claims)
    return event


def test_post_with_a_base64_body(api: Function) -> None:
    event = http_event("POST", "/orders", body='{"sku": "A-1", "qty": 2}')
    response = api.invoke(with_claims(event, scope="orders:read orders:write"))
    assert response["statusCode"] == 201
    assert json.loads(response["body"]) == {"created": {"sku": "A-1", "qty": 2}}


# --- access per route (issue 13 item 2): the runtime follows the route table --------------------------


def test_a_public_route_is_served_without_claims(api: Function) -> None:
    event = http_event("GET", "/products")
    del event["requestContext"]["authorizer"]
    response = api.invoke(event)
    assert response["statusCode"] == 200, response
    assert [p["sku"] for p in json.loads(response["body"])["products"]] == ["A-1", "B-2"]
    orders = http_event("GET", "/orders")
    del orders["requestContext"]["authorizer"]
    assert api.invoke(orders)["statusCode"] == 401  # the routes beside it still need a token


def test_a_scoped_route_is_403_with_the_wrong_scope(api: Function) -> None:
    event = with_claims(http_event("POST", "/orders", body="{}"), scope="orders:read")
    response = api.invoke(event)
    assert response["statusCode"] == 403, response
    assert json.loads(response["body"])["error"] == "insufficient_scope"
    assert header(response, "WWW-Authenticate") == 'Bearer error="insufficient_scope", scope="orders:write"'


# --- the client rate limit (issue 13 item 9): counted in the table, keyed on the JWT's sub ---------------


def test_the_client_rate_limit_counts_each_subject_in_the_table(api: Function, moto_url: str) -> None:
    first = [api.invoke(with_claims(http_event("GET", "/orders", {"count": "1"}), sub="e2e-alice")) for _ in range(2)]
    other = api.invoke(with_claims(http_event("GET", "/orders", {"count": "1"}), sub="e2e-bob"))
    assert [header(r, "X-RateLimit-Remaining") for r in (*first, other)] == ["999", "998", "999"]
    # a subject at the limit in this window: fill its counter in the table, as other containers would have
    key = hashlib.sha256(b"sub:e2e-carol").hexdigest()[:32]
    for _ in range(2):  # a second try only if the minute turned between filling and asking
        window = int(time.time() // 60)
        client(moto_url).put_item(
            TableName=RATE_LIMIT_TABLE,
            Item={"pk": {"S": f"{key}#{window}"}, "count": {"N": "1000"}, "expires_at": {"N": str((window + 1) * 60)}},
        )
        refused = api.invoke(with_claims(http_event("GET", "/orders"), sub="e2e-carol"))
        if int(time.time() // 60) == window:
            break
    assert refused["statusCode"] == 429, refused
    assert header(refused, "X-RateLimit-Limit") == "1000" and int(header(refused, "Retry-After") or 0) >= 1


def test_a_header_the_handler_sets_is_kept(api: Function) -> None:
    response = api.invoke(http_event("GET", "/orders/embed"))
    assert header(response, "X-Frame-Options") == "SAMEORIGIN"
    assert header(response, "Strict-Transport-Security") == SECURITY["Strict-Transport-Security"]


def test_large_responses_are_gzipped_for_clients_that_accept_it(api: Function) -> None:
    plain = api.invoke(http_event("GET", "/orders", {"count": "200"}))
    packed = api.invoke(http_event("GET", "/orders", {"count": "200"}, {"accept-encoding": "gzip, deflate"}))
    assert header(plain, "Content-Encoding") is None
    assert header(packed, "Content-Encoding") == "gzip" and packed["isBase64Encoded"] is True
    assert json.loads(gzip.decompress(base64.b64decode(packed["body"]))) == json.loads(plain["body"])


def test_handler_error_is_a_500_without_internals(api: Function) -> None:
    response = api.invoke(http_event("GET", "/orders/boom"))
    assert response["statusCode"] == 500
    body = json.loads(response["body"])
    assert set(body) == {"error", "message", "request_id"} and body["error"] == "internal_error"
    assert UUID.match(body["request_id"])
    text = json.dumps(response)
    assert "orders-db" not in text and "orders_admin" not in text and "Traceback" not in text and "app.py" not in text
    assert header(response, "Strict-Transport-Security") is not None
    # the full error is in the function's log, under the same request id
    errors = [r for r in api.log_records() if r.get("level") == "ERROR" and r.get("request_id") == body["request_id"]]
    assert errors and "orders-db.internal" in errors[0]["error"] and any("app.py" in line for line in errors[0]["traceback"])


def test_slow_request_is_a_504_before_lambda_times_out(api: Function) -> None:
    started = time.monotonic()
    response = api.invoke(http_event("GET", "/orders/slow", {"seconds": "10"}))
    elapsed = time.monotonic() - started
    assert response["statusCode"] == 504, response
    assert json.loads(response["body"])["error"] == "timeout"
    assert header(response, "Strict-Transport-Security") is not None
    assert 2.0 < elapsed < 3.5  # the deadline: 3 s Lambda timeout - 0.3 s margin (a 504 at all means before the kill)
    # the process survived: the next request is served by the same warm runtime
    assert api.invoke(http_event("GET", "/orders", {"count": "1"}))["statusCode"] == 200


@pytest.mark.parametrize("proxy_header", ["x-forwarded-proto", "cloudfront-forwarded-proto"])
def test_plain_http_is_rejected(api: Function, proxy_header: str) -> None:
    event = http_event("GET", "/orders")
    event["headers"][proxy_header] = "http"
    response = api.invoke(event)
    assert response["statusCode"] == 403
    assert json.loads(response["body"])["error"] == "https_required"


def test_rest_api_event(api: Function) -> None:
    event = sample("rest-api-proxy")
    event["path"] = "/orders"
    event["httpMethod"] = "GET"
    event["queryStringParameters"] = {"count": "2"}
    event["requestContext"]["authorizer"] = {"claims": {"sub": "user-1"}}
    response = api.invoke(event)
    assert response["statusCode"] == 200 and len(json.loads(response["body"])["orders"]) == 2
    assert header(response, "Content-Security-Policy") == SECURITY["Content-Security-Policy"]


def test_logs_and_metrics(api: Function) -> None:
    api.invoke(http_event("GET", "/orders", {"count": "1"}))
    records = api.log_records()
    requests = [r for r in records if r.get("message") == "request"]
    assert requests[0]["cold_start"] is True and all(r["cold_start"] is False for r in requests[1:])
    assert all(UUID.match(r["request_id"]) and r["function"] == "api" for r in requests)
    metrics = [r for r in records if "_aws" in r]
    assert len(metrics) == len(requests)
    assert metrics[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "OrderService"


def test_sqs_batch_reports_only_the_failed_message(functions: dict[str, Function]) -> None:
    event = sample("sqs")
    good = event["Records"][0]
    bad = copy.deepcopy(good)
    bad["messageId"] = "poison-1"
    bad["body"] = json.dumps({"poison": True})
    event["Records"] = [good, bad]
    assert functions["dlq-processor"].invoke(event) == {"batchItemFailures": [{"itemIdentifier": "poison-1"}]}


def test_scheduled_event(functions: dict[str, Function]) -> None:
    assert functions["reconcile"].invoke(sample("scheduled")) == {"reconciled": 1, "mismatches": 0}
    failed = sample("scheduled")
    failed["detail"] = {"fail": True}
    error = functions["reconcile"].invoke(failed, timeout=30)
    # the retry policy waits 1 s + jitter twice, then the error reaches Lambda (which retries, then the DLQ)
    assert error["errorType"] == "ConnectionError" and "ledger unavailable" in error["errorMessage"]
