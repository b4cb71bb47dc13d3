"""Property tests of the runtime boundary: every header form, hostile handler results and batches.

Whatever the event's headers and whatever the handler returns or raises, the wrapper never raises
(HTTP, SQS), answers in the form the caller accepts, and writes the invocation's log line and metrics.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_runtime_support import FORMS, Context, assert_valid_response, emf, event, example_config, logs, request, wrapper

from lift_runtime import active

CONFIG = example_config()
OPEN = {"auth": CONFIG.auth.replace(enabled=False), "rate_limit": CONFIG.rate_limit.replace(enabled=False)}
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)

# --- events ------------------------------------------------------------------------------------------------

NAMES = ("x-forwarded-proto", "cloudfront-forwarded-proto", "accept-encoding", "authorization", "content-type", "x-other")
VALUES = ("https", "http", "HTTPS", "https, http", "http, https", "", " https ", "gzip", "gzip;q=0", "*", "br", "ftp")


@st.composite
def header_names(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(NAMES))
    return "".join(c.upper() if draw(st.booleans()) else c for c in name)


header_values = st.one_of(st.sampled_from(VALUES), st.text(max_size=12))
header_sets = st.lists(st.tuples(header_names(), st.lists(header_values, min_size=1, max_size=3)), max_size=6)


def first_hop_plain(value: str) -> bool:
    return value.split(",")[0].strip().lower() != "https"


def says_plain_http(ev: dict[str, Any]) -> bool:
    """The oracle: any copy of a forwarded-proto header, in any form of the event, that does not say https."""
    copies: list[str] = []
    for name, value in (ev.get("headers") or {}).items():
        if name.lower() in ("x-forwarded-proto", "cloudfront-forwarded-proto"):
            copies.append(value)
    for name, values in (ev.get("multiValueHeaders") or {}).items():
        if name.lower() in ("x-forwarded-proto", "cloudfront-forwarded-proto"):
            copies.append(", ".join(values))
    return any(first_hop_plain(value) for value in copies)


def build(form: str, pairs: list[tuple[str, list[str]]]) -> dict[str, Any]:
    headers: dict[str, list[str]] = {}
    for name, values in pairs:
        headers.setdefault(name, []).extend(values)
    return request(form, headers)


def run(handler: Any, ev: Any, kind: str = "request") -> tuple[Any, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = handler(ev, Context("req-fuzz"))
    text = out.getvalue()
    (line,) = [entry for entry in logs(text) if entry["message"] == kind]
    assert len(emf(text)) == 1
    assert line["request_id"] == "req-fuzz"
    return result, text


def ok(event: Any, context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps(list(range(500)))}


@pytest.fixture(autouse=True)
def _reset_active_config() -> Iterator[None]:
    yield
    active.use(None)


@FUZZ
@given(form=st.sampled_from(FORMS), pairs=header_sets)
def test_every_header_form_https_verdict_and_response_form(form: str, pairs: list[tuple[str, list[str]]]) -> None:
    ev = build(form, pairs)
    response, _ = run(wrapper(ok, **OPEN), ev)
    assert_valid_response(response, form)
    assert (response["statusCode"] == 403) is says_plain_http(ev)
    if response["statusCode"] == 200:  # gzipped or not, as the client's Accept-Encoding (any form) says
        assert (_header(response, "content-encoding") == ["gzip"]) is response["isBase64Encoded"]


def _header(response: dict[str, Any], name: str) -> list[str]:
    values = [v for k, v in (response.get("headers") or {}).items() if k.lower() == name]
    for key, items in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == name:
            values.extend(items)
    return values


@FUZZ
@given(
    headers=st.dictionaries(header_names(), st.one_of(header_values, st.none(), st.integers(), st.lists(header_values))),
    multi=st.one_of(st.none(), st.dictionaries(header_names(), st.one_of(st.lists(header_values), st.none(), header_values))),
    form=st.sampled_from(FORMS),
)
def test_raw_header_shapes_never_break_the_wrapper(headers: dict[str, Any], multi: Any, form: str) -> None:
    ev = request(form, {})
    ev["headers"] = headers
    ev["multiValueHeaders"] = multi
    response, _ = run(wrapper(ok, **OPEN), ev)
    assert response["statusCode"] in (200, 403)
    if form.startswith("alb"):  # ALB's form follows the event: multiValueHeaders present means multi-value on
        form = "alb-multi" if isinstance(multi, dict) else "alb"
    assert_valid_response(response, form)


# --- hostile results ------------------------------------------------------------------------------------


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no str")


def circular() -> Any:
    data: list[Any] = []
    data.append(data)
    return data


def nested(levels: int) -> Any:
    data: Any = "leaf"
    for _ in range(levels):
        data = {"x": data}
    return data


json_data = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
oddities = st.sampled_from(
    [
        circular,
        lambda: nested(5000),
        lambda: nested(50),
        Unprintable,
        object,
        lambda: 10**5000,
        lambda: {(1,): 2},
        lambda: {1, 2},
        lambda: b"\xff\x00",
        lambda: bytearray(b"ab"),
        lambda: float("nan"),
        lambda: "\ud800",
    ]
).map(lambda make: make())
anything = st.one_of(json_data, oddities)
proxies = st.fixed_dictionaries(
    {"statusCode": st.one_of(st.integers(0, 1000), st.sampled_from(["200", "abc", "", " 503 "]), st.none(), anything)},
    optional={
        "headers": st.one_of(st.dictionaries(st.one_of(header_names(), st.text(max_size=6)), anything, max_size=3), anything),
        "multiValueHeaders": st.one_of(
            st.dictionaries(header_names(), st.lists(st.one_of(header_values, anything), max_size=2), max_size=3), anything
        ),
        "body": anything,
        "isBase64Encoded": st.one_of(st.booleans(), anything),
        "cookies": st.one_of(st.lists(st.one_of(header_values, anything), max_size=2), anything),
    },
)
failures = st.sampled_from(
    [ValueError("x"), SystemExit(1), KeyboardInterrupt(), GeneratorExit(), RecursionError(), MemoryError()]
)


def handler_for(outcome: Any) -> Any:
    def handler(event: Any, context: Any) -> Any:
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    return handler


@FUZZ
@given(outcome=st.one_of(proxies, anything, failures), form=st.sampled_from(FORMS))
def test_whatever_the_handler_returns_or_raises_the_answer_is_valid(outcome: Any, form: str) -> None:
    handler = wrapper(handler_for(outcome), **OPEN)
    response, text = run(handler, request(form, {"x-forwarded-proto": ["https"], "accept-encoding": ["gzip"]}))
    assert_valid_response(response, form)
    if isinstance(outcome, BaseException):
        assert response["statusCode"] == 500
    if response["statusCode"] == 500:
        assert any(entry["level"] == "ERROR" for entry in logs(text))


# --- SQS batches -----------------------------------------------------------------------------------------

SQS_RECORD = event("sqs")["Records"][0]
records = st.lists(
    st.one_of(
        st.builds(lambda i: {**SQS_RECORD, "messageId": f"m{i}"}, st.integers(0, 10**6)),
        json_data,
    ),
    min_size=1,
    max_size=6,
)


@FUZZ
@given(
    batch=records,
    fail=st.lists(st.one_of(st.none(), failures, st.just({"batchItemFailures": [{"x": 1}]})), min_size=7, max_size=7),
)
def test_batches_never_raise_and_report_exactly_the_failed_records(batch: list[Any], fail: list[Any]) -> None:
    planned = iter(fail)

    def handler(event: Any, context: Any) -> Any:
        return handler_for(next(planned))(event, context)

    ev = {"Records": [{**SQS_RECORD, "messageId": "first"}, *batch]}
    result, _ = run(wrapper(handler, function="dlq-processor"), ev, kind="batch")
    expected = [i for i, outcome in enumerate(fail[: len(ev["Records"])]) if outcome is not None]
    identifiers = [item["itemIdentifier"] for item in result["batchItemFailures"]]
    assert all(isinstance(identifier, str) for identifier in identifiers)
    assert identifiers == [message_id(ev["Records"][i]) for i in expected]


def message_id(record: Any) -> str:
    """What Lambda needs back for a failed record: its messageId, else "" (Lambda then retries the whole batch)."""
    value = record.get("messageId", "") if isinstance(record, dict) else ""
    return value if isinstance(value, str) else str(value)
