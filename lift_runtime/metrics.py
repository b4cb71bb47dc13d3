"""CloudWatch metrics in the Embedded Metric Format: one JSON line per invocation on stdout.

The wrapper records Requests, Errors and Latency for every invocation. User code adds its
own metrics to the same line::

    from lift_runtime import metrics
    metrics.add("OrdersCreated", 1)
"""

from __future__ import annotations

import time

from lift_runtime.jsonline import dumps
from lift_runtime.log import write_line

DIMENSIONS = ("service", "environment", "function")
_pending: dict[str, tuple[float, str]] = {}


def add(name: str, value: float, unit: str = "Count") -> None:
    """Add a metric to the current invocation's EMF line (values of the same name are summed)."""
    previous = _pending.get(name)
    _pending[name] = (previous[0] + value if previous else value, unit)


class Emitter:
    """Writes the EMF document of one invocation to stdout."""

    __slots__ = ("enabled", "namespace", "static")

    def __init__(self, *, enabled: bool, namespace: str, static: dict[str, str]) -> None:
        self.enabled = enabled
        self.namespace = namespace
        self.static = {name: static.get(name, "") for name in DIMENSIONS}

    def flush(self, *, requests: int, errors: int, latency_ms: float, properties: dict[str, object]) -> None:
        values: dict[str, tuple[float, str]] = {
            "Requests": (requests, "Count"),
            "Errors": (errors, "Count"),
            "Latency": (round(latency_ms, 3), "Milliseconds"),
        }
        if _pending:
            values.update(_pending)
            _pending.clear()
        if not self.enabled:
            return
        document: dict[str, object] = {
            "_aws": {
                "Timestamp": int(time.time() * 1000),
                "CloudWatchMetrics": [
                    {
                        "Namespace": self.namespace,
                        "Dimensions": [list(DIMENSIONS)],
                        "Metrics": [{"Name": name, "Unit": unit} for name, (_, unit) in values.items()],
                    }
                ],
            },
            **self.static,
            **properties,
        }
        for name, (value, _) in values.items():
            document[name] = value
        write_line(dumps(document), "metrics")
