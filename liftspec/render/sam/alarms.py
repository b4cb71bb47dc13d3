"""CloudWatch alarms per function (scoped to the alias when there is one) and the topic they notify."""

from __future__ import annotations

from typing import Any

from liftspec.model.alarms import AnyAlarm, FunctionAlarm
from liftspec.model.effective import EffectiveFunction
from liftspec.model.spec import AgeAlarm, IteratorAgeAlarm, LatencyAlarm, RateAlarm, TopicCreate
from liftspec.model.units import format_duration
from liftspec.render.sam import data_refs
from liftspec.render.sam.context import DLQ_ID, TOPIC_ID, RenderContext
from liftspec.render.sam.deployment import alarm_id
from liftspec.render.sam.intrinsics import get_att, ref, sub, tag_list
from liftspec.render.sam.origins import Sourced
from liftspec.render.sam.registry import Renderer

TOPIC_KEY_ID = "AlarmTopicKey"
_PERCENTILE_PREFIX = ("p", "tm", "wm", "tc", "ts", "iqm")
_METRIC = {
    "errors": "Errors",
    "throttles": "Throttles",
    "latency": "Duration",
    "message_age": "ApproximateAgeOfOldestMessage",
    "iterator_age": "IteratorAge",
}
DLQ_ALARM_ID = "DeadLetterQueueDepthAlarm"


def render_alarm_topic(ctx: RenderContext) -> Any:
    """The alarm actions' target: the ARN given, or a topic created here (encrypted with a key CloudWatch may use)."""
    topic = ctx.spec.alarms.topic
    if topic is None:
        return None
    if isinstance(topic, str):
        return topic
    _render_created_topic(ctx, topic)
    return ref(TOPIC_ID)


def _render_created_topic(ctx: RenderContext, topic: TopicCreate) -> None:
    # CloudWatch cannot publish to a topic encrypted with the AWS-managed key (alias/aws/sns): its key policy
    # does not let the cloudwatch.amazonaws.com principal use it. A key of our own can.
    ctx.add(
        TOPIC_KEY_ID,
        {
            "Type": "AWS::KMS::Key",
            "Properties": {
                "Description": f"Encrypts the alarm topic of {ctx.spec.service}",
                "EnableKeyRotation": True,
                "KeyPolicy": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "AccountAdministersKey",
                            "Effect": "Allow",
                            "Principal": {"AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")},
                            "Action": "kms:*",
                            "Resource": "*",
                        },
                        {
                            "Sid": "CloudWatchAlarmsPublish",
                            "Effect": "Allow",
                            "Principal": {"Service": "cloudwatch.amazonaws.com"},
                            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                            "Resource": "*",
                        },
                    ],
                },
                "Tags": tag_list(ctx.tags()),
            },
        },
        ("alarms", "topic"),
    )
    ctx.add(
        TOPIC_ID,
        {
            "Type": "AWS::SNS::Topic",
            "Properties": {
                "DisplayName": f"{ctx.spec.service} alarms"[:100],
                "KmsMasterKeyId": ref(TOPIC_KEY_ID),
                "Tags": tag_list(ctx.tags()),
            },
        },
        ("alarms", "topic"),
    )
    ctx.outputs["AlarmTopicArn"] = {"Description": "ARN of the alarm topic", "Value": ref(TOPIC_ID)}
    if topic.email:
        ctx.add(
            f"{TOPIC_ID}EmailSubscription",
            {
                "Type": "AWS::SNS::Subscription",
                "Properties": {"Endpoint": topic.email, "Protocol": "email", "TopicArn": ref(TOPIC_ID)},
            },
            ("alarms", "topic", "email"),
        )


def render_alarms(ctx: RenderContext) -> None:
    action = render_alarm_topic(ctx)
    for fn in ctx.functions:
        for name, applied in fn.alarms.items():
            lid = alarm_id(fn, name)
            origin = ("functions", fn.name, "alarms", name) if applied.overridden else ("alarms", name)
            ctx.add(
                lid,
                {"Type": "AWS::CloudWatch::Alarm", "Properties": _alarm(ctx, fn, name, applied, action)},
                origin,
                fn.name,
            )
    _render_dead_letter_alarm(ctx, action)


def _render_dead_letter_alarm(ctx: RenderContext, action: Any) -> None:
    """Any message in the DLQ is a failed invocation that nobody handled: alarm on the first one."""
    if not ctx.has_dead_letter_queue() or not ctx.spec.dead_letter.alarm:
        return
    props: dict[str, Any] = {
        "AlarmDescription": f"{ctx.spec.service}: the dead-letter queue holds failed events (lift.yaml dead_letter)",
        "Namespace": "AWS/SQS",
        "MetricName": "ApproximateNumberOfMessagesVisible",
        "Dimensions": [{"Name": "QueueName", "Value": get_att(DLQ_ID, "QueueName")}],
        "Statistic": "Maximum",
        "Period": 60,
        "EvaluationPeriods": 1,
        "ComparisonOperator": "GreaterThanThreshold",
        "Threshold": 0,
        "TreatMissingData": "notBreaching",
    }
    if action is not None:
        props["AlarmActions"] = Sourced([action], ("alarms", "topic"))
        props["OKActions"] = Sourced([action], ("alarms", "topic"))
    props["Tags"] = tag_list(ctx.tags())
    ctx.add(DLQ_ALARM_ID, {"Type": "AWS::CloudWatch::Alarm", "Properties": props}, ("dead_letter", "alarm"))


