"""Validate a resolved document: pydantic errors and consistency problems become diagnostics."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from liftspec import codes
from liftspec.diagnostics import Code, Diagnostic, Located, Path, Severity, Span
from liftspec.model import consistency
from liftspec.model.spec import LiftSpec
from liftspec.resolve import Resolved
from liftspec.resolve.locate import diagnostic_at


def validate(resolved: Resolved) -> tuple[LiftSpec | None, list[Diagnostic]]:
    try:
        spec = LiftSpec.model_validate(resolved.data)
    except ValidationError as exc:
        return None, _from_pydantic(exc, resolved)
    diagnostics = [
        diagnostic_at(resolved, codes.INCONSISTENT, Severity.ERROR, path, message, hint)
        for path, message, hint in consistency.problems(spec)
    ]
    return spec, diagnostics


def _data_path(data: Any, loc: tuple[Any, ...]) -> Path:
    """Drop the parts of a pydantic loc that are not in the data (union member tags, validator names)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if (isinstance(node, dict) and part in node) or in_list:
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part not in node and _is_field_of(part):
            path.append(part)  # a missing key: keep it so the message can name it
            node = None
    return tuple(path)


def _is_field_of(part: str) -> bool:
    return not (
        "[" in part
        or part[:1].isupper()
        or part.startswith("constrained-")  # the tag of an Annotated str member of a union
        or part in {"str", "int", "float", "bool", "list", "dict", "literal"}
    )


def _from_pydantic(exc: ValidationError, resolved: Resolved) -> list[Diagnostic]:
    data = resolved.data
    found: dict[tuple[Path, str], Diagnostic] = {}
    errors = exc.errors(include_url=False)
    paths = [_data_path(data, tuple(e["loc"])) for e in errors]
    for error, path in zip(errors, paths, strict=True):
        kind = error["type"]
        if kind != "missing" and any(len(p) > len(path) and p[: len(path)] == path for p in paths):
            continue  # a union member that went deeper explains this value better
        diagnostic = _diagnostic(error, path, resolved)
        found.setdefault((path, diagnostic.id), diagnostic)
    return list(found.values())


def _diagnostic(error: Any, path: Path, resolved: Resolved) -> Diagnostic:
    kind, source = error["type"], resolved.source
    where = ".".join(str(p) for p in path[:-1]) or "the top level"
    if kind == "extra_forbidden":
        key = str(path[-1])
        allowed = _allowed_keys(path[:-1], resolved.data)
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        message = f"unknown key '{key}' in {where}"
        if close:
            message += f"; did you mean '{close[0]}'?"
            hint = f"rename it to '{close[0]}'"
        else:
            hint = f"allowed keys: {', '.join(allowed)}" if allowed else "remove it"
        loc = source.locate(path, key=True)
        return _make(codes.UNKNOWN_KEY, message, hint, resolved, path, loc)
    if kind == "missing":
        key = str(path[-1]) if path else "?"
        loc = source.locate(path[:-1], key=True) if path[:-1] else source.locate(())
        if not path[:-1]:
            loc = type(loc)(1, 1, 1, 1)
        return _make(codes.MISSING_KEY, f"missing required key '{key}' in {where}", f"add `{key}:` here", resolved, path, loc)
    if kind == "reserved_variable":
        name = str(error["ctx"]["name"])
        loc = source.locate(path, key="[key]" in error["loc"])
        return _make(
            codes.RESERVED_VARIABLE_NAME,
            f"{'.'.join(str(p) for p in path)}: {_reserved_why(name)}",
            _RESERVED_HINT,
            resolved,
            path,
            loc,
        )
    if "[key]" in error["loc"] and path:
        key = str(path[-1])
        loc = source.locate(path, key=True)
        return _make(
            codes.INVALID_VALUE,
            f"{'.'.join(str(p) for p in path[:-1])}: key {key!r} is not a valid {_pattern_name(path)}",
            "see `liftspec schema` for the accepted form",
            resolved,
            path,
            loc,
        )
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return _union_tag(path, resolved)
    loc = source.locate(path)
    value = _value_at(resolved.data, path)
    return _make(codes.INVALID_VALUE, _type_message(error, path, value), _type_hint(error, path), resolved, path, loc)


