"""LS4xx: concurrency, scaling schedules and rate limiting."""

from __future__ import annotations

from collections.abc import Iterator

from liftspec.check.context import Context
from liftspec.check.rule import Docs, Finding, rule
from liftspec.check.schedule import check_expression, check_timezone
from liftspec.model.spec import schedule_of


@rule(
    "LS401",
    "reserved-concurrency",
    "A function has no reserved concurrency",
    tags=("reliability", "cost"),
    docs=Docs(
        what="Reports functions without `concurrency.reserved`.",
        why="Without a reservation a function shares the account's concurrency pool (1000 by default) with every "
        "other function: a traffic spike or a retry storm in one function throttles all the others, and an "
        "unbounded function can run up cost or overwhelm a database behind it.",
        example="functions:\n  api:\n    handler: app.handler",
        fix="Set `concurrency.reserved` to the most concurrent executions the function (and what it calls) should "
        "take, e.g. `concurrency: {reserved: 100}`.",
    ),
)
def reserved_concurrency(ctx: Context) -> Iterator[Finding]:
    for name, fn in ctx.spec.functions.items():
        if fn.concurrency.reserved is None:
            yield Finding(
                ("functions", name, "concurrency", "reserved"),
                f"function '{name}' has no reserved concurrency: it competes with every function in the account",
                f"set functions.{name}.concurrency.reserved",
            )


@rule(
    "LS402",
    "provisioned-over-reserved",
    "Provisioned concurrency is above reserved concurrency",
    tags=("limits",),
    docs=Docs(
        what="Reports `concurrency.provisioned` greater than `concurrency.reserved`.",
        why="Lambda cannot keep more environments warm than the function may run: the deployment fails when the "
        "provisioned concurrency configuration is created.",
        example="concurrency: {reserved: 10, provisioned: 20}",
        fix="Lower `provisioned` or raise `reserved` so that provisioned <= reserved.",
    ),
)
def provisioned_over_reserved(ctx: Context) -> Iterator[Finding]:
    for name, fn in ctx.spec.functions.items():
        c = fn.concurrency
        if c.reserved is not None and c.provisioned > c.reserved:
            yield Finding(
                ("functions", name, "concurrency", "provisioned"),
                f"function '{name}': provisioned concurrency {c.provisioned} is above reserved {c.reserved}",
                "lower provisioned or raise reserved",
            )


@rule(
    "LS403",
    "invalid-schedule",
    "Invalid schedule: min > max, max above reserved, bad expression or time zone",
    tags=("limits",),
    docs=Docs(
        what="Checks `functions.*.schedule` and the scaling schedules of `concurrency.schedule`: the expression must "
        "be a valid `rate(...)`, six-field `cron(...)` or `at(...)`, the time zone an "
        "IANA name, `min` at most `max`, and `max` at most the reserved concurrency.",
        why="EventBridge and Application Auto Scaling reject these at deploy time, or (max above reserved) fail at "
        "the scheduled time, when nobody is watching.",
        example='concurrency:\n  reserved: 10\n  schedule:\n    - {name: peak, cron: "cron(0 8 * * MON-FRI *)", min: 20, max: 5}',
        fix="Use `cron(minutes hours day-of-month month day-of-week year)` with `?` in day-of-month or day-of-week "
        "(`cron(0 8 ? * MON-FRI *)`), `rate(5 minutes)`, min <= max <= reserved.",
    ),
)
def invalid_schedule(ctx: Context) -> Iterator[Finding]:
    for name, fn in ctx.spec.functions.items():
        schedule = schedule_of(fn)
        if schedule is not None:
            where = ("functions", name, "schedule", *(() if isinstance(fn.schedule, str) else ("expression",)))
            problem = check_expression(schedule.expression, allow_at=True)
            if problem:
                yield Finding(
                    where,
                    f"function '{name}': invalid schedule '{schedule.expression}': {problem}",
                    "e.g. rate(15 minutes), cron(0 8 ? * MON-FRI *) or at(2027-01-01T09:00:00)",
                )
            if schedule.timezone is not None and (problem := check_timezone(schedule.timezone)):
                yield Finding(("functions", name, "schedule", "timezone"), f"function '{name}': {problem}", "e.g. Europe/Paris")
        reserved = fn.concurrency.reserved
        for i, entry in enumerate(fn.concurrency.schedule):
            base = ("functions", name, "concurrency", "schedule", i)
            problem = check_expression(entry.cron, allow_at=True)
            if problem:
                yield Finding(
                    (*base, "cron"),
                    f"scaling schedule '{entry.name}': invalid expression '{entry.cron}': {problem}",
                    "e.g. cron(0 8 ? * MON-FRI *)",
                )
            if entry.timezone is not None:
                problem = check_timezone(entry.timezone)
                if problem:
                    yield Finding(
                        (*base, "timezone"), f"scaling schedule '{entry.name}': {problem}", "e.g. America/New_York or UTC"
                    )
            if entry.min > entry.max:
                yield Finding(
                    (*base, "min"),
                    f"scaling schedule '{entry.name}': min {entry.min} is above max {entry.max}",
                    "make min <= max",
                )
            if reserved is not None and entry.max > reserved:
                yield Finding(
                    (*base, "max"),
                    f"scaling schedule '{entry.name}': max {entry.max} is above the function's reserved concurrency {reserved}",
                    "lower max or raise concurrency.reserved",
                )


@rule(
    "LS404",
    "rate-limit-disabled",
    "Rate limiting is disabled",
    tags=("reliability", "cost"),
    docs=Docs(
        what="Reports `rate_limit.enabled: false` on a service with HTTP routes.",
        why="Without throttling, one misbehaving client or a bot can use all of the function's concurrency and run "
        "up cost. HTTP API throttling applies per stage (not per client); per-client limits need WAF, which attaches "
        "to CloudFront or REST APIs, not to HTTP APIs.",
        example="rate_limit:\n  enabled: false",
        fix="Enable it with limits above your real peak: `rate_limit: {enabled: true, window: 1m, max: 6000}`.",
    ),
)
def rate_limit_disabled(ctx: Context) -> Iterator[Finding]:
    if ctx.serves_http and not ctx.spec.rate_limit.enabled:
        yield Finding(
            ("rate_limit", "enabled"),
            "rate limiting is disabled: one client can use all of the service's capacity",
            "set rate_limit.enabled: true with max above your real peak",
        )


@rule(
    "LS405",
    "rate-limit-burst",
    "Rate limit burst is below the per-second rate",
    tags=("reliability",),
    docs=Docs(
        what="Reports a `rate_limit.burst` lower than the steady rate per second (`max` / `window`).",
        why="API Gateway's token bucket holds `burst` tokens: with fewer tokens than the per-second rate, requests "
        "are throttled before the configured rate is ever reached.",
        example="rate_limit: {window: 1m, max: 6000, burst: 20}",
        fix="Set `burst` to at least max / window in seconds (100 for 6000 per minute), or leave it unset to derive it.",
    ),
)
def rate_limit_burst(ctx: Context) -> Iterator[Finding]:
    limit = ctx.spec.rate_limit
    if not (ctx.serves_http and limit.enabled) or limit.burst is None:
        return
    seconds = limit.window.total_seconds()
    if seconds <= 0:
        return
    per_second = limit.max / seconds
    if limit.burst < per_second:
        yield Finding(
            ("rate_limit", "burst"),
            f"burst {limit.burst} is below the steady rate of {per_second:g} requests/s",
            f"set burst to at least {int(-(-limit.max // seconds))}, or remove it to derive it",
        )
