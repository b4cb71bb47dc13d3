"""Generate the Go config package ``liftconfig/config.go`` (and its test) from the same Config record as lift_config.py.

The Go types follow lift_runtime.config_types field by field (the JSON tags are lift_config.json's keys),
so the Go value marshals to exactly the values of lift_config.json; the generated ``config_test.go``
checks that inside Go. The text is gofmt-clean by construction: struct fields are aligned the way gofmt
aligns them, and the value is built by assignment statements whose right-hand sides fit on one line, so
gofmt has nothing else to align. Every string is written as an escaped Go literal, never pasted: quotes,
backslashes, newlines, NUL, ``*/`` and any unicode come back exactly. Go strings cannot hold a lone
surrogate (Python can, YAML cannot): such a value is refused with a ValueError.
"""

from __future__ import annotations

import math
import re
from types import MappingProxyType

from lift_runtime import config_types
from lift_runtime.config_types import Config, Record

PACKAGE = "liftconfig"
MODULE = "liftspec.local/lift"  # the Go module compile writes at the top of its output folder
GO_VERSION = "1.19"
_INITIALISMS = {"https": "HTTPS", "http": "HTTP", "ttl": "TTL", "arn": "ARN", "jwt": "JWT", "id": "ID", "json": "JSON"}
# Config is the name of the value (as CONFIG is in Python): its type is Settings.
_TYPE_NAMES = {"Jwt": "JWT", "HttpClient": "HTTPClient", "Config": "Settings"}
_SCALARS = {"str": "string", "float": "float64", "int": "int", "bool": "bool"}
_PLAIN_META = re.compile(r"^[A-Za-z0-9:+/=._-]*$")


def go_name(snake: str) -> str:
    """request_timeout -> RequestTimeout, require_https -> RequireHTTPS."""
    return "".join(_INITIALISMS.get(part, part[:1].upper() + part[1:]) for part in snake.split("_"))


def type_name(record: type[Record]) -> str:
    return _TYPE_NAMES.get(record.__name__, record.__name__)


def _records() -> dict[str, type[Record]]:
    """The record classes of config_types by Python name, dependencies before dependents (Config last)."""
    found = {
        name: value
        for name, value in vars(config_types).items()
        if isinstance(value, type) and issubclass(value, Record) and value is not Record
    }
    return dict(sorted(found.items(), key=lambda item: (item[1] is Config, item[0])))


def go_type(annotation: str) -> str:
    """The Go type of a config_types annotation (a string: the module uses `from __future__ import annotations`)."""
    annotation = annotation.strip()
    if annotation.endswith(" | None"):
        return "*" + go_type(annotation.removesuffix(" | None"))
    if annotation.startswith("tuple[") and annotation.endswith(", ...]"):
        return "[]" + go_type(annotation[6:-6])
    if annotation.startswith("Mapping[str, ") and annotation.endswith("]"):
        return "map[string]" + go_type(annotation[13:-1])
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    records = _records()
    if annotation in records:
        return type_name(records[annotation])
    raise TypeError(f"no Go type for the annotation {annotation!r}")


def _annotations(record: type[Record]) -> dict[str, str]:
    return {name: str(record.__annotations__[name]) for name in record.__slots__}


def _doc(record: type[Record]) -> list[str]:
    lines = (record.__doc__ or "").strip().splitlines()
    first = lines[0].strip() if lines else record.__name__
    return [f"// {type_name(record)}: {first}"]


def render_types() -> str:
    """Go struct types for every record, fields aligned as gofmt aligns them."""
    out: list[str] = []
    for record in _records().values():
        rows = [(go_name(name), go_type(annotation), f'`json:"{name}"`') for name, annotation in _annotations(record).items()]
        width_name = max(len(row[0]) for row in rows)
        width_type = max(len(row[1]) for row in rows)
        out += _doc(record)
        out.append(f"type {type_name(record)} struct {{")
        out += [f"\t{name.ljust(width_name)} {kind.ljust(width_type)} {tag}" for name, kind, tag in rows]
        out.append("}")
        out.append("")
    return "\n".join(out)


# --- values ----------------------------------------------------------------------


def go_string(text: str) -> str:
    """A Go interpreted string literal for `text`: printable characters as they are, everything else escaped."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            raise ValueError(f"{text!r} holds a lone surrogate ({ch!r}), which a Go string cannot hold")
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif " " <= ch <= "~" or (code > 0x7F and ch.isprintable()):
            out.append(ch)
        elif code < 0x80:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def go_value(value: object) -> str:
    """A one-line Go expression for a config value (records become composite literals)."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} cannot be written as a Go constant")
        text = repr(value)
        return text if any(c in text for c in ".e") else text + ".0"
    if isinstance(value, str):
        return go_string(value)
    if isinstance(value, Record):
        fields = ", ".join(f"{go_name(name)}: {_field(type(value), name, getattr(value, name))}" for name in value.__slots__)
        return f"{type_name(type(value))}{{{fields}}}"
    raise TypeError(f"no Go value for {type(value).__name__}")


