"""The one place where a finding's path becomes a position in the file."""

from __future__ import annotations

from liftspec.diagnostics import Code, Diagnostic, Path, Severity, Span
from liftspec.load import Loc, SourceMap
from liftspec.resolve.overlay import Resolved


def position(source: SourceMap, path: Path) -> Loc:
    """Where to point for ``path``.

    A written scalar (or a collection written on its key's line): the value itself. A block
    collection: its key, which is where a reader looks and where an inline suppression goes.
    An unwritten path (a default): the key of the nearest written ancestor.
    """
    if source.written(path):
        value = source.values[path]
        key = source.keys.get(path)
        if key is not None and value.line != key.line:
            return key
        return value
    probe = tuple(path[:-1])
    while probe:
        if probe in source.keys:
            return source.keys[probe]
        if probe in source.values:
            return source.values[probe]
        probe = probe[:-1]
    # Nothing on the way is written: point at the start of the document, not across all of it.
    root = source.locate(())
    return Loc(root.line, root.col, root.line, root.col)


def locate(resolved: Resolved, path: Path) -> Loc:
    """``position`` in the resolved environment; a value its overlay reset with ``null`` points at that null."""
    if not resolved.source.written(path):
        document = resolved.document
        for n in range(len(path), 0, -1):
            reset = ("environments", resolved.env, *path[:n])
            if reset in document.source.values and _value(document.data, reset) is None:
                return document.source.values[reset]
    return position(resolved.source, path)


def _value(data: object, path: Path) -> object:
    node = data
    for part in path:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]  # type: ignore[index]
        else:
            return "<missing>"
    return node


def diagnostic_at(
    resolved: Resolved, code: Code, severity: Severity, path: Path, message: str, hint: str, *, key: bool = False
) -> Diagnostic:
    """A diagnostic about ``path`` of one environment, at the position ``locate`` gives (its key when ``key``)."""
    loc = resolved.source.keys.get(tuple(path)) if key else None
    loc = loc or locate(resolved, path)
    return Diagnostic(code, message, hint, Span.of(resolved.file, loc), path, severity=severity, envs=(resolved.env,))
