"""Human output, like ruff: ``path:line:col: ID message`` then the hint."""

from __future__ import annotations

import os
import sys
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, TextIO

from liftspec.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from liftspec.check.suppress import Suppressed

_COLOURS = {"bold": "1", "red": "31", "yellow": "33", "blue": "34", "cyan": "36", "dim": "2"}
_SEVERITY_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def use_colour(stream: TextIO, forced: bool | None = None) -> bool:
    if forced is not None:
        return forced
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _paint(text: str, colour: str, on: bool) -> str:
    return f"\x1b[{_COLOURS[colour]}m{text}\x1b[0m" if on else text


def format_diagnostic(d: Diagnostic, colour: bool = False) -> str:
    where = _paint(f"{d.file}:{d.line}:{d.col}:", "bold", colour)
    code = _paint(d.id, _SEVERITY_COLOUR[d.severity], colour)
    level = "" if d.severity is Severity.ERROR else _paint(f"{d.severity.value}: ", _SEVERITY_COLOUR[d.severity], colour)
    env = _paint(f" [{d.env}]", "dim", colour) if d.env else ""
    line = f"{where} {code} {level}{d.message}{env}"
    if d.hint:
        line += "\n  " + _paint("hint:", "cyan", colour) + f" {d.hint}"
    return line


def summary(diagnostics: list[Diagnostic]) -> str:
    counts = Counter(d.severity for d in diagnostics)
    parts = [f"{counts[s]} {s.value}{'s' if counts[s] != 1 else ''}" for s in Severity if counts[s]]
    total = len(diagnostics)
    return f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)})."


def format_suppressed(s: Suppressed, colour: bool = False) -> str:
    waived = _paint("waived:", "dim", colour)
    return format_diagnostic(replace(s.diagnostic, hint=""), colour) + f"\n  {waived} {s.by.describe()}"


def render(
    diagnostics: list[Diagnostic], colour: bool = False, *, suppressed: list[Suppressed] | None = None, fixable: int = 0
) -> str:
    out = ""
    if diagnostics:
        body = "\n".join(format_diagnostic(d, colour) for d in diagnostics)
        out = f"{body}\n{summary(diagnostics)}\n"
        if fixable:
            out += f"{fixable} fixable with `liftspec lint --fix`.\n"
    if suppressed:
        body = "\n".join(format_suppressed(s, colour) for s in suppressed)
        out += f"{body}\n{len(suppressed)} suppressed finding{'s' if len(suppressed) != 1 else ''}.\n"
    return out


def write(diagnostics: list[Diagnostic], stream: TextIO | None = None) -> None:
    out = stream or sys.stdout
    out.write(render(diagnostics, use_colour(out)))
