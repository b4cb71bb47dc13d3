"""Request headers in every form Lambda receives them, and responses in the form each caller accepts (issue 9, item 14).

Forms: HTTP API payload 2.0 (`headers`), REST API payload 1.0 (`headers` and `multiValueHeaders`),
ALB with multi-value headers off (`headers`) and on (`multiValueHeaders` only). Every check that reads
a header reads all of them, names in any case; conflicting copies never resolve in the client's favour.
"""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

import pytest
from test_runtime_support import FORMS, Context, alb_event, event, example_config, request, response_header

from lift_runtime import active

NO_AUTH = example_config().auth.replace(enabled=False)
SECURITY = dict(example_config().security_headers)


@pytest.fixture(autouse=True)
def _reset_active_config() -> Any:
    yield
    active.use(None)


def wrapper(handler: Any, **changes: Any) -> Any:
    from test_runtime_support import wrapper as build

    return build(handler, **{"auth": NO_AUTH, **changes})


def ok(event: Any, context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "headers": {"Content-Type": "text/plain"}, "body": "ok"}


# --- HTTPS -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", ["x-forwarded-proto", "X-Forwarded-Proto", "CloudFront-Forwarded-Proto"])
def test_plain_http_is_refused_in_every_form(form: str, name: str) -> None:
    calls: list[Any] = []
    handler = wrapper(lambda ev, ctx: calls.append(ev) or ok(ev, ctx))
    response = handler(request(form, {name: ["http"]}), Context("req-x"))
    assert response["statusCode"] == 403 and calls == []
    assert json.loads(response["body"])["error"] == "https_required"
    assert handler(request(form, {name: ["https"]}), Context())["statusCode"] == 200


def test_the_reported_bypass_alb_multi_value_headers_without_headers() -> None:
    ev = alb_event({"x-forwarded-proto": ["http"]}, multi=True)
    assert "headers" not in ev
    response = wrapper(ok)(ev, Context())
    assert response["statusCode"] == 403


@pytest.mark.parametrize(
    "headers",
    [
        {"x-forwarded-proto": "http", "X-Forwarded-Proto": "https"},  # two spellings: the later one must not win
        {"X-Forwarded-Proto": "https", "x-forwarded-proto": "http"},
    ],
)
def test_conflicting_spellings_of_one_header_refuse(headers: dict[str, str]) -> None:
    ev = event("http-api-post")
    ev["headers"] = headers
    assert wrapper(ok)(ev, Context())["statusCode"] == 403


def test_rest_headers_and_multi_value_headers_must_both_say_https() -> None:
    ev = event("rest-api-proxy")
    ev["multiValueHeaders"]["X-Forwarded-Proto"] = ["http"]  # headers still says https
    assert wrapper(ok)(ev, Context())["statusCode"] == 403
    ev = event("rest-api-proxy")
    ev["headers"]["X-Forwarded-Proto"] = "http"  # multiValueHeaders still says https
    assert wrapper(ok)(ev, Context())["statusCode"] == 403


@pytest.mark.parametrize(("values", "refused"), [(["https", "http"], False), (["http", "https"], True), ([], True)])
def test_multi_value_proto_reads_like_a_comma_list_whose_first_hop_is_the_client(values: list[str], refused: bool) -> None:
    status = wrapper(ok)(alb_event({"x-forwarded-proto": values}, multi=True), Context())["statusCode"]
    assert (status == 403) is refused


# --- auth ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("multi", [False, True])
def test_alb_requests_have_no_verified_claims_so_jwt_auth_refuses_them(multi: bool) -> None:
    from test_runtime_support import wrapper as build

    ev = alb_event({"x-forwarded-proto": ["https"], "authorization": ["Bearer forged"]}, multi=multi)
    response = build(ok)(ev, Context())
    assert response["statusCode"] == 401 and response_header(response, "WWW-Authenticate") == ["Bearer"]


# --- gzip ------------------------------------------------------------------------------------------------


def big(event: Any, context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps(list(range(2000)))}


@pytest.mark.parametrize("form", FORMS)
def test_accept_encoding_is_read_in_every_form(form: str) -> None:
    response = wrapper(big)(request(form, {"Accept-Encoding": ["br", "gzip"]}), Context())
    assert response_header(response, "Content-Encoding") == ["gzip"]
    assert json.loads(gzip.decompress(base64.b64decode(response["body"]))) == list(range(2000))
    refused = wrapper(big)(request(form, {"Accept-Encoding": ["br", "gzip;q=0"]}), Context())
    assert response_header(refused, "Content-Encoding") == []


# --- the caller's response form ---------------------------------------------------------------------------


def cookie_handler(event: Any, context: Any) -> dict[str, Any]:
    return {
        "statusCode": 201,
        "headers": {"Content-Type": "text/plain", "X-One": "1"},
        "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"], "X-Many": ["x", "y"]},
        "body": "created",
    }


def test_alb_with_multi_value_headers_gets_multi_value_headers_only() -> None:
    response = wrapper(cookie_handler)(alb_event({"x-forwarded-proto": ["https"]}, multi=True), Context("req-alb"))
    assert "headers" not in response
    multi = response["multiValueHeaders"]
    assert multi["Set-Cookie"] == ["a=1", "b=2"] and multi["X-Many"] == ["x", "y"] and multi["X-One"] == ["1"]
    for name, value in SECURITY.items():
        assert multi[name] == [value]
    assert multi["X-Request-Id"] == ["req-alb"]
    assert all(isinstance(v, list) and all(isinstance(i, str) for i in v) for v in multi.values())


def test_alb_without_multi_value_headers_gets_single_headers_only() -> None:
    response = wrapper(cookie_handler)(alb_event({"x-forwarded-proto": ["https"]}, multi=False), Context())
    assert "multiValueHeaders" not in response and "cookies" not in response
    headers = response["headers"]
    assert headers["X-Many"] == "x, y" and headers["Set-Cookie"] == "b=2"  # one value per header: the last cookie
    assert headers["Strict-Transport-Security"] == SECURITY["Strict-Transport-Security"]


def test_alb_runtime_answers_come_in_the_alb_form_too() -> None:
    response = wrapper(ok)(alb_event({"x-forwarded-proto": ["http"]}, multi=True), Context())
    assert response["statusCode"] == 403 and "headers" not in response
    assert response["multiValueHeaders"]["Content-Type"] == ["application/json"]


def test_http_api_gets_cookies_and_single_headers() -> None:
    response = wrapper(cookie_handler)(event("http-api-post"), Context())
    assert "multiValueHeaders" not in response
    assert response["cookies"] == ["a=1", "b=2"] and response["headers"]["X-Many"] == "x, y"


def test_rest_api_keeps_both_forms_and_turns_cookies_into_set_cookie() -> None:
    def handler(event: Any, context: Any) -> dict[str, Any]:
        return {"statusCode": 200, "headers": {"X-One": "1"}, "cookies": ["c=3"], "body": ""}

    response = wrapper(handler)(event("rest-api-proxy"), Context())
    assert response["headers"]["X-One"] == "1" and response["multiValueHeaders"] == {"Set-Cookie": ["c=3"]}
    assert "cookies" not in response
