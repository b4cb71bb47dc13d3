"""Policy packs: data files that switch rules on, with a severity and whether they may be waived.

Built-in packs live in ``policies/`` (production, staging, baseline). A user pack is a YAML or
JSON file (format: schemas/pack.schema.json) that may also define declarative JSON-Schema checks.
Packs only add strictness: when several packs set one rule the strictest severity wins, and a
rule that any of them marks not suppressible cannot be waived. A built-in pack may be the floor of
some environments (production's): it applies there whatever policy.packs says. A check's schema
may refer only to itself (``#/...``), so reading a pack never opens a URL or another file.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from liftspec import codes
from liftspec.codes import Code, Docs
from liftspec.diagnostics import Diagnostic, LiftError, Path, Severity, Span, UsageError

BUILTIN_PACKS = ("production", "staging", "baseline")
PRODUCTION_NAMES = ("production", "prod")
PACK_KEYS = ("$schema", "pack", "description", "floor", "rules", "checks")
CHECK_KEYS = ("id", "name", "summary", "severity", "suppressible", "schema", "message", "hint", "path", "docs")
CHECK_ID = re.compile(r"^[A-Z]{2,}[0-9]{3}$")
CHECK_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Setting:
    severity: Severity
    suppressible: bool = True
    note: str = ""  # why the pack chose this, shown by `liftspec explain`


@dataclass(frozen=True)
class Check:
    """A declarative check of a user pack: a JSON Schema the resolved document must satisfy."""

    code: Code
    setting: Setting
    schema: dict[str, Any]
    message: str
    hint: str
    path: Path
    file: str
    line: int


@dataclass(frozen=True)
class Pack:
    name: str
    file: str
    description: str
    rules: dict[str, Setting]
    checks: tuple[Check, ...] = ()
    floor: tuple[str, ...] = ()  # environments this pack always applies to, whatever policy.packs says


@dataclass
class Enabled:
    """A rule as the packs of one environment configure it."""

    severity: Severity
    suppressible: bool
    packs: list[str] = field(default_factory=list)


@dataclass
class Policy:
    packs: list[Pack]
    rules: dict[str, Enabled]
    checks: list[Check]
    diagnostics: list[Diagnostic]

    def known(self, rule_id: str) -> bool:
        from liftspec.check.rule import RULES

        return rule_id in RULES or any(c.code.id == rule_id for c in self.checks)


def builtin_dir() -> FsPath:
    """The packs shipped with liftspec: package data when installed from a wheel, else the repository's policies/."""
    here = FsPath(__file__).resolve().parent.parent
    for candidate in (here / "data" / "policies", here.parent / "policies"):
        if candidate.is_dir():
            return candidate
    raise UsageError("this liftspec installation is incomplete: its built-in policy packs (policies/*.json) are missing")


def default_packs(env: str, configured: dict[str, list[str]] | None = None) -> list[str]:
    """Packs for an environment whose policy.packs is unset: [tool.liftspec] default-packs, else by name."""
    if configured:
        if env in configured:
            return list(configured[env])
        if "*" in configured:
            return list(configured["*"])
    return ["production"] if env in PRODUCTION_NAMES else ["staging"]


def is_path(reference: str) -> bool:
    return "/" in reference or os.sep in reference or reference.endswith((".yaml", ".yml", ".json"))


def builtin(name: str) -> Pack:
    """Read the built-in pack ``name`` (a run reads each once, through its PackCache)."""
    # JSON, not YAML: the stdlib reads it in well under a millisecond, on every lint run.
    import json

    from liftspec.load import SourceMap

    path = builtin_dir() / f"{name}.json"
    pack, problems = _Parser(json.loads(path.read_text(encoding="utf-8")), SourceMap(str(path)), str(path), True).pack()
    if pack is None or problems:
        raise RuntimeError(f"built-in pack {name} is invalid: {[d.message for d in problems]}")
    return pack


