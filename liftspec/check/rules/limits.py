"""LS3xx: timeouts, memory and other Lambda limits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from liftspec.check.context import Context, functions_phrase, grouped
from liftspec.check.rule import Docs, Finding, rule
from liftspec.model.units import format_duration

HTTP_API_LIMIT = timedelta(seconds=30)
LAMBDA_MAX_TIMEOUT = timedelta(seconds=900)
MEMORY_RANGE = (128, 10240)


def _override(names: list[str]) -> str:
    return f"functions.{names[0]}.timeouts.function" if len(names) == 1 else "functions.NAME.timeouts.function"


def _timeout_path(ctx: Context, name: str) -> tuple[str | int, ...]:
    return ctx.function(name).source("timeout")


@rule(
    "LS301",
    "request-deadline",
    "The request deadline is not below the function timeout",
    tags=("reliability",),
    docs=Docs(
        what="Reports a function whose request deadline (`timeouts.request`) is equal to or longer than its Lambda "
        "timeout (`timeouts.function`).",
        why="The runtime enforces the request deadline so that a slow request ends with a clean 504 and a log line, "
        "and the handler can clean up. When Lambda's own timeout comes first the invocation is killed mid-request: "
        "no response, no error log, connections left open.",
        example="timeouts:\n  function: 30s\n  request: 30s",
        fix="Keep the deadline a little below the timeout, e.g. `function: 30s` and `request: 29s`.",
    ),
)
def request_deadline(ctx: Context) -> Iterator[Finding]:
    bad: list[tuple[tuple[str | int, ...], str]] = []
    values: dict[str, tuple[timedelta, timedelta]] = {}
    for fn in ctx.functions:
        if fn.request_timeout >= fn.timeout:
            # The deadline may be derived from the timeout; then its source is the timeout, what to change.
            bad.append((fn.source("request_timeout"), fn.name))
            values[fn.name] = (fn.request_timeout, fn.timeout)
    for where, names in grouped(bad).items():
        request, timeout = values[names[0]]
        yield Finding(
            where,
            f"{functions_phrase(names)}: request deadline {format_duration(request)} is not below the "
            f"timeout {format_duration(timeout)}",
            "set timeouts.request a little below timeouts.function, e.g. 29s for 30s",
        )


@rule(
    "LS302",
    "http-timeout",
    "An HTTP function's timeout is over the 30 s HTTP API limit",
    tags=("reliability",),
    docs=Docs(
        what="Reports a function with HTTP routes whose Lambda timeout is over 30 seconds.",
        why="An HTTP API integration times out after at most 30 seconds: the client gets a 503 while the function "
        "keeps running (and billing) until its own timeout, with its response thrown away.",
        example='timeouts:\n  function: 60s\nfunctions:\n  api:\n    handler: app.handler\n    http: {routes: ["ANY /{proxy+}"]}',
        fix="Set the HTTP function's timeout to 30s or less (`functions.api.timeouts.function: 29s`), and move long "
        "work to an asynchronous function (SQS or schedule).",
    ),
)
def http_timeout(ctx: Context) -> Iterator[Finding]:
    over = [(_timeout_path(ctx, fn.name), fn.name) for fn in ctx.http_functions if fn.timeout > HTTP_API_LIMIT]
    for where, names in grouped(over).items():
        timeout = ctx.function(names[0]).timeout
        yield Finding(
            where,
            f"{functions_phrase(names)} serve{'s' if len(names) == 1 else ''} HTTP routes with a timeout of "
            f"{format_duration(timeout)}; HTTP APIs give up after 30s",
            f"set {_override(names)} to 30s or less; move long work to a queue",
        )


@rule(
    "LS303",
    "timeout-range",
    "A Lambda timeout is outside 1 s..900 s",
    tags=("limits",),
    docs=Docs(
        what="Reports a function timeout over 900 seconds (15 minutes) or under one second.",
        why="Lambda rejects the function at deploy time: the stack update fails and rolls back.",
        example="timeouts:\n  function: 20m",
        fix="Use at most `900s`; split longer work into steps (SQS, Step Functions) or run it on a container service.",
    ),
)
def timeout_range(ctx: Context) -> Iterator[Finding]:
    bad = [
        (_timeout_path(ctx, fn.name), fn.name)
        for fn in ctx.functions
        if fn.timeout > LAMBDA_MAX_TIMEOUT or fn.timeout < timedelta(seconds=1)
    ]
    for where, names in grouped(bad).items():
        timeout = ctx.function(names[0]).timeout
        yield Finding(
            where,
            f"{functions_phrase(names)}: timeout {format_duration(timeout)} is outside Lambda's 1s..900s",
            "use a timeout between 1s and 900s",
        )


@rule(
    "LS304",
    "memory-range",
    "Memory is outside 128..10240 MB",
    tags=("limits",),
    docs=Docs(
        what="Reports a function whose memory is under 128 MB or over 10240 MB.",
        why="Lambda rejects the function at deploy time: the stack update fails and rolls back.",
        example="runtime:\n  memory: 64",
        fix="Use a value between 128 and 10240 (MB). CPU scales with memory: 1769 MB is one full vCPU.",
    ),
)
def memory_range(ctx: Context) -> Iterator[Finding]:
    low, high = MEMORY_RANGE
    bad = [(fn.source("memory"), fn.name) for fn in ctx.functions if not low <= fn.memory <= high]
    for where, names in grouped(bad).items():
        memory = ctx.function(names[0]).memory
        yield Finding(
            where,
            f"{functions_phrase(names)}: memory {memory} MB is outside Lambda's {low}..{high} MB",
            f"use a value between {low} and {high}",
        )


@rule(
    "LS305",
    "sqs-batch-window",
    "An SQS batch over 10 messages needs a batching window",
    tags=("limits",),
    docs=Docs(
        what="Reports an SQS event with `batch_size` over 10 and no `batching_window`.",
        why="Lambda requires MaximumBatchingWindowInSeconds of at least one second when BatchSize is over 10: the "
        "event source mapping is rejected at deploy time.",
        example="functions:\n  worker:\n    handler: worker.handler\n"
        '    sqs: {queue: "arn:aws:sqs:us-east-1:123456789012:jobs", batch_size: 100}',
        fix="Add `batching_window: 1s` (or more), or use `batch_size: 10` or less.",
    ),
)
def sqs_batch_window(ctx: Context) -> Iterator[Finding]:
    for name, fn in ctx.spec.functions.items():
        sqs = fn.sqs
        if (
            sqs is not None
            and not sqs.fifo  # LS323: a FIFO queue takes at most 10, window or not
            and sqs.batch_size > 10
            and (sqs.batching_window is None or sqs.batching_window < timedelta(seconds=1))
        ):
            yield Finding(
                ("functions", name, "sqs", "batch_size"),
                f"function '{name}': batch_size {sqs.batch_size} needs a batching_window of at least 1s",
                "add batching_window: 1s, or use batch_size: 10 or less",
            )


@rule(
    "LS310",
    "arm64",
    "x86_64 where arm64 would do",
    tags=("cost",),
    docs=Docs(
        what="Reports functions that run on `x86_64`.",
        why="arm64 (Graviton) costs about 20% less per GB-second and is usually as fast or faster for Python and "
        "Go. x86_64 is needed only when a dependency ships x86-only native code.",
        example="runtime:\n  architecture: x86_64",
        fix="Set `architecture: arm64` and run the tests on arm64. When a dependency needs x86_64, keep it and "
        "suppress this rule with that reason.",
    ),
)
def arm64(ctx: Context) -> Iterator[Finding]:
    x86 = [(fn.source("architecture"), fn.name) for fn in ctx.functions if fn.architecture == "x86_64"]
    for where, names in grouped(x86).items():
        yield Finding(
            where,
            f"{functions_phrase(names)} run{'s' if len(names) == 1 else ''} on x86_64; arm64 costs about 20% less",
            "set architecture: arm64 unless a dependency ships x86-only binaries",
        )
