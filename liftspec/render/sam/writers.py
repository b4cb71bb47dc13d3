"""Deterministic text for templates: block YAML with short-form intrinsics, and indented JSON.

Both writers put one key or list item per line and return, for every line, the template path
written on it, so that a cfn-lint finding at a line can be traced back to a resource and a property.
Key order is the order of the dicts they are given (the renderer builds them in a fixed order).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from liftspec.render.sam.origins import TemplatePath

_PLAIN = re.compile(r"^[A-Za-z/$][A-Za-z0-9_./$:()*+,=@ -]*$")
# Plain scalars YAML 1.1 readers would take for something other than a string.
_KEYWORDS = {"y", "n", "yes", "no", "true", "false", "on", "off", "null"}
_SHORT_FORMS = {"Ref": "!Ref", "Fn::Sub": "!Sub", "Fn::GetAtt": "!GetAtt"}


@dataclass(frozen=True)
class Text:
    text: str
    lines: list[TemplatePath]  # lines[i] is the full template path written on line i + 1

    def path_at(self, line: int) -> TemplatePath:
        return self.lines[line - 1] if 1 <= line <= len(self.lines) else ()


# --- YAML --------------------------------------------------------------------


def yaml_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value} in a template")
        text = repr(value)
        # YAML 1.1 readers (PyYAML, hence cfn-lint) take 1e-05 for a string: they need the dot.
        return text.replace("e", ".0e", 1) if "e" in text and "." not in text else text
    if isinstance(value, str):
        return value if _is_plain(value) else _double_quoted(value)
    raise TypeError(f"cannot write {type(value).__name__} in a template")


def _is_plain(text: str) -> bool:
    return (
        bool(_PLAIN.fullmatch(text))
        and text.lower() not in _KEYWORDS
        and not text.endswith((" ", ":"))
        and ": " not in text
        and " #" not in text
    )


def _double_quoted(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def _short_form(node: dict[str, Any]) -> str | None:
    if len(node) != 1:
        return None
    ((key, value),) = node.items()
    tag = _SHORT_FORMS.get(key)
    if tag is None:
        return None
    if key == "Fn::GetAtt" and isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return f"{tag} {value[0]}.{value[1]}"
    if key != "Fn::GetAtt" and isinstance(value, str):
        return f"{tag} {yaml_scalar(value)}"
    return None


class _YamlWriter:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.lines: list[TemplatePath] = []

    def emit(self, text: str, path: TemplatePath) -> None:
        self.out.append(text)
        self.lines.append(path)

    def inline(self, value: Any) -> str | None:
        """The text of a value that fits after `key:` on one line, or None for a block."""
        if isinstance(value, dict):
            return "{}" if not value else _short_form(value)
        if isinstance(value, list):
            return "[]" if not value else None
        return yaml_scalar(value)

    def mapping(self, node: dict[str, Any], indent: int, path: TemplatePath, first_prefix: str | None = None) -> None:
        for i, (key, value) in enumerate(node.items()):
            lead = first_prefix if (i == 0 and first_prefix is not None) else " " * indent
            here = (*path, key)
            text = self.inline(value)
            if text is not None:
                self.emit(f"{lead}{yaml_scalar(key)}: {text}", here)
            else:
                self.emit(f"{lead}{yaml_scalar(key)}:", here)
                self.block(value, indent + 2, here)

    def sequence(self, items: list[Any], indent: int, path: TemplatePath) -> None:
        pad = " " * indent
        for i, item in enumerate(items):
            here = (*path, i)
            text = self.inline(item)
            if text is not None:
                self.emit(f"{pad}- {text}", here)
            elif isinstance(item, dict):
                self.mapping(item, indent + 2, here, first_prefix=f"{pad}- ")
            else:
                self.emit(f"{pad}-", here)
                self.block(item, indent + 2, here)

    def block(self, value: Any, indent: int, path: TemplatePath) -> None:
        if isinstance(value, dict):
            self.mapping(value, indent, path)
        else:
            self.sequence(value, indent, path)


def to_yaml(template: dict[str, Any], header: str = "") -> Text:
    writer = _YamlWriter()
    for line in header.splitlines():
        writer.emit(f"# {line}".rstrip(), ())
    writer.mapping(template, 0, ())
    return Text("\n".join(writer.out) + "\n", writer.lines)


# --- JSON --------------------------------------------------------------------


class _JsonWriter:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.lines: list[TemplatePath] = []

    def value(self, value: Any, indent: int, path: TemplatePath, lead: str, tail: str) -> None:
        pad = " " * indent
        if isinstance(value, dict) and value:
            self.out.append(lead + "{")
            self.lines.append(path)
            for i, (key, item) in enumerate(value.items()):
                comma = "," if i < len(value) - 1 else ""
                self.value(item, indent + 2, (*path, key), f"{pad}  {json.dumps(key, ensure_ascii=False)}: ", comma)
            self.out.append(pad + "}" + tail)
            self.lines.append(path)
        elif isinstance(value, list) and value:
            self.out.append(lead + "[")
            self.lines.append(path)
            for i, item in enumerate(value):
                comma = "," if i < len(value) - 1 else ""
                self.value(item, indent + 2, (*path, i), f"{pad}  ", comma)
            self.out.append(pad + "]" + tail)
            self.lines.append(path)
        else:
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"cannot write {value} in a template")
            self.out.append(lead + json.dumps(value, ensure_ascii=False) + tail)
            self.lines.append(path)


def to_json(template: dict[str, Any]) -> Text:
    writer = _JsonWriter()
    writer.value(template, 0, (), "", "")
    return Text("\n".join(writer.out) + "\n", writer.lines)
