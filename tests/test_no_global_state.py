"""No module-level mutable caches in liftspec: what one run computed never changes what the next one reports.

Scans every module (ast) for module-level state that can change after import: a name bound at module level to a
container and then mutated (subscript assignment, .append/.update/.setdefault/... calls, augmented assignment),
a `global` statement, and functools caches (lru_cache, cache). Constant tables (dicts and sets never mutated
after import) are fine; the few registries filled while modules import are listed below with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import liftspec

ROOT = Path(liftspec.__file__).parent

# (module, name): why it is not a cache of what a run read. Keep it short; a new entry needs a reason.
ALLOWED = {
    ("liftspec/check/rule.py", "RULES"): "the rule registry: filled by @rule while liftspec.check.rules imports, never after",
    ("liftspec/load/compose.py", "_BY_FIRST"): "the YAML resolver table, built once at import from constants",
    ("liftspec/codes.py", "TABLE"): "the code table: filled by register() as the code constants are defined",
    ("liftspec/codes.py", "_NAMES"): "the names in TABLE, filled by register() with it",
    ("liftspec/check/rules/handler.py", "_names_in"): "a pure function of the bytes it is given: it cannot tell runs apart",
    ("liftspec/verify/cfn_lint.py", "_RULES"): "cfn-lint's own rule set, inherited by forked workers (see there)",
}

MUTATORS = {"append", "extend", "insert", "add", "update", "setdefault", "pop", "popitem", "clear", "remove", "discard"}
CACHES = {"lru_cache", "cache"}  # cached_property caches per object, not per process
CONTAINERS = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)
CONTAINER_CALLS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque", "bytearray"}


def _is_container(value: ast.expr | None) -> bool:
    if isinstance(value, CONTAINERS):
        return True
    return isinstance(value, ast.Call) and _name(value.func) in CONTAINER_CALLS


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _name(node.func)
    return ""


def _module_containers(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign) and _is_container(node.value):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and _is_container(node.value):
            targets = [node.target]
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _root(node: ast.expr) -> str:
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""


def problems(source: str, module: str) -> list[str]:
    """What in `source` is module-level state that can change after import (empty for a clean module)."""
    tree = ast.parse(source)
    containers = _module_containers(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found += [f"{module}:{node.lineno}: global {name}" for name in node.names]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                if _name(decorator) in CACHES:
                    found.append(f"{module}:{node.lineno}: @{_name(decorator)} on {node.name}")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                if isinstance(target, (ast.Subscript, ast.Attribute)) or isinstance(node, ast.AugAssign):
                    name = _root(target)
                    if name in containers:
                        found.append(f"{module}:{node.lineno}: {name} changed")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
            name = _root(node.func.value)
            if name in containers:
                found.append(f"{module}:{node.lineno}: {name}.{node.func.attr}()")
    return [p for p in found if not any(p.startswith(f"{m}:") and f" {n}" in p for m, n in ALLOWED)]


def test_liftspec_holds_no_module_level_mutable_state() -> None:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        module = path.relative_to(ROOT.parent).as_posix()
        found += problems(path.read_text(encoding="utf-8"), module)
    assert found == [], "module-level state that changes after import (hold it in an object a run owns):\n" + "\n".join(found)


def test_the_scan_finds_each_kind_of_global_cache() -> None:
    source = """
import functools
from functools import lru_cache
_SEEN = {}
_ORDER: list[str] = []
_KEYS = set()
_CONST = {"a": 1}
_LOADED = None

@functools.lru_cache(maxsize=8)
def a(x): return x

@lru_cache
def b(x): return x

def c(key, value):
    _SEEN[key] = value
    _ORDER.append(key)
    _KEYS.add(key)
    return _CONST[key]

def d():
    global _LOADED
    _LOADED = 1
"""
    found = problems(source, "m.py")
    assert sorted(p.split(": ", 1)[1] for p in found) == [
        "@lru_cache on a",
        "@lru_cache on b",
        "_KEYS.add()",
        "_ORDER.append()",
        "_SEEN changed",
        "global _LOADED",
    ]


def test_the_allow_list_names_state_that_exists() -> None:
    for module, name in ALLOWED:
        source = (ROOT.parent / module).read_text(encoding="utf-8")
        assert any(
            (isinstance(node, (ast.Assign, ast.AnnAssign)) and name in {t.id for t in _targets(node) if isinstance(t, ast.Name)})
            or (isinstance(node, ast.FunctionDef) and node.name == name)
            for node in ast.parse(source).body
        ), (module, name)


def _targets(node: ast.Assign | ast.AnnAssign) -> list[ast.expr]:
    return node.targets if isinstance(node, ast.Assign) else [node.target]
