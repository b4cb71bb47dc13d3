"""A finding about a path of one environment, at the position SourceMap.locate gives (the one locator)."""

from __future__ import annotations

from liftspec.diagnostics import Code, Diagnostic, Path, Severity, Span
from liftspec.load import Loc
from liftspec.resolve.overlay import Resolved


def locate(resolved: Resolved, path: Path) -> Loc:
    """Where ``path`` is in the resolved environment; a value its overlay reset with ``null`` points at that null."""
    return resolved.source.locate(path)


def diagnostic_at(
    resolved: Resolved, code: Code, severity: Severity, path: Path, message: str, hint: str, *, key: bool = False
) -> Diagnostic:
    """A diagnostic about ``path`` of one environment, at the position ``locate`` gives (its key when ``key``)."""
    loc = resolved.source.locate(path, key=key)
    return Diagnostic(code, message, hint, Span.of(resolved.file, loc), path, severity=severity, envs=(resolved.env,))
