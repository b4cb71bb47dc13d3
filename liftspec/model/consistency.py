"""Cross-field facts that make a file meaningless (LS008). Each yields (path, message, hint)."""

from __future__ import annotations

from collections.abc import Iterator

from liftspec.diagnostics import Path
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
    if spec.security.auth.enabled and spec.security.auth.jwt is None and any(fn.http for fn in spec.functions.values()):
        yield (
            ("security", "auth"),
            "auth is enabled but no authorizer is configured",
            "set security.auth.jwt {issuer, audience}, or security.auth.enabled: false",
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
