"""Middlewares: layers around the user's handler, each doing one thing, composed into a chain per event kind.

A layer either answers an invocation itself or passes it on to ``self.next`` and works on what
comes back. ``compose`` links the layers once, at init; a call then costs one method call per layer.
"""

from __future__ import annotations

import time

from lift_runtime.http import Request

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    Next = Callable[["Invocation"], Any]


class Invocation:
    """One event on its way through a chain: what the layers share."""

    __slots__ = ("cold", "context", "event", "headers", "kind", "request", "request_id", "started", "state")

    def __init__(self, event: object, context: object, cold: bool, kind: str) -> None:
        self.started = time.perf_counter()
        self.event = event
        self.context = context
        self.cold = cold
        self.kind = kind  # http.kind_of(event)
        self.request_id = _request_id(context)
        self.request = NO_REQUEST  # HTTP: the chain's guard reads the event into a Request
        self.headers: list[tuple[str, str]] = []  # HTTP: headers inner layers want on the answer (rate limits)
        self.state: object = None  # a layer's per-invocation state (SQS: the batch's progress)

    def remaining_ms(self) -> int | None:
        """Lambda's remaining time for this invocation, if the context tells it."""
        remaining = getattr(self.context, "get_remaining_time_in_millis", None)
        return remaining() if remaining is not None else None


NO_REQUEST = Request({}, "v1")  # stands in until the event is read, and when it cannot be


def _request_id(context: object) -> str:
    try:
        return str(getattr(context, "aws_request_id", "") or "")
    except Exception:  # a context object that is not Lambda's
        return ""


class Layer:
    """A middleware. The base passes every invocation through unchanged."""

    __slots__ = ("next",)

    def __init__(self) -> None:
        self.next: Next = _end

    def handle(self, inv: Invocation) -> Any:
        return self.next(inv)


def _end(inv: Invocation) -> None:
    raise RuntimeError("a layer was called before compose() linked it")


def compose(layers: Sequence[Layer], endpoint: Next) -> Next:
    """Link `layers` (outermost first) around `endpoint`; returns the entry of the chain."""
    entry = endpoint
    for layer in reversed(layers):
        layer.next = entry
        entry = layer.handle
    return entry
