"""The HTTP middlewares, outermost first (docs/runtime.md lists what each does):

    Observe      one ``request`` log line and the EMF metrics, for every answer
    Guard        the boundary: anything raised below becomes a 500; the answer in the caller's form
    Headers      security headers and X-Request-Id on every answer (the handler's own win)
    Gzip         compresses large bodies the client accepts gzip for
    Health       answers GET/HEAD on the health path itself
    Https        403 when a proxy says the client used plain HTTP
    Auth         the route table: 401 without verified JWT claims (public routes excepted), 403 without a route's scope
    RateLimit    429 past the per-container token bucket, or (scope client) the client's shared counter
    Errors       500 for an exception or an invalid result of the handler (logged with the reason)
    Deadline     504 past the request deadline
    (endpoint)   the user's handler; its result normalized (response.normalize)

``http_layers`` builds them from the config; a layer whose feature is off is left out.
"""

from __future__ import annotations

import time

from lift_runtime import deadline, http, identity
from lift_runtime.chain import Invocation, Layer
from lift_runtime.deadline import DeadlineExceeded
from lift_runtime.failures import log_exception
from lift_runtime.log import logger
from lift_runtime.ratelimit import ClientBuckets, TokenBucket
from lift_runtime.response import InvalidResponse, add_headers, compress, finish, normalize
from lift_runtime.routes import Table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from lift_runtime.config_types import Config
    from lift_runtime.config_types import RateLimit as RateLimitConfig
    from lift_runtime.counter import ClientLimiter
    from lift_runtime.http import Response
    from lift_runtime.metrics import Emitter

    HttpNext = Callable[[Invocation], Response]


def internal_error(inv: Invocation, detail: dict[str, object] | None = None) -> Response:
    return http.error(500, "internal_error", "Internal Server Error", inv.request_id, detail=detail)


class Observe(Layer):
    __slots__ = ("metrics",)

    def __init__(self, metrics: Emitter) -> None:
        super().__init__()
        self.metrics = metrics

    def handle(self, inv: Invocation) -> Response:
        resp: Response = self.next(inv)
        status = resp["statusCode"]
        latency = (time.perf_counter() - inv.started) * 1000.0
        request = inv.request
        logger.info("request", method=request.method, path=request.path, status=status, duration_ms=round(latency, 3))
        self.metrics.flush(
            requests=1,
            errors=int(status >= 500),  # type: ignore[operator]
            latency_ms=latency,
            properties={"request_id": inv.request_id, "cold_start": inv.cold, "status": status},
        )
        return resp


class Guard(Layer):
    """Nothing raised below escapes: the answer is then a 500 with the security headers, and the error is logged."""

    __slots__ = ("headers",)

    def __init__(self, headers: tuple[tuple[str, str], ...]) -> None:
        super().__init__()
        self.headers = headers

    def handle(self, inv: Invocation) -> Response:
        try:
            request = inv.request = http.Request(inv.event, inv.kind)  # type: ignore[arg-type]
            return finish(self.next(inv), request.form, request.method)
        except BaseException as exc:  # the boundary: SystemExit, KeyboardInterrupt, ... included
            log_exception("the runtime could not answer the request: 500", exc)
            resp = internal_error(inv)
            add_headers(resp, (*self.headers, *inv.headers, ("X-Request-Id", inv.request_id)))
            return finish(resp, inv.request.form, inv.request.method)


class Headers(Layer):
    """The security headers, those inner layers asked for (inv.headers) and X-Request-Id."""

    __slots__ = ("headers",)

    def __init__(self, headers: tuple[tuple[str, str], ...]) -> None:
        super().__init__()
        self.headers = headers

    def handle(self, inv: Invocation) -> Response:
        resp: Response = self.next(inv)
        add_headers(resp, (*self.headers, *inv.headers, ("X-Request-Id", inv.request_id)))
        return resp


class Gzip(Layer):
    __slots__ = ("min_size",)

    def __init__(self, min_size: int) -> None:
        super().__init__()
        self.min_size = min_size

    def handle(self, inv: Invocation) -> Response:
        resp: Response = self.next(inv)
        compress(resp, inv.request, self.min_size)
        return resp


class Health(Layer):
    __slots__ = ("path", "payload")

    def __init__(self, path: str, payload: dict[str, object]) -> None:
        super().__init__()
        self.path = path
        self.payload = payload

    def handle(self, inv: Invocation) -> Response:
        request = inv.request
        if request.path == self.path and request.method in ("GET", "HEAD"):
            return http.response(200, self.payload)
        return self.next(inv)  # type: ignore[no-any-return]


class Https(Layer):
    __slots__ = ()

    def handle(self, inv: Invocation) -> Response:
        if inv.request.is_plain_http():
            return http.error(403, "https_required", "HTTPS is required", inv.request_id)
        return self.next(inv)  # type: ignore[no-any-return]


