"""User helpers: retry with backoff and jitter, the circuit breaker, the TTL cache, all from the config."""

from __future__ import annotations

from typing import Any

import pytest
from test_runtime_support import Context, event, example_config, wrapper

from lift_runtime import active
from lift_runtime.cache import TTLCache
from lift_runtime.resilience import CircuitBreaker, CircuitOpenError, backoff, retry


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Flaky:
    def __init__(self, failures: int, error: type[Exception] = ConnectionError) -> None:
        self.failures = failures
        self.calls = 0
        self.error = error

    def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error(f"attempt {self.calls}")
        return "ok"


@pytest.fixture(autouse=True)
def _config() -> Any:
    active.use(example_config())  # order-service: retry 3 attempts, 1s base, 1s jitter; breaker 5 / 30s; cache 5m
    yield
    active.use(None)


def test_backoff_doubles_and_adds_bounded_jitter() -> None:
    assert [backoff(n, 1.0, 1.0, rand=lambda: 0.0) for n in (1, 2, 3)] == [1.0, 2.0, 4.0]
    assert backoff(2, 0.5, 0.25, rand=lambda: 1.0) == 1.25


def test_retry_uses_the_configured_attempts_and_delays() -> None:
    slept: list[float] = []
    flaky = Flaky(2)
    assert retry(flaky, sleep=slept.append, rand=lambda: 0.5) == "ok"
    assert flaky.calls == 3 and slept == [1.5, 2.5]
    always = Flaky(10)
    with pytest.raises(ConnectionError, match="attempt 3"):
        retry(always, sleep=slept.append, rand=lambda: 0.0)
    assert always.calls == 3


def test_retry_only_retries_the_listed_errors() -> None:
    flaky = Flaky(1, error=KeyError)
    with pytest.raises(KeyError):
        retry(flaky, retry_on=(ConnectionError,), sleep=lambda s: None)
    assert flaky.calls == 1


def test_retry_does_not_sleep_past_the_request_deadline() -> None:
    slept: list[float] = []
    flaky = Flaky(5)

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        retry(flaky, sleep=slept.append, rand=lambda: 0.0)
        return {"statusCode": 200, "body": ""}

    response = wrapper(handler)(event("http-api-post"), Context(remaining_ms=1_500))  # ~1.35 s: one 1 s wait fits, 2 s does not
    assert response["statusCode"] == 500
    assert slept == [1.0] and flaky.calls == 2


def test_breaker_opens_after_the_configured_failures_and_half_opens_after_reset() -> None:
    clock = Clock()
    breaker = CircuitBreaker("ledger", clock=clock)
    assert (breaker.failure_threshold, breaker.reset_timeout) == (5, 30.0)
    for _ in range(5):
        with pytest.raises(ConnectionError):
            breaker.call(Flaky(1))
    assert breaker.state == "open"
    flaky = Flaky(0)
    with pytest.raises(CircuitOpenError) as info:
        breaker.call(flaky)
    assert flaky.calls == 0 and info.value.retry_after == 30.0
    clock.now += 30
    assert breaker.state == "half-open"
    with pytest.raises(ConnectionError):
        breaker.call(Flaky(1))  # the trial fails: open again for a full reset_timeout
    assert breaker.state == "open"
    clock.now += 30
    assert breaker.call(Flaky(0)) == "ok"
    assert breaker.state == "closed" and breaker.failures == 0


def test_a_success_resets_the_failure_count() -> None:
    breaker = CircuitBreaker(failure_threshold=2, reset_timeout=1.0)
    with pytest.raises(ConnectionError):
        breaker.call(Flaky(1))
    breaker.call(Flaky(0))
    with pytest.raises(ConnectionError):
        breaker.call(Flaky(1))
    assert breaker.state == "closed"


def test_retry_does_not_hammer_an_open_breaker() -> None:
    breaker = CircuitBreaker(failure_threshold=1, reset_timeout=60.0)
    flaky = Flaky(10)
    with pytest.raises(CircuitOpenError):
        retry(lambda: breaker.call(flaky), sleep=lambda s: None)
    assert flaky.calls == 1


def test_cache_keeps_values_for_the_configured_ttl() -> None:
    clock = Clock()
    cache = TTLCache(clock=clock)
    assert cache.ttl == 300.0 and cache.enabled
    loads: list[str] = []
    assert cache.get_or_set("sku", lambda: loads.append("x") or 10) == 10
    assert cache.get_or_set("sku", lambda: loads.append("x") or 11) == 10
    clock.now += 300
    assert cache.get("sku") is None
    assert len(loads) == 1


def test_disabled_cache_keeps_nothing_and_size_is_bounded() -> None:
    off = TTLCache(enabled=False, ttl=60)
    off.set("a", 1)
    assert off.get("a") is None
    small = TTLCache(ttl=60, enabled=True, max_entries=2)
    for key in "abc":
        small.set(key, key)
    assert (small.get("a"), small.get("b"), small.get("c")) == (None, "b", "c")
