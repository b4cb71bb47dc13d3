"""One `liftspec lint` run without click: files to lint, the cached or fresh results, the report, the exit status."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from liftspec import codes
from liftspec.cachekey import NoFiles, find_files, read_raw
from liftspec.codes import by_id
from liftspec.diagnostics import Diagnostic, Severity, Span

__all__ = ["NoFiles", "find_files", "read_raw"]

if TYPE_CHECKING:
    from liftspec.api import LintResult
    from liftspec.cache import Cache
    from liftspec.check.options import Config, LintOptions
    from liftspec.check.suppress import Suppressed
    from liftspec.codes import Code

SEVERITY_ORDER = {"info": Severity.INFO, "warning": Severity.WARNING, "error": Severity.ERROR}
FORMATS = ("text", "json", "sarif", "github", "junit")


@dataclass
class CachedResult:
    """A file's findings read back from the cache: what the report and the exit status need."""

    file: str
    diagnostics: list[Diagnostic]
    fix_keys: set[tuple[str, int, int, str, str, str]]
    document: None = None
    suppressed: list[Suppressed] = field(default_factory=list)

    def fixes(self) -> list[tuple[Diagnostic, Any]]:
        return []


@dataclass
class Run:
    """Everything one `liftspec lint` invocation found."""

    files: list[str]
    options: LintOptions
    results: list[LintResult | CachedResult] = field(default_factory=list)
    io_errors: list[Diagnostic] = field(default_factory=list)
    fixed: int = 0

    def codes(self) -> dict[str, Code]:
        """What the report knows about each code: the built-in ones and the checks of the user packs this run read."""
        from liftspec.check.packs import known_codes

        return known_codes(self.options.packs.user_packs())

    @property
    def diagnostics(self) -> list[Diagnostic]:
        # A pack shared by many files reports its own problems once.
        seen: dict[tuple[object, ...], Diagnostic] = {}
        for d in [*self.io_errors, *(d for r in self.results for d in r.diagnostics)]:
            seen.setdefault((d.key(), d.envs), d)
        return sorted(seen.values(), key=Diagnostic.sort_key)

    @property
    def suppressed(self) -> list[Suppressed]:
        return [s for r in self.results for s in r.suppressed]

    def fixable(self) -> set[Diagnostic]:
        """Merged diagnostics that --fix would change."""
        keys = {key for r in self.results for key in _fix_keys(r)}
        return {d for d in self.diagnostics if d.key() in keys}


def _fix_keys(result: LintResult | CachedResult) -> set[tuple[str, int, int, str, str, str]]:
    if isinstance(result, CachedResult):
        return result.fix_keys
    return {d.key() for d, _ in result.fixes()}


def _io_error(file: str, exc: OSError) -> Diagnostic:
    reason = exc.strerror or str(exc)
    return Diagnostic(
        codes.IO_ERROR,
        f"cannot read {file}: {reason}",
        "check the path (a folder is searched for lift.yaml files)",
        Span(file),
    )


def lint_files(files: list[str], env: str | None, options: LintOptions | None = None, cache: Cache | None = None) -> Run:
    """Lint each file, or take its result from `cache`. The files to lint are loaded in a forked child while this
    process imports the model and the rules (liftspec/load/prefetch.py)."""
    from liftspec.check.options import LintOptions
    from liftspec.load.prefetch import Prefetch
    from liftspec.pipeline import lint_loading

    options = options if options is not None else LintOptions()  # one pack cache for the whole run
    run = Run(files, options)
    results: list[LintResult | CachedResult | None] = []
    todo: list[tuple[int, str, bytes, str | None]] = []  # (place in results, file, its bytes, its cache key)
    for file in files:
        try:
            raw = read_raw(file)
        except OSError as exc:
            run.io_errors.append(_io_error(file, exc))
            continue
        key = cache.key(file, raw) if cache is not None else None
        hit = cached_result(file, cache.get(key)) if cache is not None and key is not None else None
        results.append(hit)
        if hit is None:
            todo.append((len(results) - 1, file, raw, key))
    with Prefetch([(file, raw) for _, file, raw, _ in todo]) as prefetch:
        if prefetch.forked:
            _import_the_model()
        for index, (place, file, _, key) in enumerate(todo):
            result = lint_loading(file, functools.partial(prefetch.document, index), env, options=options)
            if cache is not None and key is not None:
                cache.put(key, pack_files(options), to_entry(result))
            results[place] = result
    run.results = [result for result in results if result is not None]
    return run


def _import_the_model() -> None:
    """What linting a document imports first, imported while the child loads the files."""
    import liftspec.check.engine
    import liftspec.check.rules
    import liftspec.model  # noqa: F401


def pack_files(options: LintOptions) -> dict[str, str | None]:
    """The user pack files read with these options so far, with their digests: what a cached result depends on."""
    from liftspec.cache import file_digest

    return {path: file_digest(path) for path in sorted(options.packs.read)}


