"""DynamoDB tables of the `resources` section: encrypted, with point-in-time recovery, retained in production."""

from __future__ import annotations

from typing import Any

from liftspec.model.spec import KeyAttribute, Table, Throughput
from liftspec.render.sam import data_refs
from liftspec.render.sam.context import RenderContext
from liftspec.render.sam.intrinsics import tag_list

_ATTRIBUTE_TYPES = {"string": "S", "number": "N", "binary": "B"}
_STREAM_VIEWS = {
    "new_image": "NEW_IMAGE",
    "old_image": "OLD_IMAGE",
    "new_and_old": "NEW_AND_OLD_IMAGES",
    "keys_only": "KEYS_ONLY",
}


def is_production(ctx: RenderContext) -> bool:
    return ctx.env in data_refs.PRODUCTION_ENVIRONMENTS


def retention_policies(ctx: RenderContext) -> dict[str, str]:
    """Tables and buckets outlive their stack in production: a deleted stack or a replacement keeps the data."""
    policy = "Retain" if is_production(ctx) else "Delete"
    return {"DeletionPolicy": policy, "UpdateReplacePolicy": policy}


def _key(value: str | KeyAttribute) -> KeyAttribute:
    return KeyAttribute(name=value) if isinstance(value, str) else value


def render_tables(ctx: RenderContext) -> None:
    for name, resource in ctx.spec.resources.items():
        if isinstance(resource, Table):
            _render_table(ctx, name, resource)


def _render_table(ctx: RenderContext, name: str, table: Table) -> None:
    lid = data_refs.logical_id(name, table)
    base = ("resources", name)
    keys = [(_key(table.keys.partition), "HASH")]
    if table.keys.sort is not None:
        keys.append((_key(table.keys.sort), "RANGE"))
    props: dict[str, Any] = {
        "AttributeDefinitions": [{"AttributeName": k.name, "AttributeType": _ATTRIBUTE_TYPES[k.type]} for k, _ in keys],
        "KeySchema": [{"AttributeName": k.name, "KeyType": kind} for k, kind in keys],
    }
    if isinstance(table.billing, Throughput):
        props["BillingMode"] = "PROVISIONED"
        props["ProvisionedThroughput"] = {"ReadCapacityUnits": table.billing.read, "WriteCapacityUnits": table.billing.write}
    else:
        props["BillingMode"] = "PAY_PER_REQUEST"
    if table.encryption is not None:
        props["SSESpecification"] = {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": table.encryption.kms_key}
    else:  # the AWS-managed key aws/dynamodb (SSEEnabled false would mean an AWS-owned key)
        props["SSESpecification"] = {"SSEEnabled": True}
    props["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": table.point_in_time_recovery}
    protection = table.deletion_protection
    props["DeletionProtectionEnabled"] = is_production(ctx) if protection is None else protection
    if table.ttl is not None:
        props["TimeToLiveSpecification"] = {"AttributeName": table.ttl, "Enabled": True}
    if table.stream is not None:
        props["StreamSpecification"] = {"StreamViewType": _STREAM_VIEWS[table.stream]}
    props["Tags"] = tag_list(ctx.tags())
    ctx.add(lid, {"Type": "AWS::DynamoDB::Table", **retention_policies(ctx), "Properties": props}, base)
    for prop, key in (
        ("AttributeDefinitions", "keys"),
        ("KeySchema", "keys"),
        ("BillingMode", "billing"),
        ("ProvisionedThroughput", "billing"),
        ("SSESpecification", "encryption"),
        ("PointInTimeRecoverySpecification", "point_in_time_recovery"),
        ("DeletionProtectionEnabled", "deletion_protection"),
        ("TimeToLiveSpecification", "ttl"),
        ("StreamSpecification", "stream"),
    ):
        ctx.origin(lid, prop, (*base, key))
