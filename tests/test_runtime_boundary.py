"""The runtime boundary (issue 9, items 15 and 16): nothing the handler does escapes the wrapper, and every
answer is one API Gateway and ALB accept.

Each class of failure is answered (500, 504, failed batch items) with the request's log line and its
metrics written; responses are normalized (status, body, headers) or refused with a logged reason.
"""

from __future__ import annotations

import base64
import copy
import gzip
import json
import signal
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from test_runtime_support import (
    FORMS,
    Context,
    assert_valid_response,
    emf,
    event,
    example_config,
    logs,
    request,
    wrapper,
)

from lift_runtime import active, deadline
from lift_runtime.deadline import DeadlineExceeded

NO_AUTH = example_config().auth.replace(enabled=False)


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    yield
    active.use(None)
    signal.setitimer(signal.ITIMER_REAL, 0)  # never leave a timer behind, whatever the code under test did


def returning(result: Any) -> Callable[[Any, Any], Any]:
    return lambda event, context: result


def raising(error: BaseException) -> Callable[[Any, Any], Any]:
    def handler(event: Any, context: Any) -> Any:
        raise error

    return handler


def answered(out: str, status: int) -> None:
    """The request's log line and its EMF metrics were written, with `status`."""
    lines = logs(out)
    (line,) = [entry for entry in lines if entry["message"] == "request"]
    assert line["status"] == status
    (metrics,) = emf(out)
    assert metrics["Requests"] == 1 and metrics["Errors"] == int(status >= 500) and metrics["status"] == status


def circular() -> dict[str, Any]:
    data: dict[str, Any] = {"orders": []}
    data["orders"].append(data)
    return data


def deep(levels: int = 100_000) -> list[Any]:
    data: list[Any] = []
    for _ in range(levels):
        data = [data]
    return data


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no str")

    __repr__ = __str__


class HostileDict(dict):  # type: ignore[type-arg]
    def get(self, key: Any, default: Any = None) -> Any:
        raise RuntimeError("hostile")


class Custom(BaseException):
    pass


# --- item 15: exceptions never escape ---------------------------------------------------------------


@pytest.mark.parametrize(
    "result",
    [
        pytest.param(circular(), id="circular"),
        pytest.param(deep(), id="deep-nesting"),
        pytest.param({"statusCode": 200, "body": circular()}, id="circular-body"),
        pytest.param({"a": Unprintable()}, id="unprintable"),
        pytest.param({(1, 2): "tuple key"}, id="tuple-key"),
        pytest.param(10**5000, id="huge-int"),
        pytest.param(HostileDict(statusCode=200), id="hostile-dict"),
    ],
)
def test_results_that_cannot_be_encoded_are_a_logged_500(result: Any, capsys: pytest.CaptureFixture[str]) -> None:
    response = wrapper(returning(result))(event("http-api-post"), Context("req-r"))
    assert response["statusCode"] == 500 and json.loads(response["body"])["request_id"] == "req-r"
    assert_valid_response(response, "v2")
    out = capsys.readouterr().out
    answered(out, 500)
    assert any(line["message"] == "invalid response from handler: 500" and line["reason"] for line in logs(out))


@pytest.mark.parametrize(
    "error", [SystemExit(3), KeyboardInterrupt(), GeneratorExit(), Custom("odd"), RecursionError("deep")], ids=type
)
def test_any_base_exception_from_the_handler_is_a_500(error: BaseException, capsys: pytest.CaptureFixture[str]) -> None:
    response = wrapper(raising(error))(event("http-api-post"), Context())
    assert response["statusCode"] == 500 and json.loads(response["body"])["error"] == "internal_error"
    out = capsys.readouterr().out
    answered(out, 500)
    assert any(line.get("error_type") == type(error).__name__ for line in logs(out))


def test_an_exception_whose_str_raises_is_still_logged(capsys: pytest.CaptureFixture[str]) -> None:
    class Nasty(Exception):
        def __str__(self) -> str:
            raise ValueError("nope")

    response = wrapper(raising(Nasty()), detailed_errors=True)(event("http-api-post"), Context())
    assert response["statusCode"] == 500 and json.loads(response["body"])["detail"]["type"] == "Nasty"
    answered(capsys.readouterr().out, 500)


