"""The pipeline as functions: load -> resolve -> model -> check. Returns results, never prints."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from liftspec.check.options import LintOptions
from liftspec.check.rule import Fix
from liftspec.check.suppress import Suppressed
from liftspec.diagnostics import Diagnostic, LiftError, Severity
from liftspec.load import Document, load_path, load_text, read_text
from liftspec.model.spec import LiftSpec
from liftspec.resolve import Resolved, environments, resolve


@dataclass
class EnvResult:
    env: str
    resolved: Resolved | None
    spec: LiftSpec | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)
    packs: list[str] = field(default_factory=list)


@dataclass
class LintResult:
    file: str
    document: Document | None
    envs: list[EnvResult]
    diagnostics: list[Diagnostic]
    suppressed: list[Suppressed] = field(default_factory=list)

    def failed(self, at: Severity = Severity.ERROR) -> bool:
        return any(d.severity.rank >= at.rank for d in self.diagnostics)

    def fixes(self) -> list[tuple[Diagnostic, Fix]]:
        """Safe fixes for the findings of every environment (one per written value)."""
        return [(d, d.fix) for env in self.envs for d in env.diagnostics if d.fix is not None]


def load(path: str | os.PathLike[str]) -> Document:
    """Load a lift.yaml with its source map. Raises LiftError (diagnostics) or OSError."""
    return load_path(os.fspath(path))


def resolve_env(document: Document, env: str | None = None) -> EnvResult:
    """Resolve one environment and validate it against the model (no policies)."""
    from liftspec.model.validate import validate

    try:
        resolved = resolve(document, env)
    except LiftError as exc:
        return EnvResult(env or "", None, None, exc.diagnostics)
    spec, diagnostics = validate(resolved)
    return EnvResult(resolved.env, resolved, spec, diagnostics)


def lint_document(
    document: Document, env: str | None = None, *, policies: bool = True, options: LintOptions | None = None
) -> LintResult:
    """Lint a loaded document in one environment, or in every environment it describes."""
    names = [env] if env else environments(document)
    results = []
    checked = []
    inline = None
    for name in names:
        result = resolve_env(document, name)
        if policies and result.spec is not None and result.resolved is not None and not result.diagnostics:
            from liftspec.check.engine import run
            from liftspec.check.suppress import from_comments

            inline = inline if inline is not None else from_comments(document)
            outcome = run(result.resolved, result.spec, options, inline)
            result.diagnostics += outcome.diagnostics
            result.suppressed, result.packs = outcome.suppressed, outcome.packs
            checked.append((result, outcome))
        results.append(result)
    if checked:
        from liftspec.check.engine import unused

        by_env = {result.env: result for result, _ in checked}
        for d in unused([outcome for _, outcome in checked]):
            by_env[d.env or ""].diagnostics.append(d)
    suppressed = _merge_suppressed(results, names)
    return LintResult(document.file, document, results, merge_envs(results, names), suppressed)


def lint(
    path: str | os.PathLike[str],
    env: str | None = None,
    *,
    policies: bool = True,
    options: LintOptions | None = None,
    raw: bytes | None = None,
) -> LintResult:
    """Lint one file in one environment, or in every environment it describes (`raw`: its bytes, already read)."""
    try:
        document = load(path) if raw is None else load_text(read_text(raw, os.fspath(path)), os.fspath(path))
    except LiftError as exc:
        return LintResult(os.fspath(path), None, [], sorted(exc.diagnostics, key=Diagnostic.sort_key))
    return lint_document(document, env, policies=policies, options=options)


def merge_envs(results: list[EnvResult], names: list[str]) -> list[Diagnostic]:
    """One diagnostic per finding: the same finding in every environment is shown once, without an env."""
    return [d for d, _ in _merge([(d, result.env) for result in results for d in result.diagnostics], names)]


def _merge(items: list[tuple[Diagnostic, str]], names: list[str]) -> list[tuple[Diagnostic, list[str]]]:
    grouped: dict[tuple[Any, ...], tuple[Diagnostic, list[str]]] = {}
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


def _merge_suppressed(results: list[EnvResult], names: list[str]) -> list[Suppressed]:
    by_diagnostic: dict[tuple[Any, ...], Suppressed] = {}
    items = []
    for result in results:
        for s in result.suppressed:
            d = s.diagnostic
            by_diagnostic.setdefault(d.key(), s)
            items.append((d, result.env))
    out = []
    for d, _ in _merge(items, names):
        first = by_diagnostic[d.key()]
        out.append(Suppressed(d, first.by))
    return out


def compile(
    path: str | os.PathLike[str], out: str | os.PathLike[str] | None = None, env: str | None = None, **kwargs: Any
) -> Any:
    """Compile a lift.yaml (see liftspec.render / liftspec.verify)."""
    from liftspec.compiler import compile_file

    return compile_file(os.fspath(path), out=os.fspath(out) if out is not None else None, env=env, **kwargs)
