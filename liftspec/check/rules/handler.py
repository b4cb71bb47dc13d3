"""LS311: the handler names a module in the code folder that defines the function.

The module is parsed, never imported: lint runs no user code. Only the one module file is read,
when it is a regular file of at most 1 MB inside the lift.yaml's folder; anything the check cannot
see through (a compiled module, `from x import *`, a module `__getattr__`, a syntax this Python does
not know) is given the benefit of the doubt.
"""

from __future__ import annotations

import ast
import difflib
import functools
import os
import stat
from collections.abc import Iterator

from liftspec.check.context import Context
from liftspec.check.rule import Docs, Finding, rule

MAX_MODULE_BYTES = 1024 * 1024
MAX_LISTED = 2000  # names looked at for a did-you-mean


@rule(
    "LS311",
    "handler-not-found",
    "The handler's module or function is not in the code folder",
    tags=("reliability",),
    docs=Docs(
        what="For Python functions whose code folder exists, reads the handler's module (`orders/api.py` or "
        "`orders/api/__init__.py` for `orders.api.handler`) without importing it, and reports a module that is "
        "not there or that does not define the function, with the closest name as a hint. Only that one file is "
        "read (a regular file of at most 1 MB inside the lift.yaml's folder). A missing code folder is reported "
        "by `liftspec compile` (LS718).",
        why="Lambda imports the handler at cold start: a typo passes every deploy step and then fails every "
        "invocation with Runtime.ImportModuleError or a missing attribute.",
        example="functions:\n  api:\n    handler: app.handlr   # src/app.py defines handler",
        fix="Fix the handler (`module.function`, with dots for packages: `orders.api.handler`), or add the module or "
        "the function to the code folder.",
    ),
)
def handler_not_found(ctx: Context) -> Iterator[Finding]:
    lift_dir = os.path.dirname(os.path.abspath(ctx.resolved.file))
    if not os.path.isfile(ctx.resolved.file):
        return  # linted from memory: there is no code folder to look at
    for fn in ctx.functions:
        if not fn.lambda_runtime.startswith("python"):
            continue
        folder = os.path.join(lift_dir, fn.code)
        if not os.path.isdir(folder):
            continue
        problem = _problem(lift_dir, folder, fn.spec.handler)
        if problem:
            yield Finding(("functions", fn.name, "handler"), f"handler {fn.spec.handler}: {problem[0]}", problem[1])


def _problem(lift_dir: str, folder: str, handler: str) -> tuple[str, str] | None:
    module, _, function = handler.rpartition(".")
    if not module or not function or not all(part.isidentifier() for part in handler.split(".")):
        return "not module.function", "write the handler as module.function, e.g. app.handler"
    parts = module.split(".")
    base = os.path.join(folder, *parts)
    for candidate in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.lexists(candidate):
            names = _defined(lift_dir, candidate)
            if names is None or function in names:
                return None
            close = difflib.get_close_matches(function, sorted(names), n=1)
            hint = f"did you mean {module}.{close[0]}?" if close else f"define {function}(event, context) in it"
            return f"{os.path.relpath(candidate, lift_dir)} defines no {function}", hint
    parent = os.path.dirname(base)
    listed = _listing(parent)
    if any(name.startswith(parts[-1] + ".") and name.endswith((".so", ".pyc", ".pyd")) for name in listed):
        return None  # a compiled module: nothing to parse
    modules = sorted({name[:-3] for name in listed if name.endswith(".py")} | _packages(parent, listed))
    close = difflib.get_close_matches(parts[-1], modules, n=1)
    where = os.path.relpath(parent, lift_dir)
    if close:
        hint = f"did you mean {'.'.join([*parts[:-1], close[0]])}.{function}?"
    else:
        hint = f"add {os.path.join(*parts)}.py to {where}, or fix the handler (module.function)"
    return f"no module {module} in {where}", hint


def _listing(folder: str) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return [entry.name for _, entry in zip(range(MAX_LISTED), entries, strict=False)]
    except OSError:
        return []


def _packages(folder: str, listed: list[str]) -> set[str]:
    return {name for name in listed if os.path.isfile(os.path.join(folder, name, "__init__.py"))}


def _defined(lift_dir: str, path: str) -> frozenset[str] | None:
    """Top-level names the module defines, or None when the check cannot tell (or may not read it). The file is
    read every time, so an edited module is seen; its parse is shared by content (`_names_in`)."""
    real = os.path.realpath(path)
    if os.path.commonpath([real, os.path.realpath(lift_dir)]) != os.path.realpath(lift_dir):
        return None  # never follow the code folder out of the project
    try:
        info = os.stat(real)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_MODULE_BYTES:
        return None
    try:
        with open(real, "rb") as handle:
            source = handle.read(MAX_MODULE_BYTES + 1)
    except OSError:
        return None
    return _names_in(source)


@functools.lru_cache(maxsize=16)
def _names_in(source: bytes) -> frozenset[str] | None:
    """Keyed on the bytes read: every environment of a lint, and every function sharing a module, parse it once."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    names: set[str] = set()
    if not _collect(tree.body, names) or "__getattr__" in names or _dynamic(tree):
        return None
    return frozenset(names)


def _dynamic(tree: ast.Module) -> bool:
    """globals()[...] = ... or exec(...): names the parser cannot see."""
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("globals", "exec")
        for node in ast.walk(tree)
    )


def _collect(body: list[ast.stmt], names: set[str]) -> bool:
    """Add the names bound at module level; False when they cannot be known statically."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    return False
                names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.If, ast.Try, ast.TryStar, ast.With, ast.For, ast.While)):
            blocks = [node.body, getattr(node, "orelse", []), getattr(node, "finalbody", [])]
            blocks += [handler.body for handler in getattr(node, "handlers", [])]
            if isinstance(node, ast.For):
                names.update(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
            if not all(_collect(block, names) for block in blocks):
                return False
    return True
