"""Machine-readable output: one JSON document for the whole run (stable keys and order)."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from liftspec.diagnostics import Diagnostic, Severity
from liftspec.version import __version__

if TYPE_CHECKING:
    from collections.abc import Mapping

    from liftspec.check.suppress import Suppressed
    from liftspec.codes import Code

FORMAT_VERSION = 1


def diagnostic_dict(d: Diagnostic, fixable: bool = False, codes: Mapping[str, Code] | None = None) -> dict[str, Any]:
    from liftspec.check.packs import known_codes

    code = (known_codes() if codes is None else codes).get(d.id)
    return {
        "id": d.id,
        "name": code.name if code else None,
        "severity": d.severity.value,
        "message": d.message,
        "hint": d.hint,
        "file": d.file,
        "line": d.line,
        "col": d.col,
        "end_line": d.end_line,
        "end_col": d.end_col,
        "env": d.env,
        "path": d.dotted_path(),
        "fixable": fixable,
    }


def suppressed_dict(s: Suppressed, codes: Mapping[str, Code] | None = None) -> dict[str, Any]:
    out = diagnostic_dict(s.diagnostic, codes=codes)
    by = s.by
    out["suppression"] = {
        "origin": by.origin,
        "file": by.file,
        "line": by.line,
        "col": by.col,
        "reason": by.reason,
        "until": by.until.isoformat() if by.until else None,
    }
    return out


def render(
    diagnostics: list[Diagnostic],
    *,
    files: list[str],
    suppressed: list[Suppressed] | None = None,
    fixable: set[Diagnostic] | None = None,
    codes: Mapping[str, Code] | None = None,  # the run's (user checks included); default: the built-in codes
) -> str:
    from liftspec.check.packs import known_codes

    codes = known_codes() if codes is None else codes
    counts = Counter(d.severity for d in diagnostics)
    fixable = fixable or set()
    document: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "tool": {"name": "liftspec", "version": __version__},
        "summary": {
            "files": len(files),
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "info": counts[Severity.INFO],
            "fixable": sum(1 for d in diagnostics if d in fixable),
        },
        "diagnostics": [diagnostic_dict(d, d in fixable, codes) for d in diagnostics],
    }
    if suppressed is not None:
        document["summary"]["suppressed"] = len(suppressed)
        document["suppressed"] = [suppressed_dict(s, codes) for s in suppressed]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
