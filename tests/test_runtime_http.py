"""The wrapper on API Gateway events (the AWS samples): health, HTTPS, auth, errors, headers, gzip."""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

import pytest
from test_runtime_support import Context, emf, event, example_config, header, logs, wrapper

from lift_runtime import active

SECURITY = dict(example_config().security_headers)


def ok_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps({"ok": True})}


class Recorder:
    def __init__(self, result: Any = None, error: BaseException | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.result = result if result is not None else {"statusCode": 200, "body": "{}"}
        self.error = error

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        self.calls.append(event)
        if self.error is not None:
            raise self.error
        return self.result


@pytest.fixture(autouse=True)
def _reset_active_config() -> Any:
    yield
    active.use(None)


# --- health ------------------------------------------------------------------


def test_health_path_is_answered_by_the_runtime(capsys: pytest.CaptureFixture[str]) -> None:
    user = Recorder()
    response = wrapper(user)(event("http-api-get-health"), Context("req-h"))
    assert user.calls == []
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"status": "ok", "service": "order-service", "environment": "production"}
    for name, value in SECURITY.items():
        assert header(response, name) == value
    assert header(response, "X-Request-Id") == "req-h"


def test_health_under_a_named_stage_and_the_configured_path() -> None:
    user = Recorder()
    ev = event("http-api-get-health", rawPath="/prod/healthz")
    ev["requestContext"]["stage"] = "prod"
    response = wrapper(user, health_path="/healthz")(ev, Context())
    assert response["statusCode"] == 200 and user.calls == []


def test_health_answers_only_get_and_head() -> None:
    user = Recorder()
    ev = event("http-api-get-health")
    ev["requestContext"]["http"]["method"] = "POST"
    wrapper(user)(ev, Context())
    assert len(user.calls) == 1
    ev["requestContext"]["http"]["method"] = "HEAD"
    response = wrapper(user)(ev, Context())
    assert response["statusCode"] == 200 and response["body"] == "" and len(user.calls) == 1


# --- normal requests and headers ---------------------------------------------


def test_http_api_post_reaches_the_handler_with_security_and_limit_headers() -> None:
    user = Recorder({"statusCode": 201, "headers": {"Content-Type": "application/json"}, "body": '{"id": 1}'})
    ev = event("http-api-post")
    response = wrapper(user)(ev, Context("req-p"))
    assert user.calls == [ev]
    assert response["statusCode"] == 201 and response["body"] == '{"id": 1}'
    for name, value in SECURITY.items():
        assert header(response, name) == value
    assert header(response, "X-RateLimit-Limit") == "1000"
    assert header(response, "X-RateLimit-Remaining") == "199"  # burst 200, one taken
    assert header(response, "X-Request-Id") == "req-p"


def test_headers_the_handler_set_are_never_overridden() -> None:
    result = {
        "statusCode": 200,
        "headers": {"x-frame-options": "SAMEORIGIN", "Content-Security-Policy": "default-src 'self'"},
        "multiValueHeaders": {"Referrer-Policy": ["no-referrer"]},
        "body": "",
    }
    user = Recorder(result)
    response = wrapper(user)(event("http-api-post"), Context())
    assert header(response, "X-Frame-Options") == "SAMEORIGIN"
    assert header(response, "Content-Security-Policy") == "default-src 'self'"
    # set in multiValueHeaders, which payload 2.0 does not have: folded into headers, the handler's value
    assert response["headers"]["Referrer-Policy"] == "no-referrer" and "multiValueHeaders" not in response
    assert header(response, "Strict-Transport-Security") == SECURITY["Strict-Transport-Security"]
    assert [k for k in response["headers"] if k.lower() == "x-frame-options"] == ["x-frame-options"]
    assert result["headers"] == {"x-frame-options": "SAMEORIGIN", "Content-Security-Policy": "default-src 'self'"}  # not mutated


def test_results_without_status_code_become_json_200() -> None:
    response = wrapper(Recorder({"orders": []}))(event("http-api-post"), Context())
    assert response["statusCode"] == 200 and json.loads(response["body"]) == {"orders": []}
    assert header(response, "Content-Type") == "application/json"
    assert header(response, "X-Content-Type-Options") == "nosniff"


def test_rest_api_proxy_event() -> None:
    user = Recorder()
    ev = event("rest-api-proxy")
    ev["requestContext"]["authorizer"] = {"claims": {"sub": "user-1"}}
    response = wrapper(user)(ev, Context())
    assert len(user.calls) == 1 and response["statusCode"] == 200
    assert header(response, "Strict-Transport-Security") == SECURITY["Strict-Transport-Security"]


