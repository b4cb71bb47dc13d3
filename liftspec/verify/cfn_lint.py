"""cfn-lint as a library, on template text (so that its line numbers are lines of the file we write)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

# cfn-lint's rule set, loaded once per process on purpose: a process forked after loading it (the compile's lint
# workers, the test workers) inherits it instead of paying half a second again. It is not a cache of anything a
# run read: it depends only on the installed cfn-lint, no run changes it, and every template is linted with the
# same rules whatever was linted before. tests/test_no_global_state.py allows this one and no other.
_RULES: Any = None


@dataclass(frozen=True)
class LintFinding:
    rule: str  # E3012, W2001...
    severity: str  # error | warning | informational
    line: int
    col: int
    message: str


class Linter:
    """Loads cfn-lint and its rules once (about half a second), then lints any number of templates.

    The rules do not depend on the region, so they can be loaded before the region is known.
    """

    def __init__(self) -> None:
        self._rules: Any = load_rules()

    def lint(self, text: str, region: str) -> list[LintFinding]:
        from cfnlint.config import ConfigMixIn  # type: ignore[import-untyped]
        from cfnlint.decode.decode import decode_str  # type: ignore[import-untyped]
        from cfnlint.runner import run_template_by_data  # type: ignore[import-untyped]

        template, matches = untraced(decode_str, text)
        found = list(matches or [])
        if template is not None and not found:
            found = untraced(lambda: list(run_template_by_data(template, ConfigMixIn(regions=[region]), self._rules)))
        unique = {
            LintFinding(m.rule.id, str(m.rule.severity).lower(), int(m.linenumber), int(m.columnnumber), str(m.message))
            for m in found
        }
        return sorted(unique, key=lambda f: (f.line, f.col, f.rule, f.message))


def load_rules() -> Any:
    """cfn-lint and its rules, loaded once per process (a test process loads them before it forks workers)."""
    global _RULES
    if _RULES is None:
        _RULES = untraced(_load_rules)
    return _RULES


def _load_rules() -> Any:
    from cfnlint.config import ConfigMixIn
    from cfnlint.runner.cli import Runner  # type: ignore[import-untyped]

    return Runner(ConfigMixIn()).rules


def untraced(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)` out of sight of a running tracer (coverage): cfn-lint is not our code, and tracing it makes it
    several times slower. It runs in a thread started without the tracer; the caller's frames stay measured."""
    if sys.gettrace() is None:
        return fn(*args)
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["value"] = fn(*args)
        except BaseException as exc:  # re-raised in the caller's thread
            out["error"] = exc

    hook = threading.gettrace()
    threading.settrace(None)
    try:
        worker = threading.Thread(target=run, name="liftspec-untraced")
        worker.start()
    finally:
        threading.settrace(hook)
    worker.join()
    if "error" in out:
        raise out["error"]
    value: T = out["value"]
    return value


def version() -> str:
    """The installed cfn-lint's version, without importing cfn-lint (which loads its whole API)."""
    from importlib.metadata import version as installed

    return installed("cfn-lint")
