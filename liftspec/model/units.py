"""Value types of the format: durations, percentages and sizes.

Durations are strings with a unit (``500ms``, ``29s``, ``5m``, ``1h``, ``14d``) or a
bare integer meaning seconds. They are held as :class:`datetime.timedelta`.
The loader and the JSON Schema accept exactly the same values: both are built from the
patterns and bounds below (tests/test_units_agree.py checks it with generated values).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, Strict, WithJsonSchema
from pydantic_core import PydanticCustomError

# At most 8 digits before the point and 3 after: any such value fits a timedelta, and a longer
# number is a typo. The same bounds go into the JSON Schema.
DURATION_PATTERN = r"^[0-9]{1,8}(\.[0-9]{1,3})?(ms|s|m|h|d)$"
_DURATION = re.compile(DURATION_PATTERN)
_LOOSE_DURATION = re.compile(r"^\s*[0-9.]+\s*(ms|s|m|h|d)\s*$")
_UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}
MAX_DURATION_SECONDS = 9_999_999_999
PERCENT_PATTERN = r"^[0-9]{1,8}(\.[0-9]{1,6})?%$"
_PERCENT = re.compile(PERCENT_PATTERN)
MAX_PERCENT = 99_999_999


def parse_duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise PydanticCustomError("duration", "expected a duration like 500ms, 29s, 5m, 1h or 14d, got a boolean")
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON Schema counts 30.0 as an integer, so the loader does too
    if isinstance(value, int):
        if not 0 <= value <= MAX_DURATION_SECONDS:
            raise PydanticCustomError(
                "duration",
                "duration {value} is out of range (0 to {limit} seconds)",
                {"value": value, "limit": MAX_DURATION_SECONDS},
            )
        return timedelta(seconds=value)
    if not isinstance(value, str):
        raise PydanticCustomError(
            "duration", "expected a duration like 500ms, 29s, 5m, 1h or 14d, got {kind}", {"kind": type(value).__name__}
        )
    match = _DURATION.match(value)
    if not match:
        if _LOOSE_DURATION.match(value):
            message = (
                "invalid duration '{value}': write the number and the unit together (29s, 1.5s), "
                "at most 8 digits before the point and 3 after"
            )
        else:
            message = (
                "invalid duration '{value}': use a number with a unit (500ms, 29s, 5m, 1h, 14d) or a whole number of seconds"
            )
        raise PydanticCustomError("duration", message, {"value": value})
    number, unit = value[: -len(match.group(2))], match.group(2)
    whole, _, fraction = number.partition(".")
    # Exact arithmetic: milliseconds of the whole part plus the fraction, rounded half up.
    ms = int(whole) * _UNIT_MS[unit] + (int(fraction.ljust(3, "0")) * _UNIT_MS[unit] + 500) // 1000
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
        if not 0 <= value <= MAX_PERCENT:  # also false for nan
            raise PydanticCustomError(
                "percent", "percentage {value} is out of range (0 to {limit})", {"value": value, "limit": MAX_PERCENT}
            )
        return float(value)
    if isinstance(value, str) and _PERCENT.match(value):
        return float(value[:-1])
    raise PydanticCustomError("percent", "invalid percentage '{value}': write it like 5% or 0.5%", {"value": value})


DURATION_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": DURATION_PATTERN},
        {"type": "integer", "minimum": 0, "maximum": MAX_DURATION_SECONDS},
    ],
    "examples": ["500ms", "29s", "5m", "1h", "14d"],
}
PERCENT_SCHEMA = {
    "anyOf": [{"type": "string", "pattern": PERCENT_PATTERN}, {"type": "number", "minimum": 0, "maximum": MAX_PERCENT}],
    "examples": ["5%", "0.5%"],
}
# Sizes are whole MB: no "512" string, no 512.0, no true (pydantic would otherwise coerce them).
SIZE_SCHEMA = {"type": "integer", "minimum": 128, "maximum": 10240}

Duration = Annotated[
    timedelta, BeforeValidator(parse_duration), PlainSerializer(format_duration, return_type=str), WithJsonSchema(DURATION_SCHEMA)
]
Percent = Annotated[float, BeforeValidator(parse_percent), WithJsonSchema(PERCENT_SCHEMA)]


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


Megabytes = Annotated[int, BeforeValidator(_whole), Strict(), WithJsonSchema(SIZE_SCHEMA)]


def seconds(value: timedelta) -> float:
    return value.total_seconds()