def to_entry(result: LintResult) -> dict[str, Any]:
    return {
        "diagnostics": [_diagnostic_dict(d) for d in result.diagnostics],
        "fixable": sorted(list(d.key()) for d, _ in result.fixes()),
    }


def _diagnostic_dict(d: Diagnostic) -> dict[str, Any]:
    return {
        "id": d.id,
        "severity": d.severity.value,
        "message": d.message,
        "hint": d.hint,
        "file": d.file,
        "line": d.line,
        "col": d.col,
        "end_line": d.end_line,
        "end_col": d.end_col,
        "envs": list(d.envs),
        "path": list(d.path),
    }


def cached_result(file: str, entry: dict[str, Any] | None) -> CachedResult | None:
    """The result an entry holds; None for a missing entry or one of an unexpected shape."""
    if entry is None:
        return None
    try:
        diagnostics = [
            Diagnostic(
                by_id(str(d["id"])),
                str(d["message"]),
                str(d["hint"]),
                Span(str(d["file"]), int(d["line"]), int(d["col"]), d["end_line"], d["end_col"]),
                tuple(d["path"]),
                severity=Severity(d["severity"]),
                envs=tuple(str(env) for env in d["envs"]),
            )
            for d in entry["diagnostics"]
        ]
        fix_keys = {
            (str(f), int(line), int(col), str(code), str(message), str(severity))
            for f, line, col, code, message, severity in entry["fixable"]
        }
    except (KeyError, TypeError, ValueError):
        return None
    return CachedResult(file, diagnostics, fix_keys)


def distinct(diagnostics: Iterable[Diagnostic]) -> set[tuple[object, ...]]:
    """One finding per place and rule: the same fix reported in two environments is one fix."""
    return {d.at() for d in diagnostics}


def render(run: Run, fmt: str, shown: list[Diagnostic], show_suppressed: bool, colour: bool) -> str:
    suppressed = [s for s in run.suppressed] if show_suppressed else None
    fixable = run.fixable()
    if fmt == "json":
        from liftspec.report import json as json_report

        return json_report.render(shown, files=run.files, suppressed=suppressed, fixable=fixable, codes=run.codes())
    if fmt == "sarif":
        from liftspec.report import sarif

        return sarif.render(
            shown, files=run.files, suppressed=suppressed, io_errors=[d.message for d in run.io_errors], codes=run.codes()
        )
    if fmt == "github":
        from liftspec.report import github

        return github.render(shown, run.codes())
    if fmt == "junit":
        from liftspec.report import junit

        return junit.render(shown, files=run.files)
    from liftspec.report import text

    out = text.render(shown, colour, suppressed=suppressed, fixable=len(distinct(d for d in shown if d in fixable)))
    if run.fixed:
        out += f"Fixed {run.fixed} finding{'s' if run.fixed != 1 else ''}.\n"
    return out


def use_colour() -> bool:
    from liftspec.report.text import use_colour

    return use_colour(sys.stdout)


def exit_code(run: Run, shown: list[Diagnostic], fail_on: str) -> int:
    if run.io_errors or any(d.code == codes.UNKNOWN_ENVIRONMENT for d in shown):
        return 2
    if fail_on == "never":
        return 0
    limit = SEVERITY_ORDER[fail_on]
    return 1 if any(d.severity.rank >= limit.rank for d in shown) else 0


def shown_of(run: Run, min_severity: str) -> list[Diagnostic]:
    threshold = SEVERITY_ORDER[min_severity]
    return [d for d in run.diagnostics if d.severity.rank >= threshold.rank or d.code == codes.IO_ERROR]


def make_cache(env: str | None, config: Config) -> Cache:
    from datetime import date

    from liftspec.cache import Cache

    return Cache(repr((env, config.options)), date.today().isoformat())


def lint_plain(values: dict[str, str | None], paths: tuple[str, ...]) -> int | None:
    """`liftspec lint` to stdout, without --fix, --diff, --show-suppressed or --output (see liftspec/cli/fast.py).
    None, having written nothing, on a usage error: the click command then reports it."""
    from liftspec.cachekey import find_pyproject
    from liftspec.check.options import Config, load_config
    from liftspec.diagnostics import UsageError

    cached = not values["no_cache"]
    try:
        config = Config() if values["isolated"] else load_config(values["config"] or find_pyproject(os.getcwd()))
        env = values["env"]
        run = lint_files(find_files(paths), env, config.options, make_cache(env, config) if cached else None)
    except (UsageError, NoFiles):
        return None
    fmt = values["fmt"] or config.format
    shown = shown_of(run, values["min_severity"] or config.min_severity)
    report = render(run, fmt, shown, False, fmt == "text" and use_colour())
    sys.stdout.write(report)
    sys.stdout.flush()
    code = exit_code(run, shown, values["fail_on"] or config.fail_on)
    if cached and not run.io_errors:
        from liftspec.cli.fast import store

        store(values, paths, report, code, pack_files(run.options))
    return code