class PackCache:
    """The packs one run read: user packs by path, mtime and size (many lift.yaml files share one pack), and
    the built-in packs by name.

    It belongs to the run (LintOptions holds one), never to the process: what a report knows about user
    checks does not depend on which packs the process read before.
    """

    def __init__(self) -> None:
        self._builtin: dict[str, Pack] = {}
        self._packs: dict[tuple[str, float, int], tuple[Pack | None, list[Diagnostic]]] = {}
        self.read: set[str] = set()  # every user pack file asked for, found or not: what a cached lint result depends on

    def builtin(self, name: str) -> Pack:
        if name not in self._builtin:
            self._builtin[name] = builtin(name)
        return self._builtin[name]

    def load(self, path: str) -> tuple[Pack | None, list[Diagnostic]]:
        self.read.add(os.path.abspath(path))
        stat = os.stat(path)
        key = (os.path.abspath(path), stat.st_mtime, stat.st_size)
        if key not in self._packs:
            from liftspec.fileio import read_limited
            from liftspec.load import read_text
            from liftspec.load.yaml_loader import MAX_BYTES

            raw = read_limited(path, MAX_BYTES)

            try:
                text = read_text(raw, path)
            except LiftError as exc:
                self._packs[key] = (None, [_as_pack_error(d) for d in exc.diagnostics])
            else:
                self._packs[key] = parse(text, path)
        return self._packs[key]

    def user_packs(self) -> list[Pack]:
        return [pack for pack, _ in self._packs.values() if pack is not None]


def load_file(path: str, cache: PackCache | None = None) -> tuple[Pack | None, list[Diagnostic]]:
    """Load a user pack (through ``cache``, the run's, when given)."""
    return (cache if cache is not None else PackCache()).load(path)


def _as_pack_error(d: Diagnostic) -> Diagnostic:
    from dataclasses import replace

    return replace(d, code=codes.PACK_ERROR, message=f"policy pack: {d.message}")


def parse(text: str, file: str, *, builtin: bool = False) -> tuple[Pack | None, list[Diagnostic]]:
    from liftspec.load import load_text

    try:
        doc = load_text(text, file)
    except LiftError as exc:
        return None, [_as_pack_error(d) for d in exc.diagnostics]
    return _Parser(doc.data, doc.source, file, builtin).pack()


