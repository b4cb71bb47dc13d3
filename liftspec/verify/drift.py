"""Readable differences between compiled outputs: `ApiFunction.MemorySize: 512 → 1024`.

Templates and JSON files are compared as data (deepdiff), other files as text. Used by
`liftspec compile --check` (the output folder against what would be compiled now) and
`liftspec diff` (two environments, or a folder against now).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from typing import Any

from liftspec.diagnostics import dotted

MAX_VALUE_CHARS = 100
MAX_TEXT_LINES = 40
_TEMPLATES = ("template.yaml", "template.json")


Rename = tuple[str, str] | None


def template_changes(old: dict[str, Any], new: dict[str, Any], rename: Rename = None) -> list[str]:
    """One line per difference, resources named by logical id (`ApiFunction.MemorySize: 512 → 1024`)."""
    return _changes(old, new, _where, rename, resources=True)


def data_changes(old: Any, new: Any, rename: Rename = None) -> list[str]:
    """Differences of plain JSON data (lift_config.json, manifest.json), paths dotted from the top."""
    return _changes(old, new, lambda path: dotted(tuple(path)) or "(top)", rename, resources=False)


def _changes(old: Any, new: Any, name: Callable[[list[Any]], str], rename: Rename, *, resources: bool) -> list[str]:
    """Sorted by where they are. With `rename` (old env, new env), strings that differ only by the
    environment's name are counted on one line instead of listed."""
    from deepdiff import DeepDiff

    diff = DeepDiff(old, new, view="tree", verbose_level=2)
    rows: list[tuple[tuple[str, ...], str]] = []
    renamed = 0
    for kind, items in diff.items():
        for item in items:
            path = list(item.path(output_format="list"))
            where, key = name(path), tuple(str(p) for p in path)
            if kind.endswith("_added"):
                rows.append((key, _added("+", path, where, item.t2) if resources else f"+ {where}: {show(item.t2)}"))
            elif kind.endswith("_removed"):
                rows.append((key, _added("-", path, where, item.t1) if resources else f"- {where}: {show(item.t1)}"))
            elif rename and isinstance(item.t1, str) and isinstance(item.t2, str) and item.t1.replace(*rename) == item.t2:
                renamed += 1
            else:
                rows.append((key, f"{where}: {show(item.t1)} → {show(item.t2)}"))
    lines = [line for _, line in sorted(rows)]
    if renamed and rename:
        lines.append(
            f"({renamed} more value{'s differ' if renamed != 1 else ' differs'} only by the environment's name, "
            f"{rename[0]} → {rename[1]})"
        )
    return lines


def file_changes(old: dict[str, bytes], new: dict[str, bytes], rename: Rename = None) -> list[str]:
    """What changes from `old` to `new` (relative path -> content), file by file, readable.

    A file whose content changes exactly like an earlier one (the layer's copy of lift_config.json)
    is named, not repeated.
    """
    lines: list[str] = []
    seen: dict[tuple[bytes, bytes], str] = {}
    for name in sorted(set(old) | set(new), key=lambda n: (n.count("/"), n)):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if before is None:
            lines.append(f"{name}: new file")
            continue
        if after is None:
            lines.append(f"{name}: would be removed")
            continue
        if (before, after) in seen:
            lines.append(f"{name}: the same changes as {seen[(before, after)]}")
            continue
        seen[(before, after)] = name
        detail = _content_changes(name, before, after, rename)
        lines.append(f"{name}:")
        lines += [f"  {line}" for line in detail] or ["  (only formatting differs)"]
    return lines


def _content_changes(name: str, before: bytes, after: bytes, rename: Rename) -> list[str]:
    try:
        if name in _TEMPLATES:
            return template_changes(load_template(name, before), load_template(name, after), rename)
        if name.endswith(".json"):
            return data_changes(json.loads(before), json.loads(after), rename)
    except ValueError:
        pass  # not parseable any more (edited by hand): fall back to a text diff
    try:
        old_text, new_text = before.decode(), after.decode()
    except UnicodeDecodeError:
        return [f"binary content differs ({len(before):,} → {len(after):,} bytes)"]
    diff = list(difflib.unified_diff(old_text.splitlines(), new_text.splitlines(), "before", "after", lineterm="", n=1))[2:]
    if len(diff) > MAX_TEXT_LINES:
        diff = [*diff[:MAX_TEXT_LINES], f"... {len(diff) - MAX_TEXT_LINES} more lines"]
    return diff


def load_template(name: str, content: bytes) -> dict[str, Any]:
    """A written template back as data (short-form intrinsics in long form). Raises ValueError."""
    text = content.decode()
    data = json.loads(text) if name.endswith(".json") else _load_cfn_yaml(text)
    if not isinstance(data, dict):
        raise ValueError(f"{name} is not a mapping")
    return data


def _load_cfn_yaml(text: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import SafeConstructor
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    class CfnConstructor(SafeConstructor):
        pass

    def intrinsic(loader: Any, suffix: str, node: Any) -> Any:
        name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
        if isinstance(node, ScalarNode):
            value: Any = loader.construct_scalar(node)
            if suffix == "GetAtt" and isinstance(value, str):
                value = value.split(".", 1)
        elif isinstance(node, SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        elif isinstance(node, MappingNode):
            value = loader.construct_mapping(node, deep=True)
        else:
            value = None
        return {name: value}

    CfnConstructor.add_multi_constructor("!", intrinsic)
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = CfnConstructor
    try:
        return _plain(yaml.load(text))
    except YAMLError as exc:
        raise ValueError(str(exc)) from exc


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _where(path: list[Any]) -> str:
    """("Resources", "ApiFunction", "Properties", "MemorySize") -> "ApiFunction.MemorySize"."""
    if len(path) >= 2 and path[0] == "Resources":
        rest = path[1:]
        if len(rest) >= 2 and rest[1] == "Properties":
            rest = [rest[0], *rest[2:]]
        return dotted(tuple(rest))
    return dotted(tuple(path))


def _added(sign: str, path: list[Any], where: str, value: Any) -> str:
    if len(path) == 2 and path[0] == "Resources" and isinstance(value, dict):
        return f"{sign} {where} ({value.get('Type', '?')})"
    return f"{sign} {where}: {show(value)}"


def show(value: Any) -> str:
    """A value on one line: intrinsics in short form, strings bare, the rest as compact JSON."""
    if isinstance(value, dict) and len(value) == 1:
        ((key, inner),) = value.items()
        if key == "Ref" and isinstance(inner, str):
            return f"!Ref {inner}"
        if key == "Fn::GetAtt" and isinstance(inner, list):
            return "!GetAtt " + ".".join(str(p) for p in inner)
        if key == "Fn::Sub" and isinstance(inner, str):
            return f"!Sub {inner}"
    if isinstance(value, str):
        text = value if value and value.strip() == value else json.dumps(value)
    elif isinstance(value, bool) or value is None:
        text = json.dumps(value)
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"
