"""Generate ``lift_config.py`` (and ``lift_config.json``) from a resolved LiftSpec.

The module holds config, not types: it imports its record classes from ``lift_runtime.config_types``
(standard library only, shipped beside it in the layer and with liftspec), then defines one constant
``CONFIG``, an instance of ``lift_runtime.config_types.Config``. Every value is written as a Python
literal built with ``repr()``, never by interpolating text into code, so any string a user writes
round-trips exactly and cannot inject code. Same input, same bytes.
"""

from __future__ import annotations

import json
import math
import re
from datetime import timedelta
from types import MappingProxyType
from typing import Any

from lift_runtime import config_types
from lift_runtime.config_types import (
    Auth,
    Caching,
    CircuitBreaker,
    Compression,
    Config,
    Function,
    HttpClient,
    Jwt,
    Provenance,
    RateLimit,
    Record,
    Resilience,
    Resource,
    Retry,
    Route,
    SamplingRule,
)
from liftspec.model.effective import EffectiveService, effective_service
from liftspec.model.headers import render_headers
from liftspec.model.spec import LiftSpec
from liftspec.model.spec import RateLimit as RateLimitSpec

MODULE_NAME = "lift_config"
_PLAIN_META = re.compile(r"^[A-Za-z0-9:+/=._-]*$")


# --- values ------------------------------------------------------------------


def seconds(value: timedelta) -> float:
    return value.total_seconds()


def resource_variable(name: str) -> str:
    """`orders` -> LIFT_RESOURCE_ORDERS: the table or bucket name, the queue URL, the topic ARN."""
    return "LIFT_RESOURCE_" + name.upper().replace("-", "_")


def resource_arn_variable(name: str) -> str:
    return resource_variable(name) + "_ARN"


def rate_limit_burst(rate_limit: RateLimitSpec) -> int:
    """The bucket size: `burst` when given, else `max` (a whole window's requests may arrive at once)."""
    return rate_limit.burst if rate_limit.burst is not None else rate_limit.max


def _client_key(rate_limit: RateLimitSpec) -> str:
    """The key as the runtime reads it: a header's name in lowercase (read_headers' form)."""
    key = rate_limit.client_key()
    return key.lower() if key.startswith("header:") else key


def build_config(spec: LiftSpec, meta: dict[str, Any], *, service: EffectiveService | None = None) -> Config:
    """The Config record of one resolved environment (`service`: its effective service, built when not given)."""
    service = service if service is not None else effective_service(spec)
    functions = {}
    for fn in service.functions:
        functions[fn.name] = Function(
            name=fn.name,
            handler=fn.spec.handler,
            invocation=fn.invocation,
            timeout=seconds(fn.timeout),
            request_timeout=seconds(fn.request_timeout),
            memory=fn.memory,
            routes=tuple(
                Route(route=route.route, public=route.public, scopes=tuple(route.scopes))
                for route in (fn.spec.http.entries() if fn.spec.http is not None else ())
            ),
        )
    jwt = spec.security.auth.jwt
    resilience = spec.resilience
    return Config(
        service=spec.service,
        environment=spec.environment,
        region=spec.region,
        log_level=spec.logging.level,
        log_format=spec.logging.format,
        request_timeout=seconds(service.request_timeout.value),
        detailed_errors=spec.errors.detailed,
        require_https=spec.security.require_https,
        auth=Auth(
            enabled=spec.security.auth.enabled,
            jwt=None
            if jwt is None
            else Jwt(issuer=jwt.issuer, audience=tuple(jwt.audience), identity_source=jwt.identity_source),
        ),
        security_headers=MappingProxyType(render_headers(spec.security.headers)),
        rate_limit=RateLimit(
            enabled=spec.rate_limit.enabled,
            window=seconds(spec.rate_limit.window),
            max=spec.rate_limit.max,
            burst=rate_limit_burst(spec.rate_limit),
            scope=spec.rate_limit.scope,
            key=_client_key(spec.rate_limit),
            on_store_error=spec.rate_limit.on_store_error,
            store_timeout=seconds(spec.rate_limit.store_timeout),
        ),
        tracing_enabled=spec.tracing.enabled,
        sampling_rules=tuple(
            SamplingRule(
                name=rule.name,
                method=rule.method,
                path=rule.path,
                host=rule.host,
                service_type=rule.service_type,
                resource_arn=rule.resource_arn,
                rate=rule.rate,
                reservoir=rule.reservoir,
                priority=rule.priority,
            )
            for rule in sorted(spec.tracing.sampling_rules, key=lambda rule: rule.priority)
        ),
        metrics_enabled=spec.metrics.enabled,
        metrics_namespace=spec.metrics.namespace or spec.service,
        caching=Caching(enabled=spec.caching.enabled, ttl=seconds(spec.caching.ttl)),
        resilience=Resilience(
            retry=Retry(
                max_attempts=resilience.retry.max_attempts,
                base_delay=seconds(resilience.retry.base_delay),
                max_jitter=seconds(resilience.retry.max_jitter),
            ),
            circuit_breaker=CircuitBreaker(
                failure_threshold=resilience.circuit_breaker.failure_threshold,
                reset_timeout=seconds(resilience.circuit_breaker.reset_timeout),
            ),
            http_client=HttpClient(
                timeout=seconds(resilience.http_client.timeout),
                max_idle_conns=resilience.http_client.max_idle_conns,
                max_idle_conns_per_host=resilience.http_client.max_idle_conns_per_host,
                idle_timeout=seconds(resilience.http_client.idle_timeout),
            ),
        ),
        compression=Compression(enabled=spec.compression.enabled, min_size=spec.compression.min_size),
        health_path=spec.health.path,
        functions=MappingProxyType(functions),
        resources=MappingProxyType(
            {
                name: Resource(
                    type=resource.type, name_variable=resource_variable(name), arn_variable=resource_arn_variable(name)
                )
                for name, resource in spec.resources.items()
            }
        ),
        provenance=Provenance(
            source=str(meta.get("source", "")),
            liftspec_version=str(meta.get("version", "")),
            digest=str(meta.get("digest", "")),
        ),
    )


