"""The service's dead-letter queue: encrypted, and visible long enough for the functions that consume it."""

from __future__ import annotations

import math
from typing import Any

from liftspec.render.sam.context import DLQ_ID, RenderContext
from liftspec.render.sam.intrinsics import get_att, ref, tag_list
from liftspec.render.sam.origins import Sourced
from liftspec.render.sam.registry import Renderer

SQS_MAX_VISIBILITY_S = 43_200
VISIBILITY_FACTOR = 6  # AWS: at least six times the timeout of the function that consumes the queue


def render_dead_letter_queue(ctx: RenderContext) -> None:
    if not ctx.has_dead_letter_queue():
        return
    props: dict[str, Any] = {
        "MessageRetentionPeriod": Sourced(round(ctx.spec.dead_letter.retention.total_seconds()), ("dead_letter", "retention")),
        "SqsManagedSseEnabled": True,
    }
    consumers = [fn for fn in ctx.functions if fn.spec.sqs is not None and fn.spec.sqs.queue == "dead_letter"]
    if consumers:
        longest = max(math.ceil(fn.timeout.total_seconds()) for fn in consumers)
        props["VisibilityTimeout"] = min(SQS_MAX_VISIBILITY_S, VISIBILITY_FACTOR * longest)
    props["Tags"] = tag_list(ctx.tags())
    ctx.add(DLQ_ID, {"Type": "AWS::SQS::Queue", "Properties": props}, ("dead_letter",))
    ctx.outputs["DeadLetterQueueUrl"] = {"Description": "URL of the dead-letter queue", "Value": ref(DLQ_ID)}
    ctx.outputs["DeadLetterQueueArn"] = {"Description": "ARN of the dead-letter queue", "Value": get_att(DLQ_ID, "Arn")}


RENDERERS = (Renderer("dead_letter_queue", render_dead_letter_queue),)
