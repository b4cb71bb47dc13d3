"""The built-in rules, one module per id range. Importing this package registers them all."""

from liftspec.check.rules import (
    data,
    delivery,
    handler,
    http,
    invocation,
    limits,
    logs,
    observability,
    runtime,
    scaling,
    security,
)

__all__ = [
    "data",
    "delivery",
    "handler",
    "http",
    "invocation",
    "limits",
    "logs",
    "observability",
    "runtime",
    "scaling",
    "security",
]
