"""AWS::Serverless::Function per function, with its log group and events."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from liftspec import codes
from liftspec.model.effective import EffectiveFunction
from liftspec.model.spec import AsyncInvocation, Destination, Schedule, schedule_of
from liftspec.render import runtime_files
from liftspec.render.sam import data_refs, ids
from liftspec.render.sam.access import DEPLOY_TIME_VALUE_BYTES, access_policies, resource_variables
from liftspec.render.sam.context import DLQ_ID, HTTP_API_ID, LAYER_ID, RenderContext
from liftspec.render.sam.deployment import deployment_preference
from liftspec.render.sam.http_api import health_route, route_auth, route_auth_none
from liftspec.render.sam.intrinsics import get_att, ref, sub, tag_list
from liftspec.render.sam.origins import Sourced
from liftspec.render.sam.ratelimit import rate_limit_policy, rate_limit_variables, uses_table
from liftspec.render.sam.registry import Renderer
from liftspec.render.sam.secrets import secret_policies

ENV_VARS_MAX_BYTES = 4096  # Lambda: all environment variables of a function together
HTTP_INTEGRATION_MAX_MS = 30_000
GO_BUILD_METHOD = "go1.x"
_S3_EVENTS = {"created": "s3:ObjectCreated:*", "removed": "s3:ObjectRemoved:*"}
_LOG_LEVELS = {"debug": "DEBUG", "info": "INFO", "warn": "WARN", "error": "ERROR"}


def render_functions(ctx: RenderContext) -> None:
    health = health_route(ctx)
    for fn in ctx.functions:
        fid = ctx.function_id(fn)
        prefix = ids.function_prefix(fn.name)
        log_group_id = f"{prefix}LogGroup"
        resource: dict[str, Any] = {"Type": "AWS::Serverless::Function"}
        if fn.wrapper == "go":
            # sam build compiles the Go module in CodeUri into `bootstrap` for the function's architecture.
            resource["Metadata"] = {"BuildMethod": GO_BUILD_METHOD}
        resource["Properties"] = _properties(ctx, fn, log_group_id, health)
        if ctx.add(
            fid,
            resource,
            ("functions", fn.name),
            fn.name,
        ):
            _origins(ctx, fn, fid)
        retention = ctx.spec.logging.retention_days
        log_group: dict[str, Any] = {"LogGroupName": sub(f"/aws/lambda/${{AWS::StackName}}/{fn.name}")}
        if retention is not None:
            log_group["RetentionInDays"] = retention
        log_group["Tags"] = tag_list(ctx.tags())
        ctx.add(log_group_id, {"Type": "AWS::Logs::LogGroup", "Properties": log_group}, ("logging",), fn.name)
        ctx.origin(log_group_id, "RetentionInDays", ("logging", "retention_days"))


def _properties(
    ctx: RenderContext, fn: EffectiveFunction, log_group_id: str, health: tuple[str, int | None] | None
) -> dict[str, Any]:
    spec = ctx.spec
    python = fn.wrapper == "python"
    props: dict[str, Any] = {}
    if fn.spec.description:
        props["Description"] = fn.spec.description
    props["CodeUri"] = Sourced(ctx.code_uri(fn.code), fn.source("code"))
    # The runtime layer wraps Python handlers; Go binaries link liftspec's Go runtime in (no layer); other runtimes
    # run the user's handler and read the LIFT_* variables and /opt/lift_config.json from the layer.
    props["Handler"] = Sourced(runtime_files.RUNTIME_HANDLER if python else fn.spec.handler, ("functions", fn.name, "handler"))
    props["Runtime"] = fn.sourced("lambda_runtime")
    props["Architectures"] = Sourced([fn.architecture], fn.source("architecture"))
    props["MemorySize"] = fn.sourced("memory")
    props["Timeout"] = Sourced(math.ceil(fn.timeout.total_seconds()), fn.source("timeout"))
    if fn.wrapper != "go":
        props["Layers"] = [ref(LAYER_ID)]
    props["Environment"] = Sourced({"Variables": _variables(ctx, fn)}, fn.source("variables"))
    logging: dict[str, Any] = {"LogFormat": "JSON" if spec.logging.format == "json" else "Text"}
    if spec.logging.format == "json":  # Lambda accepts log levels only with JSON logs
        logging["ApplicationLogLevel"] = _LOG_LEVELS[spec.logging.level]
    logging["LogGroup"] = ref(log_group_id)
    props["LoggingConfig"] = Sourced(logging, ("logging",))
    props["Tracing"] = Sourced("Active" if spec.tracing.enabled else "PassThrough", ("tracing", "enabled"))
    concurrency = fn.spec.concurrency
    base = ("functions", fn.name)
    if concurrency.reserved is not None:
        props["ReservedConcurrentExecutions"] = Sourced(concurrency.reserved, (*base, "concurrency", "reserved"))
    alias = fn.alias
    if alias is not None:
        props["AutoPublishAlias"] = fn.sourced("alias")
        # Without this, a change of memory, variables or layer would not publish a new version behind the alias.
        props["AutoPublishAliasAllProperties"] = True
        if concurrency.provisioned > 0:
            props["ProvisionedConcurrencyConfig"] = Sourced(
                {"ProvisionedConcurrentExecutions": concurrency.provisioned}, (*base, "concurrency", "provisioned")
            )
        preference = deployment_preference(ctx, fn)
        if preference is not None:
            props["DeploymentPreference"] = Sourced(preference, ("deployment",))
    if fn.is_async and ctx.has_dead_letter_queue():
        props["DeadLetterQueue"] = Sourced({"Type": "SQS", "TargetArn": get_att(DLQ_ID, "Arn")}, ("dead_letter",))
    if fn.spec.async_ is not None:
        props["EventInvokeConfig"] = Sourced(event_invoke_config(ctx, fn.spec.async_), (*base, "async"))
    policies = secret_policies(ctx) + access_policies(ctx.spec, ctx.env, fn, ctx.kinds)
    if fn.spec.http is not None and uses_table(ctx):
        policies.append(rate_limit_policy(ctx))
    if policies:
        props["Policies"] = policies
    events = _events(ctx, fn, health)
    if events:
        props["Events"] = events
    props["Tags"] = dict(sorted(ctx.tags().items()))
    return props


def event_invoke_config(ctx: RenderContext, config: AsyncInvocation) -> dict[str, Any]:
    """EventInvokeConfig: SAM adds the IAM permission for each destination from its Type."""
    out: dict[str, Any] = {"MaximumRetryAttempts": config.retries}
    if config.max_event_age is not None:
        out["MaximumEventAgeInSeconds"] = round(config.max_event_age.total_seconds())
    destinations: dict[str, Any] = {}
    for key, prop in (("on_success", "OnSuccess"), ("on_failure", "OnFailure")):
        dest: Destination | None = getattr(config, key)
        if dest is None:
            continue
        if dest.queue is not None:
            arn: Any = get_att(DLQ_ID, "Arn") if dest.queue == "dead_letter" else dest.queue
            destinations[prop] = {"Type": "SQS", "Destination": arn}
        elif dest.topic is not None:
            destinations[prop] = {"Type": "SNS", "Destination": dest.topic}
        elif dest.function is not None:
            destinations[prop] = {"Type": "Lambda", "Destination": get_att(ids.function_id(dest.function), "Arn")}
    if destinations:
        out["DestinationConfig"] = destinations
    return out


def _variables(ctx: RenderContext, fn: EffectiveFunction) -> dict[str, Any]:
    generated = {**runtime_files.lift_env_vars(ctx.spec), **runtime_files.function_env_vars(ctx.spec, fn.name, fn.wrapper)}
    for secret in ctx.spec.security.secrets:
        generated[secret.env] = secret.secret
    for name in fn.variables:
        if name in generated and name not in {s.env for s in ctx.spec.security.secrets}:
            where = ("functions", fn.name, "variables", name) if name in fn.spec.variables else ("runtime", "variables", name)
            ctx.problem(
                codes.RESERVED_VARIABLE,
                where,
                f"variable {name} is set by liftspec itself",
                "rename the variable; names of the form LIFT_* are reserved for the runtime",
            )
    deployed = resource_variables(ctx.spec, ctx.env, fn, ctx.kinds)
    if fn.spec.http is not None and uses_table(ctx):
        deployed.update(rate_limit_variables())
    for name in fn.variables:
        if name in deployed:
            where = ("functions", fn.name, "variables", name) if name in fn.spec.variables else ("runtime", "variables", name)
            ctx.problem(
                codes.RESERVED_VARIABLE,
                where,
                f"variable {name} is set by liftspec itself",
                "rename the variable; LIFT_* names are reserved",
            )
    variables: dict[str, Any] = {**fn.variables, **generated, **deployed}
    size = sum(len(k.encode()) + len(v.encode()) for k, v in {**fn.variables, **generated}.items())
    size += sum(len(k.encode()) + DEPLOY_TIME_VALUE_BYTES for k in deployed)
    if size > ENV_VARS_MAX_BYTES:
        ctx.problem(
            codes.ENV_VARS_TOO_LARGE,
            fn.source("variables"),
            f"the environment variables of function '{fn.name}' take {size:,} bytes; Lambda allows {ENV_VARS_MAX_BYTES:,}",
            "move large values to SSM Parameter Store or a config file in the code, and read them at start-up",
        )
    return dict(sorted(variables.items()))


def _events(ctx: RenderContext, fn: EffectiveFunction, health: tuple[str, int | None] | None) -> dict[str, Any]:
    events: dict[str, Any] = {}
    spec = fn.spec
    if spec.http is not None:
        timeout_ms = min(round(fn.timeout.total_seconds() * 1000), HTTP_INTEGRATION_MAX_MS)
        for i, entry in enumerate(spec.http.entries()):
            route = entry.route
            name = _unique(events, route_event_name(route))
            props: dict[str, Any] = {"ApiId": ref(HTTP_API_ID)}
            if route != "$default":
                method, path = route.split(" ", 1)
                props["Method"] = method
                props["Path"] = path
            props["PayloadFormatVersion"] = "2.0"
            props["TimeoutInMillis"] = timeout_ms
            auth = route_auth_none() if health == (fn.name, i) else route_auth(ctx, entry)
            if auth is not None:
                props["Auth"] = auth
            events[name] = {"Type": "HttpApi", "Properties": props}
            ctx.origin(ctx.function_id(fn), "Events", ("functions", fn.name, "http", "routes"))
            ctx.origin(ctx.function_id(fn), ("Events", name), ("functions", fn.name, "http", "routes", i))
        if health == (fn.name, None):
            events[_unique(events, "Health")] = {
                "Type": "HttpApi",
                "Properties": {
                    "ApiId": ref(HTTP_API_ID),
                    "Method": "GET",
                    "Path": ctx.spec.health.path,
                    "PayloadFormatVersion": "2.0",
                    "TimeoutInMillis": timeout_ms,
                    "Auth": route_auth_none(),
                },
            }
    if spec.sqs is not None and spec.sqs.resource is None:  # a queue of resources: event_sources.py
        queue = get_att(DLQ_ID, "Arn") if spec.sqs.queue == "dead_letter" else spec.sqs.queue
        props = {"Queue": queue, "BatchSize": spec.sqs.batch_size}
        if spec.sqs.report_batch_failures:
            props["FunctionResponseTypes"] = ["ReportBatchItemFailures"]
        if spec.sqs.batching_window is not None:
            props["MaximumBatchingWindowInSeconds"] = math.ceil(spec.sqs.batching_window.total_seconds())
        if spec.sqs.maximum_concurrency is not None:
            props["ScalingConfig"] = {"MaximumConcurrency": spec.sqs.maximum_concurrency}
        events["Queue"] = {"Type": "SQS", "Properties": props}
    if spec.s3 is not None:
        bucket = data_refs.logical_id(spec.s3.resource, ctx.spec.resources[spec.s3.resource])
        props = {"Bucket": ref(bucket), "Events": [_S3_EVENTS[e] for e in spec.s3.events]}
        rules = [{"Name": k, "Value": v} for k, v in (("prefix", spec.s3.prefix), ("suffix", spec.s3.suffix)) if v]
        if rules:
            props["Filter"] = {"S3Key": {"Rules": rules}}
        events["Objects"] = {"Type": "S3", "Properties": props}
    schedule = schedule_of(spec)
    if schedule is not None:
        events["Schedule"] = {"Type": "ScheduleV2", "Properties": schedule_properties(schedule)}
    return events


def schedule_properties(schedule: Schedule) -> dict[str, Any]:
    """A ScheduleV2 event: an AWS::Scheduler::Schedule that invokes the function (SAM adds the role it needs)."""
    props: dict[str, Any] = {"ScheduleExpression": schedule.expression.strip()}
    if schedule.timezone is not None:
        props["ScheduleExpressionTimezone"] = schedule.timezone
    if schedule.input is not None:
        props["Input"] = json.dumps(schedule.input, ensure_ascii=False, separators=(",", ":"))
    props["State"] = "ENABLED" if schedule.enabled else "DISABLED"
    if schedule.flexible_window is not None:
        minutes = math.ceil(schedule.flexible_window.total_seconds() / 60)
        props["FlexibleTimeWindow"] = {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": minutes}
    # Without this SAM names the schedule after its logical id, and the names of two environments' stacks meet.
    props["OmitName"] = True
    return props


def route_event_name(route: str) -> str:
    """`ANY /{proxy+}` -> `AnyProxy`, `GET /orders/{id}` -> `GetOrdersId`, `$default` -> `Default`."""
    if route == "$default":
        return "Default"
    method, path = route.split(" ", 1)
    words = [w for w in re.split(r"[^A-Za-z0-9]+", path) if w]
    return ids.pascal(method.lower()) + ("".join(ids.pascal(w) for w in words) or "Root")


def _unique(taken: dict[str, Any], name: str) -> str:
    if name not in taken:
        return name
    n = 2
    while f"{name}{n}" in taken:
        n += 1
    return f"{name}{n}"


def _origins(ctx: RenderContext, fn: EffectiveFunction, fid: str) -> None:
    """Origins of the properties that are not written as Sourced values (see _properties). Policies: also
    the origin of the role SAM generates from them, even when the function itself has none."""
    base = ("functions", fn.name)
    ctx.origin(fid, "Policies", (*base, "access") if fn.spec.access else ("security", "secrets"))
    if fn.spec.sqs is not None:
        ctx.origin(fid, "Events", (*base, "sqs"))
    for key in ("schedule", "s3"):
        if getattr(fn.spec, key) is not None:
            ctx.origin(fid, "Events", (*base, key))


RENDERERS = (
    Renderer(
        "functions",
        render_functions,
        after=(
            "layer",
            "dead_letter_queue",
            "resources",
            "http_api",
            "rate_limit_table",
            "deployment_config",
            "alarms",
        ),
    ),
)