def queue_name(ctx: RenderContext, fn: EffectiveFunction) -> Any:
    """The QueueName dimension of the queue a function consumes: the DLQ's or a `resources` queue's attribute,
    or the ARN's last part."""
    sqs = fn.spec.sqs
    assert sqs is not None
    if sqs.resource is not None:
        return get_att(data_refs.logical_id(sqs.resource, ctx.spec.resources[sqs.resource]), "QueueName")
    if sqs.queue == "dead_letter":
        return get_att(DLQ_ID, "QueueName")
    assert sqs.queue is not None
    return sqs.queue.rsplit(":", 1)[-1]


def dimensions(ctx: RenderContext, fn: EffectiveFunction) -> list[dict[str, Any]]:
    """FunctionName, plus Resource `<fn>:<alias>` when the function is published under an alias."""
    fid = ctx.function_id(fn)
    dims: list[dict[str, Any]] = [{"Name": "FunctionName", "Value": ref(fid)}]
    alias = fn.alias
    if alias is not None:
        dims.append({"Name": "Resource", "Value": sub(f"${{{fid}}}:{alias}")})
    return dims


def _alarm(ctx: RenderContext, fn: EffectiveFunction, name: str, applied: FunctionAlarm, action: Any) -> dict[str, Any]:
    alarm: AnyAlarm = applied.alarm
    period = round(alarm.period.total_seconds())
    props: dict[str, Any] = {"AlarmDescription": _describe(ctx, fn, name, alarm)}
    if isinstance(alarm, RateAlarm):
        props["ComparisonOperator"] = "GreaterThanOrEqualToThreshold"
        props["Threshold"] = Sourced(alarm.threshold, applied.path(fn.name, name, "threshold"))
        props["Metrics"] = _error_rate_metrics(ctx, fn, period)
    else:
        if isinstance(alarm, AgeAlarm):
            props["Namespace"] = "AWS/SQS"
            props["Dimensions"] = [{"Name": "QueueName", "Value": queue_name(ctx, fn)}]
        else:
            props["Namespace"] = "AWS/Lambda"
            props["Dimensions"] = dimensions(ctx, fn)
        props["MetricName"] = _METRIC[name]
        statistic = alarm.statistic
        if statistic.startswith(_PERCENTILE_PREFIX):
            props["ExtendedStatistic"] = statistic
        else:
            props["Statistic"] = statistic
        props["Period"] = Sourced(period, applied.path(fn.name, name, "period"))
        props["ComparisonOperator"] = "GreaterThanOrEqualToThreshold"
        if isinstance(alarm, LatencyAlarm | IteratorAgeAlarm):  # both metrics are in milliseconds
            threshold: Any = round(alarm.threshold.total_seconds() * 1000, 3)
        elif isinstance(alarm, AgeAlarm):
            threshold = round(alarm.threshold.total_seconds())  # the metric is in seconds
        else:
            threshold = alarm.threshold
        props["Threshold"] = Sourced(threshold, applied.path(fn.name, name, "threshold"))
    props["EvaluationPeriods"] = Sourced(alarm.evaluation_periods, applied.path(fn.name, name, "evaluation_periods"))
    if alarm.datapoints_to_alarm is not None:
        props["DatapointsToAlarm"] = alarm.datapoints_to_alarm
    props["TreatMissingData"] = alarm.treat_missing_data
    if action is not None:
        props["AlarmActions"] = Sourced([action], ("alarms", "topic"))
        props["OKActions"] = Sourced([action], ("alarms", "topic"))
    props["Tags"] = tag_list(ctx.tags())
    return props


def _error_rate_metrics(ctx: RenderContext, fn: EffectiveFunction, period: int) -> list[dict[str, Any]]:
    def stat(metric_id: str, metric: str) -> dict[str, Any]:
        return {
            "Id": metric_id,
            "ReturnData": False,
            "MetricStat": {
                "Metric": {"Namespace": "AWS/Lambda", "MetricName": metric, "Dimensions": dimensions(ctx, fn)},
                "Period": period,
                "Stat": "Sum",
            },
        }

    return [
        stat("errors", "Errors"),
        stat("invocations", "Invocations"),
        {
            "Id": "rate",
            "Label": "Error rate (%)",
            "ReturnData": True,
            "Expression": "IF(invocations > 0, 100 * errors / invocations, 0)",
        },
    ]


def _describe(ctx: RenderContext, fn: EffectiveFunction, name: str, alarm: AnyAlarm) -> str:
    window = f"{alarm.evaluation_periods} x {format_duration(alarm.period)}"
    if isinstance(alarm, RateAlarm):
        what = f"error rate >= {alarm.threshold:g}%"
    elif isinstance(alarm, LatencyAlarm):
        what = f"{alarm.statistic} duration >= {format_duration(alarm.threshold)}"
    elif isinstance(alarm, AgeAlarm):
        what = f"{alarm.statistic} age of the oldest queued message >= {format_duration(alarm.threshold)}"
    elif isinstance(alarm, IteratorAgeAlarm):
        what = f"{alarm.statistic} age of the last record read from the stream >= {format_duration(alarm.threshold)}"
    else:
        what = f"{alarm.statistic} of {_METRIC[name]} >= {alarm.threshold:g}"
    return f"{ctx.spec.service} function {fn.name}: {what} over {window} (lift.yaml alarms.{name})"


RENDERERS = (Renderer("alarms", render_alarms, after=("dead_letter_queue", "resources")),)