def start_then_alarm(monkeypatch: pytest.MonkeyPatch) -> None:
    """The alarm lands right after the timer is armed, before any code of the caller runs (seen with 1-3 ms left)."""
    real = deadline.start

    def start(seconds: float) -> bool:
        real(seconds)
        raise DeadlineExceeded

    monkeypatch.setattr(deadline, "start", start)


def alarm_inside_stop(monkeypatch: pytest.MonkeyPatch) -> None:
    """The alarm lands on the first instruction of stop(), before it disarms anything."""
    real = deadline.stop
    landed: list[bool] = []

    def stop() -> bool:
        if not landed:
            landed.append(True)
            raise DeadlineExceeded
        return real()

    monkeypatch.setattr(deadline, "stop", stop)


def timer_is_off() -> bool:
    return signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0) and deadline.remaining() is None


@pytest.mark.parametrize("race", [start_then_alarm, alarm_inside_stop])
def test_the_alarm_landing_anywhere_is_a_504_and_leaves_no_timer(
    race: Callable[[pytest.MonkeyPatch], None], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    handler = wrapper(returning({"statusCode": 200, "body": ""}))
    race(monkeypatch)
    response = handler(event("http-api-post"), Context())
    assert response["statusCode"] == 504 and timer_is_off()
    answered(capsys.readouterr().out, 504)


@pytest.mark.parametrize("race", [start_then_alarm, alarm_inside_stop])
def test_the_alarm_landing_anywhere_in_a_batch_fails_the_rest(
    race: Callable[[pytest.MonkeyPatch], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = wrapper(returning(None), function="dlq-processor")
    race(monkeypatch)
    sample = event("sqs")
    result = handler(sample, Context())
    assert result == {"batchItemFailures": [{"itemIdentifier": sample["Records"][0]["messageId"]}]} or result == {
        "batchItemFailures": []
    }
    assert timer_is_off()


@pytest.mark.parametrize("race", [start_then_alarm, alarm_inside_stop])
def test_the_alarm_landing_anywhere_in_a_pass_through_is_a_request_timeout(
    race: Callable[[pytest.MonkeyPatch], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    from lift_runtime.deadline import RequestTimeout

    handler = wrapper(returning({"ok": True}), function="reconcile")
    race(monkeypatch)
    with pytest.raises(RequestTimeout):
        handler(event("scheduled"), Context())
    assert timer_is_off()


@pytest.mark.slow
def test_tiny_remaining_times_never_let_the_deadline_escape() -> None:
    def handler(event: Any, context: Any) -> dict[str, Any]:
        time.sleep(0.001)
        return {"statusCode": 200, "body": ""}

    no_limit = example_config().rate_limit.replace(enabled=False)
    wrapped = wrapper(handler, metrics_enabled=False, log_level="error", rate_limit=no_limit)
    statuses = {wrapped(event("http-api-post"), Context(remaining_ms=1 + i % 3))["statusCode"] for i in range(1500)}
    assert statuses <= {200, 504} and timer_is_off()


def test_a_batch_with_a_record_that_is_not_an_object_and_a_failing_handler(capsys: pytest.CaptureFixture[str]) -> None:
    sample = event("sqs")
    good = sample["Records"][0]
    sample["Records"] = [good, "not a record", 42, None, copy.deepcopy(good) | {"messageId": "m-last"}]

    def handler(event: Any, context: Any) -> None:
        record = event["Records"][0]
        if not isinstance(record, dict) or record["messageId"] == "m-last":
            raise SystemExit("bad record")

    result = wrapper(handler, function="dlq-processor")(sample, Context())
    assert result == {"batchItemFailures": [{"itemIdentifier": ""}] * 3 + [{"itemIdentifier": "m-last"}]}
    out = capsys.readouterr().out
    (line,) = [entry for entry in logs(out) if entry["message"] == "batch"]
    assert (line["records"], line["failed"]) == (5, 4)
    assert emf(out)[0]["Errors"] == 4


def test_a_pass_through_base_exception_reaches_lambda_as_an_exception(capsys: pytest.CaptureFixture[str]) -> None:
    from lift_runtime.wrapper import HandlerAborted

    with pytest.raises(HandlerAborted, match="SystemExit"):
        wrapper(raising(SystemExit(2)), function="reconcile")(event("scheduled"), Context())
    out = capsys.readouterr().out
    assert any(line["message"] == "invocation" and line["failed"] is True for line in logs(out))
    assert emf(out)[0]["Errors"] == 1


# --- item 16: responses are normalized ------------------------------------------------------------


def big_body(**headers: str) -> dict[str, Any]:
    return {"statusCode": 200, "headers": {"Content-Type": "application/json", **headers}, "body": json.dumps(list(range(3000)))}


def test_content_length_is_dropped_when_the_body_is_gzipped() -> None:
    result = big_body(**{"Content-Length": "99999"})
    result["multiValueHeaders"] = {"content-length": ["99999"]}
    ev = event("rest-api-proxy")
    ev["requestContext"]["authorizer"] = {"claims": {"sub": "u"}}
    response = wrapper(returning(result))(ev, Context())
    assert response["headers"]["Content-Encoding"] == "gzip"
    assert not [k for k in response["headers"] if k.lower() == "content-length"]
    assert not [k for k in response.get("multiValueHeaders", {}) if k.lower() == "content-length"]
    assert json.loads(gzip.decompress(base64.b64decode(response["body"]))) == list(range(3000))


@pytest.mark.parametrize("body", ["\ud800", "not base64!", "YWJj\n"])
def test_a_body_marked_base64_that_is_not_base64_is_a_logged_500(body: str, capsys: pytest.CaptureFixture[str]) -> None:
    """API Gateway would answer its own 502 for a body it cannot decode (found by the runtime fuzz test)."""
    response = wrapper(returning({"statusCode": 200, "body": body, "isBase64Encoded": True}))(event("http-api-post"), Context())
    assert response["statusCode"] == 500
    answered(capsys.readouterr().out, 500)
    valid = {"statusCode": 200, "body": "YWJj", "isBase64Encoded": True}
    assert wrapper(returning(valid))(event("http-api-post"), Context())["body"] == "YWJj"


@pytest.mark.parametrize(
    ("body", "expected", "encoded"),
    [
        (b"\x00\xffbinary", base64.b64encode(b"\x00\xffbinary").decode(), True),
        (bytearray(b"abc"), "YWJj", True),
        ({"id": 1}, '{"id":1}', False),
        ([1, 2], "[1,2]", False),
        (7, "7", False),
        (None, "", False),
    ],
)
def test_bodies_become_strings(body: Any, expected: str, encoded: bool) -> None:
    response = wrapper(returning({"statusCode": 200, "body": body}))(event("http-api-post"), Context())
    assert (response["statusCode"], response["body"], response["isBase64Encoded"]) == (200, expected, encoded)
    assert_valid_response(response, "v2")


def test_a_json_body_gets_a_json_content_type_unless_the_handler_set_one() -> None:
    response = wrapper(returning({"statusCode": 200, "body": {"a": 1}}))(event("http-api-post"), Context())
    assert response["headers"]["Content-Type"] == "application/json"
    typed = {"statusCode": 200, "headers": {"content-type": "application/problem+json"}, "body": {"a": 1}}
    response = wrapper(returning(typed))(event("http-api-post"), Context())
    assert response["headers"]["content-type"] == "application/problem+json" and "Content-Type" not in response["headers"]


@pytest.mark.parametrize(("status", "expected"), [("201", 201), (" 404 ", 404), (204, 204)])
def test_status_codes_that_mean_one_number_are_normalized(status: Any, expected: int) -> None:
    response = wrapper(returning({"statusCode": status, "body": ""}))(event("http-api-post"), Context())
    assert response["statusCode"] == expected


REJECTED = {
    "status-none": {"statusCode": None},
    "status-text": {"statusCode": "abc"},
    "status-full-width-digits": {"statusCode": "\uff12\uff10\uff10"},
    "status-99": {"statusCode": 99},
    "status-600": {"statusCode": 600},
    "status-bool": {"statusCode": True},
    "status-float": {"statusCode": 200.0},
    "status-list": {"statusCode": [200]},
    "headers-list": {"statusCode": 200, "headers": ["X-A", "1"]},
    "header-injection": {"statusCode": 200, "headers": {"X-A": "1\r\nSet-Cookie: admin=1"}},
    "header-name-space": {"statusCode": 200, "headers": {"X A": "1"}},
    "header-name-colon": {"statusCode": 200, "headers": {"X-A:": "1"}},
    "header-name-int": {"statusCode": 200, "headers": {1: "1"}},
    "header-value-object": {"statusCode": 200, "headers": {"X-A": object()}},
    "multi-value-injection": {"statusCode": 200, "multiValueHeaders": {"X-A": ["ok", "bad\n"]}},
    "multi-value-text": {"statusCode": 200, "multiValueHeaders": "X-A"},
    "cookies-text": {"statusCode": 200, "cookies": "a=1"},
    "body-object": {"statusCode": 200, "body": object()},
    "body-set": {"statusCode": 200, "body": {1, 2}},
    "base64-flag-text": {"statusCode": 200, "body": "", "isBase64Encoded": "yes"},
}


@pytest.mark.parametrize("result", REJECTED.values(), ids=REJECTED.keys())
def test_responses_api_gateway_would_reject_are_a_logged_500(result: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    response = wrapper(returning(result))(event("http-api-post"), Context())
    assert response["statusCode"] == 500
    assert_valid_response(response, "v2")
    out = capsys.readouterr().out
    (reason,) = [line["reason"] for line in logs(out) if line["message"] == "invalid response from handler: 500"]
    assert reason
    answered(out, 500)


def test_header_values_are_strings_and_unset_ones_are_left_out() -> None:
    result = {"statusCode": 200, "headers": {"X-Count": 3, "X-Ratio": 0.5, "X-Flag": True, "X-None": None, "X-List": ["a", 1]}}
    response = wrapper(returning(result))(event("http-api-post"), Context())
    headers = response["headers"]
    assert (headers["X-Count"], headers["X-Ratio"], headers["X-Flag"], headers["X-List"]) == ("3", "0.5", "true", "a, 1")
    assert "X-None" not in headers and response["body"] == ""


def test_unknown_keys_of_a_proxy_response_are_not_passed_on() -> None:
    response = wrapper(returning({"statusCode": 200, "body": "x", "extra": object()}))(event("http-api-post"), Context())
    assert set(response) == {"statusCode", "headers", "body", "isBase64Encoded"}


@pytest.mark.parametrize("form", FORMS)
def test_every_form_gets_a_valid_response(form: str) -> None:
    response = wrapper(returning({"statusCode": "202", "body": b"x", "cookies": ["a=1"]}), auth=NO_AUTH)(
        request(form, {"x-forwarded-proto": ["https"]}), Context()
    )
    assert response["statusCode"] == 202
    assert_valid_response(response, form)


# --- the boundary itself -------------------------------------------------------------------------------


class Hostile(Context):
    def get_remaining_time_in_millis(self) -> int:
        raise RuntimeError("not Lambda's context")


def test_a_failure_of_the_runtime_itself_is_a_500_with_the_security_headers(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from lift_runtime import http

    def unreadable(event: Any) -> Any:
        raise MemoryError

    handler = wrapper(returning({"statusCode": 200, "body": ""}))
    monkeypatch.setattr(http, "Request", unreadable)
    response = handler(event("http-api-post"), Context("req-m"))
    assert response["statusCode"] == 500 and response["headers"]["X-Request-Id"] == "req-m"
    assert response["headers"]["Strict-Transport-Security"]
    out = capsys.readouterr().out
    answered(out, 500)
    assert any(line["message"] == "the runtime could not answer the request: 500" for line in logs(out))


def test_a_context_that_raises_is_answered_in_every_kind() -> None:
    from lift_runtime.wrapper import HandlerAborted

    assert wrapper(returning(None))(event("http-api-post"), Hostile())["statusCode"] == 500
    sample = event("sqs")
    failed = wrapper(returning(None), function="dlq-processor")(sample, Hostile())
    assert failed == {"batchItemFailures": [{"itemIdentifier": sample["Records"][0]["messageId"]}]}
    with pytest.raises(RuntimeError) as raised:
        wrapper(returning(None), function="reconcile")(event("scheduled"), Hostile())
    assert not isinstance(raised.value, HandlerAborted)


def test_wrappers_called_from_many_threads_keep_their_own_deadlines() -> None:
    """One invocation ending must not end (or pass) another thread's: each thread keeps its own deadline."""
    import threading as _threading
    import time as _time

    def slowish(event: Any, context: Any) -> dict[str, Any]:
        _time.sleep(0.01)
        return {"statusCode": 200, "body": ""}

    handler = wrapper(slowish)
    statuses: list[int] = []
    lock = _threading.Lock()

    def call() -> None:
        for _ in range(20):
            status = handler(event("http-api-post"), Context())["statusCode"]
            with lock:
                statuses.append(status)

    threads = [_threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 160 and deadline.remaining() is None
