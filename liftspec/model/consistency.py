"""Cross-field facts that make a file meaningless (LS008). Each yields (path, message, hint)."""

from __future__ import annotations

from collections.abc import Iterator

from liftspec.diagnostics import Path
from liftspec.model import alarms
from liftspec.model.effective import effective
from liftspec.model.spec import LiftSpec

Problem = tuple[Path, str, str]


def problems(spec: LiftSpec) -> Iterator[Problem]:
    configured = spec.alarms.configured()
    for i, name in enumerate(spec.deployment.rollback_on):
        if name not in configured:
            yield (
                ("deployment", "rollback_on", i),
                f"rollback_on names alarm '{name}', which the alarms section does not define",
                f"add alarms.{name} or remove it from rollback_on",
            )
    reported: set[Path] = set()
    for fname, fn in spec.functions.items():
        sources = [key for key in ("http", "sqs", "schedule") if getattr(fn, key) is not None]
        if len(sources) > 1:
            yield (
                ("functions", fname, sources[1]),
                f"function '{fname}' has both {sources[0]} and {sources[1]} events; a function serves one kind of trigger",
                "split it into two functions that share the code (same `code`, different `handler`)",
            )
        if fn.sqs is not None and fn.sqs.queue == "dead_letter" and spec.dead_letter.enabled is False:
            yield (
                ("functions", fname, "sqs", "queue"),
                "queue 'dead_letter' refers to the service's DLQ, but dead_letter.enabled is false",
                "enable dead_letter or point sqs.queue at a queue ARN",
            )
        if fn.sqs is not None and fn.sqs.queue != "dead_letter" and not fn.sqs.queue.startswith("arn:"):
            yield (
                ("functions", fname, "sqs", "queue"),
                f"sqs.queue '{fn.sqs.queue}' is neither 'dead_letter' nor a queue ARN",
                "use arn:aws:sqs:REGION:ACCOUNT:NAME, or dead_letter for the service's own DLQ",
            )
        yield from _build_problems(spec, fname, reported)
        names = [s.name for s in fn.concurrency.schedule]
        for j, entry in enumerate(fn.concurrency.schedule):
            if names.index(entry.name) != j:
                yield (
                    ("functions", fname, "concurrency", "schedule", j, "name"),
                    f"scaling schedule name '{entry.name}' is used twice",
                    "give each schedule entry its own name",
                )
    namespace = spec.metrics.namespace
    if namespace is not None and namespace.startswith("AWS/"):
        yield (
            ("metrics", "namespace"),
            f"namespace '{namespace}' is reserved: AWS/ belongs to AWS services",
            "use your own, e.g. the service name in CamelCase",
        )
    envs = [s.env for s in spec.security.secrets]
    for i, secret in enumerate(spec.security.secrets):
        if envs.index(secret.env) != i:
            yield (
                ("security", "secrets", i, "env"),
                f"two secrets use the variable {secret.env}",
                "give each secret its own variable",
            )
        for fname, fn in spec.functions.items():
            if secret.env in {**spec.runtime.variables, **fn.variables}:
                yield (
                    ("security", "secrets", i, "env"),
                    f"{secret.env} is both a secret and a plain variable (function '{fname}')",
                    "remove it from variables",
                )
                break
    auth = spec.security.auth
    if auth.enabled and auth.default_authorizer() is None and any(fn.http for fn in spec.functions.values()):
        yield (
            ("security", "auth"),
            "auth is enabled but no authorizer is configured",
            "set security.auth.jwt {issuer, audience} or security.auth.lambda {function_arn}, or security.auth.enabled: false",
        )
    yield from _route_auth(spec)
    yield from _rate_limit(spec)
    yield from alarms.problems(spec)
    yield from _destinations(spec)


def _rate_limit(spec: LiftSpec) -> Iterator[Problem]:
    """scope client: a key the requests can carry, a store timeout a request can wait, a runtime that counts."""
    limit = spec.rate_limit
    if limit.scope == "service":
        for key in ("key", "on_store_error", "store_timeout"):
            if key in limit.model_fields_set:
                yield (
                    ("rate_limit", key),
                    f"rate_limit.{key} applies only to scope: client, and this limit counts all clients together",
                    f"set rate_limit.scope: client to count each client apart, or remove {key}",
                )
        return
    timeout_ms = limit.store_timeout.total_seconds() * 1000
    if not 10 <= timeout_ms <= 5000:
        yield (
            ("rate_limit", "store_timeout"),
            f"store_timeout must be between 10ms and 5s (got {timeout_ms:g}ms): every request waits for the counter",
            "use a short timeout such as 300ms; on_store_error decides what happens past it",
        )
    # auth.enabled: false (a dev overlay) keeps the key; requests then count under their source IP, and LS202 reports it
    if limit.client_key() == "jwt_sub" and spec.security.auth.jwt is None:
        yield (
            ("rate_limit", "key"),
            "key jwt_sub reads the sub claim of a verified JWT, but security.auth configures no JWT authorizer",
            "configure security.auth.jwt, or key on source_ip or a header",
        )
    for fname, fn in spec.functions.items():
        wrapper = effective(spec, fname).wrapper
        if fn.http is not None and wrapper != "python":
            runs = "builds with go" if wrapper == "go" else f"runs on {fn.lambda_ or spec.runtime.lambda_}, unwrapped"
            yield (
                ("rate_limit", "scope"),
                f"scope: client is counted by the Python runtime only, and HTTP function '{fname}' {runs}: "
                "nothing would limit it (scope client sets no stage throttle)",
                "use scope: service, whose stage throttle applies to every function",
            )
            break


