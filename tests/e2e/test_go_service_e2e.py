"""examples/go-service compiled, built into a `bootstrap` binary with Go, and run by the real Lambda Runtime
Interface Emulator: liftruntime speaks the Runtime API itself, so the emulator runs the binary as Lambda would.

The example is compiled with a burst of 3 (to reach the 429 in a few requests) and the api function runs with
Lambda's timeout at 3 s, so a slow request gets its 504 after ≈2.7 s, before the emulator would kill it.
"""

from __future__ import annotations

import base64
import gzip
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rie import Function, Unavailable, rie_binary, running
from test_order_service_e2e import TemplateFunction, header, http_event, read_template, sample

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from fixtures.compile.support import copy_example, edit  # noqa: E402
from gotools import go, go_env  # noqa: E402

API_LAMBDA_TIMEOUT = 3
# --dist loadfile runs this module on one worker, in order: the log test reads what the earlier requests logged
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, TemplateFunction], Path]:
    from liftspec.api import compile

    tmp = tmp_path_factory.mktemp("go-service")
    lift = copy_example("go-service", tmp)
    edit(lift, "burst: 200", "burst: 3")
    result = compile(lift)  # build/lift/production: where the example's go.mod points
    assert not result.failed(), [f"{d.id} {d.message}" for d in result.diagnostics]
    binary = tmp / "bootstrap"
    go("build", "-o", str(binary), ".", cwd=lift.parent / "src", env=go_env(tmp))
    return {fn.name: fn for fn in read_template(lift.parent / "build" / "lift" / "production")}, binary


@pytest.fixture(scope="module")
def functions(
    built: tuple[dict[str, TemplateFunction], Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Function]]:
    try:
        emulator = rie_binary()
    except Unavailable as exc:
        pytest.skip(f"Lambda Runtime Interface Emulator unavailable: {exc}")
    template, binary = built
    logs = tmp_path_factory.mktemp("rie-go-logs")
    assert all(fn.handler == "bootstrap" and "LIFT_HANDLER" not in fn.variables for fn in template.values())
    arguments = {
        name: {
            "binary": emulator,
            "handler": fn.handler,
            "code": binary.parent,
            "layer": binary.parent,
            "variables": fn.variables,
            "timeout": API_LAMBDA_TIMEOUT if name == "api" else fn.timeout,
            "memory": fn.memory,
            "name": name,
            "log": logs / f"{name}.log",
            "command": [str(binary)],
        }
        for name, fn in template.items()
    }
    with running(arguments) as started:
        yield started


@pytest.fixture(scope="module")
def api(functions: dict[str, Function]) -> Function:
    return functions["api"]


def test_health_is_answered_by_the_go_runtime(api: Function) -> None:
    response = api.invoke(sample("http-api-get-health"))
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"status": "ok", "service": "go-orders", "environment": "production"}
    assert header(response, "X-Frame-Options") == "DENY"
    assert header(response, "Strict-Transport-Security") == "max-age=63072000; includeSubDomains"


def test_a_request_reaches_the_handler_with_its_config_and_the_headers(api: Function) -> None:
    response = api.invoke(http_event("GET", "/orders"))
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"orders": [], "request_timeout": 8}
    assert header(response, "Content-Security-Policy") == "default-src 'none'; frame-ancestors 'none'"
    assert header(response, "X-RateLimit-Limit") == "6000"
    assert len(header(response, "X-Request-Id") or "") == 36


def test_plain_http_is_refused(api: Function) -> None:
    response = api.invoke(http_event("GET", "/orders", headers={"x-forwarded-proto": "http"}))
    assert response["statusCode"] == 403 and json.loads(response["body"])["error"] == "https_required"


def test_a_request_without_claims_is_401(api: Function) -> None:
    event = http_event("GET", "/orders")
    event["requestContext"].pop("authorizer", None)
    response = api.invoke(event)
    assert response["statusCode"] == 401 and header(response, "WWW-Authenticate") == "Bearer"


def test_a_panic_is_a_500_without_internals_and_is_logged(api: Function) -> None:
    response = api.invoke(http_event("GET", "/orders/boom"))
    body = json.loads(response["body"])
    assert response["statusCode"] == 500 and body["error"] == "internal_error" and "detail" not in body
    assert "hunter2" not in response["body"]
    errors = [r for r in api.log_records() if r.get("message") == "unhandled error"]
    assert errors and "hunter2" in errors[-1]["error"] and errors[-1]["request_id"] == body["request_id"]


def test_large_responses_are_gzipped(api: Function) -> None:
    response = api.invoke(http_event("GET", "/orders/big", headers={"accept-encoding": "gzip"}))
    assert header(response, "Content-Encoding") == "gzip" and response["isBase64Encoded"] is True
    assert json.loads(gzip.decompress(base64.b64decode(response["body"])))["text"].startswith("order order")


def test_a_slow_request_is_504_before_lambda_kills_it(api: Function) -> None:
    started = time.monotonic()
    response = api.invoke(http_event("GET", "/orders/slow", {"seconds": "10"}))
    elapsed = time.monotonic() - started
    assert response["statusCode"] == 504 and json.loads(response["body"])["error"] == "timeout"
    assert 2.0 < elapsed < API_LAMBDA_TIMEOUT
    after = api.invoke(http_event("GET", "/orders"))  # the process survived the abandoned handler
    assert after["statusCode"] in (200, 429)


def test_the_rate_limit_answers_429_with_retry_after(api: Function) -> None:
    statuses = [api.invoke(http_event("POST", "/orders", body="{}")) for _ in range(5)]
    limited = [r for r in statuses if r["statusCode"] == 429]
    assert limited and int(header(limited[0], "Retry-After") or "0") >= 1
    assert header(limited[0], "X-RateLimit-Remaining") == "0"


def test_logs_are_json_with_cold_start_and_metrics_are_emf(api: Function) -> None:
    records = api.log_records()
    requests = [r for r in records if r.get("message") == "request"]
    assert requests[0]["cold_start"] is True and all(r["cold_start"] is False for r in requests[1:])
    assert requests[0]["service"] == "go-orders" and requests[0]["function"] == "api" and requests[0]["level"] == "INFO"
    emf = [r for r in records if "_aws" in r]
    assert len(emf) == len(requests)
    metrics = emf[0]["_aws"]["CloudWatchMetrics"][0]
    assert metrics["Namespace"] == "GoOrders" and metrics["Dimensions"] == [["service", "environment", "function"]]
    assert any(r.get("OrdersCreated") == 1 for r in emf)
    assert any(r["Errors"] == 1 and r["status"] == 500 for r in emf)


def test_sqs_reports_only_the_failed_records(functions: dict[str, Function]) -> None:
    event: dict[str, Any] = sample("sqs")
    template = event["Records"][0]
    event["Records"] = [{**template, "messageId": f"m{i}", "body": "poison" if i == 1 else f"job {i}"} for i in range(3)]
    response = functions["worker"].invoke(event)
    assert response == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    batch = [r for r in functions["worker"].log_records() if r.get("message") == "batch"]
    assert batch[-1]["records"] == 3 and batch[-1]["failed"] == 1
