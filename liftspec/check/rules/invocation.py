"""LS323 and LS410-LS413: how functions are invoked: queue event sources, asynchronous invocation, schedules."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from liftspec.check.context import Context
from liftspec.check.rule import Docs, Finding, rule
from liftspec.model.spec import schedule_of
from liftspec.model.units import format_duration

FIFO_BATCH_MAX = 10
BATCHING_WINDOW_MAX = timedelta(seconds=300)
MAXIMUM_CONCURRENCY = (2, 1000)


@rule(
    "LS323",
    "sqs-limits",
    "An SQS event source is outside Lambda's limits",
    tags=("limits",),
    docs=Docs(
        what="Checks each `functions.*.sqs`: `maximum_concurrency` within 2..1000, `batch_size` at most 10 on a FIFO "
        "queue (an ARN ending in `.fifo`), no `batching_window` on a FIFO queue, and `batching_window` at most 300s.",
        why="Lambda rejects such an event source mapping when the stack deploys; the stack update fails and rolls back.",
        example="functions:\n  worker:\n    handler: worker.handler\n"
        '    sqs: {queue: "arn:aws:sqs:us-east-1:123456789012:orders.fifo", batch_size: 100}',
        fix="FIFO queues: `batch_size: 10` or less and no `batching_window`. Standard queues: `batching_window` up "
        "to `5m`. `maximum_concurrency` between 2 and 1000.",
    ),
)
def sqs_limits(ctx: Context) -> Iterator[Finding]:
    low, high = MAXIMUM_CONCURRENCY
    for name, fn in ctx.spec.functions.items():
        sqs = fn.sqs
        if sqs is None:
            continue
        base = ("functions", name, "sqs")
        if sqs.maximum_concurrency is not None and not low <= sqs.maximum_concurrency <= high:
            yield Finding(
                (*base, "maximum_concurrency"),
                f"function '{name}': maximum_concurrency {sqs.maximum_concurrency} is outside Lambda's {low}..{high}",
                f"use a value between {low} and {high}, or remove it",
            )
        if sqs.fifo and sqs.batch_size > FIFO_BATCH_MAX:
            yield Finding(
                (*base, "batch_size"),
                f"function '{name}': batch_size {sqs.batch_size} on a FIFO queue; Lambda takes at most {FIFO_BATCH_MAX}",
                f"use batch_size: {FIFO_BATCH_MAX} or less",
            )
        window = sqs.batching_window
        if window is not None and sqs.fifo and window > timedelta(0):
            yield Finding(
                (*base, "batching_window"),
                f"function '{name}': FIFO queues do not support a batching window",
                "remove batching_window",
            )
        elif window is not None and window > BATCHING_WINDOW_MAX:
            yield Finding(
                (*base, "batching_window"),
                f"function '{name}': batching_window {format_duration(window)} is over Lambda's 5m",
                "use at most 5m",
            )


@rule(
    "LS410",
    "sqs-concurrency-over-reserved",
    "A queue may drive more invocations than the function may run",
    tags=("reliability",),
    docs=Docs(
        what="Reports an SQS event source whose `maximum_concurrency` is above the function's `concurrency.reserved`.",
        why="Lambda's pollers keep invoking up to `maximum_concurrency`; above the reservation the invocations are "
        "throttled, the messages go back to the queue, and after `maxReceiveCount` attempts healthy messages land in "
        "the queue's dead-letter queue. AWS advises a reservation at least as high as the maximum concurrency.",
        example="functions:\n  worker:\n    handler: worker.handler\n"
        '    sqs: {queue: "arn:aws:sqs:us-east-1:123456789012:jobs", maximum_concurrency: 50}\n'
        "    concurrency: {reserved: 10}",
        fix="Make `maximum_concurrency` at most `concurrency.reserved` (it is the setting meant to cap the queue's share).",
    ),
)
def sqs_concurrency_over_reserved(ctx: Context) -> Iterator[Finding]:
    for name, fn in ctx.spec.functions.items():
        sqs, reserved = fn.sqs, fn.concurrency.reserved
        if sqs is None or sqs.maximum_concurrency is None or reserved is None:
            continue
        if sqs.maximum_concurrency > reserved:
            yield Finding(
                ("functions", name, "sqs", "maximum_concurrency"),
                f"function '{name}': maximum_concurrency {sqs.maximum_concurrency} is above its reserved concurrency "
                f"{reserved}: the excess is throttled and messages can end up in the dead-letter queue",
                f"lower maximum_concurrency to {reserved} or raise concurrency.reserved",
            )


EVENT_AGE = (timedelta(seconds=60), timedelta(hours=6))


@rule(
    "LS411",
    "async-event-age",
    "The maximum event age of asynchronous invocations is outside 60s..6h",
    tags=("limits",),
    docs=Docs(
        what="Reports `functions.*.async.max_event_age` under 60 seconds or over 6 hours.",
        why="Lambda keeps asynchronous events for at most 6 hours and rejects an EventInvokeConfig with "
        "MaximumEventAgeInSeconds outside 60..21600 when the stack deploys.",
        example="functions:\n  reconcile:\n    handler: jobs.reconcile\n    schedule: rate(15 minutes)\n"
        "    async: {max_event_age: 30s}",
        fix="Use a value between `60s` and `6h`.",
    ),
)
def async_event_age(ctx: Context) -> Iterator[Finding]:
    low, high = EVENT_AGE
    for name, fn in ctx.spec.functions.items():
        age = fn.async_.max_event_age if fn.async_ is not None else None
        if age is not None and not low <= age <= high:
            yield Finding(
                ("functions", name, "async", "max_event_age"),
                f"function '{name}': max_event_age {format_duration(age)} is outside Lambda's 60s..6h",
                "use a value between 60s and 6h",
            )


@rule(
    "LS412",
    "async-config-unused",
    "Asynchronous invocation settings on a function invoked synchronously",
    tags=("reliability",),
    docs=Docs(
        what="Reports `functions.*.async` on a function with HTTP routes or an SQS queue.",
        why="API Gateway and SQS invoke functions synchronously: retries, event age and destinations never apply, "
        "so failed requests and messages do not go where the file says they go. SQS retries through the queue's "
        "own redrive policy.",
        example='functions:\n  api:\n    handler: app.handler\n    http: {routes: ["ANY /{proxy+}"]}\n    async: {retries: 0}',
        fix="Remove `async`; for an SQS function, configure the source queue's redrive policy (maxReceiveCount and "
        "dead-letter queue) instead.",
    ),
)
def async_config_unused(ctx: Context) -> Iterator[Finding]:
    for fn in ctx.functions:
        if fn.spec.async_ is not None and fn.invocation in ("http", "sqs"):
            yield Finding(
                ("functions", fn.name, "async"),
                f"function '{fn.name}' is invoked synchronously ({fn.invocation}): its async settings never apply",
                "remove async" + (", and set a redrive policy on the source queue" if fn.invocation == "sqs" else ""),
            )


FLEXIBLE_WINDOW_MINUTES = (1, 1440)


@rule(
    "LS413",
    "schedule-flexible-window",
    "A schedule's flexible window is outside 1..1440 whole minutes",
    tags=("limits",),
    docs=Docs(
        what="Reports `functions.*.schedule.flexible_window` that is not a whole number of minutes between 1 and 1440 (one day).",
        why="EventBridge Scheduler takes MaximumWindowInMinutes as a whole number from 1 to 1440 and rejects the "
        "schedule otherwise when the stack deploys.",
        example="functions:\n  nightly:\n    handler: jobs.nightly\n"
        "    schedule: {expression: cron(0 2 * * ? *), flexible_window: 90s}",
        fix="Use whole minutes, `1m` to `1d`; leave it unset to fire on time.",
    ),
)
def schedule_flexible_window(ctx: Context) -> Iterator[Finding]:
    low, high = FLEXIBLE_WINDOW_MINUTES
    for name, fn in ctx.spec.functions.items():
        schedule = schedule_of(fn)
        window = schedule.flexible_window if schedule is not None else None
        if window is None:
            continue
        minutes = window.total_seconds() / 60
        if not (minutes.is_integer() and low <= minutes <= high):
            yield Finding(
                ("functions", name, "schedule", "flexible_window"),
                f"function '{name}': flexible_window {format_duration(window)} is not a whole number of minutes "
                f"from {low} to {high}",
                "use whole minutes between 1m and 1d",
            )
