"""Gradual deployments: DeploymentPreference, a DeploymentConfig for strategies CodeDeploy does not predefine,
and scheduled scaling of provisioned concurrency on the alias."""

from __future__ import annotations

import re
from typing import Any

from liftspec import codes
from liftspec.model.effective import EffectiveFunction
from liftspec.render.sam import ids
from liftspec.render.sam.context import DEPLOYMENT_CONFIG_ID, RenderContext
from liftspec.render.sam.intrinsics import ref, sub
from liftspec.render.sam.origins import Sourced
from liftspec.render.sam.registry import Renderer

_CUSTOM = re.compile(r"^(Canary|Linear)(\d+)Percent(?:Every)?(\d+)Minutes?$")
_ALARM_SUFFIX = {
    "errors": "ErrorsAlarm",
    "latency": "LatencyAlarm",
    "throttles": "ThrottlesAlarm",
    "error_rate": "ErrorRateAlarm",
    "message_age": "MessageAgeAlarm",
    "iterator_age": "IteratorAgeAlarm",
}


def alarm_id(fn: EffectiveFunction, alarm: str) -> str:
    return f"{ids.function_prefix(fn.name)}{_ALARM_SUFFIX[alarm]}"


def is_predefined(strategy: str) -> bool:
    return strategy in ids.PREDEFINED_STRATEGIES


def render_deployment_config(ctx: RenderContext) -> None:
    """One AWS::CodeDeploy::DeploymentConfig when the strategy is not one CodeDeploy knows by name.

    SAM passes an unknown name through to the deployment group, where the deploy fails; a config of
    our own makes `Linear10PercentEvery5Minutes` mean what it says.
    """
    if "deployment" not in ctx.spec.model_fields_set or not any(fn.alias for fn in ctx.functions):
        return
    strategy = ctx.spec.deployment.strategy
    if is_predefined(strategy):
        return
    match = _CUSTOM.match(strategy)
    if match is None:  # the model's pattern only lets the forms above through
        return
    kind, percent, minutes = match.group(1), int(match.group(2)), int(match.group(3))
    if not 1 <= percent <= 99 or minutes < 1:
        ctx.problem(
            codes.INVALID_DEPLOYMENT_STRATEGY,
            ("deployment", "strategy"),
            f"deployment strategy {strategy} shifts {percent}% every {minutes} "
            "minute(s); CodeDeploy needs 1..99 percent and at least one minute",
            "use e.g. Linear10PercentEvery5Minutes",
        )
        return
    if kind == "Linear":
        routing = {"Type": "TimeBasedLinear", "TimeBasedLinear": {"LinearInterval": minutes, "LinearPercentage": percent}}
    else:
        routing = {"Type": "TimeBasedCanary", "TimeBasedCanary": {"CanaryInterval": minutes, "CanaryPercentage": percent}}
    ctx.add(
        DEPLOYMENT_CONFIG_ID,
        {
            "Type": "AWS::CodeDeploy::DeploymentConfig",
            "Properties": {"ComputePlatform": "Lambda", "TrafficRoutingConfig": routing},
        },
        ("deployment", "strategy"),
    )


def deployment_preference(ctx: RenderContext, fn: EffectiveFunction) -> dict[str, Any] | None:
    if "deployment" not in ctx.spec.model_fields_set:
        return None
    deployment = ctx.spec.deployment
    strategy: Any = deployment.strategy if is_predefined(deployment.strategy) else ref(DEPLOYMENT_CONFIG_ID)
    preference: dict[str, Any] = {"Type": strategy}
    alarms = [ref(alarm_id(fn, name)) for name in fn.rollback_alarms]
    if alarms:
        preference["Alarms"] = alarms
    return preference


def render_scaling(ctx: RenderContext) -> None:
    """ScalableTarget on the alias with one ScheduledAction per concurrency.schedule entry."""
    for fn in ctx.functions:
        schedule = fn.spec.concurrency.schedule
        alias = fn.alias
        if not schedule or alias is None:
            continue
        fid = ctx.function_id(fn)
        provisioned = fn.spec.concurrency.provisioned
        base = ("functions", fn.name, "concurrency")
        actions = []
        for i, entry in enumerate(schedule):
            action: dict[str, Any] = {
                "ScheduledActionName": entry.name,
                "Schedule": entry.cron,
                "ScalableTargetAction": {"MinCapacity": entry.min, "MaxCapacity": entry.max},
            }
            if entry.timezone:
                action["Timezone"] = entry.timezone
            actions.append(Sourced(action, (*base, "schedule", i)))
        target_id = f"{ids.function_prefix(fn.name)}ScalableTarget"
        ctx.add(
            target_id,
            {
                "Type": "AWS::ApplicationAutoScaling::ScalableTarget",
                # The alias must exist before its concurrency can be registered; SAM generates it under this id.
                "DependsOn": ids.alias_id(fid, alias),
                "Properties": {
                    "MaxCapacity": max([provisioned, *(entry.max for entry in schedule)]),
                    "MinCapacity": Sourced(provisioned, (*base, "provisioned")),
                    "ResourceId": sub(f"function:${{{fid}}}:{alias}"),
                    "ScalableDimension": "lambda:function:ProvisionedConcurrency",
                    "ServiceNamespace": "lambda",
                    "ScheduledActions": actions,
                },
            },
            (*base, "schedule"),
            fn.name,
        )


CONFIG_RENDERER = Renderer("deployment_config", render_deployment_config)
SCALING_RENDERER = Renderer("scaling", render_scaling, after=("functions",))  # on the alias SAM makes for it
