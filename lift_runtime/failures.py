"""What an unhandled exception becomes: a full log record, and a detail block only when detailed errors are on.

Any exception may arrive here, including one whose ``str()`` raises: describing it never fails.
"""

from __future__ import annotations

import traceback

from lift_runtime.log import logger


def _text(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # the exception's own __str__ failed
        return f"<{type(exc).__name__}: str() failed>"


def describe(exc: BaseException) -> dict[str, object]:
    try:
        lines = "".join(traceback.format_exception(exc)).rstrip("\n").split("\n")
    except Exception:  # e.g. a RecursionError while formatting a very deep chain
        lines = [f"{type(exc).__name__}: {_text(exc)}", "(the traceback could not be formatted)"]
    return {"type": type(exc).__name__, "message": _text(exc), "traceback": lines}


def log_exception(message: str, exc: BaseException, **fields: object) -> dict[str, object]:
    """Log the error with its traceback; returns the description for a detailed response."""
    detail = describe(exc)
    logger.error(message, error_type=detail["type"], error=detail["message"], traceback=detail["traceback"], **fields)
    return detail