class _Parser:
    def __init__(self, data: dict[str, Any], source: Any, file: str, builtin: bool):
        self.data, self.source, self.file, self.builtin = data, source, file, builtin
        self.problems: list[Diagnostic] = []

    def error(self, path: Path, message: str, hint: str, *, key: bool = False) -> None:
        loc = self.source.locate(path, key=key)
        self.problems.append(
            Diagnostic(
                codes.PACK_ERROR,
                f"policy pack: {message}",
                hint,
                Span.of(self.file, loc),
                path,
            )
        )

    def unknown_keys(self, value: dict[str, Any], allowed: tuple[str, ...], path: Path) -> None:
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
                self.error((*path, key), f"unknown key '{key}'", hint, key=True)

    def pack(self) -> tuple[Pack | None, list[Diagnostic]]:
        import liftspec.check.rules  # noqa: F401  (registers the rules)
        from liftspec.check.codes import POLICY_CODES
        from liftspec.check.rule import RULES

        self.unknown_keys(self.data, PACK_KEYS, ())
        name = self.data.get("pack", FsPath(self.file).stem)
        if not isinstance(name, str) or not name:
            self.error(("pack",), "pack must be a non-empty string", "e.g. pack: acme-platform")
            name = FsPath(self.file).stem
        description = self.data.get("description", "")
        if not isinstance(description, str):
            self.error(("description",), "description must be a string", "write one line of text")
            description = ""
        floor = self._floor()
        checks = self._checks()
        own = {c.code.id for c in checks}
        known = set(RULES) | own | ({c.id for c in POLICY_CODES} if self.builtin else set())
        rules: dict[str, Setting] = {}
        raw_rules = self.data.get("rules", {})
        if not isinstance(raw_rules, dict):
            self.error(("rules",), "rules must be a mapping of rule id to severity", "e.g. rules: {LS310: warning}")
            raw_rules = {}
        for rule_id, value in raw_rules.items():
            if rule_id not in known:
                close = difflib.get_close_matches(rule_id, sorted(known), n=1)
                self.error(
                    ("rules", rule_id),
                    f"unknown rule id '{rule_id}'",
                    f"did you mean '{close[0]}'?" if close else "see `liftspec rules`",
                    key=True,
                )
                continue
            setting = self._setting(value, ("rules", rule_id))
            if setting is not None:
                rules[rule_id] = setting
        if self.problems:
            return None, self.problems
        return Pack(name, self.file, description, rules, tuple(checks), floor), []

    def _floor(self) -> tuple[str, ...]:
        value = self.data.get("floor", [])
        if "floor" in self.data and not self.builtin:
            self.error(
                ("floor",),
                "floor is for liftspec's built-in packs only",
                "remove it; to apply a pack everywhere, name it in [tool.liftspec] extra-packs",
                key=True,
            )
        elif not isinstance(value, list) or not all(isinstance(env, str) for env in value):
            self.error(("floor",), "floor must be a list of environment names", "e.g. floor: [production, prod]")
        else:
            return tuple(value)
        return ()

    def _setting(self, value: Any, path: Path, default: Setting | None = None) -> Setting | None:
        if isinstance(value, str):
            value = {"severity": value}
        if not isinstance(value, dict):
            self.error(
                path, "a rule setting is a severity or {severity, suppressible}", "e.g. {severity: error, suppressible: false}"
            )
            return None
        self.unknown_keys(value, ("severity", "suppressible", "note"), path)
        severity = value.get("severity", default.severity.value if default else None)
        if severity not in SEVERITIES:
            self.error(
                (*path, "severity") if "severity" in value else path,
                f"severity must be one of {', '.join(SEVERITIES)}",
                "use error, warning or info (leave a rule out of the pack to switch it off)",
            )
            return None
        suppressible = value.get("suppressible", True)
        if not isinstance(suppressible, bool):
            self.error((*path, "suppressible"), "suppressible must be true or false", "write true or false")
            return None
        note = value.get("note", "")
        if not isinstance(note, str):
            self.error((*path, "note"), "note must be text", "write why the pack chose this setting")
            return None
        return Setting(Severity(severity), suppressible, note)

    def _checks(self) -> list[Check]:
        raw = self.data.get("checks", [])
        if not isinstance(raw, list):
            self.error(("checks",), "checks must be a list", "write each check as a list item")
            return []
        out: list[Check] = []
        seen: set[str] = set()
        for i, item in enumerate(raw):
            check = self._check(item, ("checks", i), seen)
            if check is not None:
                out.append(check)
                seen.add(check.code.id)
        return out

    def _text(self, item: dict[str, Any], key: str, path: Path, required: bool = False) -> str:
        value = item.get(key)
        if value is None:
            if required:
                self.error(path, f"a check needs '{key}'", f"add {key}: ...")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.error((*path, key), f"{key} must be a non-empty string", f"write {key} as text")
            return ""
        return value

    def _check(self, item: Any, path: Path, seen: set[str]) -> Check | None:
        if not isinstance(item, dict):
            self.error(path, "a check must be a mapping", "see schemas/pack.schema.json")
            return None
        before = len(self.problems)
        self.unknown_keys(item, CHECK_KEYS, path)
        check_id = self._text(item, "id", path, required=True)
        if check_id and (not CHECK_ID.match(check_id) or check_id.startswith("LS")):
            self.error(
                (*path, "id"),
                f"check id '{check_id}' must be 2+ capital letters and 3 digits, not starting with LS",
                "LS ids belong to liftspec; use your own prefix, e.g. ACME001",
            )
        elif check_id in seen:
            self.error((*path, "id"), f"check id '{check_id}' is defined twice", "give each check its own id")
        name = self._text(item, "name", path, required=True)
        if name and not CHECK_NAME.match(name):
            self.error((*path, "name"), f"check name '{name}' must be lowercase words joined by '-'", "e.g. cost-center-tag")
        summary = self._text(item, "summary", path, required=True)
        message = self._text(item, "message", path) or summary
        hint = self._text(item, "hint", path)
        setting = self._setting({k: item[k] for k in ("severity", "suppressible") if k in item}, path, Setting(Severity.ERROR))
        where = self._text(item, "path", path)
        schema = item.get("schema")
        if not isinstance(schema, dict):
            self.error(
                (*path, "schema") if "schema" in item else path,
                "a check needs a JSON Schema mapping in 'schema'",
                "e.g. schema: {required: [tags]}",
            )
        else:
            self._valid_schema(schema, (*path, "schema"))
        docs = self._docs(item.get("docs"), (*path, "docs"), summary)
        if len(self.problems) > before or setting is None or not isinstance(schema, dict):
            return None
        code = Code(check_id, name, summary, docs, kind="check", tags=("custom",), origin=self.file)
        loc = self.source.locate(path)
        return Check(code, setting, schema, message, hint, _parse_dotted(where), self.file, loc.line)

    def _valid_schema(self, schema: dict[str, Any], path: Path) -> None:
        jsonschema = import_jsonschema()
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as exc:
            self.error(
                (*path, *exc.absolute_path), f"invalid JSON Schema: {exc.message}", "see https://json-schema.org/draft/2020-12"
            )
            return
        for where, message, hint in schema_references(schema):
            self.error((*path, *where), message, hint)

    def _docs(self, value: Any, path: Path, summary: str) -> Docs:
        parts = {"what": summary, "why": "", "example": "", "fix": ""}
        if value is None:
            return Docs(**parts)
        if not isinstance(value, dict):
            self.error(path, "docs must be a mapping with what, why, example and fix", "or leave docs out")
            return Docs(**parts)
        self.unknown_keys(value, tuple(parts), path)
        for key in parts:
            text = value.get(key)
            if isinstance(text, str):
                parts[key] = text
            elif text is not None:
                self.error((*path, key), f"docs.{key} must be text", "write it as a string")
        return Docs(**parts)


