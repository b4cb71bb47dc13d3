"""rate_limit.scope client: the DynamoDB table of per-client counters, and what the HTTP functions need to use it."""

from __future__ import annotations

from typing import Any

from liftspec.render.sam.context import RenderContext
from liftspec.render.sam.intrinsics import get_att, ref, tag_list
from liftspec.render.sam.registry import Renderer

RATE_LIMIT_TABLE_ID = "ClientRateLimitTable"
TABLE_ENV = "LIFT_RATE_LIMIT_TABLE"  # lift_runtime.counter.TABLE_ENV
TTL_ATTRIBUTE = "expires_at"  # lift_runtime.counter: the window's end, epoch seconds


def uses_table(ctx: RenderContext) -> bool:
    limit = ctx.spec.rate_limit
    return limit.enabled and limit.scope == "client" and bool(ctx.http_functions())


def render_rate_limit_table(ctx: RenderContext) -> None:
    """One item per client and window; items expire by TTL, so the table holds only the current windows."""
    if not uses_table(ctx):
        return
    props: dict[str, Any] = {
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "SSESpecification": {"SSEEnabled": True},
        "TimeToLiveSpecification": {"AttributeName": TTL_ATTRIBUTE, "Enabled": True},
        "Tags": tag_list(ctx.tags()),
    }
    # Counters of the current window only: nothing to keep when the stack goes, nothing to restore (no PITR).
    skip = [{"id": "CKV_AWS_28", "comment": "rate limit counters of the current window: nothing to restore"}]
    resource = {
        "Type": "AWS::DynamoDB::Table",
        "DeletionPolicy": "Delete",
        "UpdateReplacePolicy": "Delete",
        "Metadata": {"checkov": {"skip": skip}},
        "Properties": props,
    }
    ctx.add(RATE_LIMIT_TABLE_ID, resource, ("rate_limit", "scope"))


def rate_limit_policy(ctx: RenderContext) -> dict[str, Any]:
    """UpdateItem on the counter table, and nothing else: the runtime's one call."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CountLiftRateLimit",
                "Effect": "Allow",
                "Action": ["dynamodb:UpdateItem"],
                "Resource": [get_att(RATE_LIMIT_TABLE_ID, "Arn")],
            }
        ],
    }


def rate_limit_variables() -> dict[str, Any]:
    return {TABLE_ENV: ref(RATE_LIMIT_TABLE_ID)}


RENDERERS = (Renderer("rate_limit_table", render_rate_limit_table),)
