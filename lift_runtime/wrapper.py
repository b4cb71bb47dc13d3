"""The invocation wrapper: what the runtime does around the user's handler on every event.

Each kind of event goes through its chain of middlewares (lift_runtime.chain): HTTP
(lift_runtime.middleware), SQS batches (lift_runtime.sqs), and anything else (below: the
handler under the deadline). Each chain has one boundary that catches everything the handler
can raise, so an HTTP request always gets an answer (500, 504, ...) and a batch its failures,
with the log line and the metrics written. Only the pass-through chain raises, on purpose: an
Exception, for Lambda to record the failure.
"""

from __future__ import annotations

import time

from lift_runtime import active, deadline, http
from lift_runtime.chain import Invocation, Layer, compose
from lift_runtime.deadline import DeadlineExceeded, RequestTimeout
from lift_runtime.failures import log_exception
from lift_runtime.log import LEVELS, handler, install, logger
from lift_runtime.metrics import Emitter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    from lift_runtime.config_types import Config

    Handler = Callable[[object, object], object]
    L = TypeVar("L", bound=Layer)


class HandlerAborted(RuntimeError):
    """The handler of a pass-through invocation raised SystemExit, KeyboardInterrupt or another BaseException.

    Lambda gets this Exception instead, so that it records the failure and the process lives on.
    """


def configure_logging(config: Config, function: str, level: str | None = None) -> None:
    """Point the shared log handler at the config and make it the root logger's; `level` overrides config.log_level."""
    chosen = level if level in LEVELS else config.log_level
    logger.configure(
        level=chosen or "info",
        fmt=config.log_format,
        static={"service": config.service, "environment": config.environment, "function": function},
    )
    install(handler)


# --- anything else: EventBridge schedules, direct invocations ---------------------------------------


class ObserveOther(Layer):
    __slots__ = ("metrics",)

    def __init__(self, metrics: Emitter) -> None:
        super().__init__()
        self.metrics = metrics

    def handle(self, inv: Invocation) -> object:
        failed = True
        try:
            result = self.next(inv)
            failed = False
        finally:
            latency = (time.perf_counter() - inv.started) * 1000.0
            logger.info("invocation", failed=failed, duration_ms=round(latency, 3))
            self.metrics.flush(requests=1, errors=int(failed), latency_ms=latency, properties={"cold_start": inv.cold})
        return result


class GuardOther(Layer):
    """Exceptions reach Lambda (retries, then the DLQ apply), logged; anything else becomes HandlerAborted."""

    __slots__ = ()

    def handle(self, inv: Invocation) -> object:
        try:
            return self.next(inv)
        except RequestTimeout:
            raise  # logged by DeadlineOther
        except Exception as exc:
            log_exception("unhandled exception", exc)
            raise
        except BaseException as exc:  # SystemExit, KeyboardInterrupt, a stray DeadlineExceeded
            log_exception("unhandled exception", exc)
            raise HandlerAborted(f"the handler raised {type(exc).__name__}") from exc


class DeadlineOther(Layer):
    __slots__ = ("request_timeout",)

    def __init__(self, request_timeout: float) -> None:
        super().__init__()
        self.request_timeout = request_timeout

    def handle(self, inv: Invocation) -> object:
        seconds = deadline.budget(self.request_timeout, inv.remaining_ms())
        try:
            result, passed = deadline.run(seconds, self.next, inv)
        except DeadlineExceeded:
            logger.error("request deadline exceeded", deadline_s=round(seconds, 3))
            raise RequestTimeout(f"the handler ran past its {seconds:.3f}s deadline") from None
        if passed:
            logger.warn("finished after the request deadline", deadline_s=round(seconds, 3))
        return result


def other_layers(request_timeout: float, metrics: Emitter) -> list[Layer]:
    return [ObserveOther(metrics), GuardOther(), DeadlineOther(request_timeout)]


# The chain for each invocation type of lift.yaml.
_KINDS = {"http": http.V2, "sqs": "sqs"}

# --- the wrapper ------------------------------------------------------------------------------------


class Wrapper:
    """Callable(event, context) that runs `user` under the config. One per process."""

    def __init__(self, user: Handler, *, config: Config, function: str | None = None, log_level: str | None = None) -> None:
        self.user = user
        self.config = config
        self.function = function or ""
        own = config.functions.get(self.function)
        self.request_timeout = own.request_timeout if own is not None else config.request_timeout
        self.metrics = Emitter(
            enabled=config.metrics_enabled,
            namespace=config.metrics_namespace,
            static={"service": config.service, "environment": config.environment, "function": self.function},
        )
        self.chains: dict[str, Callable[[Invocation], Any]] = {}
        self.layers: list[Layer] = []  # of every chain built so far
        self.cold = True
        active.use(config)
        configure_logging(config, self.function, log_level)
        if own is not None:  # the chain of the events the function is configured for is built at init, not on the first one
            self.chain(_KINDS.get(own.invocation, "other"))

    def chain(self, kind: str) -> Callable[[Invocation], Any]:
        """The chain for a kind of event, built on its first event: a function loads only what it receives."""
        built = self.chains.get(kind)
        if built is None:
            user = self.user
            end: Callable[[Invocation], Any]
            if kind in http.HTTP_FORMS:
                from lift_runtime.middleware import endpoint, http_layers

                layers, end = http_layers(self.config, self.function, self.metrics), endpoint(user)
            elif kind == "sqs":
                from lift_runtime.sqs import records, sqs_layers

                layers, end = sqs_layers(self.request_timeout, self.metrics), records(user)
            else:
                layers, end = other_layers(self.request_timeout, self.metrics), lambda inv: user(inv.event, inv.context)
            built = compose(layers, end)
            self.layers.extend(layers)
            for same in http.HTTP_FORMS if kind in http.HTTP_FORMS else (kind,):
                self.chains[same] = built
        return built

    def layer(self, kind: type[L]) -> L | None:
        """The first middleware of that type in the chains built so far (e.g. to give a test's RateLimit a clock)."""
        return next((layer for layer in self.layers if isinstance(layer, kind)), None)

    def __call__(self, event: object, context: object) -> object:
        cold, self.cold = self.cold, False
        kind = http.kind_of(event)
        inv = Invocation(event, context, cold, kind)
        logger.begin(inv.request_id, cold)
        return (self.chains.get(kind) or self.chain(kind))(inv)


def wrap(user: Handler, *, config: Config | None = None, function: str | None = None) -> Wrapper:
    """Wrap a handler with the runtime, e.g. in a test: ``handler = wrap(app.handler, function="api")``."""
    return Wrapper(user, config=config if config is not None else active.config(), function=function)
