"""What a rule sees: the resolved model of one environment, with per-function effective values."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from liftspec.diagnostics import Path
from liftspec.model.effective import EffectiveFunction, EffectiveService, effective_service
from liftspec.model.spec import LiftSpec
from liftspec.resolve import Resolved


@dataclass
class Context:
    resolved: Resolved
    spec: LiftSpec
    env: str = field(default="")
    service: EffectiveService | None = None  # the pipeline's; built here when not given

    def __post_init__(self) -> None:
        if not self.env:
            self.env = self.resolved.env
        if self.service is None:
            self.service = effective_service(self.spec)

    @property
    def effective(self) -> EffectiveService:
        assert self.service is not None  # set in __post_init__
        return self.service

    @cached_property
    def functions(self) -> list[EffectiveFunction]:
        return list(self.effective.functions)

    def function(self, name: str) -> EffectiveFunction:
        """The function ``name`` with its overrides applied over the service defaults."""
        return self.effective.function(name)

    @cached_property
    def http_functions(self) -> list[EffectiveFunction]:
        return self.effective.http_functions

    @property
    def serves_http(self) -> bool:
        return bool(self.http_functions)

    def written(self, path: Path) -> bool:
        return self.resolved.source.written(path)

    def where(self, *paths: Path) -> Path:
        """The first of ``paths`` that the file sets, else the last one (the service-wide default)."""
        for path in paths:
            if self.written(path):
                return path
        return paths[-1]


def grouped(items: list[tuple[Path, str]]) -> dict[Path, list[str]]:
    """Function names per location: a service-wide default shared by several functions gives one finding."""
    out: dict[Path, list[str]] = {}
    for path, name in items:
        out.setdefault(path, []).append(name)
    return out


def functions_phrase(names: list[str]) -> str:
    quoted = ", ".join(f"'{n}'" for n in names)
    return f"function {quoted}" if len(names) == 1 else f"functions {quoted}"