def _field(record: type[Record], name: str, value: object) -> str:
    kind = go_type(_annotations(record)[name])
    if kind.startswith("*"):
        if value is None:
            return "nil"
        return f"&{go_value(value)}" if isinstance(value, Record) else f"ptr({go_value(value)})"
    if kind.startswith("[]"):
        # gofmt -s style: the element type is not repeated inside the slice literal.
        return f"{kind}{{{', '.join(go_value(item).removeprefix(kind[2:]) for item in value)}}}"  # type: ignore[attr-defined]
    if kind.startswith("map["):
        assert isinstance(value, (dict, MappingProxyType))
        return f"{kind}{{{', '.join(f'{go_string(str(k))}: {go_value(v)}' for k, v in value.items())}}}"
    return go_value(value)


def _statements(config: Config) -> list[str]:
    """`c.Field = value` per field of Config; mappings entry by entry, so that no line holds a whole table."""
    out: list[str] = []
    for name in config.__slots__:
        value = getattr(config, name)
        target = f"c.{go_name(name)}"
        kind = go_type(_annotations(Config)[name])
        if kind.startswith("map[") and value:
            out.append(f"{target} = {kind}{{}}")
            out += [f"{target}[{go_string(str(key))}] = {go_value(item)}" for key, item in value.items()]
        else:
            out.append(f"{target} = {_field(Config, name, value)}")
    return out


def _plain(label: str, value: str) -> str:
    if not _PLAIN_META.match(value):
        raise ValueError(f"{label} {value!r} is not a plain token")
    return value


def header(config: Config) -> str:
    """The provenance header of lift_config.py, in Go's generated-code form."""
    source = config.provenance
    return (
        f"// Code generated by liftspec {_plain('version', source.liftspec_version)} from {go_string(source.source)}, "
        f"environment {go_string(config.environment)}. DO NOT EDIT.\n"
        f"// Input sha256: {_plain('digest', source.digest)}\n"
        "// Change lift.yaml and run `liftspec compile` again.\n"
    )


def render_config_go(config: Config) -> bytes:
    body = "\n".join(f"\t{line}" for line in _statements(config))
    text = (
        f"{header(config)}\n"
        f"// Package {PACKAGE} is the runtime config compiled from lift.yaml (standard library only).\n"
        "// Durations are seconds (float64), sizes bytes; the JSON tags are the keys of lift_config.json.\n"
        f"package {PACKAGE}\n\n"
        f"{render_types()}\n"
        f"// Config holds every runtime value of environment {go_string(config.environment)}.\n"
        "var Config = build()\n\n"
        "func build() Settings {\n"
        "\tvar c Settings\n"
        f"{body}\n"
        "\treturn c\n"
        "}\n\n"
        "func ptr(s string) *string { return &s }\n"
    )
    return text.encode("utf-8")


def render_config_test_go(config: Config, json_text: bytes) -> bytes:
    """A test that Config marshals to exactly the values of lift_config.json."""
    text = (
        f"{header(config)}\n"
        f"package {PACKAGE}\n\n"
        'import (\n\t"encoding/json"\n\t"reflect"\n\t"testing"\n)\n\n'
        f"const liftConfigJSON = {go_string(json_text.decode('utf-8'))}\n\n"
        "func TestConfigHoldsTheValuesOfLiftConfigJSON(t *testing.T) {\n"
        "\tencoded, err := json.Marshal(Config)\n"
        "\tif err != nil {\n\t\tt.Fatal(err)\n\t}\n"
        "\tvar got, want interface{}\n"
        "\tif err := json.Unmarshal(encoded, &got); err != nil {\n\t\tt.Fatal(err)\n\t}\n"
        "\tif err := json.Unmarshal([]byte(liftConfigJSON), &want); err != nil {\n\t\tt.Fatal(err)\n\t}\n"
        "\tif !reflect.DeepEqual(got, want) {\n"
        '\t\tt.Fatalf("Config differs from lift_config.json:\\n%s\\n%s", encoded, liftConfigJSON)\n'
        "\t}\n"
        "}\n\n"
        "func TestEveryFunctionIsNamedByItsKey(t *testing.T) {\n"
        "\tfor name, fn := range Config.Functions {\n"
        '\t\tif fn.Name != name {\n\t\t\tt.Errorf("Functions[%q].Name = %q", name, fn.Name)\n\t\t}\n'
        "\t}\n"
        "}\n"
    )
    return text.encode("utf-8")


def render_go_mod() -> bytes:
    return f"module {MODULE}\n\ngo {GO_VERSION}\n".encode()
