"""Safe fixes (``liftspec lint --fix`` / ``--diff``): rewrite only the scalars that rules flag.

A fix replaces the exact characters of one written scalar, found through the loader's source map
(ruamel's node marks), in the file's own text: comments, key order, quoting, indentation, flow
style and blank lines are untouched, and a trailing comment keeps its column where the spaces
allow. (ruamel's round-trip *dumper* re-indents sequences and re-wraps flow mappings, so it is
not used to write.) Before anything is written, the new text is parsed again and must equal the
old document with exactly the fixed values changed; otherwise the file is left alone.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from dataclasses import dataclass
from typing import Any

from liftspec.check.rule import Fix
from liftspec.diagnostics import Diagnostic, LiftError, Path
from liftspec.load import Document, Loc, load_text

_PLAIN_SAFE = re.compile(r"^[A-Za-z][A-Za-z0-9._/-]*$")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str
    doc_path: Path
    value: bool | int | str


class FixError(Exception):
    """The fixed text did not parse back to the intended document; nothing is written."""


def render(value: bool | int | str, original: str) -> str:
    """The new scalar, in the quoting style of the one it replaces."""
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    if original.startswith('"'):
        return json.dumps(text)
    if original.startswith("'"):
        return "'" + text.replace("'", "''") + "'"
    if isinstance(value, (bool, int)) or (_PLAIN_SAFE.match(text) and text.lower() not in _YAML_WORDS):
        return text
    return json.dumps(text)


def _offsets(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def _doc_path(document: Document, env: str | None, loc: Loc, path: Path) -> Path | None:
    """Where in the document (base or an overlay) the value at ``path`` of the resolved env was written."""
    candidates = [path]
    if env:
        candidates.insert(0, ("environments", env, *path))
    for candidate in candidates:
        if document.source.values.get(candidate) == loc:
            return candidate
    return None


def plan(document: Document, fixes: list[tuple[Diagnostic, Fix]]) -> list[Edit]:
    """One edit per written scalar to change (a value shared by several environments is changed once)."""
    text = document.text
    starts = _offsets(text)
    edits: dict[tuple[int, int], Edit] = {}
    for d, fix in fixes:
        if d.end_line is None or d.end_col is None or d.line != d.end_line:
            continue
        loc = Loc(d.line, d.col, d.end_line, d.end_col)
        doc_path = _doc_path(document, d.env, loc, d.path)
        if doc_path is None:
            continue
        start = starts[loc.line - 1] + loc.col - 1
        end = starts[loc.line - 1] + loc.end_col - 1
        original = text[start:end]
        new = render(fix.value, original)
        # Keep a trailing comment in its column: take spaces from (or give them to) the gap before '#'.
        gap = re.match(r"[ ]+(?=#)", text[end:])
        if gap and len(new) != len(original):
            spaces = max(1, len(gap.group(0)) - (len(new) - len(original)))
            new += " " * spaces
            end += len(gap.group(0))
        edits.setdefault((start, end), Edit(start, end, new, doc_path, fix.value))
    ordered = sorted(edits.values(), key=lambda e: e.start)
    out: list[Edit] = []
    for edit in ordered:
        if out and edit.start < out[-1].end:
            continue  # overlapping edits cannot both be right: keep the first
        out.append(edit)
    return out


def apply(text: str, edits: list[Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def _set(data: Any, path: Path, value: Any) -> None:
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def fixed_text(document: Document, edits: list[Edit]) -> str:
    """The document's text with the edits applied, verified by parsing it again."""
    new = apply(document.text, edits)
    expected = copy.deepcopy(document.data)
    for edit in edits:
        _set(expected, edit.doc_path, edit.value)
    try:
        reparsed = load_text(new, document.file).data
    except LiftError as exc:
        raise FixError(f"{document.file}: the fixed text does not parse ({exc}); nothing written") from None
    if reparsed != expected:
        raise FixError(f"{document.file}: the fixed text does not read back as intended; nothing written")
    return new


def unified_diff(old: str, new: str, file: str) -> str:
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{file}", f"b/{file}")
    out = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
    return out


@dataclass(frozen=True)
class FileFix:
    file: str
    old: str
    new: str
    edits: list[Edit]


def fix_document(document: Document, fixes: list[tuple[Diagnostic, Fix]]) -> FileFix:
    edits = plan(document, fixes)
    new = fixed_text(document, edits) if edits else document.text
    return FileFix(document.file, document.text, new, edits)


def write_fixed(path: str, text: str) -> None:
    """Write the fixed text to the real file (through a symlink), keeping its mode, owner and BOM.
    Raises OSError (PermissionError for a read-only file) and writes nothing then."""
    from liftspec.fileio import read_limited

    bom = read_limited(path, 2).startswith(b"\xef\xbb\xbf")
    write_atomic(path, ("\ufeff" if bom else "") + text)


def write_atomic(path: str, text: str) -> None:
    """Replace ``path`` in one step, keeping its permissions: a reader sees the old file or the new one."""
    from liftspec.fileio import write_through

    write_through(path, text.encode("utf-8"))
