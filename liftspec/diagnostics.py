"""The one diagnostic type used by every stage: load, resolve, model, check, render, verify."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Protocol

from liftspec.codes import Code, Severity

__all__ = ["Code", "Diagnostic", "Fix", "LiftError", "Located", "Path", "Severity", "Span", "UsageError", "dotted"]

Path = tuple[str | int, ...]


class Fix(NamedTuple):
    """A safe automatic fix: write ``value`` where the finding's path was written."""

    value: bool | int | str


class Located(Protocol):
    """A position in a file, as the source map and suppressions keep it."""

    @property
    def line(self) -> int: ...
    @property
    def col(self) -> int: ...
    @property
    def end_line(self) -> int | None: ...
    @property
    def end_col(self) -> int | None: ...


@dataclass(frozen=True)
class Span:
    """Where a diagnostic points in a file (1-based; the end when it is known)."""

    file: str = ""
    line: int = 1
    col: int = 1
    end_line: int | None = None
    end_col: int | None = None

    @staticmethod
    def of(file: str, loc: Located) -> Span:
        return Span(file, loc.line, loc.col, loc.end_line, loc.end_col)


@dataclass(frozen=True, init=False)
class Diagnostic:
    """A code reported at a span of a file, about a model path, in some environments, perhaps with a safe fix.

    ``envs`` are the environments it was found in; empty means every environment the file describes (or a
    finding no environment has, such as a syntax error)."""

    code: Code
    severity: Severity
    message: str
    hint: str
    span: Span
    path: Path
    envs: tuple[str, ...]
    fix: Fix | None

    def __init__(
        self,
        code: Code,
        message: str,
        hint: str = "",
        span: Span = Span(),
        path: Path = (),
        *,
        severity: Severity | None = None,
        envs: tuple[str, ...] = (),
        fix: Fix | None = None,
    ) -> None:
        for name, value in (
            ("code", code),
            ("severity", code.severity if severity is None else severity),
            ("message", message),
            ("hint", hint),
            ("span", span),
            ("path", path),
            ("envs", envs),
            ("fix", fix),
        ):
            object.__setattr__(self, name, value)

    @property
    def id(self) -> str:
        return self.code.id

    @property
    def file(self) -> str:
        return self.span.file

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def col(self) -> int:
        return self.span.col

    @property
    def end_line(self) -> int | None:
        return self.span.end_line

    @property
    def end_col(self) -> int | None:
        return self.span.end_col

    @property
    def env(self) -> str | None:
        """The environments as reports show them: None for every environment."""
        return ",".join(self.envs) if self.envs else None

    def key(self) -> tuple[str, int, int, str, str, str]:
        """What makes two diagnostics the same finding, whatever environments they were found in."""
        return (self.file, self.line, self.col, self.id, self.message, self.severity.value)

    def at(self) -> tuple[str, int, int, str]:
        """The place and code: the same fix found with different severities in two environments is one fix."""
        return (self.file, self.line, self.col, self.id)

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        return (self.file, self.line, self.col, self.id, self.env or "", self.message)

    def with_env(self, env: str | None) -> Diagnostic:
        return self.in_envs((env,) if env else ())

    def in_envs(self, envs: tuple[str, ...]) -> Diagnostic:
        return Diagnostic(
            self.code, self.message, self.hint, self.span, self.path, severity=self.severity, envs=envs, fix=self.fix
        )

    def dotted_path(self) -> str:
        return dotted(self.path)


def dotted(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class LiftError(Exception):
    """Raised inside the pipeline when input cannot go further; carries its diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics

    def __reduce__(self) -> tuple[type[LiftError], tuple[list[Diagnostic]]]:
        return (LiftError, (self.diagnostics,))  # pickled with its diagnostics (liftspec.load.prefetch), not its message


class UsageError(Exception):
    """A problem with how liftspec was called (exit code 2)."""