# --- HTTPS -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "rejected"),
    [
        ("X-Forwarded-Proto", "http", True),
        ("x-forwarded-proto", "HTTP", True),
        ("CloudFront-Forwarded-Proto", "http", True),
        ("X-Forwarded-Proto", "https", False),
        ("X-Forwarded-Proto", "https, http", False),  # the first hop is the client's
    ],
)
def test_plain_http_is_rejected_when_https_is_required(name: str, value: str, rejected: bool) -> None:
    user = Recorder()
    ev = event("http-api-post")
    ev["headers"][name] = value
    response = wrapper(user)(ev, Context("req-x"))
    if rejected:
        assert response["statusCode"] == 403 and user.calls == []
        assert json.loads(response["body"]) == {"error": "https_required", "message": "HTTPS is required", "request_id": "req-x"}
        assert header(response, "Strict-Transport-Security") is not None
    else:
        assert response["statusCode"] == 200 and len(user.calls) == 1


def test_rest_event_over_plain_http_is_rejected_and_allowed_when_not_required() -> None:
    ev = event("rest-api-proxy")
    ev["headers"]["X-Forwarded-Proto"] = "http"
    ev["requestContext"]["authorizer"] = {"claims": {"sub": "user-1"}}
    assert wrapper(Recorder())(ev, Context())["statusCode"] == 403
    assert wrapper(Recorder(), require_https=False)(ev, Context())["statusCode"] == 200


# --- auth --------------------------------------------------------------------


def test_requests_without_verified_claims_are_refused_when_jwt_auth_is_configured() -> None:
    user = Recorder()
    ev = event("http-api-post")
    del ev["requestContext"]["authorizer"]
    response = wrapper(user)(ev, Context())
    assert response["statusCode"] == 401 and user.calls == []
    assert header(response, "WWW-Authenticate") == "Bearer"
    rest = event("rest-api-proxy")  # the sample has no authorizer
    assert wrapper(user)(rest, Context())["statusCode"] == 401
    no_auth = example_config().auth.replace(enabled=False)
    assert wrapper(user, auth=no_auth)(ev, Context())["statusCode"] == 200


# --- errors ------------------------------------------------------------------


def test_unhandled_exception_is_a_500_without_internals(capsys: pytest.CaptureFixture[str]) -> None:
    user = Recorder(error=RuntimeError("password=hunter2 at db.internal"))
    response = wrapper(user)(event("http-api-post"), Context("req-e"))
    assert response["statusCode"] == 500
    body = json.loads(response["body"])
    assert body == {"error": "internal_error", "message": "Internal Server Error", "request_id": "req-e"}
    assert "hunter2" not in json.dumps(response) and "Traceback" not in json.dumps(response)
    assert header(response, "Strict-Transport-Security") is not None
    errors = [line for line in logs(capsys.readouterr().out) if line["level"] == "ERROR"]
    assert len(errors) == 1
    assert errors[0]["request_id"] == "req-e" and errors[0]["error_type"] == "RuntimeError"
    assert "hunter2" in errors[0]["error"] and any("Traceback" in line for line in errors[0]["traceback"])


def test_detailed_errors_show_the_exception() -> None:
    user = Recorder(error=ValueError("bad order id"))
    response = wrapper(user, detailed_errors=True)(event("http-api-post"), Context())
    detail = json.loads(response["body"])["detail"]
    assert detail["type"] == "ValueError" and detail["message"] == "bad order id"
    assert any("ValueError: bad order id" in line for line in detail["traceback"])


def test_a_response_the_runtime_cannot_use_is_a_500() -> None:
    response = wrapper(Recorder({"statusCode": 200, "headers": "not a mapping"}))(event("http-api-post"), Context())
    assert response["statusCode"] == 500


# --- gzip --------------------------------------------------------------------


def big_handler(content_type: str = "application/json", **extra: str) -> Recorder:
    body = json.dumps({"orders": [{"id": i, "status": "open"} for i in range(200)]})
    return Recorder({"statusCode": 200, "headers": {"Content-Type": content_type, **extra}, "body": body})


def with_accept(value: str | None) -> dict[str, Any]:
    ev = event("http-api-post")
    if value is not None:
        ev["headers"]["accept-encoding"] = value
    return ev


def test_large_bodies_are_gzipped_when_accepted() -> None:
    user = big_handler()
    response = wrapper(user)(with_accept("br, gzip;q=0.8"), Context())
    assert response["isBase64Encoded"] is True
    assert header(response, "Content-Encoding") == "gzip" and header(response, "Vary") == "Accept-Encoding"
    assert gzip.decompress(base64.b64decode(response["body"])).decode() == user.result["body"]


@pytest.mark.parametrize("accept", [None, "br", "gzip;q=0", "identity", "*;q=0"])
def test_no_gzip_unless_the_client_accepts_it(accept: str | None) -> None:
    response = wrapper(big_handler())(with_accept(accept), Context())
    assert header(response, "Content-Encoding") is None and response.get("isBase64Encoded") is not True


