"""YAML 1.2 composition at C speed, with exact marks.

libyaml (PyYAML's C parser) scans and parses; the node graph is composed here from its events, so
that nesting is bounded while composing (libyaml's own composer recurses in C) and plain scalars
are resolved with the YAML 1.2 core schema, as ruamel.yaml does (`yes`, `on`, `0777` stay strings or
decimals). Scalars are constructed here too: only the standard tags the loader accepts.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

T = "tag:yaml.org,2002:"

# The YAML 1.2 implicit resolvers of ruamel.yaml (resolver.py), by first character.
_RESOLVERS: list[tuple[str, re.Pattern[str], str]] = [
    (T + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    (
        T + "float",
        re.compile(
            r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
            |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
            |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
            |[-+]?\.(?:inf|Inf|INF)
            |\.(?:nan|NaN|NAN))$""",
            re.X,
        ),
        "-+0123456789.",
    ),
    (
        T + "int",
        re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$"),
        "-+0123456789",
    ),
    (T + "merge", re.compile(r"^(?:<<)$"), "<"),
    (T + "null", re.compile(r"^(?:~|null|Null|NULL|)$"), "~nN"),
    (
        T + "timestamp",
        re.compile(
            r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
            |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
            (?:[Tt]|[ \t]+)[0-9][0-9]?
            :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
            (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
            re.X,
        ),
        "0123456789",
    ),
    (T + "value", re.compile(r"^(?:=)$"), "="),
]
_BY_FIRST: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _pattern, _first in _RESOLVERS:
    for _char in _first:
        _BY_FIRST.setdefault(_char, []).append((_tag, _pattern))
_BY_FIRST[""] = [(T + "null", _RESOLVERS[4][1])]

_TIMESTAMP = re.compile(
    r"""^(?P<year>[0-9][0-9][0-9][0-9])
    -(?P<month>[0-9][0-9]?)
    -(?P<day>[0-9][0-9]?)
    (?:((?P<t>[Tt])|[ \t]+)
    (?P<hour>[0-9][0-9]?)
    :(?P<minute>[0-9][0-9])
    :(?P<second>[0-9][0-9])
    (?:\.(?P<fraction>[0-9]*))?
    (?:[ \t]*(?P<tz>Z|(?P<tz_sign>[-+])(?P<tz_hour>[0-9][0-9]?)(?::(?P<tz_minute>[0-9][0-9]))?))?)?$""",
    re.X,
)
_BOOLS = {"yes": True, "no": False, "y": True, "n": False, "true": True, "false": False, "on": True, "off": False}


class ComposeError(Exception):
    """A document libyaml parses but that cannot be composed (an undefined alias, a second document)."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem, self.problem_mark = problem, mark


class TooDeep(Exception):
    def __init__(self, node: Node) -> None:
        super().__init__("nesting too deep")
        self.node = node


@dataclass(eq=False)
class Node:
    tag: str
    start_mark: Any
    end_mark: Any


@dataclass(eq=False)
class ScalarNode(Node):
    value: str


@dataclass(eq=False)
class SequenceNode(Node):
    value: list[Node] = field(default_factory=list)


@dataclass(eq=False)
class MappingNode(Node):
    value: list[tuple[Node, Node]] = field(default_factory=list)


def resolve(value: str, plain: bool) -> str:
    if plain:
        for tag, pattern in _BY_FIRST.get(value[:1], ()):
            if pattern.match(value):
                return tag
    return T + "str"


# Line breaks in YAML 1.1 (libyaml) but ordinary characters in YAML 1.2 (NEL, LINE and PARAGRAPH SEPARATOR).
_YAML11_BREAKS = "\x85\u2028\u2029"


def compose(text: str, max_depth: int) -> Node | None:
    """The single document's root node (None when empty). Raises yaml.MarkedYAMLError, ComposeError or TooDeep."""
    from yaml import MarkedYAMLError, SafeLoader  # type: ignore[import-untyped]

    text, back = _hide_yaml11_breaks(text)
    try:
        from yaml._yaml import CParser  # type: ignore[import-untyped]
    except ImportError:  # a PyYAML built without libyaml: its pure-Python parser gives the same events
        return _compose_with(SafeLoader, text, max_depth, back)
    try:
        return _compose_with(CParser, text, max_depth, back)
    except MarkedYAMLError as exc:
        # libyaml refuses a "\ud83d\ude00" escape (a surrogate pair, or a lone one that load/unicode.py
        # reports at the string); PyYAML's own parser reads it, at its pace, for these rare files only.
        if "invalid Unicode character escape code" not in str(exc.problem):
            raise
        return _compose_with(SafeLoader, text, max_depth, back)


def _hide_yaml11_breaks(text: str) -> tuple[str, dict[int, int] | None]:
    """The text with each YAML 1.1-only line break swapped for a private-use character the text does not hold
    (one character for one: marks stay exact), and the table that swaps them back in scalars."""
    if not any(ch in text for ch in _YAML11_BREAKS):
        return text, None
    spare = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)
    hidden = {ord(ch): next(spare) for ch in _YAML11_BREAKS}
    return text.translate(hidden), {ord(v): k for k, v in hidden.items()}


