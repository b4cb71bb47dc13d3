"""The per-container rate limiter: token bucket, 429 with Retry-After and X-RateLimit-* headers."""

from __future__ import annotations

import json
from typing import Any

from test_runtime_support import Context, event, example_config, header, wrapper

from lift_runtime.middleware import RateLimit
from lift_runtime.ratelimit import TokenBucket


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def ok(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "body": ""}


def test_bucket_allows_the_burst_then_refills_at_max_per_window() -> None:
    clock = Clock()
    bucket = TokenBucket(limit=60, window=60.0, burst=3, clock=clock)  # one token a second
    decisions = [bucket.take() for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0]
    assert decisions[3].retry_after == 1 and decisions[3].reset_after == 3
    clock.now += 0.5
    assert not bucket.take().allowed
    clock.now += 0.5
    assert bucket.take().allowed
    clock.now += 3600
    assert bucket.take().remaining == 2  # never more than the burst


def test_retry_after_is_whole_seconds_and_at_least_one() -> None:
    clock = Clock()
    bucket = TokenBucket(limit=10, window=60.0, burst=1, clock=clock)  # a token every 6 s
    assert bucket.take().allowed
    denied = bucket.take()
    assert not denied.allowed and denied.retry_after == 6
    fast = TokenBucket(limit=1000, window=1.0, burst=1, clock=clock)
    fast.take()
    assert fast.take().retry_after == 1


def test_zero_burst_still_lets_one_request_through_and_zero_window_is_unlimited() -> None:
    assert TokenBucket(limit=5, window=60.0, burst=0).take().allowed
    unlimited = TokenBucket(limit=1, window=0.0, burst=1)
    assert all(unlimited.take().allowed for _ in range(100))


def test_the_wrapper_answers_429_with_retry_after_and_limit_headers() -> None:
    limits = example_config().rate_limit.replace(max=2, burst=2, window=60.0, scope="service")
    handler = wrapper(ok, rate_limit=limits)
    clock = Clock()
    layer = handler.layer(RateLimit)
    assert layer is not None
    layer.limiter = TokenBucket(limit=2, window=60.0, burst=2, clock=clock)
    statuses = [handler(event("http-api-post"), Context(f"r{i}"))["statusCode"] for i in range(2)]
    assert statuses == [200, 200]
    response = handler(event("http-api-post"), Context("r3"))
    assert response["statusCode"] == 429
    assert json.loads(response["body"]) == {"error": "rate_limited", "message": "Too many requests", "request_id": "r3"}
    assert header(response, "Retry-After") == "30"
    assert (header(response, "X-RateLimit-Limit"), header(response, "X-RateLimit-Remaining")) == ("2", "0")
    assert header(response, "X-RateLimit-Reset") == "60"
    assert header(response, "Strict-Transport-Security") is not None
    clock.now += 30
    assert handler(event("http-api-post"), Context("r4"))["statusCode"] == 200


def test_health_checks_are_not_rate_limited_and_limits_can_be_off() -> None:
    limits = example_config().rate_limit.replace(max=1, burst=1)
    handler = wrapper(ok, rate_limit=limits)
    assert all(handler(event("http-api-get-health"), Context())["statusCode"] == 200 for _ in range(5))
    off = wrapper(ok, rate_limit=limits.replace(enabled=False))
    responses = [off(event("http-api-post"), Context()) for _ in range(5)]
    assert all(r["statusCode"] == 200 and header(r, "X-RateLimit-Limit") is None for r in responses)
