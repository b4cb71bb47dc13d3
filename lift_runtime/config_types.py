"""The shape of lift_config.CONFIG: frozen, slotted, typed records (standard library only).

Every generated ``lift_config.py`` imports its record classes from here (lift_runtime ships
beside it in the layer, and with liftspec), so ``CONFIG`` is an instance of this module's
``Config``. Durations are seconds (float), sizes bytes.

Field order (``__slots__``) is the order of ``repr()`` and of lift_config.json.
Plain slotted classes instead of dataclasses: ``import dataclasses`` pulls in
``inspect`` and costs about 5 ms on a Lambda cold start; these cost microseconds.
"""

# ruff: noqa: RUF023 - field order (__slots__) is meaningful
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from types import MappingProxyType
    from typing import Self, dataclass_transform
else:
    MappingProxyType = type(type.__dict__)  # what the types module does, without importing it

    def dataclass_transform(**options: object) -> object:  # typing's, without importing typing at run time
        return lambda cls: cls


@dataclass_transform(kw_only_default=True, frozen_default=True)
class Record:
    """Base of the config records: keyword-only constructor, immutable, compared by value.

    Type checkers see each subclass as a frozen keyword-only dataclass of its annotated fields.
    """

    __slots__: tuple[str, ...] = ()

    def __init__(self, **values: object) -> None:
        names = self.__slots__
        if len(values) != len(names) or not all(name in values for name in names):
            missing = [name for name in names if name not in values]
            unknown = [name for name in values if name not in names]
            raise TypeError(f"{type(self).__name__}: missing fields {missing}, unknown fields {unknown}")
        for name in names:
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot delete {name!r}")

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, name) for name in self.__slots__))

    def replace(self, **changes: object) -> Self:
        """A copy with some fields changed, e.g. ``CONFIG.replace(detailed_errors=True)`` in a test."""
        return type(self)(**{**{name: getattr(self, name) for name in self.__slots__}, **changes})

    def as_dict(self) -> dict[str, object]:
        """Plain dicts, lists and scalars: the shape of lift_config.json."""
        return {name: _plain(getattr(self, name)) for name in self.__slots__}


def _plain(value: object) -> object:
    if isinstance(value, Record):
        return value.as_dict()
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "items"):  # Mapping (a MappingProxyType in CONFIG)
        return {str(key): _plain(item) for key, item in value.items()}
    return value


class Provenance(Record):
    """Where the config came from: the lift.yaml path as given, the liftspec version, sha256 of the input."""

    __slots__ = ("source", "liftspec_version", "digest")
    source: str
    liftspec_version: str
    digest: str


class Route(Record):
    """functions[].http.routes[]: a route key and its access rule, the table the HTTP API's authorizer applies."""

    __slots__ = ("route", "public", "scopes")
    route: str  # 'METHOD /path' or '$default'
    public: bool  # no authorizer: answered without claims
    scopes: tuple[str, ...]  # the JWT must carry at least one of them (empty: any valid token)


class Function(Record):
    """One function of lift.yaml after overrides. timeout/request_timeout in seconds; memory in MB."""

    __slots__ = ("name", "handler", "invocation", "timeout", "request_timeout", "memory", "routes")
    name: str
    handler: str
    invocation: str  # http | sqs | schedule | dynamodb_stream | s3 | direct
    timeout: float
    request_timeout: float
    memory: int
    routes: tuple[Route, ...]  # http only, in the order written


class Resource(Record):
    """resources[name]: a table, bucket, queue or topic of the service.

    Its name and ARN exist only once the stack is deployed: the template gives them to the functions
    that use the resource (access or event source) as the environment variables named here, and
    ``name``/``arn`` read them. ``name`` is the table or bucket name, the queue URL or the topic ARN:
    what an AWS SDK call takes. Outside Lambda, set the variables yourself (in tests, for example).
    """

    __slots__ = ("type", "name_variable", "arn_variable")
    type: str  # table | bucket | queue | topic
    name_variable: str  # LIFT_RESOURCE_<NAME>
    arn_variable: str  # LIFT_RESOURCE_<NAME>_ARN

    @property
    def name(self) -> str:
        return _deployed(self.name_variable)

    @property
    def arn(self) -> str:
        return _deployed(self.arn_variable)