def _destinations(spec: LiftSpec) -> Iterator[Problem]:
    for fname, fn in spec.functions.items():
        if fn.async_ is None:
            continue
        for key in ("on_success", "on_failure"):
            dest = getattr(fn.async_, key)
            where = ("functions", fname, "async", key)
            if dest is None:
                continue
            if not dest.names_one():
                yield (where, f"{key} must name exactly one of queue, topic or function", "keep one of them")
            elif dest.function is not None and dest.function not in spec.functions:
                yield (
                    (*where, "function"),
                    f"{key} names function '{dest.function}', which this service does not define",
                    f"use one of: {', '.join(spec.functions)}",
                )
            elif dest.function == fname:
                yield (
                    (*where, "function"),
                    f"function '{fname}' sends its own invocation records to itself: every invocation makes another",
                    "send them to another function, a queue or a topic",
                )
            elif dest.queue == "dead_letter" and spec.dead_letter.enabled is False:
                yield (
                    (*where, "queue"),
                    "queue 'dead_letter' refers to the service's DLQ, but dead_letter.enabled is false",
                    "enable dead_letter or use a queue ARN",
                )


def _route_auth(spec: LiftSpec) -> Iterator[Problem]:
    """Per-route access rules that name what is not there, or ask for what the authorizer cannot do."""
    auth = spec.security.auth
    configured = {"jwt": auth.jwt is not None, "lambda": auth.lambda_ is not None}
    if auth.default is not None and not configured[auth.default]:
        yield (
            ("security", "auth", "default"),
            f"security.auth.default is {auth.default}, but security.auth.{auth.default} is not configured",
            f"configure security.auth.{auth.default}, or remove default",
        )
    for fname, fn in spec.functions.items():
        if fn.http is None:
            continue
        for i, route in enumerate(fn.http.entries()):
            base = ("functions", fname, "http", "routes", i)
            kind = route.authorizer or auth.default_authorizer()
            if route.public and (route.scopes or route.authorizer):
                key = "scopes" if route.scopes else "authorizer"
                yield (
                    (*base, key),
                    f"route '{route.route}' is public but also names {'scopes' if route.scopes else 'an authorizer'}",
                    f"remove {key}, or public: true",
                )
            elif not auth.enabled:
                continue  # an overlay that switches auth off keeps the routes as written; LS202 reports the open API
            elif route.authorizer is not None and not configured[route.authorizer]:
                yield (
                    (*base, "authorizer"),
                    f"route '{route.route}' uses the {route.authorizer} authorizer, which security.auth does not configure",
                    f"configure security.auth.{route.authorizer}, or remove authorizer",
                )
            elif route.scopes and kind == "lambda":
                yield (
                    (*base, "scopes"),
                    f"route '{route.route}' requires scopes, but its authorizer is the Lambda authorizer: "
                    "HTTP APIs check scopes with JWT authorizers only",
                    "check the scopes in the Lambda authorizer, or use authorizer: jwt on this route",
                )
            elif route.scopes and route.route in (f"GET {spec.health.path}", f"ANY {spec.health.path}"):
                yield (
                    (*base, "scopes"),
                    f"route '{route.route}' is the health check, which stays public so that probes need no token",
                    "remove scopes, or move health.path",
                )


def _build_problems(spec: LiftSpec, fname: str, reported: set[Path]) -> Iterator[Problem]:
    """build: go needs an OS-only runtime (provided.*) and the binary SAM builds, bootstrap, as handler."""
    fn = spec.functions[fname]
    build = fn.build or spec.runtime.build
    if build != "go":
        return
    where: Path = ("functions", fname, "build") if fn.build else ("runtime", "build")
    runtime = fn.lambda_ or spec.runtime.lambda_
    if not runtime.startswith("provided") and where not in reported:
        reported.add(where)
        yield (
            where,
            f"build: go needs an OS-only runtime, but function '{fname}' runs on {runtime}",
            "set lambda: provided.al2023 (the Go binary is the runtime), or remove build: go",
        )
    elif runtime.startswith("provided") and fn.handler != "bootstrap":
        yield (
            ("functions", fname, "handler"),
            f"with build: go the handler is the binary sam build writes, bootstrap, not '{fn.handler}'",
            "set handler: bootstrap; one Go module per code folder builds one binary",
        )
