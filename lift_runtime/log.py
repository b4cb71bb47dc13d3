"""Structured logs to stdout: JSON (or text) lines with the request id and the cold-start flag.

One ``logging.Handler`` (``handler``) writes every line. Installed on the root logger, it turns the
records of the standard ``logging`` module (libraries such as botocore, or user code that uses
``logging.getLogger(...)``) into the same lines, with the same service, function and request id.
``logger`` is the runtime's own front end; user code logs through it with fields::

    from lift_runtime.log import logger
    logger.info("order created", order_id=order_id)

Its lines go straight to the handler's ``write``: a ``logging.LogRecord`` costs more than the
whole rest of a request does.
"""

from __future__ import annotations

import logging
import os
import sys
import time

from lift_runtime.jsonline import dumps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

# The numbers are the standard library's, so one threshold serves both front ends.
LEVELS = {"debug": 10, "info": 20, "warn": 30, "error": 40}
_LEVEL_NAMES = {10: "DEBUG", 20: "INFO", 30: "WARN", 40: "ERROR"}
# What Lambda's JSON log filtering expects, for any standard level number (CRITICAL is FATAL there).
_STDLIB_LEVEL_NAMES = ((50, "FATAL"), (40, "ERROR"), (30, "WARN"), (20, "INFO"), (0, "DEBUG"))


def _timestamp(now: float) -> str:
    """ISO 8601 UTC with milliseconds."""
    ms = int(now * 1000) % 1000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{ms:03d}Z"


def _level_name(number: int) -> str:
    for floor, name in _STDLIB_LEVEL_NAMES:
        if number >= floor:
            return name
    return "DEBUG"


def write_line(line: str, what: str) -> None:
    """One line to stdout (Lambda sends it to CloudWatch); never raises: a lost line must not fail a request."""
    try:
        sys.stdout.write(line + "\n")
    except Exception:  # stdout closed or broken
        lost(what)


def lost(what: str) -> None:
    """Say on stderr that a line (`what`) could not be written."""
    try:
        sys.stderr.write(f"lift_runtime: a log line could not be written: {what!r}\n")
    except Exception:  # nowhere left to report it
        return


class Handler(logging.Handler):
    """Writes one line per record to stdout; the fields of the current invocation go on every line."""

    def __init__(self, *, level: str = "info", fmt: str = "json", static: Mapping[str, object] | None = None) -> None:
        super().__init__(LEVELS.get(level, 20))
        self.json = fmt != "text"
        self.static: dict[str, object] = dict(static or {})
        self.context: dict[str, object] = {}

    def configure(self, *, level: str, fmt: str, static: Mapping[str, object]) -> None:
        self.setLevel(LEVELS.get(level, 20))
        self.json = fmt != "text"
        self.static = dict(static)

    def begin(self, request_id: str, cold_start: bool) -> None:
        """Start an invocation: its fields go on every line until the next one."""
        self.context = {"request_id": request_id, "cold_start": cold_start}
        trace = os.environ.get("_X_AMZN_TRACE_ID")
        if trace:
            self.context["xray_trace_id"] = trace

    def write(self, level: str, message: str, fields: Mapping[str, object], now: float | None = None) -> None:
        """One line; never raises (an unwritable stdout or an unprintable field loses the line, not the request)."""
        now = time.time() if now is None else now
        try:
            if self.json:
                record: dict[str, object] = {"timestamp": _timestamp(now), "level": level, "message": message}
                record.update(self.static)
                record.update(self.context)
                record.update(fields)
                line = dumps(record)
            else:
                extras = "".join(f" {key}={value}" for key, value in {**self.context, **fields}.items())
                line = f"{_timestamp(now)} {level} {message}{extras}".replace("\n", "\\n")
            sys.stdout.write(line + "\n")
        except Exception:  # an unprintable field, a closed stdout: the line is lost, not the request
            lost(message)

    def emit(self, record: logging.LogRecord) -> None:
        """A standard library record, e.g. from a library: same line shape, plus the logger's name."""
        try:
            message = record.getMessage()
        except Exception:  # a bad format string in a library's call
            message = str(record.msg)
        fields: dict[str, object] = {"logger": record.name}
        if record.exc_info and record.exc_info[1] is not None:
            from lift_runtime.failures import describe

            detail = describe(record.exc_info[1])
            fields.update(error_type=detail["type"], error=detail["message"], traceback=detail["traceback"])
        self.write(_level_name(record.levelno), message, fields, record.created)


class Logger:
    """The runtime's and user code's front end: ``logger.info("message", key=value, ...)``."""

    __slots__ = ("handler",)

    def __init__(self, handler: Handler) -> None:
        self.handler = handler

    def configure(self, *, level: str, fmt: str, static: dict[str, object]) -> None:
        self.handler.configure(level=level, fmt=fmt, static=static)

    def begin(self, request_id: str, cold_start: bool) -> None:
        self.handler.begin(request_id, cold_start)

    def enabled(self, level: str) -> bool:
        return LEVELS[level] >= self.handler.level

    def log(self, level: str, message: str, **fields: object) -> None:
        number = LEVELS[level]
        if number >= self.handler.level:
            self.handler.write(_LEVEL_NAMES[number], message, fields)

    def debug(self, message: str, **fields: object) -> None:
        if self.handler.level <= 10:
            self.handler.write("DEBUG", message, fields)

    def info(self, message: str, **fields: object) -> None:
        if self.handler.level <= 20:
            self.handler.write("INFO", message, fields)

    def warn(self, message: str, **fields: object) -> None:
        if self.handler.level <= 30:
            self.handler.write("WARN", message, fields)

    def error(self, message: str, **fields: object) -> None:
        if self.handler.level <= 40:
            self.handler.write("ERROR", message, fields)


def install(target: Handler) -> None:
    """Make `target` the root logger's handler, at its level.

    The handler Lambda's Python runtime (awslambdaric) put there is removed, so that each library
    line is written once, in this format; handlers anyone else added stay.
    """
    root = logging.getLogger()
    for existing in list(root.handlers):
        if isinstance(existing, Handler) or type(existing).__module__.startswith("awslambdaric"):
            root.removeHandler(existing)
    root.addHandler(target)
    root.setLevel(target.level)


handler = Handler()
logger = Logger(handler)