def test_gzip_skips_small_bodies_compressed_types_and_encoded_responses() -> None:
    small = Recorder({"statusCode": 200, "body": "x" * 1024})  # min_size is 1024: "over" it means more
    assert header(wrapper(small)(with_accept("gzip"), Context()), "Content-Encoding") is None
    assert header(wrapper(big_handler("image/png"))(with_accept("gzip"), Context()), "Content-Encoding") is None
    encoded = wrapper(big_handler(**{"Content-Encoding": "br"}))(with_accept("gzip"), Context())
    assert header(encoded, "Content-Encoding") == "br"
    disabled = example_config().compression.replace(enabled=False)
    assert header(wrapper(big_handler(), compression=disabled)(with_accept("gzip"), Context()), "Content-Encoding") is None


def test_gzip_of_a_base64_body_and_an_existing_vary() -> None:
    raw = b"<svg>" + b"<rect/>" * 400 + b"</svg>"
    user = Recorder(
        {
            "statusCode": 200,
            "headers": {"Content-Type": "image/svg+xml", "Vary": "Origin"},
            "body": base64.b64encode(raw).decode(),
            "isBase64Encoded": True,
        }
    )
    response = wrapper(user)(with_accept("gzip"), Context())
    assert gzip.decompress(base64.b64decode(response["body"])) == raw
    assert header(response, "Vary") == "Origin, Accept-Encoding"


def test_rest_sample_accepts_gzip() -> None:
    ev = event("rest-api-proxy")
    ev["requestContext"]["authorizer"] = {"claims": {"sub": "user-1"}}
    response = wrapper(big_handler())(ev, Context())
    assert header(response, "Content-Encoding") == "gzip"


# --- logs and metrics ----------------------------------------------------------


def test_json_logs_carry_request_id_and_cold_start(capsys: pytest.CaptureFixture[str]) -> None:
    handler = wrapper(ok_handler)
    handler(event("http-api-post"), Context("req-1"))
    handler(event("http-api-post"), Context("req-2"))
    lines = logs(capsys.readouterr().out)
    requests = [line for line in lines if line["message"] == "request"]
    assert [(r["request_id"], r["cold_start"]) for r in requests] == [("req-1", True), ("req-2", False)]
    first = requests[0]
    assert first["level"] == "INFO" and first["service"] == "order-service" and first["function"] == "api"
    assert first["method"] == "POST" and first["path"] == "/path/to/resource" and first["status"] == 200
    assert first["timestamp"].endswith("Z") and isinstance(first["duration_ms"], float)


def test_log_level_filters(capsys: pytest.CaptureFixture[str]) -> None:
    handler = wrapper(Recorder(error=RuntimeError("x")), log_level="error")
    handler(event("http-api-post"), Context())
    handler(event("http-api-post").copy(), Context())
    levels = {line["level"] for line in logs(capsys.readouterr().out)}
    assert levels == {"ERROR"}


def test_emf_metrics_for_each_request(capsys: pytest.CaptureFixture[str]) -> None:
    handler = wrapper(ok_handler)
    handler(event("http-api-post"), Context("req-1"))
    wrapper(Recorder(error=RuntimeError("x")))(event("http-api-post"), Context("req-2"))
    first, second = emf(capsys.readouterr().out)
    directive = first["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "OrderService"
    assert directive["Dimensions"] == [["service", "environment", "function"]]
    assert {m["Name"]: m["Unit"] for m in directive["Metrics"]} == {
        "Requests": "Count",
        "Errors": "Count",
        "Latency": "Milliseconds",
    }
    assert (first["service"], first["environment"], first["function"]) == ("order-service", "production", "api")
    assert (first["Requests"], first["Errors"], second["Errors"]) == (1, 0, 1)
    assert first["Latency"] >= 0 and isinstance(first["_aws"]["Timestamp"], int)


def test_no_metrics_when_disabled(capsys: pytest.CaptureFixture[str]) -> None:
    wrapper(ok_handler, metrics_enabled=False)(event("http-api-post"), Context())
    assert emf(capsys.readouterr().out) == []


def test_user_metrics_join_the_invocation_line(capsys: pytest.CaptureFixture[str]) -> None:
    from lift_runtime import metrics

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        metrics.add("OrdersCreated", 2)
        metrics.add("OrdersCreated", 1)
        return {"statusCode": 201, "body": ""}

    wrapper(handler)(event("http-api-post"), Context())
    (line,) = emf(capsys.readouterr().out)
    assert line["OrdersCreated"] == 3
    assert {"Name": "OrdersCreated", "Unit": "Count"} in line["_aws"]["CloudWatchMetrics"][0]["Metrics"]


def test_text_log_format(capsys: pytest.CaptureFixture[str]) -> None:
    wrapper(ok_handler, log_format="text", metrics_enabled=False)(event("http-api-post"), Context("req-t"))
    (line,) = capsys.readouterr().out.splitlines()
    assert " INFO request request_id=req-t cold_start=True " in line and "status=200" in line
