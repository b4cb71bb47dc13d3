"""The reporter: the one sink every stage of a lint or compile run reports its diagnostics to.

The pipeline creates it and hands it (or a view of it for one environment) to each stage; a stage that cannot
go on raises LiftError, which the pipeline puts in the sink. Environments are merged here, once: a finding
reported in every environment a file describes is shown once, without an environment.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from liftspec.diagnostics import Diagnostic, LiftError, Severity

__all__ = ["Reporter"]


class Reporter:
    """Diagnostics in the order the stages reported them, each with the environment it was found in."""

    def __init__(self, env: str = "", parent: Reporter | None = None) -> None:
        self.env = env
        self._parent = parent
        self._found: list[tuple[Diagnostic, str]] = []

    def in_env(self, env: str) -> Reporter:
        """A view for one environment: what it is given is reported here too, found in `env`."""
        return Reporter(env, self)

    def report(self, diagnostic: Diagnostic) -> None:
        self._add(diagnostic, self.env)

    def _add(self, diagnostic: Diagnostic, env: str) -> None:
        self._found.append((diagnostic, env))
        if self._parent is not None:
            self._parent._add(diagnostic, env)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for d in diagnostics:
            self.report(d)

    def absorb(self, error: LiftError) -> None:
        """A fatal problem of a stage: its diagnostics are findings like the others."""
        self.extend(error.diagnostics)

    def __iter__(self) -> Iterator[Diagnostic]:
        return (d for d, _ in self._found)

    def __len__(self) -> int:
        return len(self._found)

    def failed(self, at: Severity = Severity.ERROR) -> bool:
        return any(d.severity.rank >= at.rank for d, _ in self._found)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self, key=Diagnostic.sort_key)

    def merged(self, names: list[str]) -> list[Diagnostic]:
        """One diagnostic per finding, sorted, showing the environments of `names` it was found in (none when
        it was found in all of them; the one name when there is one). Without names: as reported, sorted."""
        if not names:
            return self.sorted()
        return [d for d, _ in merge_envs(self._found, names)]


def merge_envs(items: list[tuple[Diagnostic, str]], names: list[str]) -> list[tuple[Diagnostic, list[str]]]:
    """Group (diagnostic, environment) pairs by finding (Diagnostic.key); the first reported represents it."""
    grouped: dict[tuple[object, ...], tuple[Diagnostic, list[str]]] = {}
    for d, env in items:
        key = d.key()
        if key in grouped:
            grouped[key][1].append(env)
        else:
            grouped[key] = (d, [env])
    out = []
    for d, envs in grouped.values():
        every = len(names) > 1 and sorted(set(envs)) == sorted(set(names))
        shown = (names[0],) if len(names) == 1 else () if every else tuple(dict.fromkeys(envs))
        out.append((d.in_envs(shown), envs))
    return sorted(out, key=lambda pair: pair[0].sort_key())
