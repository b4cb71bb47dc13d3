"""`access` and `policies` of a function: IAM statements naming exactly the resources' ARNs, and the variables
(LIFT_RESOURCE_<NAME>, LIFT_RESOURCE_<NAME>_ARN) that tell the code their names."""

from __future__ import annotations

from typing import Any

from liftspec.model.effective import EffectiveFunction
from liftspec.model.spec import IamStatement, LiftSpec, Queue, Resource, Table
from liftspec.render.sam import data_refs, ids
from liftspec.render.sam.intrinsics import sub
from liftspec.render.sam.kinds import Grant, Kinds

# The minimum actions of each level, per resource type. `read_write` is read + write.
TABLE_READ = (
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
)
TABLE_WRITE = ("dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem")
BUCKET_LIST = ("s3:ListBucket",)
BUCKET_READ = ("s3:GetObject",)
BUCKET_WRITE = ("s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject")
QUEUE_SEND = ("sqs:SendMessage",)
QUEUE_CONSUME = ("sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage")
TOPIC_PUBLISH = ("sns:Publish",)
STREAM_READ = ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams")
KMS_USE = ("kms:Decrypt", "kms:GenerateDataKey")
# Estimated length of a variable whose value CloudFormation fills in at deploy time (for the 4 KB limit).
DEPLOY_TIME_VALUE_BYTES = 160


def reads(level: str) -> bool:
    return level in ("read", "read_write")


def writes(level: str) -> bool:
    return level in ("write", "read_write")


def statements(spec: LiftSpec, env: str, name: str, level: str, resource: Resource, kinds: Kinds) -> list[dict[str, Any]]:
    """The IAM statements for one `access` entry (empty for a level the resource type does not have)."""
    sid = f"{ids.pascal(name)}{ids.pascal(level)}"
    kind = kinds.of(resource)
    out = kind.grants(Grant(spec.service, env, name, level, resource, kind.arn(spec.service, env, name, resource)))
    result = [
        {"Sid": sid + suffix, "Effect": "Allow", "Action": list(actions), "Resource": arns} for suffix, actions, arns in out
    ]
    encryption = getattr(resource, "encryption", None)
    if result and encryption is not None:
        result.append({"Sid": f"{sid}Kms", "Effect": "Allow", "Action": list(KMS_USE), "Resource": [encryption.kms_key]})
    return result


def _event_source_statements(spec: LiftSpec, env: str, fn: EffectiveFunction, kinds: Kinds) -> list[dict[str, Any]]:
    """What the event source mapping of a queue or stream of `resources` needs, on exactly that queue or stream."""
    out: list[dict[str, Any]] = []
    sqs = fn.spec.sqs
    if sqs is not None and sqs.resource is not None and isinstance(queue := spec.resources.get(sqs.resource), Queue):
        arn = kinds.of(queue).arn(spec.service, env, sqs.resource, queue)
        out.append(_allow(f"{ids.pascal(sqs.resource)}EventSource", QUEUE_CONSUME, [arn]))
        if queue.encryption is not None:
            out.append(_allow(f"{ids.pascal(sqs.resource)}EventSourceKms", ("kms:Decrypt",), [queue.encryption.kms_key]))
    stream = fn.spec.dynamodb_stream
    if stream is not None and isinstance(table := spec.resources.get(stream.resource), Table):
        streams = sub(f"${{{data_refs.logical_id(stream.resource, table)}.Arn}}/stream/*")
        out.append(_allow(f"{ids.pascal(stream.resource)}Stream", STREAM_READ, [streams]))
        if table.encryption is not None:
            out.append(_allow(f"{ids.pascal(stream.resource)}StreamKms", ("kms:Decrypt",), [table.encryption.kms_key]))
    return out


def _allow(sid: str, actions: tuple[str, ...], resources: list[Any]) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": list(actions), "Resource": resources}


def raw_statement(statement: IamStatement) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if statement.sid is not None:
        out["Sid"] = statement.sid
    out["Effect"] = statement.effect
    out["Action"] = list(statement.action)
    out["Resource"] = list(statement.resource)
    if statement.condition is not None:
        out["Condition"] = statement.condition
    return out


def access_policies(spec: LiftSpec, env: str, fn: EffectiveFunction, kinds: Kinds) -> list[dict[str, Any]]:
    """One policy document with the `access` statements, one with the raw `policies` (each only when non-empty)."""
    granted: list[dict[str, Any]] = []
    for name, level in sorted(fn.spec.access.items()):
        resource = spec.resources.get(name)
        if resource is not None:
            granted += statements(spec, env, name, level, resource, kinds)
    granted += _event_source_statements(spec, env, fn, kinds)
    documents = [{"Version": "2012-10-17", "Statement": granted}] if granted else []
    if fn.spec.policies:
        documents.append({"Version": "2012-10-17", "Statement": [raw_statement(s) for s in fn.spec.policies]})
    return documents


def used_resources(fn: EffectiveFunction) -> list[str]:
    """Resources a function touches: those in its `access` and the one its event source reads."""
    names = set(fn.spec.access)
    for source in (fn.spec.sqs, fn.spec.dynamodb_stream, fn.spec.s3):
        resource = getattr(source, "resource", None)
        if resource is not None:
            names.add(resource)
    return sorted(names)


def resource_variables(spec: LiftSpec, env: str, fn: EffectiveFunction, kinds: Kinds) -> dict[str, Any]:
    """LIFT_RESOURCE_<NAME> (table/bucket name, queue URL, topic ARN) and ..._ARN, for the resources it uses."""
    out: dict[str, Any] = {}
    for name in used_resources(fn):
        resource = spec.resources.get(name)
        if resource is None:
            continue
        kind = kinds.of(resource)
        out[data_refs.variable(name)] = kind.identifier(spec.service, env, name, resource)
        out[data_refs.arn_variable(name)] = kind.arn(spec.service, env, name, resource)
    return out
