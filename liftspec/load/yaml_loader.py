"""Safe YAML loading with a source map.

compose.py composes the node graph from libyaml's events (which keep exact marks); we construct plain
Python values ourselves so that only the standard YAML tags are accepted, duplicate
keys are caught, and alias expansion is bounded (a "billion laughs" document is
composed in linear time but would explode when constructed).
"""

from __future__ import annotations

from typing import Any

from liftspec import codes
from liftspec.diagnostics import Code, Diagnostic, LiftError, Path, Span
from liftspec.load.compose import ComposeError, MappingNode, ScalarNode, SequenceNode, TooDeep, compose, construct
from liftspec.load.document import Document
from liftspec.load.sourcemap import Loc, SourceMap

MAX_BYTES = 1_000_000
MAX_NODES = 20_000
MAX_DEPTH = 64

_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_T + name for name in ("str", "int", "float", "bool", "null", "timestamp")}


def _diag(code: Code, message: str, hint: str, file: str, line: int = 1, col: int = 1, path: Path = ()) -> Diagnostic:
    return Diagnostic(code, message, hint, Span(file, line, col), path)


def read_text(raw: bytes, file: str) -> str:
    if len(raw) > MAX_BYTES:
        raise LiftError(
            [
                _diag(
                    codes.TOO_LARGE,
                    f"file is larger than {MAX_BYTES:,} bytes, the limit",
                    "a lift.yaml describes one service and is a few kilobytes; check that this is the right file",
                    file,
                )
            ]
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise LiftError(
            [
                _diag(
                    codes.YAML_SYNTAX,
                    f"not UTF-8 text: invalid byte 0x{raw[exc.start]:02x}",
                    "lift.yaml must be UTF-8 encoded YAML",
                    file,
                    line,
                    col,
                )
            ]
        ) from None
    bad = text.find("\x00")
    if bad >= 0:
        prefix = text[:bad]
        raise LiftError(
            [
                _diag(
                    codes.YAML_SYNTAX,
                    "binary data: NUL character in the file",
                    "lift.yaml must be a YAML text file",
                    file,
                    prefix.count("\n") + 1,
                    bad - (prefix.rfind("\n") + 1) + 1,
                )
            ]
        )
    return text


def load_text(text: str, file: str = "lift.yaml") -> Document:
    from yaml import MarkedYAMLError, YAMLError  # type: ignore[import-untyped]

    try:
        root = compose(text, MAX_DEPTH)
    except (MarkedYAMLError, ComposeError) as exc:
        mark = exc.problem_mark or getattr(exc, "context_mark", None)
        problem = exc.problem or getattr(exc, "context", None) or "invalid YAML"
        context = getattr(exc, "context", None)
        context = f" ({context})" if context and exc.problem else ""
        if "expected a single document" in str(exc):
            problem, context = "more than one YAML document in the file", ""
        raise LiftError(
            [
                _diag(
                    codes.YAML_SYNTAX,
                    f"YAML syntax error: {problem}{context}",
                    "check indentation, quoting and colons around this position",
                    file,
                    (mark.line + 1) if mark else 1,
                    (mark.column + 1) if mark else 1,
                )
            ]
        ) from None
    except YAMLError as exc:
        raise LiftError([_diag(codes.YAML_SYNTAX, f"YAML syntax error: {exc}", "check the file is YAML text", file)]) from None
    except TooDeep as exc:
        too_deep = f"nesting deeper than {MAX_DEPTH} levels"
        raise _Builder(file).fail(codes.TOO_LARGE, too_deep, "flatten the document", exc.node, ()) from None
    if root is None:
        raise LiftError(
            [
                _diag(
                    codes.MISSING_KEY,
                    "file is empty: a lift.yaml needs at least 'liftspec', 'service' and 'functions'",
                    "run `liftspec init` to write a starter file",
                    file,
                )
            ]
        )
    _refuse_merge_keys(root, file)
    builder = _Builder(file)
    data = builder.build(root, (), 0)
    if not isinstance(data, dict):
        mark = root.start_mark
        raise LiftError(
            [
                _diag(
                    codes.INVALID_VALUE,
                    f"a lift.yaml must be a mapping of sections, got {_kind(data)}",
                    "start with `liftspec: 1`, `service: NAME` and `functions:`",
                    file,
                    mark.line + 1,
                    mark.column + 1,
                )
            ]
        )
    return Document(file, text, data, builder.source)


def _refuse_merge_keys(root: Any, file: str) -> None:
    """LS010 on the first ``<<`` key: a merged value has no place of its own in the file, so findings,
    suppressions and --fix would point at (or edit) the wrong line."""
    stack: list[Any] = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen or not isinstance(node.value, list):
            continue  # a scalar, or a node already visited through an alias
        seen.add(id(node))
        for item in reversed(node.value):  # mapping: (key, value) pairs; sequence: nodes
            if isinstance(item, tuple) and item[0].tag == _T + "merge":
                mark = item[0].start_mark
                raise LiftError(
                    [
                        _diag(
                            codes.YAML_MERGE_KEY,
                            "YAML merge keys (<<) are not supported",
                            "write the keys out in this mapping, or put what differs per environment in environments.NAME",
                            file,
                            mark.line + 1,
                            mark.column + 1,
                        )
                    ]
                )
            stack += list(item) if isinstance(item, tuple) else [item]


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    return f"a {type(value).__name__}"


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.source = SourceMap(file)
        self.count = 0

    def loc(self, node: Any) -> Loc:
        start, end = node.start_mark, node.end_mark
        return Loc(start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    def fail(self, code: Code, message: str, hint: str, node: Any, path: Path) -> LiftError:
        loc = self.loc(node)
        return LiftError([_diag(code, message, hint, self.file, loc.line, loc.col, path)])

    def build(self, node: Any, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                codes.TOO_LARGE,
                f"document expands to more than {MAX_NODES:,} values (alias bomb?)",
                "anchors and aliases are allowed, but not nested expansion this large",
                node,
                path,
            )
        if depth > MAX_DEPTH:
            raise self.fail(codes.TOO_LARGE, f"nesting deeper than {MAX_DEPTH} levels", "flatten the document", node, path)
        tag = node.tag if isinstance(node.tag, str) else str(node.tag)
        self.source.values[path] = self.loc(node)
        if isinstance(node, ScalarNode):
            if tag not in _SCALAR_TAGS:
                raise self._bad_tag(tag, node, path)
            try:
                return construct(node)
            except Exception:  # e.g. an invalid !!int or timestamp
                raise self.fail(
                    codes.INVALID_VALUE,
                    f"invalid {tag.removeprefix(_T)} value {node.value!r}",
                    "remove the explicit tag or fix the value",
                    node,
                    path,
                ) from None
        if isinstance(node, SequenceNode):
            if tag != _T + "seq":
                raise self._bad_tag(tag, node, path)
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            if tag != _T + "map":
                raise self._bad_tag(tag, node, path)
            return self._mapping(node, path, depth)
        raise self._bad_tag(tag, node, path)

    def _bad_tag(self, tag: str, node: Any, path: Path) -> LiftError:
        shown = "!!" + tag.removeprefix(_T) if tag.startswith(_T) else tag
        return self.fail(
            codes.YAML_TAG,
            f"YAML tag {shown} is not allowed",
            "lift.yaml accepts plain YAML only: remove the tag (no Python or custom object tags)",
            node,
            path,
        )

    def _mapping(self, node: Any, path: Path, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        seen: dict[Any, Loc] = {}
        for key_node, value_node in node.value:
            key_tag = key_node.tag if isinstance(key_node.tag, str) else str(key_node.tag)
            if key_tag == _T + "merge":
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                for source in sources:
                    if not isinstance(source, MappingNode):
                        raise self.fail(
                            codes.INVALID_VALUE,
                            "a merge key (<<) needs a mapping or a list of mappings",
                            "use `<<: *anchor` with an anchored mapping",
                            source,
                            path,
                        )
                    for k, v in self._mapping(source, path, depth + 1).items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, ScalarNode):
                raise self.fail(
                    codes.INVALID_VALUE,
                    "a key must be a plain string, not a list or mapping",
                    "write the key as a word",
                    key_node,
                    path,
                )
            key = self.build(key_node, path + ("<key>",), depth + 1)
            self.source.values.pop(path + ("<key>",), None)
            if isinstance(key, bool) or key is None or not isinstance(key, (str, int, float)):
                raise self.fail(
                    codes.INVALID_VALUE,
                    f"key {key_node.value!r} is read as {_kind(key)}, not a string",
                    f'quote it: "{key_node.value}"',
                    key_node,
                    path,
                )
            key = str(key)
            if key in seen:
                first = seen[key]
                raise self.fail(
                    codes.DUPLICATE_KEY,
                    f"duplicate key '{key}' (first defined at line {first.line})",
                    "YAML keeps only one of them: remove or rename one",
                    key_node,
                    path + (key,),
                )
            seen[key] = self.loc(key_node)
            self.source.keys[path + (key,)] = self.loc(key_node)
            out[key] = self.build(value_node, path + (key,), depth + 1)
        for key, value in merged.items():
            out.setdefault(key, value)
        return out
