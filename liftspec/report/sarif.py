"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Each rule that appears carries its metadata (name, short and full description, help as text and
Markdown, default level, tags); each result its region with start and end, a stable fingerprint
that survives lines moving, and the environment. Waived findings (with --show-suppressed) are
results with a ``suppressions`` entry, which code scanning shows as dismissed.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import TYPE_CHECKING, Any

from liftspec.diagnostics import Diagnostic, Severity
from liftspec.version import __version__

if TYPE_CHECKING:
    from collections.abc import Mapping

    from liftspec.check.suppress import Suppressed
    from liftspec.codes import Code

SCHEMA_URI = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://liftspec.dev"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _location(file: str) -> dict[str, str]:
    """Relative to the checkout (%SRCROOT%, where code scanning resolves it), or a file: URI outside it."""
    full = os.path.abspath(file)
    relative = os.path.relpath(full)
    if relative.startswith(".."):
        from pathlib import Path

        return {"uri": Path(full).as_uri()}
    return {"uri": relative.replace(os.sep, "/"), "uriBaseId": "%SRCROOT%"}


def _uri(file: str) -> str:
    return _location(file)["uri"]


def _markdown(code: Code) -> str:
    docs = code.docs
    parts = [f"**{code.id} {code.name}**: {code.summary}", "", "### What it does", docs.what]
    if docs.why:
        parts += ["", "### Why is this bad", docs.why]
    if docs.example:
        parts += ["", "### Example", "```yaml", docs.example, "```"]
    if docs.fix:
        parts += ["", "### Fix", docs.fix]
    return "\n".join(parts)


def _text(code: Code) -> str:
    docs = code.docs
    parts = [f"What it does: {docs.what}"]
    if docs.why:
        parts.append(f"Why is this bad: {docs.why}")
    if docs.fix:
        parts.append(f"Fix: {docs.fix}")
    return "\n\n".join(parts)


def _rule(code: Code, level: str) -> dict[str, Any]:
    tags = [code.kind, *code.tags]
    if "security" in code.tags:
        tags.append("security")
    rule: dict[str, Any] = {
        "id": code.id,
        "name": code.name,
        "shortDescription": {"text": code.summary},
        "fullDescription": {"text": code.docs.what},
        "help": {"text": _text(code), "markdown": _markdown(code)},
        "defaultConfiguration": {"level": level},
        "properties": {"tags": sorted(set(tags))},
    }
    return rule


def _fingerprint(d: Diagnostic) -> str:
    # Line-independent, so a finding keeps its identity when lines above it move.
    key = "\x1f".join([d.id, _uri(d.file), d.dotted_path() or f"{d.line}:{d.col}", d.env or "", d.message])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _result(d: Diagnostic, index: int) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": d.line, "startColumn": d.col}
    if d.end_line is not None:
        region["endLine"] = d.end_line
        if d.end_col is not None:
            region["endColumn"] = max(d.end_col, d.col + 1) if d.end_line == d.line else d.end_col
    text = d.message + (f" [{d.env}]" if d.env else "") + (f"\nhint: {d.hint}" if d.hint else "")
    result: dict[str, Any] = {
        "ruleId": d.id,
        "ruleIndex": index,
        "level": _LEVEL[d.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": _location(d.file), "region": region}}],
        "partialFingerprints": {"liftspecFinding/v1": _fingerprint(d)},
        "properties": {"environment": d.env or "all", "path": d.dotted_path()},
    }
    return result


def render(
    diagnostics: list[Diagnostic],
    *,
    files: list[str],
    suppressed: list[Suppressed] | None = None,
    io_errors: list[str] | None = None,
    codes: Mapping[str, Code] | None = None,  # the run's (user checks included); default: the built-in codes
) -> str:
    from liftspec.check.packs import known_codes

    codes = known_codes() if codes is None else codes
    entries: list[tuple[Diagnostic, Suppressed | None]] = [(d, None) for d in diagnostics]
    entries += [(s.diagnostic, s) for s in suppressed or []]
    used = sorted({d.id for d, _ in entries})
    levels = {d.id: _LEVEL[d.severity] for d, _ in sorted(entries, key=lambda e: e[0].severity.rank)}
    rules = [_rule(codes[i], levels[i]) if i in codes else {"id": i} for i in used]
    index = {rule_id: i for i, rule_id in enumerate(used)}
    results = []
    for d, waived in entries:
        result = _result(d, index[d.id])
        if waived is not None:
            by = waived.by
            result["suppressions"] = [
                {
                    "kind": "inSource" if by.origin == "inline" else "external",
                    "justification": by.reason + (f" (until {by.until.isoformat()})" if by.until else ""),
                    "location": {
                        "physicalLocation": {
                            "artifactLocation": _location(by.file),
                            "region": {"startLine": by.line, "startColumn": by.col},
                        }
                    },
                }
            ]
        results.append(result)
    invocation: dict[str, Any] = {"executionSuccessful": not io_errors}
    if io_errors:
        invocation["toolExecutionNotifications"] = [{"level": "error", "message": {"text": m}} for m in io_errors]
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "liftspec",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "invocations": [invocation],
                "artifacts": [{"location": _location(f)} for f in files],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
