"""The invocation wrapper: what the runtime does around the user's handler on every event.

HTTP (API Gateway payload 2.0 and 1.0): health path, HTTPS, auth, rate limit, deadline
(504), unhandled exceptions (500), security headers, gzip. SQS: one record at a time with
partial batch failures. Anything else: the handler under the deadline. Every invocation
logs with its request id and cold-start flag and writes its EMF metrics.
"""

from __future__ import annotations

import time

from lift_runtime import active, deadline, http
from lift_runtime.deadline import DeadlineExceeded, RequestTimeout
from lift_runtime.failures import log_exception
from lift_runtime.log import LEVELS, logger
from lift_runtime.metrics import Emitter
from lift_runtime.ratelimit import TokenBucket

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from lift_runtime.config_types import Config

    Handler = Callable[[object, object], object]


def configure_logging(config: Config, function: str, level: str | None = None) -> None:
    """Point the shared logger at the config; `level` (e.g. from LIFT_LOG_LEVEL) overrides config.log_level."""
    chosen = level if level in LEVELS else config.log_level
    logger.configure(
        level=chosen or "info",
        fmt=config.log_format,
        static={"service": config.service, "environment": config.environment, "function": function},
    )


class Wrapper:
    """Callable(event, context) that runs `user` under the config. One per process."""

    def __init__(self, user: Handler, *, config: Config, function: str | None = None, log_level: str | None = None) -> None:
        self.user = user
        self.config = config
        self.function = function or ""
        own = config.functions.get(self.function)
        self.request_timeout = own.request_timeout if own is not None else config.request_timeout
        self.security_headers = tuple(config.security_headers.items())
        self.limiter = (
            TokenBucket(limit=config.rate_limit.max, window=config.rate_limit.window, burst=config.rate_limit.burst)
            if config.rate_limit.enabled
            else None
        )
        self.jwt_required = config.auth.enabled and config.auth.jwt is not None
        self.gzip_over = config.compression.min_size if config.compression.enabled else None
        self.metrics = Emitter(
            enabled=config.metrics_enabled,
            namespace=config.metrics_namespace,
            static={"service": config.service, "environment": config.environment, "function": self.function},
        )
        self.cold = True
        active.use(config)
        configure_logging(config, self.function, log_level)

    def __call__(self, event: object, context: object) -> object:
        started = time.perf_counter()
        cold, self.cold = self.cold, False
        request_id = str(getattr(context, "aws_request_id", "") or "")
        logger.begin(request_id, cold)
        remaining = getattr(context, "get_remaining_time_in_millis", None)
        seconds = deadline.budget(self.request_timeout, remaining() if remaining is not None else None)
        kind = http.kind_of(event)
        if kind == "http2" or kind == "http1":
            return self._http(event, context, kind, seconds, started, request_id, cold)  # type: ignore[arg-type]
        if kind == "sqs":
            return self._sqs(event, context, seconds, started, cold)  # type: ignore[arg-type]
        return self._other(event, context, seconds, started, cold)

    # --- HTTP -----------------------------------------------------------------

    def _http(
        self, event: dict[str, object], context: object, kind: str, seconds: float, started: float, request_id: str, cold: bool
    ) -> dict[str, object]:
        request = http.Request(event, 2 if kind == "http2" else 1)
        limits: list[tuple[str, str]] = []
        if request.path == self.config.health_path and request.method in ("GET", "HEAD"):
            resp = http.response(200, {"status": "ok", "service": self.config.service, "environment": self.config.environment})
        elif self.config.require_https and request.is_plain_http():
            resp = http.error(403, "https_required", "HTTPS is required", request_id)
        elif self.jwt_required and not request.authorized:
            resp = http.error(401, "unauthorized", "Authentication is required", request_id, {"WWW-Authenticate": "Bearer"})
        else:
            decision = self.limiter.take() if self.limiter is not None else None
            if decision is not None:
                limits = decision.headers()
            if decision is not None and not decision.allowed:
                logger.warn("rate limited", retry_after_s=decision.retry_after)
                resp = http.error(429, "rate_limited", "Too many requests", request_id)
            else:
                resp = self._call_http(event, context, seconds, request_id)
        try:
            http.add_headers(resp, self.security_headers)
            http.add_headers(resp, limits)
            http.add_headers(resp, (("X-Request-Id", request_id),))
            if self.gzip_over is not None:
                http.compress(resp, request, self.gzip_over)
        except Exception as exc:  # a response the runtime cannot work with (e.g. headers that are not a mapping)
            log_exception("invalid response from handler", exc)
            resp = http.error(500, "internal_error", "Internal Server Error", request_id)
            http.add_headers(resp, self.security_headers)
        if request.method == "HEAD" and resp.get("body"):
            resp["body"] = ""
        status = resp.get("statusCode")
        latency = (time.perf_counter() - started) * 1000.0
        logger.info("request", method=request.method, path=request.path, status=status, duration_ms=round(latency, 3))
        failed = not isinstance(status, int) or status >= 500
        self.metrics.flush(
            requests=1,
            errors=int(failed),
            latency_ms=latency,
            properties={"request_id": request_id, "cold_start": cold, "status": status},
        )
        return resp

    def _call_http(self, event: dict[str, object], context: object, seconds: float, request_id: str) -> dict[str, object]:
        if seconds <= 0:
            logger.error("no time left for the handler: answering 504", deadline_s=round(seconds, 3))
            return http.error(504, "timeout", "The request took too long", request_id)
        deadline.start(seconds)
        try:
            try:
                result = self.user(event, context)
            finally:
                passed = deadline.stop()
        except DeadlineExceeded:
            passed = True
        except Exception as exc:
            detail = log_exception("unhandled exception", exc)
            return http.error(
                500, "internal_error", "Internal Server Error", request_id, detail=detail if self.config.detailed_errors else None
            )
        if passed:
            logger.error("request deadline exceeded", deadline_s=round(seconds, 3))
            return http.error(504, "timeout", "The request took too long", request_id)
        try:
            return http.normalize(result)
        except TypeError as exc:
            log_exception("invalid response from handler", exc)
            return http.error(500, "internal_error", "Internal Server Error", request_id)

    # --- SQS and everything else ----------------------------------------------

    def _sqs(self, event: dict[str, object], context: object, seconds: float, started: float, cold: bool) -> dict[str, object]:
        from lift_runtime import sqs  # only functions that receive SQS batches load it

        records: list[dict[str, object]] = event["Records"]  # type: ignore[assignment]
        try:
            failed = sqs.process(records, lambda one: self.user(one, context), seconds)
        finally:
            latency = (time.perf_counter() - started) * 1000.0
        logger.info("batch", records=len(records), failed=len(failed), duration_ms=round(latency, 3))
        self.metrics.flush(requests=len(records), errors=len(failed), latency_ms=latency, properties={"cold_start": cold})
        return sqs.response(records, failed)

    def _other(self, event: object, context: object, seconds: float, started: float, cold: bool) -> object:
        error: BaseException | None = None
        result: object = None
        try:
            if seconds <= 0:
                raise DeadlineExceeded
            deadline.start(seconds)
            try:
                result = self.user(event, context)
            finally:
                passed = deadline.stop()
            if passed:
                logger.warn("finished after the request deadline", deadline_s=round(seconds, 3))
        except DeadlineExceeded:
            logger.error("request deadline exceeded", deadline_s=round(seconds, 3))
            error = RequestTimeout(f"the handler ran past its {seconds:.3f}s deadline")
        except Exception as exc:
            log_exception("unhandled exception", exc)
            error = exc
        latency = (time.perf_counter() - started) * 1000.0
        logger.info("invocation", failed=error is not None, duration_ms=round(latency, 3))
        self.metrics.flush(requests=1, errors=int(error is not None), latency_ms=latency, properties={"cold_start": cold})
        if error is not None:
            raise error  # Lambda records the failure: retries and the DLQ apply
        return result


def wrap(user: Handler, *, config: Config | None = None, function: str | None = None) -> Wrapper:
    """Wrap a handler with the runtime, e.g. in a test: ``handler = wrap(app.handler, function="api")``."""
    return Wrapper(user, config=config if config is not None else active.config(), function=function)
