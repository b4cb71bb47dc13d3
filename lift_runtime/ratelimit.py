"""The per-container rate limiter: a token bucket refilled continuously at max per window."""

from __future__ import annotations

import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable


_INFINITY = float("inf")


def _ceil(value: float) -> int:
    return -int(-value // 1)


class Decision:
    """Outcome of one request: allowed or not, and what the X-RateLimit-* headers say."""

    __slots__ = ("allowed", "limit", "remaining", "reset_after", "retry_after")

    def __init__(self, allowed: bool, limit: int, remaining: int, reset_after: int, retry_after: int) -> None:
        self.allowed = allowed
        self.limit = limit
        self.remaining = remaining
        self.reset_after = reset_after  # seconds until the bucket is full again
        self.retry_after = retry_after  # seconds until the next request is allowed (0 when allowed)

    def headers(self) -> list[tuple[str, str]]:
        out = [
            ("X-RateLimit-Limit", str(self.limit)),
            ("X-RateLimit-Remaining", str(self.remaining)),
            ("X-RateLimit-Reset", str(self.reset_after)),
        ]
        if not self.allowed:
            out.append(("Retry-After", str(self.retry_after)))
        return out


class TokenBucket:
    """`capacity` tokens (the burst), refilled at `limit / window` tokens a second; one token per request.

    Per container: each concurrent Lambda instance has its own bucket, so this caps what one
    instance accepts; the service-wide limit is the API's own throttling.
    """

    __slots__ = ("capacity", "clock", "limit", "per_second", "tokens", "updated")

    def __init__(self, *, limit: int, window: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.capacity = float(max(1, burst))
        self.per_second = limit / window if window > 0 else _INFINITY
        self.clock = clock
        self.tokens = self.capacity
        self.updated = clock()

    def take(self) -> Decision:
        now = self.clock()
        tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self.tokens = tokens
        reset_after = _ceil((self.capacity - tokens) / self.per_second)
        retry_after = 0 if allowed else max(1, _ceil((1.0 - tokens) / self.per_second))
        return Decision(allowed, self.limit, int(tokens), reset_after, retry_after)


class ClientBuckets:
    """rate_limit.scope client, in one container: a TokenBucket per client, the local burst guard.

    It refuses a client's burst before it costs a call to the shared counter. At most `size` clients
    are kept; the one seen least recently goes first.
    """

    __slots__ = ("buckets", "burst", "clock", "limit", "size", "window")

    def __init__(
        self, *, limit: int, window: float, burst: int, size: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.burst = burst
        self.size = size
        self.clock = clock
        self.buckets: dict[str, TokenBucket] = {}

    def take(self, client: str) -> Decision:
        bucket = self.buckets.pop(client, None)  # re-inserted below: the dict's order is the order of use
        if bucket is None:
            bucket = TokenBucket(limit=self.limit, window=self.window, burst=self.burst, clock=self.clock)
            if len(self.buckets) >= self.size:
                del self.buckets[next(iter(self.buckets))]
        self.buckets[client] = bucket
        return bucket.take()
