"""cfn-lint as a library, on template text (so that its line numbers are lines of the file we write)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
        from cfnlint.config import ConfigMixIn  # type: ignore[import-untyped]
        from cfnlint.runner.cli import Runner  # type: ignore[import-untyped]

        self._rules: Any = Runner(ConfigMixIn()).rules

    def lint(self, text: str, region: str) -> list[LintFinding]:
        from cfnlint.config import ConfigMixIn
        from cfnlint.decode.decode import decode_str  # type: ignore[import-untyped]
        from cfnlint.runner import run_template_by_data  # type: ignore[import-untyped]

        template, matches = decode_str(text)
        found = list(matches or [])
        if template is not None and not found:
            found = list(run_template_by_data(template, ConfigMixIn(regions=[region]), self._rules))
        unique = {
            LintFinding(m.rule.id, str(m.rule.severity).lower(), int(m.linenumber), int(m.columnnumber), str(m.message))
            for m in found
        }
        return sorted(unique, key=lambda f: (f.line, f.col, f.rule, f.message))


def version() -> str:
    from cfnlint.version import __version__  # type: ignore[import-untyped]

    return str(__version__)