class Auth(Layer):
    """The function's route table, as the authorizer applies it: a public route needs no claims; any other
    needs verified claims (401), and a route with scopes a token carrying at least one of them (403).
    A request that fits none of the routes needs claims."""

    __slots__ = ("table",)

    def __init__(self, table: Table) -> None:
        super().__init__()
        self.table = table

    def handle(self, inv: Invocation) -> Response:
        event: dict[str, object] = inv.event  # type: ignore[assignment]
        route = self.table.match(event, inv.request)
        if route is not None and route.public:
            return self.next(inv)  # type: ignore[no-any-return]
        if not inv.request.authorized:
            return http.error(401, "unauthorized", "Authentication is required", inv.request_id, {"WWW-Authenticate": "Bearer"})
        if route is not None and route.scopes and identity.scopes(event).isdisjoint(route.scopes):
            logger.warn("insufficient scope", route=route.route)
            challenge = f'Bearer error="insufficient_scope", scope="{" ".join(route.scopes)}"'
            return http.error(
                403,
                "insufficient_scope",
                "The token lacks the scope this route requires",
                inv.request_id,
                {"WWW-Authenticate": challenge},
            )
        return self.next(inv)  # type: ignore[no-any-return]


class RateLimit(Layer):
    """scope service: the per-container bucket. scope client: the client's bucket in this container (a local
    burst guard), then the client's counter shared by all containers (when the table is configured)."""

    __slots__ = ("buckets", "clients", "key", "limiter")

    def __init__(
        self,
        limiter: TokenBucket,
        *,
        key: str | None = None,
        buckets: ClientBuckets | None = None,
        clients: ClientLimiter | None = None,
    ) -> None:
        super().__init__()
        self.limiter = limiter
        self.key = key  # rate_limit.key with scope client; None: scope service
        self.buckets = buckets
        self.clients = clients

    def handle(self, inv: Invocation) -> Response:
        if self.key is None or self.buckets is None:
            decision = self.limiter.take()
        else:
            event: dict[str, object] = inv.event  # type: ignore[assignment]
            client = identity.client_key(event, inv.request, self.key)
            decision = self.buckets.take(client)
            if decision.allowed and self.clients is not None:
                decision = self.clients.take(client) or decision
        inv.headers.extend(decision.headers())
        if decision.allowed:
            return self.next(inv)  # type: ignore[no-any-return]
        logger.warn("rate limited", retry_after_s=decision.retry_after)
        return http.error(429, "rate_limited", "Too many requests", inv.request_id)


class Errors(Layer):
    __slots__ = ("detailed",)

    def __init__(self, detailed: bool) -> None:
        super().__init__()
        self.detailed = detailed

    def handle(self, inv: Invocation) -> Response:
        try:
            return self.next(inv)  # type: ignore[no-any-return]
        except InvalidResponse as exc:
            logger.error("invalid response from handler: 500", reason=str(exc))
            return internal_error(inv)
        except BaseException as exc:  # SystemExit and KeyboardInterrupt from a handler are its failures too
            detail = log_exception("unhandled exception", exc)
            return internal_error(inv, detail if self.detailed else None)


class Deadline(Layer):
    __slots__ = ("request_timeout",)

    def __init__(self, request_timeout: float) -> None:
        super().__init__()
        self.request_timeout = request_timeout

    def handle(self, inv: Invocation) -> Response:
        seconds = deadline.budget(self.request_timeout, inv.remaining_ms())
        if seconds <= 0:
            logger.error("no time left for the handler: answering 504", deadline_s=round(seconds, 3))
            return http.error(504, "timeout", "The request took too long", inv.request_id)
        try:
            resp, passed = deadline.run(seconds, self.next, inv)
        except DeadlineExceeded:
            passed = True
        if passed:
            logger.error("request deadline exceeded", deadline_s=round(seconds, 3))
            return http.error(504, "timeout", "The request took too long", inv.request_id)
        return resp  # type: ignore[no-any-return]


def endpoint(user: Callable[[object, object], object]) -> HttpNext:
    def call(inv: Invocation) -> Response:
        return normalize(user(inv.event, inv.context))

    return call


def _rate_limit(config: RateLimitConfig) -> RateLimit:
    bucket = TokenBucket(limit=config.max, window=config.window, burst=config.burst)
    if config.scope != "client":
        return RateLimit(bucket)
    from lift_runtime.counter import client_limiter  # only a client limit pays for hashing, signing and http.client

    buckets = ClientBuckets(limit=config.max, window=config.window, burst=config.burst)
    return RateLimit(bucket, key=config.key, buckets=buckets, clients=client_limiter(config))


def http_layers(config: Config, function: str, metrics: Emitter) -> list[Layer]:
    """The HTTP middlewares, outermost first, as the config turns them on."""
    own = config.functions.get(function)
    security = tuple(config.security_headers.items())
    health: dict[str, object] = {"status": "ok", "service": config.service, "environment": config.environment}
    layers: list[Layer | None] = [
        Observe(metrics),
        Guard(security),
        Headers(security),
        Gzip(config.compression.min_size) if config.compression.enabled else None,
        Health(config.health_path, health),
        Https() if config.require_https else None,
        Auth(Table(own.routes if own is not None else ())) if config.auth.enabled and config.auth.jwt is not None else None,
        _rate_limit(config.rate_limit) if config.rate_limit.enabled else None,
        Errors(config.detailed_errors),
        Deadline(own.request_timeout if own is not None else config.request_timeout),
    ]
    return [layer for layer in layers if layer is not None]