def _deployed(variable: str) -> str:
    from os import environ  # os is loaded by the interpreter itself: this import costs nothing

    value = environ.get(variable)
    if not value:
        raise LookupError(
            f"{variable} is not set: only functions with access to the resource (or an event source on it) get it; "
            "outside Lambda, set it yourself"
        )
    return value


class Jwt(Record):
    """security.auth.jwt: the HTTP API JWT authorizer."""

    __slots__ = ("issuer", "audience", "identity_source")
    issuer: str
    audience: tuple[str, ...]
    identity_source: str


class Auth(Record):
    """security.auth. With jwt set, the runtime refuses HTTP requests that reached it without verified claims."""

    __slots__ = ("enabled", "jwt")
    enabled: bool
    jwt: Jwt | None


class RateLimit(Record):
    """rate_limit: a per-container token bucket of `burst` tokens refilled at max per window (seconds).

    scope client adds a counter per client and window in DynamoDB (its table named by the
    LIFT_RATE_LIMIT_TABLE variable), shared by all containers; store_timeout in seconds.
    """

    __slots__ = ("enabled", "window", "max", "burst", "scope", "key", "on_store_error", "store_timeout")
    enabled: bool
    window: float
    max: int
    burst: int
    scope: str  # service | client
    key: str  # client only: source_ip | jwt_sub | header:<lowercase name>
    on_store_error: str  # client only: allow | deny
    store_timeout: float


class SamplingRule(Record):
    """tracing.sampling_rules[]: X-Ray sampling for SDK-instrumented calls."""

    __slots__ = ("name", "method", "path", "host", "service_type", "resource_arn", "rate", "reservoir", "priority")
    name: str
    method: str
    path: str
    host: str
    service_type: str
    resource_arn: str
    rate: float
    reservoir: int
    priority: int


class Caching(Record):
    """caching: ttl in seconds (lift_runtime.cache)."""

    __slots__ = ("enabled", "ttl")
    enabled: bool
    ttl: float


class Retry(Record):
    """resilience.retry: delays in seconds (lift_runtime.resilience.retry)."""

    __slots__ = ("max_attempts", "base_delay", "max_jitter")
    max_attempts: int
    base_delay: float
    max_jitter: float


class CircuitBreaker(Record):
    """resilience.circuit_breaker: reset_timeout in seconds (lift_runtime.resilience.CircuitBreaker)."""

    __slots__ = ("failure_threshold", "reset_timeout")
    failure_threshold: int
    reset_timeout: float


class HttpClient(Record):
    """resilience.http_client: timeouts in seconds, for the HTTP client user code builds."""

    __slots__ = ("timeout", "max_idle_conns", "max_idle_conns_per_host", "idle_timeout")
    timeout: float
    max_idle_conns: int
    max_idle_conns_per_host: int
    idle_timeout: float


class Resilience(Record):
    """resilience."""

    __slots__ = ("retry", "circuit_breaker", "http_client")
    retry: Retry
    circuit_breaker: CircuitBreaker
    http_client: HttpClient


class Compression(Record):
    """compression: gzip response bodies larger than min_size bytes when the client accepts gzip."""

    __slots__ = ("enabled", "min_size")
    enabled: bool
    min_size: int


class Config(Record):
    """Every runtime-relevant value of one resolved environment of lift.yaml.

    request_timeout is the service-wide deadline (seconds); each function's own is in
    functions[name].request_timeout. security_headers are rendered header name -> value.
    """

    __slots__ = (
        "service",
        "environment",
        "region",
        "log_level",
        "log_format",
        "request_timeout",
        "detailed_errors",
        "require_https",
        "auth",
        "security_headers",
        "rate_limit",
        "tracing_enabled",
        "sampling_rules",
        "metrics_enabled",
        "metrics_namespace",
        "caching",
        "resilience",
        "compression",
        "health_path",
        "functions",
        "resources",
        "provenance",
    )
    service: str
    environment: str
    region: str | None
    log_level: str  # debug | info | warn | error
    log_format: str  # json | text
    request_timeout: float
    detailed_errors: bool
    require_https: bool
    auth: Auth
    security_headers: Mapping[str, str]
    rate_limit: RateLimit
    tracing_enabled: bool
    sampling_rules: tuple[SamplingRule, ...]
    metrics_enabled: bool
    metrics_namespace: str
    caching: Caching
    resilience: Resilience
    compression: Compression
    health_path: str
    functions: Mapping[str, Function]
    resources: Mapping[str, Resource]
    provenance: Provenance