_RESERVED_HINT = (
    "rename it: LIFT_*, AWS_LAMBDA_*, AWS_REGION, the AWS credentials, _HANDLER, LAMBDA_TASK_ROOT and the other "
    "names Lambda sets are reserved"
)


def _reserved_why(name: str) -> str:
    if name.startswith("LIFT_"):
        return f"{name} is reserved: liftspec's runtime sets and reads LIFT_* variables, yours would override them"
    return f"{name} is reserved: Lambda sets it (or the AWS SDKs read it), yours would override it or fail the deploy"


def _union_tag(path: Path, resolved: Resolved) -> Diagnostic:
    """A resource whose `type` is missing or unknown: the only tagged union of the format."""
    from liftspec.model.spec import RESOURCE_TYPES

    node = _value_at(resolved.data, path)
    name = ".".join(str(p) for p in path)
    kinds = ", ".join(RESOURCE_TYPES)
    if isinstance(node, dict) and "type" in node:
        where = (*path, "type")
        message = f"{name}.type must be one of {kinds}, got {_describe(node['type'])}"
        return _make(codes.INVALID_VALUE, message, f"use one of {kinds}", resolved, where, resolved.source.locate(where))
    if isinstance(node, dict):
        loc = resolved.source.locate(path, key=True)
        return _make(
            codes.MISSING_KEY, f"missing required key 'type' in {name}", f"add `type:` ({kinds})", resolved, (*path, "type"), loc
        )
    message = f"{name} must be a mapping with a type ({kinds}), got {_describe(node)}"
    return _make(
        codes.INVALID_VALUE, message, "see `liftspec schema` for the expected shape", resolved, path, resolved.source.locate(path)
    )


def _make(code: Code, message: str, hint: str, resolved: Resolved, path: Path, loc: Located) -> Diagnostic:
    return Diagnostic(code, message, hint, Span.of(resolved.file, loc), path, envs=(resolved.env,))


def _value_at(data: Any, path: Path) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a string",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "list_type": "a list",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
}


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_message(error: Any, path: Path, value: Any) -> str:
    name = ".".join(str(p) for p in path) or "document"
    kind = error["type"]
    if kind in _EXPECTED:
        return f"{name} must be {_EXPECTED[kind]}, got {_describe(value)}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        if expected in ("True", "False"):
            return f"{name} must be {expected.lower()}, got {_describe(value)}"
        return f"{name} must be one of {expected}, got {_describe(value)}"
    if kind == "string_pattern_mismatch":
        return f"{name}: {_describe(value)} is not a valid {_pattern_name(path)}"
    if kind in ("duration", "percent"):
        return f"{name}: {error['msg']}"
    return f"{name}: {error['msg'][:1].lower()}{error['msg'][1:]}"


