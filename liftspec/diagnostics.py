"""The one diagnostic type used by every stage: load, resolve, model, check, render, verify."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

Path = tuple[str | int, ...]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True)
class Diagnostic:
    id: str
    severity: Severity
    message: str
    hint: str = ""
    file: str = ""
    line: int = 1
    col: int = 1
    end_line: int | None = None
    end_col: int | None = None
    env: str | None = None
    path: Path = field(default=())

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        return (self.file, self.line, self.col, self.id, self.env or "", self.message)

    def with_env(self, env: str | None) -> Diagnostic:
        return replace(self, env=env)

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


class UsageError(Exception):
    """A problem with how liftspec was called (exit code 2)."""
