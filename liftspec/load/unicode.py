"""Strings that are not Unicode text: a lone surrogate, from a YAML escape such as "\\ud800".

Such a string cannot be encoded as UTF-8, so every later step that writes it (a report, a template, the
runtime config) would fail. A surrogate pair ("\\ud83d\\ude00") is joined into the one character it
stands for; a lone surrogate is a finding at the string that holds it.
"""

from __future__ import annotations

import re
from typing import Any

from liftspec import codes
from liftspec.diagnostics import Diagnostic, LiftError, Path, Span
from liftspec.load.document import Document
from liftspec.load.sourcemap import Loc

_SURROGATE = re.compile("[\ud800-\udfff]")


def checked(document: Document) -> Document:
    """The document with surrogate pairs joined; raises LiftError (LS001) for lone surrogates."""
    if "\\u" not in document.text and "\\U" not in document.text and not _SURROGATE.search(document.text):
        return document  # no escape could have made one
    problems: list[Diagnostic] = []
    document.data = _walk(document, document.data, (), problems)
    if problems:
        raise LiftError(problems)
    return document


def _walk(document: Document, value: Any, path: Path, problems: list[Diagnostic]) -> Any:
    if isinstance(value, str):
        return _text(document, value, document.source.values.get(path), path, problems)
    if isinstance(value, list):
        for i, item in enumerate(value):
            value[i] = _walk(document, item, (*path, i), problems)
        return value
    if isinstance(value, dict):
        if not any(_SURROGATE.search(key) for key in value if isinstance(key, str)):
            for key, item in value.items():
                value[key] = _walk(document, item, (*path, key), problems)
            return value
        out: dict[Any, Any] = {}
        for key, item in value.items():
            new_key = _text(document, key, document.source.keys.get((*path, key)), (*path, key), problems)
            out[new_key] = _walk(document, item, (*path, key), problems)
        return out
    return value


def _text(document: Document, text: str, loc: Loc | None, path: Path, problems: list[Diagnostic]) -> str:
    if not _SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        pass
    lone = _SURROGATE.search(text)
    assert lone is not None
    where = loc or document.source.locate(path)
    problems.append(
        Diagnostic(
            codes.YAML_SYNTAX,
            f"not Unicode text: the string holds a lone surrogate \\u{ord(lone.group()):04x}",
            "\\ud800-\\udfff escapes are halves of a surrogate pair, not characters: write the character itself "
            "(or its \\U0001xxxx escape)",
            Span.of(document.file, where),
            path,
        )
    )
    return text
