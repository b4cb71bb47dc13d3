"""Value types of the format: durations and percentages.

Durations are strings with a unit (``500ms``, ``29s``, ``5m``, ``1h``, ``14d``) or a
bare integer meaning seconds. They are held as :class:`datetime.timedelta`.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$")
_UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}
DURATION_PATTERN = r"^\d+(\.\d+)?(ms|s|m|h|d)$"
# 10 years: anything above is a typo, and huge numbers must not overflow timedelta.
_MAX_MS = 10 * 365 * 86_400_000


def parse_duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise PydanticCustomError("duration", "expected a duration like 500ms, 29s, 5m, 1h or 14d, got a boolean")
    if isinstance(value, int):
        ms = value * 1000
    elif isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise PydanticCustomError(
                "duration",
                "invalid duration '{value}': use a number with a unit (500ms, 29s, 5m, 1h, 14d) or a whole number of seconds",
                {"value": value},
            )
        ms = round(float(match.group(1)) * _UNIT_MS[match.group(2)])
    else:
        raise PydanticCustomError(
            "duration", "expected a duration like 500ms, 29s, 5m, 1h or 14d, got {kind}", {"kind": type(value).__name__}
        )
    if ms < 0 or ms > _MAX_MS:
        raise PydanticCustomError("duration", "duration '{value}' is out of range (0 to 10 years)", {"value": value})
    return timedelta(milliseconds=ms)


def format_duration(value: timedelta) -> str:
    """The shortest exact spelling: 500ms, 29s, 5m, 1h, 14d."""
    ms = round(value.total_seconds() * 1000)
    for unit in ("d", "h", "m", "s"):
        size = _UNIT_MS[unit]
        if ms and ms % size == 0:
            return f"{ms // size}{unit}"
    return f"{ms}ms"


def parse_percent(value: Any) -> float:
    if isinstance(value, bool):
        raise PydanticCustomError("percent", "expected a percentage like 5%, got a boolean")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            text = text[:-1].strip()
        try:
            return float(text)
        except ValueError:
            pass
    raise PydanticCustomError("percent", "invalid percentage '{value}': write it like 5% or 0.5%", {"value": value})


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": DURATION_PATTERN},
                {"type": "integer", "minimum": 0},
            ],
            "examples": ["500ms", "29s", "5m", "1h", "14d"],
        }
    ),
]

Percent = Annotated[
    float,
    BeforeValidator(parse_percent),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "pattern": r"^\d+(\.\d+)?%$"}, {"type": "number", "minimum": 0}],
            "examples": ["5%", "0.5%"],
        }
    ),
]


def seconds(value: timedelta) -> float:
    return value.total_seconds()
