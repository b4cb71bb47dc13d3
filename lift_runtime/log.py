"""Structured logs to stdout: JSON (or text) lines with the request id and the cold-start flag.

``logger`` is the process-wide instance the wrapper configures; user code logs through it::

    from lift_runtime.log import logger
    logger.info("order created", order_id=order_id)
"""

from __future__ import annotations

import os
import sys
import time

from lift_runtime.jsonline import dumps

LEVELS = {"debug": 10, "info": 20, "warn": 30, "error": 40}
_LEVEL_NAMES = {10: "DEBUG", 20: "INFO", 30: "WARN", 40: "ERROR"}


def _timestamp(now: float) -> str:
    """ISO 8601 UTC with milliseconds."""
    ms = int(now * 1000) % 1000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{ms:03d}Z"


class Logger:
    """Writes one line per record; fields of the current invocation are added to every line."""

    __slots__ = ("context", "json", "static", "threshold")

    def __init__(self, *, level: str = "info", fmt: str = "json", static: dict[str, object] | None = None) -> None:
        self.threshold = LEVELS.get(level, 20)
        self.json = fmt != "text"
        self.static: dict[str, object] = dict(static or {})
        self.context: dict[str, object] = {}

    def configure(self, *, level: str, fmt: str, static: dict[str, object]) -> None:
        self.threshold = LEVELS.get(level, 20)
        self.json = fmt != "text"
        self.static = dict(static)

    def begin(self, request_id: str, cold_start: bool) -> None:
        """Start an invocation: its fields go on every line until the next one."""
        self.context = {"request_id": request_id, "cold_start": cold_start}
        trace = os.environ.get("_X_AMZN_TRACE_ID")
        if trace:
            self.context["xray_trace_id"] = trace

    def enabled(self, level: str) -> bool:
        return LEVELS[level] >= self.threshold

    def log(self, level: str, message: str, **fields: object) -> None:
        number = LEVELS[level]
        if number < self.threshold:
            return
        now = time.time()
        if self.json:
            record: dict[str, object] = {"timestamp": _timestamp(now), "level": _LEVEL_NAMES[number], "message": message}
            record.update(self.static)
            record.update(self.context)
            record.update(fields)
            line = dumps(record)
        else:
            extras = "".join(f" {key}={value}" for key, value in {**self.context, **fields}.items())
            line = f"{_timestamp(now)} {_LEVEL_NAMES[number]} {message}{extras}".replace("\n", "\\n")
        sys.stdout.write(line + "\n")

    def debug(self, message: str, **fields: object) -> None:
        self.log("debug", message, **fields)

    def info(self, message: str, **fields: object) -> None:
        self.log("info", message, **fields)

    def warn(self, message: str, **fields: object) -> None:
        self.log("warn", message, **fields)

    def error(self, message: str, **fields: object) -> None:
        self.log("error", message, **fields)


logger = Logger()
