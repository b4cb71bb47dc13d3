"""What an unhandled exception becomes: a full log record, and a detail block only when detailed errors are on."""

from __future__ import annotations

from lift_runtime.log import logger


def describe(exc: BaseException) -> dict[str, object]:
    import traceback  # only on the error path: it is not free to import

    return {
        "type": type(exc).__name__,
        "message": str(exc),
        "traceback": "".join(traceback.format_exception(exc)).rstrip("\n").split("\n"),
    }


def log_exception(message: str, exc: BaseException, **fields: object) -> dict[str, object]:
    """Log the error with its traceback; returns the description for a detailed response."""
    detail = describe(exc)
    logger.error(message, error_type=detail["type"], error=detail["message"], traceback=detail["traceback"], **fields)
    return detail