def _compose_with(parser_class: Any, text: str, max_depth: int, back: dict[int, int] | None = None) -> Node | None:
    from yaml import events

    parser = parser_class(text)
    try:
        parser.get_event()  # stream start
        if parser.check_event(events.StreamEndEvent):
            return None
        parser.get_event()  # document start
        root = _Composer(parser, max_depth, back).node(0)
        parser.get_event()  # document end
        if not parser.check_event(events.StreamEndEvent):
            found = parser.peek_event().start_mark
            raise ComposeError("expected a single document in the stream, but found another document", found)
        return root
    finally:
        parser.dispose()


class _Composer:
    def __init__(self, parser: Any, max_depth: int, back: dict[int, int] | None = None) -> None:
        from yaml import events

        self.parser, self.max_depth, self.events, self.back = parser, max_depth, events, back
        self.anchors: dict[str, Node] = {}

    def node(self, depth: int) -> Node:
        ev = self.events
        event = self.parser.get_event()
        if isinstance(event, ev.AliasEvent):
            if event.anchor not in self.anchors:
                raise ComposeError(f"found undefined alias {event.anchor!r}", event.start_mark)
            return self.anchors[event.anchor]
        tag = event.tag
        node: Node
        if isinstance(event, ev.ScalarEvent):
            if tag is None or tag == "!":
                tag = resolve(event.value, event.implicit[0])
            value = event.value if self.back is None else event.value.translate(self.back)
            node = ScalarNode(tag, event.start_mark, event.end_mark, value)
            self._anchor(event.anchor, node)
            return node
        if isinstance(event, ev.SequenceStartEvent):
            seq = SequenceNode(T + "seq" if tag is None or tag == "!" else tag, event.start_mark, None)
            self._enter(seq, event.anchor, depth)
            while not self.parser.check_event(ev.SequenceEndEvent):
                seq.value.append(self.node(depth + 1))
            seq.end_mark = self.parser.get_event().end_mark
            return seq
        mapping = MappingNode(T + "map" if tag is None or tag == "!" else tag, event.start_mark, None)
        self._enter(mapping, event.anchor, depth)
        while not self.parser.check_event(ev.MappingEndEvent):
            key = self.node(depth + 1)
            mapping.value.append((key, self.node(depth + 1)))
        mapping.end_mark = self.parser.get_event().end_mark
        return mapping

    def _enter(self, node: Node, anchor: str | None, depth: int) -> None:
        if depth > self.max_depth:
            node.end_mark = node.start_mark
            raise TooDeep(node)
        self._anchor(anchor, node)

    def _anchor(self, anchor: str | None, node: Node) -> None:
        if anchor is not None:
            self.anchors[anchor] = node  # a redefined anchor replaces the earlier one, as in ruamel.yaml


def construct(node: ScalarNode) -> Any:
    """The value of a scalar with a standard tag (YAML 1.2); ValueError/KeyError for an invalid one."""
    tag, value = node.tag, node.value
    if tag == T + "str":
        return value
    if tag == T + "null":
        return None
    if tag == T + "bool":
        return _BOOLS[value.lower()]
    if tag == T + "int":
        return _int(value)
    if tag == T + "float":
        return _float(value)
    if tag == T + "timestamp":
        return _timestamp(value)
    raise ValueError(f"no constructor for {tag}")


def _int(text: str) -> int:
    digits = text.replace("_", "")
    sign = -1 if digits[0] == "-" else 1
    if digits[0] in "+-":
        digits = digits[1:]
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if digits.startswith(prefix):
            return sign * int(digits[2:], base)
    return sign * int(digits)


def _float(text: str) -> float:
    digits = text.replace("_", "").lower()
    sign = -1 if digits[0] == "-" else 1
    if digits[0] in "+-":
        digits = digits[1:]
    if digits == ".inf":
        return sign * float("inf")
    if digits == ".nan":
        return float("nan")
    return sign * float(digits)


def _timestamp(text: str) -> datetime.date:
    match = _TIMESTAMP.match(text)
    if match is None:
        raise ValueError(f"failed to construct timestamp from {text!r}")
    v = match.groupdict()
    year, month, day = int(v["year"]), int(v["month"]), int(v["day"])
    if v["hour"] is None:
        return datetime.date(year, month, day)
    fraction = 0
    carry = datetime.timedelta()
    if v["fraction"]:
        fraction = int(v["fraction"][:6].ljust(6, "0"))
        if len(v["fraction"]) > 6 and int(v["fraction"][6]) > 4:
            fraction += 1
        if fraction > 999_999:
            fraction, carry = 0, datetime.timedelta(seconds=1)
    tzinfo = None
    if v["tz_sign"]:
        offset = datetime.timedelta(hours=int(v["tz_hour"]), minutes=int(v["tz_minute"] or 0))
        tzinfo = datetime.timezone(-offset if v["tz_sign"] == "-" else offset, name=v["tz"])
    elif v["tz"] == "Z":
        tzinfo = datetime.timezone(datetime.timedelta(), name="Z")
    stamp = datetime.datetime(year, month, day, int(v["hour"]), int(v["minute"]), int(v["second"]), fraction, tzinfo)
    return stamp + carry
