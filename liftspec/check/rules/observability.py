"""LS5xx: tracing, metrics and alarms."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator
from functools import partial

from liftspec.check.context import Context
from liftspec.check.rule import Docs, Finding, Fix, rule
from liftspec.diagnostics import Path
from liftspec.model.alarms import AnyAlarm
from liftspec.model.names import XRAY_RULE_NAME_MAX, sampling_rule_name
from liftspec.model.spec import SamplingRule
from liftspec.model.units import format_duration

ONE_DAY = 86_400
SEVEN_DAYS = 7 * ONE_DAY


@rule(
    "LS501",
    "tracing-off",
    "Tracing is off",
    fixable=True,
    tags=("observability",),
    docs=Docs(
        what="Reports `tracing.enabled: false`.",
        why="Without X-Ray traces a slow or failing request cannot be followed through Lambda, the AWS SDK calls and "
        "downstream HTTP services: incidents are debugged from logs alone, which takes much longer.",
        example="tracing:\n  enabled: false",
        fix="Set `tracing.enabled: true` (`liftspec lint --fix` does this); control cost with sampling rules.",
    ),
)
def tracing_off(ctx: Context) -> Iterator[Finding]:
    if not ctx.spec.tracing.enabled:
        yield Finding(
            ("tracing", "enabled"),
            "tracing is off: requests cannot be followed across services",
            "set tracing.enabled: true; keep cost down with sampling_rules",
            Fix(True),
        )


@rule(
    "LS502",
    "invalid-sampling-rule",
    "Invalid X-Ray sampling rule",
    tags=("limits", "observability"),
    docs=Docs(
        what="Checks each of `tracing.sampling_rules`: `rate` within 0..1, `priority` within 1..9999, no two rules "
        "with the same priority or name, the generated RuleName (`<service>-<environment>-<name>`, shortened with a "
        "digest by `liftspec compile`) within 32 characters, and X-Ray's field limits (method 10, host and service "
        "type 64, path 128 characters).",
        why="X-Ray rejects such a rule when the stack deploys. Two rules with one priority are matched in an "
        "undefined order, so which rate applies changes from request to request.",
        example="tracing:\n  sampling_rules:\n    - {name: default, rate: 10, priority: 9000}\n"
        "    - {name: api, rate: 0.5, priority: 9000}",
        fix="Write rates as fractions (`0.1` is 10%), give each rule its own name and priority.",
    ),
)
def invalid_sampling_rule(ctx: Context) -> Iterator[Finding]:
    rules = ctx.spec.tracing.sampling_rules
    seen_priority: dict[int, str] = {}
    seen_name: dict[str, int] = {}
    for i, item in enumerate(rules):
        base = ("tracing", "sampling_rules", i)
        if not 0 <= item.rate <= 1:
            yield Finding(
                (*base, "rate"),
                f"sampling rule '{item.name}': rate {item.rate:g} is outside 0..1",
                "write the rate as a fraction: 0.05 is 5%",
            )
        if not 1 <= item.priority <= 9999:
            yield Finding(
                (*base, "priority"),
                f"sampling rule '{item.name}': priority {item.priority} is outside 1..9999",
                "use a priority between 1 and 9999 (lower matches first)",
            )
        elif item.priority in seen_priority:
            yield Finding(
                (*base, "priority"),
                f"sampling rules '{seen_priority[item.priority]}' and '{item.name}' share "
                f"priority {item.priority}: which one matches first is undefined",
                "give each rule its own priority",
            )
        else:
            seen_priority[item.priority] = item.name
        if item.name in seen_name:
            yield Finding((*base, "name"), f"sampling rule name '{item.name}' is used twice", "give each rule its own name")
        seen_name.setdefault(item.name, i)
        generated = sampling_rule_name(ctx.spec.service, ctx.env, item.name)
        if len(generated) > XRAY_RULE_NAME_MAX:
            yield Finding(
                (*base, "name"),
                f"sampling rule '{item.name}': RuleName '{generated}' is over {XRAY_RULE_NAME_MAX} characters",
                "shorten the rule name",
            )
        for field, limit in (("method", 10), ("host", 64), ("service_type", 64), ("path", 128)):
            value = getattr(item, field)
            if len(value) > limit:
                yield Finding(
                    (*base, field), f"sampling rule '{item.name}': {field} is over X-Ray's {limit} characters", f"shorten {field}"
                )


def _matches(rule: SamplingRule, method: str, path: str) -> bool:
    # X-Ray wildcards: * any run of characters, ? one character; fnmatch also treats [...] as a set, which X-Ray
    # does not, so brackets are escaped first.
    def match(pattern: str, value: str) -> bool:
        return fnmatch.fnmatchcase(value, pattern.replace("[", "[[]"))

    return match(rule.method.upper(), method) and match(rule.path, path)


@rule(
    "LS503",
    "health-sampling",
    "Health checks are sampled above 5%",
    tags=("cost", "observability"),
    docs=Docs(
        what="Finds the first sampling rule (by priority) that matches `GET <health.path>` and reports it when its "
        "rate is over 5%.",
        why="Load balancers and uptime monitors call the health endpoint every few seconds, all day: traced at the "
        "default rate they are often most of the traces you pay for and drown the interesting ones.",
        example="health: {path: /health}\ntracing:\n  sampling_rules:\n    - {name: default, rate: 0.5, priority: 9000}",
        fix="Add a rule for the health path before the others: `{name: health, method: GET, path: /health, rate: "
        "0.01, reservoir: 0, priority: 100}`.",
    ),
)
def health_sampling(ctx: Context) -> Iterator[Finding]:
    if not ctx.spec.tracing.enabled or not ctx.serves_http:
        return
    path = ctx.spec.health.path
    ordered = sorted(enumerate(ctx.spec.tracing.sampling_rules), key=lambda pair: (pair[1].priority, pair[0]))
    for i, item in ordered:
        if _matches(item, "GET", path):
            if item.rate > 0.05:
                yield Finding(
                    ("tracing", "sampling_rules", i, "rate"),
                    f"health checks ({path}) match sampling rule '{item.name}' with rate {item.rate:g}, over 5%",
                    f"add a rule for GET {path} with rate 0.01 and a lower priority number than {item.priority}",
                )
            return


@rule(
    "LS504",
    "metrics-off",
    "Metrics are off",
    tags=("observability",),
    docs=Docs(
        what="Reports `metrics.enabled: false`. Metrics without a `namespace` are fine: they go to a namespace "
        "named after the service.",
        why="Business and latency metrics (EMF) are what dashboards and alarms are built on: without them a "
        "problem shows up only in the logs, if anyone reads them.",
        example="metrics:\n  enabled: false",
        fix="`metrics: {enabled: true}`, optionally with `namespace: OrderService` (default: the service name).",
    ),
)
def metrics_off(ctx: Context) -> Iterator[Finding]:
    if not ctx.spec.metrics.enabled:
        yield Finding(
            ("metrics", "enabled"),
            "metrics are off: no EMF metrics for dashboards and alarms",
            "set metrics.enabled: true (the namespace defaults to the service name)",
        )


@rule(
    "LS505",
    "missing-alarms",
    "An errors, latency or throttles alarm is missing",
    tags=("observability", "reliability"),
    docs=Docs(
        what="Reports each of the `errors`, `latency` and `throttles` alarms that the `alarms` section does not define.",
        why="These three catch most production incidents of a Lambda service: failing invocations, slow responses "
        "and rejected requests. Without them the first to notice is a customer, and gradual deployments have "
        "nothing to roll back on.",
        example="alarms:\n  errors: {threshold: 10, period: 5m, evaluation_periods: 2}",
        fix="```yaml\nalarms:\n  topic: arn:aws:sns:us-east-1:123456789012:ops-alerts\n  errors:    {threshold: 10, period: 5m, "
        "evaluation_periods: 2}\n  latency:   {threshold: 1s, period: 1m, evaluation_periods: 3, statistic: p99}\n"
        "  throttles: {threshold: 1, period: 1m, evaluation_periods: 1}\n```",
    ),
)
def missing_alarms(ctx: Context) -> Iterator[Finding]:
    configured = ctx.spec.alarms.configured()
    for name in ("errors", "latency", "throttles"):
        if name not in configured:
            yield Finding(("alarms", name), f"no {name} alarm: nobody is told when {_ALARM_WHAT[name]}", f"add alarms.{name}")


_ALARM_WHAT = {"errors": "invocations fail", "latency": "responses slow down", "throttles": "requests are throttled"}


@rule(
    "LS506",
    "alarm-period",
    "Alarm period invalid, or period × evaluation periods too long",
    tags=("limits",),
    docs=Docs(
        what="Checks each alarm, and each function's override of one: `period` must be 10s, 20s, 30s or a multiple "
        "of 60s; `period` × `evaluation_periods` at most one day (seven days for periods of an hour or more); "
        "`datapoints_to_alarm` at most `evaluation_periods`.",
        why="CloudWatch rejects such an alarm when the stack deploys.",
        example="alarms:\n  errors: {threshold: 1, period: 45s, evaluation_periods: 3000}",
        fix="Use `period: 1m` (or 10s/20s/30s for high-resolution metrics) and fewer evaluation periods.",
    ),
)
def alarm_period(ctx: Context) -> Iterator[Finding]:
    for name, alarm in ctx.spec.alarms.configured().items():
        yield from _period_findings(name, alarm, partial(_service_alarm_path, name))
    for fn in ctx.functions:
        for name, applied in fn.alarms.items():
            if applied.overridden & {"period", "evaluation_periods", "datapoints_to_alarm"}:
                yield from _period_findings(name, applied.alarm, partial(applied.path, fn.name, name))


def _service_alarm_path(name: str, key: str) -> Path:
    return ("alarms", name, key)


def _period_findings(name: str, alarm: AnyAlarm, where: Callable[[str], Path]) -> Iterator[Finding]:
    seconds = alarm.period.total_seconds()
    if not (seconds in (10, 20, 30) or (seconds >= 60 and seconds % 60 == 0)):
        yield Finding(
            where("period"),
            f"alarm '{name}': period {format_duration(alarm.period)} is not 10s, 20s, 30s or a multiple of 60s",
            "use e.g. 1m or 5m",
        )
        return
    limit = ONE_DAY if seconds < 3600 else SEVEN_DAYS
    total = seconds * alarm.evaluation_periods
    if total > limit:
        yield Finding(
            where("evaluation_periods"),
            f"alarm '{name}': {alarm.evaluation_periods} × "
            f"{format_duration(alarm.period)} covers {total / 3600:g} h, over CloudWatch's "
            f"{limit // 3600} h",
            f"use at most {int(limit // seconds)} evaluation periods",
        )
    if alarm.datapoints_to_alarm is not None and alarm.datapoints_to_alarm > alarm.evaluation_periods:
        yield Finding(
            where("datapoints_to_alarm"),
            f"alarm '{name}': datapoints_to_alarm {alarm.datapoints_to_alarm} is "
            f"above evaluation_periods {alarm.evaluation_periods}",
            "make datapoints_to_alarm <= evaluation_periods",
        )


@rule(
    "LS507",
    "sampling-rules-scope",
    "Sampling rules do not steer Lambda's own sampling behind an HTTP API",
    tags=("observability",),
    docs=Docs(
        what="Tells you, when a service with HTTP routes has `tracing.sampling_rules`, what those rules actually govern.",
        why="X-Ray sampling rules do not set Lambda's own sampling decision (Lambda samples its invocation segment "
        "itself), and HTTP APIs have no X-Ray support that could pass a decision on. The rules apply to calls the "
        "function makes through an instrumented SDK: AWS SDK calls (DynamoDB, SQS...) and instrumented HTTP "
        "clients. That is useful, but it is not request sampling.",
        example="tracing:\n  sampling_rules:\n    - {name: default, rate: 0.1, priority: 9000}",
        fix="Keep the rules if you want to control SDK-level traces, and acknowledge it with `policy.ignore: [{rule: "
        'LS507, reason: "..."}]`; to sample requests, put an API Gateway REST API or a load balancer with X-Ray in '
        "front, or sample in the code.",
    ),
)
def sampling_rules_scope(ctx: Context) -> Iterator[Finding]:
    if ctx.spec.tracing.enabled and ctx.spec.tracing.sampling_rules and ctx.serves_http:
        yield Finding(
            ("tracing", "sampling_rules"),
            "sampling rules do not steer Lambda's own sampling and HTTP APIs have no X-Ray support: these rules "
            "govern only SDK-instrumented calls (AWS SDK, instrumented HTTP clients) made by the functions",
            "keep them for SDK-level traces and acknowledge this with a policy.ignore entry and its reason",
        )


@rule(
    "LS508",
    "alarm-topic",
    "Alarms notify nobody",
    tags=("observability",),
    docs=Docs(
        what="Reports alarms defined without `alarms.topic`.",
        why="An alarm without an action changes colour in the console and nothing else: nobody is paged.",
        example="alarms:\n  errors: {threshold: 10, period: 5m, evaluation_periods: 2}",
        fix="Set `alarms.topic` to an SNS topic ARN, or `{create: true, email: ops@example.com}`.",
    ),
)
def alarm_topic(ctx: Context) -> Iterator[Finding]:
    alarms = ctx.spec.alarms
    configured = list(alarms.configured())
    if configured and alarms.topic is None:
        yield Finding(
            ("alarms", "topic"),
            f"alarms ({', '.join(configured)}) have no topic: nobody is notified",
            "set alarms.topic to an SNS topic ARN or {create: true, email: ...}",
        )
