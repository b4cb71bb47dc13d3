"""Event source mappings for `sqs: {resource: ...}` and `dynamodb_stream`, written out instead of SAM events.

A SAM SQS or DynamoDB event attaches AWS's managed execution policy, whose statements allow every queue or
stream of the account (`Resource: "*"`). Written out, the mapping comes with statements (access.py) that name
exactly the one queue or stream.
"""

from __future__ import annotations

import math
from typing import Any

from liftspec.model.effective import EffectiveFunction
from liftspec.render.sam import data_refs, ids
from liftspec.render.sam.context import RenderContext
from liftspec.render.sam.intrinsics import get_att, ref, sub
from liftspec.render.sam.registry import Renderer


def mapping_ids(fn: EffectiveFunction) -> dict[str, str]:
    """Logical ids of a function's mappings, by the lift.yaml key they come from (as SAM would name the events)."""
    fid = ids.function_id(fn.name)
    out = {}
    if fn.spec.sqs is not None and fn.spec.sqs.resource is not None:
        out["sqs"] = f"{fid}Queue"
    if fn.spec.dynamodb_stream is not None:
        out["dynamodb_stream"] = f"{fid}Stream"
    return out


def render_event_source_mappings(ctx: RenderContext) -> None:
    for fn in ctx.functions:
        fid = ctx.function_id(fn)
        alias = fn.alias
        # With an alias, traffic (and a deployment's gradual shift) goes through it, as SAM does for its events.
        target: Any = sub(f"${{{fid}}}:{alias}") if alias is not None else ref(fid)
        depends = [ids.alias_id(fid, alias)] if alias is not None else []
        for key, lid in mapping_ids(fn).items():
            props: dict[str, Any] = {"FunctionName": target, "Enabled": True}
            props.update(_sqs(ctx, fn) if key == "sqs" else _stream(ctx, fn))
            resource: dict[str, Any] = {"Type": "AWS::Lambda::EventSourceMapping", "Properties": props}
            if depends:
                resource["DependsOn"] = depends
            ctx.add(lid, resource, ("functions", fn.name, key), fn.name)


def _sqs(ctx: RenderContext, fn: EffectiveFunction) -> dict[str, Any]:
    sqs = fn.spec.sqs
    assert sqs is not None and sqs.resource is not None
    queue = data_refs.logical_id(sqs.resource, ctx.spec.resources[sqs.resource])
    props: dict[str, Any] = {
        "EventSourceArn": get_att(queue, "Arn"),
        "BatchSize": sqs.batch_size,
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
    }
    if sqs.batching_window is not None:
        props["MaximumBatchingWindowInSeconds"] = math.ceil(sqs.batching_window.total_seconds())
    return props


def _stream(ctx: RenderContext, fn: EffectiveFunction) -> dict[str, Any]:
    stream = fn.spec.dynamodb_stream
    assert stream is not None
    table = data_refs.logical_id(stream.resource, ctx.spec.resources[stream.resource])
    props: dict[str, Any] = {
        "EventSourceArn": get_att(table, "StreamArn"),
        "StartingPosition": stream.starting_position.upper(),
        "BatchSize": stream.batch_size,
        "MaximumRetryAttempts": stream.max_retries,
        "BisectBatchOnFunctionError": True,
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
    }
    if stream.batching_window is not None:
        props["MaximumBatchingWindowInSeconds"] = math.ceil(stream.batching_window.total_seconds())
    return props


RENDERERS = (Renderer("event_sources", render_event_source_mappings, after=("functions", "resources")),)