# --- Python source -----------------------------------------------------------


def literal(value: object, depth: int = 0) -> str:
    """Python source that evaluates to `value` in the generated module (records, mappings, tuples, scalars)."""
    inner, outer = "    " * (depth + 1), "    " * depth
    if isinstance(value, Record):
        fields = "".join(f"{inner}{name}={literal(getattr(value, name), depth + 1)},\n" for name in value.__slots__)
        return f"{type(value).__name__}(\n{fields}{outer})"
    if isinstance(value, (dict, MappingProxyType)):
        if not value:
            return "MappingProxyType({})"
        items = "".join(f"{inner}{literal(key)}: {literal(item, depth + 1)},\n" for key, item in value.items())
        return f"MappingProxyType({{\n{items}{outer}}})"
    if isinstance(value, tuple):
        if not value:
            return "()"
        items = "".join(f"{inner}{literal(item, depth + 1)},\n" for item in value)
        return f"(\n{items}{outer})"
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f"float({str(value)!r})"
    raise TypeError(f"no literal for {type(value).__name__}")


def record_names() -> list[str]:
    """The record classes of lift_runtime.config_types, which the generated module imports (and re-exports)."""
    return sorted(
        name
        for name, value in vars(config_types).items()
        if isinstance(value, type) and issubclass(value, Record) and value is not Record
    )


def _plain(label: str, value: str) -> str:
    if not _PLAIN_META.match(value):
        raise ValueError(f"{label} {value!r} is not a plain token")
    return value


def render_module(config: Config) -> bytes:
    source = config.provenance
    names = record_names()
    header = (
        f"# Generated by liftspec {_plain('version', source.liftspec_version)} from {source.source!r}, "
        f"environment {config.environment!r}.\n"
        f"# Input sha256: {_plain('digest', source.digest)}\n"
        "# Do not edit: change lift.yaml and run `liftspec compile` again.\n"
        '"""Runtime config compiled from lift.yaml: ``from lift_config import CONFIG``.\n'
        "\n"
        "CONFIG is a ``lift_runtime.config_types.Config``; the record types are lift_runtime's (standard library only).\n"
        '"""\n'
        "\n"
        "# ruff: noqa: E501 - values are kept on one line\n"
        "from __future__ import annotations\n"
        "\n"
        "from lift_runtime.config_types import (\n" + "".join(f"    {name},\n" for name in names) + ")\n"
        "\n"
        "TYPE_CHECKING = False\n"
        "if TYPE_CHECKING:\n"
        "    from types import MappingProxyType\n"
        "else:\n"
        "    MappingProxyType = type(type.__dict__)  # what the types module does, without importing it\n"
        "\n"
        f"__all__ = {['CONFIG', *names]!r}\n"
    )
    text = f"{header}\nCONFIG: Config = {literal(config)}\n"
    return text.encode("utf-8")


def render_json(config: Config) -> bytes:
    return (json.dumps(config.as_dict(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
