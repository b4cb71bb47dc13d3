"""The request deadline: min(request timeout, Lambda's remaining time minus a margin) -> 504."""

from __future__ import annotations

import json
import socket
import threading
import time
from typing import Any

import pytest
from test_runtime_support import Context, event, example_config, header, logs, wrapper

from lift_runtime import deadline


def sleeper(seconds: float) -> Any:
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        time.sleep(seconds)
        return {"statusCode": 200, "body": "done"}

    return handler


def test_budget() -> None:
    assert deadline.budget(29.0, None) == 29.0
    assert deadline.budget(29.0, 30_000) == 29.0  # 30 s left minus 0.5 s margin is later
    assert deadline.budget(29.0, 10_000) == 9.5
    assert deadline.budget(29.0, 1_000) == pytest.approx(0.9)  # the margin is at most a tenth of what is left
    assert deadline.budget(0.2, 30_000) == 0.2


def test_the_request_timeout_interrupts_a_slow_handler(capsys: pytest.CaptureFixture[str]) -> None:
    functions = {
        name: fn.replace(request_timeout=0.2) if name == "api" else fn for name, fn in example_config().functions.items()
    }
    handler = wrapper(sleeper(5), functions=functions)
    started = time.monotonic()
    response = handler(event("http-api-post"), Context("req-slow"))
    elapsed = time.monotonic() - started
    assert response["statusCode"] == 504
    assert json.loads(response["body"]) == {"error": "timeout", "message": "The request took too long", "request_id": "req-slow"}
    assert header(response, "Strict-Transport-Security") is not None
    assert 0.15 < elapsed < 1.0
    assert any(line["message"] == "request deadline exceeded" for line in logs(capsys.readouterr().out))
    assert deadline.remaining() is None  # the timer is gone once the invocation ends


def test_lambdas_remaining_time_caps_the_deadline() -> None:
    started = time.monotonic()
    response = wrapper(sleeper(5))(event("http-api-post"), Context(remaining_ms=400))  # budget 0.36 s, not 29 s
    assert response["statusCode"] == 504
    assert time.monotonic() - started < 1.0


def test_a_handler_that_catches_exception_cannot_swallow_the_deadline() -> None:
    def stubborn(event: dict[str, Any], context: Any) -> dict[str, Any]:
        try:
            time.sleep(5)
        except Exception:
            return {"statusCode": 200, "body": "swallowed"}
        return {"statusCode": 200, "body": "late"}

    started = time.monotonic()
    response = wrapper(stubborn)(event("http-api-post"), Context(remaining_ms=300))
    assert response["statusCode"] == 504
    assert time.monotonic() - started < 1.0


def test_blocking_socket_reads_are_interrupted() -> None:
    left, right = socket.socketpair()
    left.settimeout(5)  # without the deadline the test fails (500) instead of hanging
    try:

        def reader(event: dict[str, Any], context: Any) -> dict[str, Any]:
            left.recv(1)  # nothing is ever sent
            return {"statusCode": 200, "body": ""}

        started = time.monotonic()
        assert wrapper(reader)(event("http-api-post"), Context(remaining_ms=300))["statusCode"] == 504
        assert time.monotonic() - started < 1.0
    finally:
        left.close()
        right.close()


def test_fast_handlers_are_not_affected_and_see_their_remaining_time() -> None:
    seen: list[float | None] = []

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(deadline.remaining())
        return {"statusCode": 200, "body": ""}

    handler_ = wrapper(handler)
    for _ in range(3):
        assert handler_(event("http-api-post"), Context(remaining_ms=10_000))["statusCode"] == 200
    assert all(value is not None and 9.0 < value <= 9.5 for value in seen)
    time.sleep(0.05)  # no alarm left behind
    assert deadline.remaining() is None


def test_no_time_left_answers_504_without_calling_the_handler() -> None:
    calls: list[int] = []

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        calls.append(1)
        return {"statusCode": 200, "body": ""}

    assert wrapper(handler)(event("http-api-post"), Context(remaining_ms=0))["statusCode"] == 504
    assert calls == []


def test_outside_the_main_thread_the_deadline_is_checked_on_return() -> None:
    results: list[dict[str, Any]] = []
    handler = wrapper(sleeper(0.5))
    thread = threading.Thread(target=lambda: results.append(handler(event("http-api-post"), Context(remaining_ms=300))))
    thread.start()
    thread.join(5)
    assert results and results[0]["statusCode"] == 504
