"""Retry with exponential backoff and jitter, and a circuit breaker, with lift.yaml's `resilience` values.

    from lift_runtime.resilience import CircuitBreaker, retry

    payments = CircuitBreaker("payments")          # failure_threshold, reset_timeout from lift.yaml

    def charge(order):
        return retry(lambda: payments.call(client.charge, order), retry_on=(ConnectionError,))

Both stop early rather than run past the request deadline. A breaker lives as long as its
container: create it at module level, not per request.
"""

from __future__ import annotations

import random
import threading
import time

from lift_runtime import active, deadline

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import ParamSpec, TypeVar

    from lift_runtime.config_types import Retry

    T = TypeVar("T")
    P = ParamSpec("P")


def backoff(attempt: int, base_delay: float, max_jitter: float, rand: Callable[[], float] = random.random) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based): base_delay * 2^(attempt-1) + U(0, max_jitter)."""
    return base_delay * (2.0 ** (attempt - 1)) + rand() * max_jitter


def retry(
    operation: Callable[[], T],
    *,
    retry_on: tuple[type[BaseException], ...] = (Exception,),
    policy: Retry | None = None,
    sleep: Callable[[float], None] = time.sleep,
    rand: Callable[[], float] = random.random,
) -> T:
    """Call `operation` up to resilience.retry.max_attempts times, waiting with backoff between attempts.

    Re-raises the last error when attempts run out, when the error is not in `retry_on`, or
    when the wait would pass the request deadline. CircuitOpenError is never retried.
    """
    settings = policy if policy is not None else active.config().resilience.retry
    attempt = 1
    while True:
        try:
            return operation()
        except CircuitOpenError:
            raise
        except retry_on:
            if attempt >= settings.max_attempts:
                raise
            delay = backoff(attempt, settings.base_delay, settings.max_jitter, rand)
            left = deadline.remaining()
            if left is not None and delay >= left:
                raise
            sleep(delay)
            attempt += 1


class CircuitOpenError(Exception):
    """The breaker is open: the call was not made. retry_after is the seconds until a trial call is allowed."""

    def __init__(self, name: str, retry_after: float) -> None:
        super().__init__(f"circuit {name!r} is open; retry in {retry_after:.1f}s")
        self.name = name
        self.retry_after = retry_after


class CircuitBreaker:
    """closed -> (failure_threshold consecutive failures) -> open -> (reset_timeout) -> half-open -> one trial call.

    The trial's success closes the breaker; its failure opens it again for reset_timeout.
    """

    def __init__(
        self,
        name: str = "default",
        *,
        failure_threshold: int | None = None,
        reset_timeout: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold is None or reset_timeout is None:
            configured = active.config().resilience.circuit_breaker
            failure_threshold = configured.failure_threshold if failure_threshold is None else failure_threshold
            reset_timeout = configured.reset_timeout if reset_timeout is None else reset_timeout
        self.name = name
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self.clock = clock
        self.failures = 0
        self.opened_at: float | None = None
        self.trial_running = False
        self.lock = threading.Lock()

    @property
    def state(self) -> str:
        """'closed', 'open' or 'half-open'."""
        with self.lock:
            return self._state()

    def _state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half-open" if self.clock() - self.opened_at >= self.reset_timeout else "open"

    def call(self, operation: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        with self.lock:
            state = self._state()
            if state == "open" or (state == "half-open" and self.trial_running):
                opened = self.opened_at if self.opened_at is not None else self.clock()
                raise CircuitOpenError(self.name, max(0.0, opened + self.reset_timeout - self.clock()))
            if state == "half-open":
                self.trial_running = True
        try:
            result = operation(*args, **kwargs)
        except BaseException:
            self._record(success=False)
            raise
        self._record(success=True)
        return result

    def _record(self, *, success: bool) -> None:
        with self.lock:
            self.trial_running = False
            if success:
                self.failures = 0
                self.opened_at = None
                return
            self.failures += 1
            if self.opened_at is not None or self.failures >= self.failure_threshold:
                self.opened_at = self.clock()  # a failed trial re-opens for a full reset_timeout
