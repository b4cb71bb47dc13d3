"""Environment overlays: deep-merge ``environments.NAME`` over the base document.

Maps merge key by key; lists and scalars replace; ``null`` resets a key to its
default. The merged source map points every value at where it was written: in the
overlay when the overlay set it, in the base otherwise.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from liftspec import codes
from liftspec.diagnostics import Diagnostic, LiftError, Path, Span
from liftspec.load import Document, SourceMap

DEFAULT_ENV = "production"


@dataclass
class Resolved:
    env: str
    document: Document
    data: dict[str, Any]
    source: SourceMap

    @property
    def file(self) -> str:
        return self.document.file


def default_env(doc: Document) -> str:
    value = doc.data.get("environment")
    return value if isinstance(value, str) and value else DEFAULT_ENV


def overlays(doc: Document) -> dict[str, Any]:
    value = doc.data.get("environments")
    return value if isinstance(value, dict) else {}


def environments(doc: Document) -> list[str]:
    """Every environment a file describes: the default one first, then each overlay in file order."""
    names = [default_env(doc)]
    names += [name for name in overlays(doc) if name not in names]
    return names


def resolve(doc: Document, env: str | None = None) -> Resolved:
    name = env or default_env(doc)
    overlay_map = overlays(doc)
    if env is not None and env not in overlay_map and env != default_env(doc):
        known = environments(doc)
        close = difflib.get_close_matches(env, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"this file defines: {', '.join(known)}"
        loc = doc.source.locate(("environments",), key=True)
        raise LiftError(
            [
                Diagnostic(
                    codes.UNKNOWN_ENVIRONMENT,
                    f"unknown environment '{env}'",
                    hint,
                    Span(doc.file, loc.line, loc.col),
                    ("environments",),
                    envs=(env,),
                )
            ]
        )
    source = SourceMap(doc.file, dict(doc.source.values), dict(doc.source.keys), dict(doc.source.resets))
    data = dict(doc.data)
    overlay = overlay_map.get(name)
    if isinstance(overlay, dict):
        data = _merge(data, overlay, (), ("environments", name), doc.source, source)
    data["environment"] = name
    return Resolved(name, doc, data, source)


def _drop(source: SourceMap, path: Path) -> None:
    n = len(path)
    for table in (source.values, source.keys):
        for key in [k for k in table if k[:n] == path and len(k) > n]:
            del table[key]


def _copy(source: SourceMap, origin: SourceMap, src: Path, dst: Path) -> None:
    n = len(src)
    for table, from_table in ((source.values, origin.values), (source.keys, origin.keys)):
        for key, loc in from_table.items():
            if key[:n] == src and (len(key) > n or table is source.values):
                table[dst + key[n:]] = loc


def _merge(
    base: dict[str, Any], overlay: dict[str, Any], path: Path, opath: Path, origin: SourceMap, source: SourceMap
) -> dict[str, Any]:
    out = dict(base)
    for key, value in overlay.items():
        here, there = path + (key,), opath + (key,)
        if value is None:
            out.pop(key, None)
            if there in origin.values:
                source.resets[here] = origin.values[there]
            _drop(source, here)
            source.values.pop(here, None)
            source.keys.pop(here, None)
            continue
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value, here, there, origin, source)
            if there in origin.keys:
                source.keys.setdefault(here, origin.keys[there])
            continue
        out[key] = value
        _drop(source, here)
        _copy(source, origin, there, here)
        if there in origin.keys:
            source.keys[here] = origin.keys[there]
    return out
