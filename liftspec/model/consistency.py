"""Cross-field facts that make a file meaningless (LS008). Each yields (path, message, hint)."""

from __future__ import annotations

from collections.abc import Iterator

from liftspec.diagnostics import Path
from liftspec.model import alarms
from liftspec.model.effective import effective
from liftspec.model.spec import Bucket, LiftSpec, Queue

Problem = tuple[Path, str, str]

EVENT_SOURCES = ("http", "sqs", "schedule", "dynamodb_stream", "s3")


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
        sources = [key for key in EVENT_SOURCES if getattr(fn, key) is not None]
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
        if fn.sqs is not None and (fn.sqs.queue is None) == (fn.sqs.resource is None):
            yield (
                ("functions", fname, "sqs"),
                "sqs needs exactly one of queue (dead_letter or an ARN) and resource (a queue in resources)",
                "write `sqs: {resource: NAME}` for a queue of this service, `sqs: {queue: ARN}` for another one",
            )
        if (
            fn.sqs is not None
            and fn.sqs.queue is not None
            and fn.sqs.queue != "dead_letter"
            and not fn.sqs.queue.startswith("arn:")
        ):
            yield (
                ("functions", fname, "sqs", "queue"),
                f"sqs.queue '{fn.sqs.queue}' is neither 'dead_letter' nor a queue ARN",
                "use arn:aws:sqs:REGION:ACCOUNT:NAME, or dead_letter for the service's own DLQ",
            )
        yield from _build_problems(spec, fname, reported)
        yield from _resource_references(spec, fname)
        names = [s.name for s in fn.concurrency.schedule]
        for j, entry in enumerate(fn.concurrency.schedule):
            if names.index(entry.name) != j:
                yield (
                    ("functions", fname, "concurrency", "schedule", j, "name"),
                    f"scaling schedule name '{entry.name}' is used twice",
                    "give each schedule entry its own name",
                )
    yield from _overlapping_notifications(spec)
    for name, resource in spec.resources.items():
        replica = resource.replicate_to if isinstance(resource, Bucket) else None
        if isinstance(resource, Bucket) and replica is not None and resource.encryption is not None and replica.kms_key is None:
            yield (
                ("resources", name, "replicate_to"),
                f"bucket '{name}' is encrypted with a KMS key, but replicate_to has no kms_key for the replicas",
                "add replicate_to.kms_key: the ARN of a key in the destination region",
            )
        if name == "access-logs":
            yield (
                ("resources", name),
                "the resource name 'access-logs' is taken by the bucket that receives the service's S3 access logs",
                "choose another name",
            )
        if name.endswith("-arn") and name[: -len("-arn")] in spec.resources:
            yield (
                ("resources", name),
                f"resource '{name}' would share its variable LIFT_RESOURCE_{name.upper().replace('-', '_')} with the ARN of "
                f"'{name[: -len('-arn')]}'",
                "rename it",
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
        for fname in spec.functions:
            if secret.env in effective(spec, fname).variables:
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
        values = effective(spec, fname)
        if fn.http is not None and values.wrapper not in ("python", "go"):
            runs = f"runs on {values.lambda_runtime}, unwrapped"
            yield (
                ("rate_limit", "scope"),
                f"scope: client is counted by liftspec's Python and Go runtimes, and HTTP function '{fname}' {runs}: "
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
    fn, values = spec.functions[fname], effective(spec, fname)
    if values.build != "go":
        return
    where: Path = ("functions", fname, "build") if fn.build else ("runtime", "build")
    runtime = values.lambda_runtime
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


def _resource_references(spec: LiftSpec, fname: str) -> Iterator[Problem]:
    """Access levels and event sources that name a resource: it must exist and be of the right type."""
    fn = spec.functions[fname]
    declared = ", ".join(spec.resources) or "none"
    for name, level in fn.access.items():
        resource = spec.resources.get(name)
        if resource is None:
            yield (
                ("functions", fname, "access", name),
                f"access names resource '{name}', which the resources section does not declare (declared: {declared})",
                f"declare resources.{name} or remove it from access",
            )
        elif level not in resource.access_levels:
            yield (
                ("functions", fname, "access", name),
                f"'{level}' is not an access level of a {resource.type} ('{name}')",
                f"use one of {', '.join(resource.access_levels)}",
            )
    wanted = (("sqs", "queue"), ("dynamodb_stream", "table"), ("s3", "bucket"))
    for key, kind in wanted:
        source = getattr(fn, key)
        target: str | None = getattr(source, "resource", None) if source is not None else None
        if target is None:
            continue
        name = target
        resource = spec.resources.get(name)
        path = ("functions", fname, key, "resource")
        if resource is None:
            yield (
                path,
                f"{key} names resource '{name}', which the resources section does not declare (declared: {declared})",
                f"declare resources.{name} (type: {kind}) or name one that exists",
            )
        elif resource.type != kind:
            yield (path, f"{key} needs a {kind}, but '{name}' is a {resource.type}", f"name a resource of type {kind}")
        elif isinstance(resource, Queue):
            yield from _queue_consumer(spec, fname, name, resource)
        elif key == "dynamodb_stream" and getattr(resource, "stream", None) is None:
            yield (
                path,
                f"table '{name}' has no stream for dynamodb_stream to read",
                f"set resources.{name}.stream, e.g. new_and_old",
            )


def _queue_consumer(spec: LiftSpec, fname: str, name: str, queue: Queue) -> Iterator[Problem]:
    """What Lambda refuses when it creates the event source mapping of a queue of `resources`."""
    fn = spec.functions[fname]
    assert fn.sqs is not None
    timeout = effective(spec, fname).timeout
    if queue.visibility_timeout is not None and queue.visibility_timeout < timeout:
        yield (
            ("resources", name, "visibility_timeout"),
            f"queue '{name}' has a visibility timeout below the {timeout.total_seconds():g}s timeout of function "
            f"'{fname}', which consumes it: Lambda refuses the event source",
            "remove visibility_timeout (the default is six times the slowest consumer's timeout) or raise it",
        )
    if queue.fifo and fn.sqs.batch_size > 10:
        yield (
            ("functions", fname, "sqs", "batch_size"),
            f"queue '{name}' is FIFO: Lambda reads at most 10 messages per batch from it",
            "set batch_size to 10 or less",
        )
    if queue.fifo and fn.sqs.batching_window is not None:
        yield (
            ("functions", fname, "sqs", "batching_window"),
            f"queue '{name}' is FIFO: Lambda has no batching window for FIFO queues",
            "remove batching_window",
        )


def _overlapping_notifications(spec: LiftSpec) -> Iterator[Problem]:
    """S3 refuses two notifications of one bucket whose event types and key filters overlap."""
    seen: list[tuple[str, str]] = []
    for fname, fn in spec.functions.items():
        if fn.s3 is None:
            continue
        for other, bucket in seen:
            theirs = spec.functions[other].s3
            assert theirs is not None
            if (
                bucket == fn.s3.resource
                and set(theirs.events) & set(fn.s3.events)
                and _overlap(fn.s3.prefix, theirs.prefix, False)
                and _overlap(fn.s3.suffix, theirs.suffix, True)
            ):
                yield (
                    ("functions", fname, "s3"),
                    f"the s3 events of functions '{other}' and '{fname}' overlap on bucket '{bucket}': S3 refuses "
                    "overlapping notifications",
                    "give them prefixes or suffixes that do not overlap, or different event types",
                )
        seen.append((fname, fn.s3.resource))


def _overlap(a: str | None, b: str | None, suffix: bool) -> bool:
    if not a or not b:
        return True
    return a.endswith(b) or b.endswith(a) if suffix else a.startswith(b) or b.startswith(a)