def _pattern_name(path: Path) -> str:
    last = next((p for p in reversed(path) if isinstance(p, str)), "")
    parent = path[-2] if len(path) > 1 else ""
    names = {
        "service": "service name (1-40 chars of a-z, 0-9 and '-', starting with a letter)",
        "strategy": "deployment strategy (AllAtOnce, Canary10Percent5Minutes, Linear10PercentEvery1Minute...)",
        "routes": "route ('METHOD /path' with METHOD one of ANY GET POST PUT PATCH DELETE HEAD OPTIONS, or '$default')",
        "route": "route ('METHOD /path' with METHOD one of ANY GET POST PUT PATCH DELETE HEAD OPTIONS, or '$default')",
        "allow_origins": "origin ('*' or scheme://host[:port], no path; 'https://*.example.com' for subdomains)",
        "certificate_arn": "ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)",
        "function_arn": "Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME)",
        "base_path": "base path (segments of letters, digits and . _ ~ -, no leading slash)",
        "hosted_zone_id": "Route 53 hosted zone id (like Z1D633PJN98FT9)",
        "rule": "rule id (like LS101)",
        "region": "region (like us-east-1)",
        "path": "path (starts with /)",
        "env": "environment variable name",
        "kms_key": "KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)",
        "bucket_arn": "bucket ARN (arn:aws:s3:::NAME)",
        "namespace": "CloudWatch namespace (ASCII letters, digits, . - _ / # : and spaces; not starting with AWS/)",
    }
    if "content_security_policy" in path:
        return "CSP source: one token, no spaces, ';' or ',' (write each source as its own list item)"
    if last == "secret" and "secrets" in path:
        return "secret name or ARN (letters, digits and / _ + = . @ -; no wildcards * or ?)"
    if "permissions_policy" in path:
        return "Permissions-Policy entry (feature names like camera; origins are single tokens)"
    if "headers" in path:
        return "header value (visible ASCII, no line breaks)"
    if last == "key" and path[:1] == ("rate_limit",):
        return "rate limit key (source_ip, jwt_sub, or header: and a header name such as header:X-Api-Key)"
    if last == "name" and parent == "domain":
        return "domain name (lower case, like api.example.com)"
    if parent == "functions" or last == "functions":
        return "function name ([a-z][a-z0-9-]*, at most 40 chars)"
    if parent == "environments":
        return "environment name ([a-z][a-z0-9-]*)"
    if parent in ("variables",):
        return "variable name"
    return names.get(last if isinstance(last, str) else "", "value")


def _type_hint(error: Any, path: Path = ()) -> str:
    kind = error["type"]
    if kind == "string_pattern_mismatch" and "content_security_policy" in path:
        value = str(error.get("input", ""))
        if ";" in value or "," in value:
            return "a ';' would end the directive (and ',' the policy), smuggling in new ones: one source per list item"
        return "split it: [\"'self'\", \"'unsafe-inline'\"]"
    if kind == "string_pattern_mismatch" and path[-1:] == ("secret",):
        return "name exactly one secret: a wildcard grants read access to every secret it matches"
    if kind == "literal_error":
        return f"use one of {error.get('ctx', {}).get('expected', '')}"
    if kind in ("duration",):
        return "durations look like 500ms, 29s, 5m, 1h or 14d; a bare integer means seconds"
    if kind.startswith("int") or kind.startswith("float"):
        return "write a number without quotes or units"
    if kind.startswith("bool"):
        return "write true or false"
    if kind.startswith("greater") or kind.startswith("less") or "too_short" in kind or "too_long" in kind:
        return str(error["msg"])
    if kind == "string_pattern_mismatch":
        return "see `liftspec schema` for the accepted form"
    return "see `liftspec schema` for the expected shape"


def _unwrap(annotation: Any) -> list[Any]:
    """Every BaseModel class (or dict/list value type) reachable through Optional/Union/Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out += _unwrap(arg)
        return out
    return [annotation]


def _allowed_keys(path: Path, data: Any) -> list[str]:
    """Field names (aliases) of the model that sits at ``path``."""
    current: list[Any] = [LiftSpec]
    for part in path:
        nxt: list[Any] = []
        for ann in current:
            origin = typing.get_origin(ann)
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                for name, field in ann.model_fields.items():
                    if (field.alias or name) == part:
                        nxt += _unwrap(field.annotation)
            elif origin in (dict, list):
                nxt += _unwrap(typing.get_args(ann)[-1])
        current = nxt
    models = [ann for ann in current if isinstance(ann, type) and issubclass(ann, BaseModel)]
    node = _value_at(data, path)
    kind = node.get("type") if isinstance(node, dict) else None
    # A member of a union tagged by `type` (resources): the keys of the member the data names.
    tagged = [m for m in models if "type" in m.model_fields and kind in typing.get_args(m.model_fields["type"].annotation)]
    for ann in tagged or models:
        return [field.alias or name for name, field in ann.model_fields.items()]
    return []
