"""GitHub Actions workflow commands: findings become annotations on the pull request's diff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from liftspec.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from collections.abc import Mapping

    from liftspec.codes import Code

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def format_diagnostic(d: Diagnostic, codes: Mapping[str, Code] | None = None) -> str:
    from liftspec.check.packs import known_codes

    code = (known_codes() if codes is None else codes).get(d.id)
    title = f"{d.id} {code.name}" if code else d.id
    props = [f"file={_property(d.file)}", f"line={d.line}", f"col={d.col}"]
    if d.end_line is not None:
        props.append(f"endLine={d.end_line}")
        if d.end_col is not None and d.end_line == d.line:
            props.append(f"endColumn={d.end_col}")
    props.append(f"title={_property(title)}")
    env = f" [{d.env}]" if d.env else ""
    message = f"{d.message}{env}" + (f"\nhint: {d.hint}" if d.hint else "")
    return f"::{_COMMAND[d.severity]} {','.join(props)}::{_data(message)}"


def render(diagnostics: list[Diagnostic], codes: Mapping[str, Code] | None = None) -> str:
    """``codes``: the run's (user checks included); default: the built-in codes."""
    from liftspec.check.packs import known_codes

    codes = known_codes() if codes is None else codes
    return "".join(format_diagnostic(d, codes) + "\n" for d in diagnostics)
