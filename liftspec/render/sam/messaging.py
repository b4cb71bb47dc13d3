"""SQS queues and SNS topics of the `resources` section: encrypted; queues redrive to a dead-letter queue of their own."""

from __future__ import annotations

import math
from typing import Any

from liftspec.model.spec import Queue, Topic
from liftspec.render.sam import data_refs
from liftspec.render.sam.access import QUEUE_CONSUME, QUEUE_SEND, TOPIC_PUBLISH
from liftspec.render.sam.context import RenderContext
from liftspec.render.sam.intrinsics import get_att, tag_list
from liftspec.render.sam.kinds import Grant, Granted, ResourceKind, resource_ref
from liftspec.render.sam.origins import Sourced
from liftspec.render.sam.queues import SQS_MAX_VISIBILITY_S, VISIBILITY_FACTOR

DEFAULT_VISIBILITY_S = 30
DEAD_LETTER_RETENTION_S = 14 * 86_400
SNS_MANAGED_KEY = "alias/aws/sns"
SQS_MANAGED_KEY = "alias/aws/sqs"


def render_queues(ctx: RenderContext) -> None:
    for name, resource in ctx.spec.resources.items():
        if isinstance(resource, Queue):
            _render_queue(ctx, name, resource)


def render_topics(ctx: RenderContext) -> None:
    for name, resource in ctx.spec.resources.items():
        if isinstance(resource, Topic):
            _render_topic(ctx, name, resource)


def _queue_grants(grant: Grant) -> list[Granted]:
    if grant.level not in ("send", "consume"):
        return []
    return [("", QUEUE_SEND if grant.level == "send" else QUEUE_CONSUME, [grant.arn])]


def _topic_grants(grant: Grant) -> list[Granted]:
    return [("", TOPIC_PUBLISH, [grant.arn])] if grant.level == "publish" else []


def _encryption(queue: Queue) -> dict[str, Any]:
    if queue.encryption is not None:
        return {"KmsMasterKeyId": queue.encryption.kms_key}
    # The AWS-managed key rather than SQS-managed SSE: the same protection, and an auditable key in KMS.
    return {"KmsMasterKeyId": SQS_MANAGED_KEY}


def visibility_timeout(ctx: RenderContext, name: str, queue: Queue) -> int:
    """As written, else six times the timeout of the slowest function consuming the queue (AWS's advice), else 30 s."""
    if queue.visibility_timeout is not None:
        return math.ceil(queue.visibility_timeout.total_seconds())
    consumers = [fn for fn in ctx.functions if fn.spec.sqs is not None and fn.spec.sqs.resource == name]
    if not consumers:
        return DEFAULT_VISIBILITY_S
    longest = max(math.ceil(fn.timeout.total_seconds()) for fn in consumers)
    return min(SQS_MAX_VISIBILITY_S, VISIBILITY_FACTOR * longest)


def _render_queue(ctx: RenderContext, name: str, queue: Queue) -> None:
    lid = data_refs.logical_id(name, queue)
    base = ("resources", name)
    props: dict[str, Any] = {}
    if queue.fifo:
        props["FifoQueue"] = True
    props.update({key: Sourced(value, (*base, "encryption")) for key, value in _encryption(queue).items()})
    props["VisibilityTimeout"] = Sourced(visibility_timeout(ctx, name, queue), (*base, "visibility_timeout"))
    props["MessageRetentionPeriod"] = Sourced(round(queue.retention.total_seconds()), (*base, "retention"))
    if queue.dead_letter:
        dlq_id = f"{lid}DeadLetterQueue"
        dlq: dict[str, Any] = {"FifoQueue": True} if queue.fifo else {}
        dlq.update(_encryption(queue))
        dlq["MessageRetentionPeriod"] = DEAD_LETTER_RETENTION_S
        dlq["Tags"] = tag_list(ctx.tags())
        ctx.add(dlq_id, {"Type": "AWS::SQS::Queue", "Properties": dlq}, (*base, "dead_letter"))
        redrive = {"deadLetterTargetArn": get_att(dlq_id, "Arn"), "maxReceiveCount": queue.max_receive_count}
        props["RedrivePolicy"] = Sourced(redrive, (*base, "dead_letter"))
    props["Tags"] = tag_list(ctx.tags())
    ctx.add(lid, {"Type": "AWS::SQS::Queue", "Properties": props}, base)


def _render_topic(ctx: RenderContext, name: str, topic: Topic) -> None:
    lid = data_refs.logical_id(name, topic)
    props: dict[str, Any] = {}
    if topic.fifo:
        props["FifoTopic"] = True
        props["TopicName"] = {"Fn::Sub": f"${{AWS::StackName}}-{name}.fifo"}
    key = topic.encryption.kms_key if topic.encryption is not None else SNS_MANAGED_KEY
    props["KmsMasterKeyId"] = Sourced(key, ("resources", name, "encryption"))
    props["Tags"] = tag_list(ctx.tags())
    ctx.add(lid, {"Type": "AWS::SNS::Topic", "Properties": props}, ("resources", name))


QUEUE = ResourceKind(Queue, render_queues, _queue_grants)  # LIFT_RESOURCE_<NAME>: the queue URL
TOPIC = ResourceKind(Topic, render_topics, _topic_grants, arn=resource_ref)  # Ref of a topic: its ARN
