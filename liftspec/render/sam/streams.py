"""Kinesis data streams of the `resources` section."""

from __future__ import annotations

from liftspec.model.spec import Stream
from liftspec.render.sam import data_refs
from liftspec.render.sam.context import RenderContext
from liftspec.render.sam.intrinsics import tag_list
from liftspec.render.sam.kinds import Grant, Granted, ResourceKind

STREAM_READ = ("kinesis:DescribeStream", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards")
STREAM_WRITE = ("kinesis:PutRecord", "kinesis:PutRecords")


def render_streams(ctx: RenderContext) -> None:
    for name, resource in ctx.spec.resources.items():
        if isinstance(resource, Stream):
            props = {
                "ShardCount": resource.shards,
                "RetentionPeriodHours": max(24, int(resource.retention.total_seconds() // 3600)),
                "StreamEncryption": {"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"},
                "Tags": tag_list(ctx.tags()),
            }
            ctx.add(
                data_refs.logical_id(name, resource), {"Type": "AWS::Kinesis::Stream", "Properties": props}, ("resources", name)
            )


def _grants(grant: Grant) -> list[Granted]:
    actions = {"read": STREAM_READ, "write": STREAM_WRITE}.get(grant.level)
    return [("", actions, [grant.arn])] if actions else []


STREAM = ResourceKind(Stream, render_streams, _grants)
