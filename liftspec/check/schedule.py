"""Validation of AWS schedule expressions (EventBridge rules and Application Auto Scaling).

Both use ``rate(N unit)`` and a six-field ``cron(minutes hours day-of-month month day-of-week year)``
where one of day-of-month and day-of-week must be ``?``. Application Auto Scaling also takes
``at(yyyy-mm-ddThh:mm:ss)``. Each function returns a problem description or None.
"""

from __future__ import annotations

import re
from datetime import datetime

_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

# name, low, high, extra single tokens allowed, names
_FIELDS: tuple[tuple[str, int, int, str, list[str]], ...] = (
    ("minutes", 0, 59, "", []),
    ("hours", 0, 23, "", []),
    ("day-of-month", 1, 31, "?LW", []),
    ("month", 1, 12, "", _MONTHS),
    ("day-of-week", 1, 7, "?L#", _DAYS),
    ("year", 1970, 2199, "", []),
)
_RATE = re.compile(r"^rate\(\s*(\d+)\s+([a-z]+)\s*\)$")
_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")


def check_expression(expression: str, *, allow_at: bool = False) -> str | None:
    text = expression.strip()
    if text.startswith("rate("):
        return _check_rate(text)
    if text.startswith("cron("):
        if not text.endswith(")"):
            return "a cron expression must end with ')'"
        return check_cron(text[5:-1])
    if allow_at and text.startswith("at("):
        match = _AT.match(text)
        if not match:
            return "an at() expression is at(yyyy-mm-ddThh:mm:ss)"
        try:
            datetime.fromisoformat(match.group(1))
        except ValueError:
            return f"at({match.group(1)}) is not a valid date and time"
        return None
    forms = "rate(...), cron(...) or at(...)" if allow_at else "rate(...) or cron(...)"
    return f"expected {forms}"


def _check_rate(text: str) -> str | None:
    match = _RATE.match(text)
    if not match:
        return "a rate expression is rate(N minute|minutes|hour|hours|day|days)"
    value, unit = int(match.group(1)), match.group(2)
    if value < 1:
        return "a rate must be at least 1"
    if unit not in ("minute", "minutes", "hour", "hours", "day", "days"):
        return f"unknown rate unit '{unit}' (use minute(s), hour(s) or day(s))"
    if value == 1 and unit.endswith("s"):
        return f"write rate(1 {unit[:-1]}): AWS rejects a plural unit for 1"
    if value > 1 and not unit.endswith("s"):
        return f"write rate({value} {unit}s): AWS rejects a singular unit above 1"
    return None


def check_cron(body: str) -> str | None:
    fields = body.split()
    if len(fields) != 6:
        return f"cron needs 6 fields (minutes hours day-of-month month day-of-week year), got {len(fields)}"
    for (name, low, high, extra, names), value in zip(_FIELDS, fields, strict=True):
        problem = _check_field(value.upper(), name, low, high, extra, names)
        if problem:
            return f"cron {name} field '{value}': {problem}"
    dom, dow = fields[2], fields[4]
    if (dom == "?") == (dow == "?"):
        return "one (and only one) of day-of-month and day-of-week must be '?'"
    return None


def _number(token: str, low: int, high: int, names: list[str]) -> str | None:
    if token in names:
        return None
    if not token.isdigit():
        return f"'{token}' is not a number" + (f" or a name ({names[0]}..{names[-1]})" if names else "")
    if not low <= int(token) <= high:
        return f"{token} is outside {low}..{high}"
    return None


def _check_field(value: str, name: str, low: int, high: int, extra: str, names: list[str]) -> str | None:
    if value in ("*", "?"):
        return None if value == "*" or "?" in extra else "'?' is only allowed in day-of-month or day-of-week"
    for part in value.split(","):
        if not part:
            return "empty list item"
        if "L" in extra and part in ("L", "LW"):
            continue
        if "W" in extra and part.endswith("W") and part[:-1].isdigit():
            part = part[:-1]
        if "L" in extra and part.endswith("L") and len(part) > 1 and name == "day-of-week":
            part = part[:-1]
        if "#" in extra and "#" in part:
            day, _, nth = part.partition("#")
            if not nth.isdigit() or not 1 <= int(nth) <= 5:
                return f"'#{nth}' must be #1..#5"
            part = day
        base, _, step = part.partition("/")
        if step and (not step.isdigit() or int(step) < 1):
            return f"step '/{step}' must be a positive number"
        if base == "*":
            continue
        first, _, last = base.partition("-")
        for token in (first, last) if last else (first,):
            problem = _number(token, low, high, names)
            if problem:
                return problem
    return None


def check_timezone(name: str) -> str | None:
    """None when the zone exists, or when this machine has no time zone database to check against."""
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        if not _have_tz_database():
            return None
        return f"unknown time zone '{name}' (use an IANA name like America/New_York)"
    return None


def _have_tz_database() -> bool:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo("America/New_York")
    except zoneinfo.ZoneInfoNotFoundError:
        return False
    return True
