"""Declarative checks of user packs: a JSON Schema over the resolved document.

The instance a check sees is the resolved environment with every default filled in, keys spelt
as in lift.yaml, durations in seconds (numbers, so ``maximum: 10`` works), dates as YYYY-MM-DD,
and each function carrying its effective values (memory, architecture, lambda, code, variables
and timeouts after applying the service defaults). ``environments`` is left out; the
environment's name is in ``environment``. jsonschema is imported only here, so only when a
pack defines checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from liftspec.check.context import Context
from liftspec.check.packs import Check, import_jsonschema
from liftspec.check.rule import Finding
from liftspec.diagnostics import dotted


def _plain(value: Any) -> Any:
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        return int(seconds) if seconds.is_integer() else seconds
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def instance(ctx: Context) -> dict[str, Any]:
    data: dict[str, Any] = ctx.spec.model_dump(mode="python", by_alias=True, exclude={"environments"})
    functions = data.get("functions", {})
    for fn in ctx.functions:
        entry = functions[fn.name]
        entry.update(memory=fn.memory, architecture=fn.architecture, code=fn.code, variables=fn.variables)
        entry["lambda"] = fn.lambda_runtime
        entry["timeouts"] = {"function": fn.timeout, "request": fn.request_timeout}
        entry["invocation"] = fn.invocation
    out: dict[str, Any] = _plain(data)
    return out


# A key of a function's entry in the instance -> the effective value it holds (see instance()).
_EFFECTIVE = {
    "memory": "memory",
    "architecture": "architecture",
    "lambda": "lambda_runtime",
    "code": "code",
    "variables": "variables",
    ("timeouts", "function"): "timeout",
    ("timeouts", "request"): "request_timeout",
}


def _effective_source(ctx: Context, path: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """Where the effective value at ``path`` (functions.NAME.KEY...) comes from, by the effective service."""
    fn = ctx.effective.function(path[1])
    if path[2] == "timeouts":
        if len(path) == 3:
            return ("timeouts",)
        name, rest = _EFFECTIVE.get(("timeouts", path[3])), path[4:]
    else:
        name, rest = _EFFECTIVE.get(path[2]), path[3:]
    if name is None:
        return None
    if name == "variables" and rest:
        return fn.variable_source(str(rest[0])) + rest[1:]
    return fn.source(name) + rest


def _written_source(ctx: Context, path: tuple[Any, ...]) -> tuple[Any, ...]:
    """An effective function value that the function does not set comes from the service default: point there."""
    if len(path) >= 3 and path[0] == "functions" and not ctx.written(path):
        source = _effective_source(ctx, path)
        if source is not None and ctx.written(source):
            return source
    return path


def run(check: Check, ctx: Context, data: dict[str, Any]) -> Iterator[Finding]:
    from referencing import Registry

    # An empty registry retrieves nothing (jsonschema's default fetches URLs); the pack parser already
    # refused every reference outside the check's own schema.
    validator = import_jsonschema().Draft202012Validator(check.schema, registry=Registry())
    errors = sorted(validator.iter_errors(data), key=lambda e: ([str(p) for p in e.absolute_path], e.message))
    seen: set[tuple[Any, ...]] = set()
    for error in errors:
        path = _written_source(ctx, tuple(error.absolute_path))
        if check.path and not path:
            path = check.path
        key = (path, error.message)
        if key in seen:
            continue
        seen.add(key)
        where = dotted(path) or "the document"
        message = check.message.replace("{error}", error.message).replace("{path}", where)
        yield Finding(path, message, check.hint.replace("{path}", where))
