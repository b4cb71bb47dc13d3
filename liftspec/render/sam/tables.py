"""DynamoDB tables of the `resources` section: encrypted, with point-in-time recovery, retained in production."""

from __future__ import annotations

from typing import Any

from liftspec.model.spec import KeyAttribute, Table, Throughput
from liftspec.render.sam import data_refs
from liftspec.render.sam.access import TABLE_READ, TABLE_WRITE, reads, writes
from liftspec.render.sam.context import RenderContext
from liftspec.render.sam.intrinsics import sub, tag_list
from liftspec.render.sam.kinds import Grant, Granted, ResourceKind
from liftspec.render.sam.origins import Sourced

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


def _grants(grant: Grant) -> list[Granted]:
    table = grant.arn
    # Queries on secondary indexes name the index ARN; the table ARN alone does not cover them.
    index = sub(f"${{{data_refs.logical_id(grant.name, grant.resource)}.Arn}}/index/*")
    actions = (TABLE_READ if reads(grant.level) else ()) + (TABLE_WRITE if writes(grant.level) else ())
    return [("", tuple(sorted(actions)), [table, index] if reads(grant.level) else [table])] if actions else []


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
        "AttributeDefinitions": Sourced(
            [{"AttributeName": k.name, "AttributeType": _ATTRIBUTE_TYPES[k.type]} for k, _ in keys], (*base, "keys")
        ),
        "KeySchema": Sourced([{"AttributeName": k.name, "KeyType": kind} for k, kind in keys], (*base, "keys")),
    }
    billing = (*base, "billing")
    if isinstance(table.billing, Throughput):
        props["BillingMode"] = Sourced("PROVISIONED", billing)
        throughput = {"ReadCapacityUnits": table.billing.read, "WriteCapacityUnits": table.billing.write}
        props["ProvisionedThroughput"] = Sourced(throughput, billing)
    else:
        props["BillingMode"] = Sourced("PAY_PER_REQUEST", billing)
    if table.encryption is not None:
        sse = {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": table.encryption.kms_key}
    else:  # the AWS-managed key aws/dynamodb (SSEEnabled false would mean an AWS-owned key)
        sse = {"SSEEnabled": True}
    props["SSESpecification"] = Sourced(sse, (*base, "encryption"))
    props["PointInTimeRecoverySpecification"] = Sourced(
        {"PointInTimeRecoveryEnabled": table.point_in_time_recovery}, (*base, "point_in_time_recovery")
    )
    protection = table.deletion_protection
    props["DeletionProtectionEnabled"] = Sourced(
        is_production(ctx) if protection is None else protection, (*base, "deletion_protection")
    )
    if table.ttl is not None:
        props["TimeToLiveSpecification"] = Sourced({"AttributeName": table.ttl, "Enabled": True}, (*base, "ttl"))
    if table.stream is not None:
        props["StreamSpecification"] = Sourced({"StreamViewType": _STREAM_VIEWS[table.stream]}, (*base, "stream"))
    props["Tags"] = tag_list(ctx.tags())
    ctx.add(lid, {"Type": "AWS::DynamoDB::Table", **retention_policies(ctx), "Properties": props}, base)


TABLE = ResourceKind(Table, render_tables, _grants)
