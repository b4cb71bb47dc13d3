"""What a rule sees: the resolved model of one environment, with per-function effective values."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from liftspec.diagnostics import Path
from liftspec.model.effective import EffectiveFunction, all_functions
from liftspec.model.spec import LiftSpec
from liftspec.resolve import Resolved


@dataclass
class Context:
    resolved: Resolved
    spec: LiftSpec
    env: str = field(default="")

    def __post_init__(self) -> None:
        if not self.env:
            self.env = self.resolved.env

    @cached_property
    def functions(self) -> list[EffectiveFunction]:
        return all_functions(self.spec)

    def function(self, name: str) -> EffectiveFunction:
        """The function ``name`` with its overrides applied over the service defaults."""
        return self._by_name[name]

    @cached_property
    def _by_name(self) -> dict[str, EffectiveFunction]:
        return {fn.name: fn for fn in self.functions}

    @cached_property
    def http_functions(self) -> list[EffectiveFunction]:
        return [fn for fn in self.functions if fn.invocation == "http"]

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

    def function_setting(self, name: str, fn_path: tuple[str, ...], service_path: tuple[str, ...]) -> Path:
        """Where a function's effective value comes from: its own override, else the service default."""
        return self.where(("functions", name, *fn_path), service_path)


def grouped(items: list[tuple[Path, str]]) -> dict[Path, list[str]]:
    """Function names per location: a service-wide default shared by several functions gives one finding."""
    out: dict[Path, list[str]] = {}
    for path, name in items:
        out.setdefault(path, []).append(name)
    return out


def functions_phrase(names: list[str]) -> str:
    quoted = ", ".join(f"'{n}'" for n in names)
    return f"function {quoted}" if len(names) == 1 else f"functions {quoted}"