_REFS = ("$ref", "$dynamicRef", "$recursiveRef")
_NOT_SCHEMAS = ("const", "enum", "examples", "default")  # instance data: a "$ref" key there is not a reference
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")  # keys are names
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _subschemas(schema: Any) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every mapping of a schema that is itself a schema, with its location (instance data skipped)."""
    stack: list[tuple[Any, Path]] = [(schema, ())]
    while stack:
        node, where = stack.pop()
        if isinstance(node, list):
            stack += [(item, (*where, i)) for i, item in enumerate(node)]
        elif isinstance(node, dict):
            yield where, node
            for key, value in node.items():
                if key in _SCHEMA_MAPS and isinstance(value, dict):
                    stack += [(sub, (*where, key, name)) for name, sub in value.items()]
                elif key not in _NOT_SCHEMAS and key not in _REFS:
                    stack.append((value, (*where, key)))


def schema_references(schema: Any) -> Iterator[tuple[Path, str, str]]:
    """Problems with the references of a check's schema: only "#" and "#/json/pointer" into the schema itself.

    Anything else would make jsonschema fetch a URL or read a file while linting, and a loop of
    references that never descends into the instance would recurse forever: both are refused
    before a validator exists.
    """
    hint = 'refer to a part of this check\'s schema, e.g. "#/$defs/name"'
    targets: dict[Path, Path] = {}
    for where, node in _subschemas(schema):
        for key, value in node.items():
            if key in _REFS:
                target = _pointer(schema, value)
                if isinstance(target, str):
                    yield (*where, key), f"{key} {value!r}: {target}", hint
                else:
                    targets[where] = target
            elif key == "$id" or (key == "$schema" and (where or value != DIALECT)):
                yield (
                    (*where, key),
                    f"{key} is not supported in a check's schema: references resolve inside the check only",
                    f"remove it (checks use {DIALECT})",
                )
    loop = _reference_loop(schema, targets)
    if loop is not None:
        yield loop, "this reference loops back without descending into the document: it would never end", hint


def _pointer(root: Any, ref: Any) -> Path | str:
    """The location a reference points at, or why it is refused."""
    from urllib.parse import unquote

    if not isinstance(ref, str) or not ref.startswith("#"):
        return "only references inside the check's schema (#/...) are allowed: no URLs or files"
    if ref != "#" and not ref.startswith("#/"):
        return "only JSON-pointer references (#/...) are allowed, not anchors"
    node: Any = root
    path: list[str | int] = []
    for token in unquote(ref[2:]).split("/") if ref != "#" else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
            path.append(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
            path.append(int(token))
        else:
            return "it points at nothing in the check's schema"
    return tuple(path) if isinstance(node, (dict, bool)) else "it does not point at a schema"


_IN_PLACE = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas")  # same instance, deeper schema


def _reference_loop(schema: Any, targets: dict[Path, Path]) -> Path | None:
    """The location of a $ref that closes a loop of schemas applied to one and the same value."""
    nodes = dict(_subschemas(schema))

    def edges(where: Path) -> list[Path]:
        node = nodes.get(where, {})
        out = [targets[where]] if where in targets else []
        for key in _IN_PLACE:
            value = node.get(key)
            if isinstance(value, list):
                out += [(*where, key, i) for i in range(len(value))]
            elif isinstance(value, dict):
                out += [(*where, key, name) for name in value] if key == "dependentSchemas" else [(*where, key)]
        return out

    done: set[Path] = set()
    for start in nodes:
        active: list[Path] = []
        stack: list[tuple[Path, bool]] = [(start, False)]
        while stack:
            where, leaving = stack.pop()
            if leaving:
                active.remove(where)
                done.add(where)
                continue
            if where in active:
                ref = next(p for p in active[active.index(where) :] if p in targets)
                return (*ref, next(key for key in _REFS if key in nodes[ref]))
            if where in done:
                continue
            active.append(where)
            stack.append((where, True))
            stack += [(nxt, False) for nxt in edges(where)]
    return None


def import_jsonschema() -> Any:
    """jsonschema, imported only when a pack has declarative checks (it costs ~50 ms)."""
    import importlib

    return importlib.import_module("jsonschema")


def _parse_dotted(text: str) -> Path:
    parts: list[str | int] = []
    for piece in re.findall(r"[^.\[\]]+|\[\d+\]", text):
        parts.append(int(piece[1:-1]) if piece.startswith("[") else piece)
    return tuple(parts)


def merge(packs: list[Pack]) -> dict[str, Enabled]:
    out: dict[str, Enabled] = {}
    for pack in packs:
        settings = dict(pack.rules)
        for check in pack.checks:
            settings.setdefault(check.code.id, check.setting)
        for rule_id, setting in settings.items():
            current = out.get(rule_id)
            if current is None:
                out[rule_id] = Enabled(setting.severity, setting.suppressible, [pack.name])
                continue
            if setting.severity.rank > current.severity.rank:
                current.severity = setting.severity
            current.suppressible = current.suppressible and setting.suppressible
            current.packs.append(pack.name)
    return out


def known_codes(user_packs: Iterable[Pack] = ()) -> dict[str, Code]:
    """Built-in codes and the checks of ``user_packs`` (a run's: PackCache.user_packs), for report metadata."""
    from liftspec.check.codes import all_codes

    out = {code.id: code for code in all_codes()}
    for pack in user_packs:
        for check in pack.checks:
            out.setdefault(check.code.id, check.code)
    return out
