"""Suppressions: ``policy.ignore`` entries and inline ``# liftspec: ignore[ID] reason`` comments.

A suppression needs a reason, may carry an expiry date (``until``), and may be limited to a path
(``functions.api`` waives the rule for that function only; ``*`` matches one segment). Invalid
suppressions (no reason, expired, of a rule that may not be waived) are not applied: the finding
stays and the suppression itself is reported.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from liftspec import codes
from liftspec.diagnostics import Diagnostic, Path, Span
from liftspec.load import Document
from liftspec.model.spec import LiftSpec
from liftspec.resolve import Resolved

Origin = Literal["policy.ignore", "inline"]

_COMMENT = re.compile(r"(?:^|\s)#\s*liftspec:\s*ignore\b(.*)$")
_INLINE = re.compile(r"^\[\s*([A-Za-z0-9_, ]*?)\s*\](?:\s+until=(\S+))?\s*[:\-–—]?\s*(.*)$")
_ID = re.compile(r"^[A-Z]{2,}[0-9]{3}$")


@dataclass(frozen=True)
class Suppression:
    rules: tuple[str, ...]
    reason: str
    until: date | None
    origin: Origin
    file: str
    line: int
    col: int
    end_line: int
    end_col: int
    pattern: tuple[str, ...] = ()  # policy.ignore path, as segments
    source: Path = ()  # policy.ignore: ("policy", "ignore", i)

    @property
    def key(self) -> tuple[str, int, int, Origin]:
        """Identifies the suppression across environments (an overlay-free entry is the same line in each)."""
        return (self.file, self.line, self.col, self.origin)

    def describe(self) -> str:
        where = "policy.ignore" if self.origin == "policy.ignore" else "inline comment"
        until = f" (until {self.until.isoformat()})" if self.until else ""
        return f"{where} at line {self.line}: {self.reason or '(no reason)'}{until}"

    def covers(self, d: Diagnostic, key_line: int | None) -> bool:
        if d.id not in self.rules:
            return False
        if self.origin == "inline":
            return self.file == d.file and self.line in (d.line, key_line)
        return path_matches(self.pattern, d.path)


@dataclass(frozen=True)
class Suppressed:
    diagnostic: Diagnostic
    by: Suppression


def segments(path: Path) -> tuple[str, ...]:
    return tuple(str(p) for p in path)


def parse_pattern(text: str) -> tuple[str, ...]:
    return tuple(piece.strip("[]") for piece in re.findall(r"[^.\[\]]+|\[[^\]]*\]", text))


def path_matches(pattern: tuple[str, ...], path: Path) -> bool:
    """A pattern waives findings at or below it; ``*`` (and other fnmatch wildcards) match within one segment."""
    parts = segments(path)
    if len(pattern) > len(parts):
        return False
    return all(fnmatch.fnmatchcase(part, want) for part, want in zip(parts, pattern, strict=False))


def from_policy(resolved: Resolved, spec: LiftSpec) -> list[Suppression]:
    out = []
    for i, entry in enumerate(spec.policy.ignore):
        source = ("policy", "ignore", i)
        loc = resolved.source.locate(source)
        out.append(
            Suppression(
                (entry.rule,),
                (entry.reason or "").strip(),
                entry.until,
                "policy.ignore",
                resolved.file,
                loc.line,
                loc.col,
                loc.end_line,
                loc.end_col,
                parse_pattern(entry.path or ""),
                source,
            )
        )
    return out


def from_comments(document: Document) -> tuple[list[Suppression], list[Diagnostic]]:
    """Inline suppressions, and LS905 for comments that look like one but cannot be read."""
    found: list[Suppression] = []
    problems: list[Diagnostic] = []
    for number, line in enumerate(document.text.splitlines(), start=1):
        if "liftspec" not in line:
            continue
        match = _COMMENT.search(line)
        if match is None:
            continue
        col = line.index("#", match.start()) + 1
        if _inside_value(document, number, col):
            continue
        end_col = len(line) + 1
        body = match.group(1).strip()
        parsed = _INLINE.match(body)
        ids = [part.strip().upper() for part in parsed.group(1).split(",") if part.strip()] if parsed else []
        until: date | None = None
        problem = ""
        if parsed is None or not ids:
            problem = "expected `# liftspec: ignore[ID, ...] reason`"
        elif bad := [i for i in ids if not _ID.match(i)]:
            problem = f"'{bad[0]}' is not a rule id (like LS204)"
        elif parsed.group(2):
            try:
                until = date.fromisoformat(parsed.group(2))
            except ValueError:
                problem = f"until={parsed.group(2)} is not a date (YYYY-MM-DD)"
        if problem:
            problems.append(
                Diagnostic(
                    codes.SUPPRESSION_MALFORMED,
                    f"malformed suppression comment: {problem}",
                    "write `# liftspec: ignore[LS204] the reason` (optionally until=YYYY-MM-DD before the reason)",
                    Span(document.file, number, col, number, end_col),
                )
            )
            continue
        assert parsed is not None
        found.append(
            Suppression(tuple(ids), parsed.group(3).strip(), until, "inline", document.file, number, col, number, end_col)
        )
    return found, problems


def _inside_value(document: Document, line: int, col: int) -> bool:
    """True when the '#' is part of a value on that line (a quoted string), not a comment."""
    return any(loc.line == line == loc.end_line and loc.col <= col < loc.end_col for loc in document.source.values.values())
