"""LS6xx: deployments and dead-letter queues."""

from __future__ import annotations

from collections.abc import Iterator

from liftspec.check.context import Context, functions_phrase
from liftspec.check.rule import Docs, Finding, rule


@rule(
    "LS601",
    "gradual-deployment",
    "No gradual deployment",
    tags=("reliability",),
    docs=Docs(
        what="Reports `deployment.strategy: AllAtOnce` (the default).",
        why="All-at-once sends every request to the new version the moment it is deployed: a bad release hits all "
        "users before any alarm can fire. Canary and linear deployments shift traffic step by step and roll back "
        "automatically on the `rollback_on` alarms.",
        example="deployment:\n  strategy: AllAtOnce",
        fix="`deployment: {strategy: Canary10Percent5Minutes, rollback_on: [errors, latency]}`.",
    ),
)
def gradual_deployment(ctx: Context) -> Iterator[Finding]:
    if ctx.spec.deployment.strategy == "AllAtOnce":
        yield Finding(
            ("deployment", "strategy"),
            "deployments are all at once: a bad release reaches every user immediately",
            "use a canary or linear strategy, e.g. Canary10Percent5Minutes, with rollback_on alarms",
        )


@rule(
    "LS602",
    "rollback-alarms",
    "Gradual deployment without rollback alarms",
    tags=("reliability",),
    docs=Docs(
        what="Reports a canary or linear `deployment.strategy` with an empty `deployment.rollback_on`.",
        why="CodeDeploy only rolls back on the alarms it is given: without them a canary shifts all traffic to a "
        "failing version on schedule, and the gradual deployment only delays the outage.",
        example="deployment:\n  strategy: Canary10Percent5Minutes",
        fix="`deployment: {strategy: Canary10Percent5Minutes, rollback_on: [errors, latency]}` with those alarms "
        "defined in `alarms`.",
    ),
)
def rollback_alarms(ctx: Context) -> Iterator[Finding]:
    deployment = ctx.spec.deployment
    if deployment.strategy != "AllAtOnce" and not deployment.rollback_on:
        yield Finding(
            ("deployment", "rollback_on"),
            f"{deployment.strategy} has no rollback alarms: a failing version still gets all traffic",
            "set deployment.rollback_on, e.g. [errors, latency]",
        )


@rule(
    "LS603",
    "async-without-dlq",
    "An asynchronously invoked function has no dead-letter queue",
    tags=("reliability",),
    docs=Docs(
        what="Reports `dead_letter.enabled: false` on a service with functions invoked asynchronously (`schedule`).",
        why="Lambda retries a failed asynchronous invocation twice and then drops the event: without a DLQ the "
        "failure leaves no trace to replay or investigate.",
        example="dead_letter:\n  enabled: false\nfunctions:\n  reconcile: {handler: jobs.reconcile, schedule: rate(15 minutes)}",
        fix="Remove `enabled: false` (a DLQ is created for asynchronous functions by default) or set `dead_letter: "
        "{enabled: true}`.",
    ),
)
def async_without_dlq(ctx: Context) -> Iterator[Finding]:
    asynchronous = [fn.name for fn in ctx.functions if fn.is_async]
    if asynchronous and ctx.spec.dead_letter.enabled is False:
        yield Finding(
            ("dead_letter", "enabled"),
            f"{functions_phrase(asynchronous)} invoked asynchronously but the "
            "dead-letter queue is off: failed events are dropped after two retries",
            "remove dead_letter.enabled: false",
        )


@rule(
    "LS604",
    "dlq-never-used",
    "A dead-letter queue that will never receive anything",
    tags=("reliability", "cost"),
    docs=Docs(
        what="Reports `dead_letter.enabled: true` on a service with no asynchronously invoked function.",
        why="A Lambda DLQ only receives failed asynchronous invocations. HTTP and SQS functions are invoked "
        "synchronously: their failures go back to the caller or to the source queue's own redrive policy. The "
        "queue (and an alarm or a processor on it) gives a false sense of safety.",
        example='dead_letter:\n  enabled: true\nfunctions:\n  api: {handler: app.handler, http: {routes: ["ANY /{proxy+}"]}}',
        fix="Remove `dead_letter`, or configure a redrive policy on the source queue of SQS functions.",
    ),
)
def dlq_never_used(ctx: Context) -> Iterator[Finding]:
    if ctx.spec.dead_letter.enabled and not any(fn.is_async for fn in ctx.functions):
        yield Finding(
            ("dead_letter", "enabled"),
            "the dead-letter queue will never receive anything: no function is invoked asynchronously",
            "remove dead_letter, or set a redrive policy on the source queue",
        )
