"""S3 buckets of the `resources` section: encrypted, private, owner-enforced, TLS-only, versioned, replicated on request."""

from __future__ import annotations

import math
from typing import Any

from liftspec.model.spec import Bucket
from liftspec.render.sam import data_refs
from liftspec.render.sam.access import BUCKET_LIST, BUCKET_READ, BUCKET_WRITE, reads, writes
from liftspec.render.sam.context import RenderContext
from liftspec.render.sam.intrinsics import get_att, tag_list
from liftspec.render.sam.kinds import Grant, Granted, ResourceKind
from liftspec.render.sam.origins import Sourced
from liftspec.render.sam.tables import retention_policies

_DAY_S = 86_400


def days(seconds: float) -> int:
    return max(1, math.ceil(seconds / _DAY_S))


ACCESS_LOGS_ID = "AccessLogsBucket"
ACCESS_LOGS_NAME = "access-logs"  # its part of the bucket name; a resource cannot be called this (LS008)
ACCESS_LOGS_DAYS = 90


def _grants(grant: Grant) -> list[Granted]:
    out: list[Granted] = []
    if reads(grant.level):
        out.append(("List", BUCKET_LIST, [data_refs.bucket_arn(grant.service, grant.env, grant.name)]))
    objects = (BUCKET_READ if reads(grant.level) else ()) + (BUCKET_WRITE if writes(grant.level) else ())
    if objects:
        out.append(
            ("Objects", tuple(sorted(objects)), [data_refs.bucket_arn(grant.service, grant.env, grant.name, objects=True)])
        )
    return out


def _name(service: str, env: str, name: str, bucket: Bucket) -> Any:
    return data_refs.bucket_name(service, env, name)


def _arn(service: str, env: str, name: str, bucket: Bucket) -> Any:
    return data_refs.bucket_arn(service, env, name)


def render_buckets(ctx: RenderContext) -> None:
    logged = []
    for name, resource in ctx.spec.resources.items():
        if isinstance(resource, Bucket):
            _render_bucket(ctx, name, resource)
            if resource.access_logs:
                logged.append(name)
    if logged:
        _render_access_logs(ctx, logged)


def _render_bucket(ctx: RenderContext, name: str, bucket: Bucket) -> None:
    lid = data_refs.logical_id(name, bucket)
    base = ("resources", name)
    service, env = ctx.spec.service, ctx.env
    if bucket.encryption is not None:
        default: dict[str, Any] = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": bucket.encryption.kms_key}
    else:
        default = {"SSEAlgorithm": "AES256"}
    blocked = not bucket.public
    props: dict[str, Any] = {
        "BucketName": data_refs.bucket_name(service, env, name),
        "BucketEncryption": Sourced(
            {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": default, "BucketKeyEnabled": True}]},
            (*base, "encryption"),
        ),
        "PublicAccessBlockConfiguration": Sourced(
            {
                "BlockPublicAcls": blocked,
                "BlockPublicPolicy": blocked,
                "IgnorePublicAcls": blocked,
                "RestrictPublicBuckets": blocked,
            },
            (*base, "public"),
        ),
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
    }
    if bucket.access_logs:
        logging = {"DestinationBucketName": {"Ref": ACCESS_LOGS_ID}, "LogFilePrefix": f"{name}/"}
        props["LoggingConfiguration"] = Sourced(logging, (*base, "access_logs"))
    if bucket.versioning:
        props["VersioningConfiguration"] = Sourced({"Status": "Enabled"}, (*base, "versioning"))
    rules: list[dict[str, Any]] = [
        {
            "Id": "abort-incomplete-uploads",
            "Status": "Enabled",
            "AbortIncompleteMultipartUpload": {
                "DaysAfterInitiation": days(bucket.lifecycle.abort_incomplete_uploads_after.total_seconds())
            },
        }
    ]
    noncurrent = bucket.lifecycle.expire_noncurrent_after
    if noncurrent is not None:
        rules.append(
            {
                "Id": "expire-noncurrent-versions",
                "Status": "Enabled",
                "NoncurrentVersionExpiration": {"NoncurrentDays": days(noncurrent.total_seconds())},
            }
        )
    props["LifecycleConfiguration"] = Sourced({"Rules": rules}, (*base, "lifecycle"))
    if bucket.replicate_to is not None:
        role_id = f"{lid}ReplicationRole"
        replication = {
            "Role": get_att(role_id, "Arn"),
            "Rules": [
                {
                    "Id": "replicate-everything",
                    "Status": "Enabled",
                    "Priority": 1,
                    "Filter": {"Prefix": ""},
                    "DeleteMarkerReplication": {"Status": "Enabled"},
                    "Destination": _destination(bucket),
                    **_kms_selection(bucket),
                }
            ],
        }
        props["ReplicationConfiguration"] = Sourced(replication, (*base, "replicate_to"))
        _render_replication_role(ctx, name, bucket, role_id)
    props["Tags"] = tag_list(ctx.tags())
    ctx.add(lid, {"Type": "AWS::S3::Bucket", **retention_policies(ctx), "Properties": props}, base)
    if bucket.require_tls:
        _render_tls_policy(ctx, name, lid)


def _destination(bucket: Bucket) -> dict[str, Any]:
    assert bucket.replicate_to is not None
    destination: dict[str, Any] = {"Bucket": bucket.replicate_to.bucket_arn}
    if bucket.encryption is not None and bucket.replicate_to.kms_key is not None:
        destination["EncryptionConfiguration"] = {"ReplicaKmsKeyID": bucket.replicate_to.kms_key}
    return destination


def _kms_selection(bucket: Bucket) -> dict[str, Any]:
    """S3 skips KMS-encrypted objects unless the rule selects them (and says which key encrypts the replicas)."""
    if bucket.encryption is None:
        return {}
    return {"SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}}}


def _deny_insecure_transport(ctx: RenderContext, name: str) -> dict[str, Any]:
    service, env = ctx.spec.service, ctx.env
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [data_refs.bucket_arn(service, env, name), data_refs.bucket_arn(service, env, name, objects=True)],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def _bucket_policy(lid: str, statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {"Bucket": {"Ref": lid}, "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}},
    }


def _render_tls_policy(ctx: RenderContext, name: str, lid: str) -> None:
    ctx.add(f"{lid}Policy", _bucket_policy(lid, [_deny_insecure_transport(ctx, name)]), ("resources", name, "require_tls"))


def _render_access_logs(ctx: RenderContext, logged: list[str]) -> None:
    """One bucket for the server access logs of every bucket of the service: private, TLS-only, SSE-S3 (the only
    encryption S3 log delivery supports), logs expire after ACCESS_LOGS_DAYS."""
    service, env = ctx.spec.service, ctx.env
    origin = ("resources", logged[0], "access_logs")
    props: dict[str, Any] = {
        "BucketName": data_refs.bucket_name(service, env, ACCESS_LOGS_NAME),
        "BucketEncryption": {
            "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        },
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "VersioningConfiguration": {"Status": "Enabled"},
        "LifecycleConfiguration": {
            "Rules": [
                {
                    "Id": "expire-access-logs",
                    "Status": "Enabled",
                    "ExpirationInDays": ACCESS_LOGS_DAYS,
                    "NoncurrentVersionExpiration": {"NoncurrentDays": 1},
                }
            ]
        },
        "Tags": tag_list(ctx.tags()),
    }
    metadata = {"checkov": {"skip": [{"id": "CKV_AWS_18", "comment": "the access-log bucket does not log access to itself"}]}}
    ctx.add(
        ACCESS_LOGS_ID, {"Type": "AWS::S3::Bucket", **retention_policies(ctx), "Metadata": metadata, "Properties": props}, origin
    )
    delivery = {
        "Sid": "S3ServerAccessLogsDelivery",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": data_refs.bucket_arn(service, env, ACCESS_LOGS_NAME, objects=True),
        "Condition": {
            "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
            "ArnLike": {"aws:SourceArn": [data_refs.bucket_arn(service, env, name) for name in logged]},
        },
    }
    policy = _bucket_policy(ACCESS_LOGS_ID, [_deny_insecure_transport(ctx, ACCESS_LOGS_NAME), delivery])
    ctx.add(f"{ACCESS_LOGS_ID}Policy", policy, origin)


def _render_replication_role(ctx: RenderContext, name: str, bucket: Bucket, role_id: str) -> None:
    assert bucket.replicate_to is not None
    service, env = ctx.spec.service, ctx.env
    destination = bucket.replicate_to.bucket_arn
    statements: list[dict[str, Any]] = [
        {
            "Effect": "Allow",
            "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
            "Resource": data_refs.bucket_arn(service, env, name),
        },
        {
            "Effect": "Allow",
            "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
            "Resource": data_refs.bucket_arn(service, env, name, objects=True),
        },
        {
            "Effect": "Allow",
            "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
            "Resource": f"{destination}/*",
        },
    ]
    if bucket.encryption is not None:
        statements.append({"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": bucket.encryption.kms_key})
    if bucket.replicate_to.kms_key is not None:
        statements.append({"Effect": "Allow", "Action": ["kms:Encrypt"], "Resource": bucket.replicate_to.kms_key})
    ctx.add(
        role_id,
        {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}],
                },
                "Policies": [{"PolicyName": "replication", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}],
                "Tags": tag_list(ctx.tags()),
            },
        },
        ("resources", name, "replicate_to"),
    )


# Named rather than referenced (liftspec/render/sam/data_refs.py says why).
BUCKET = ResourceKind(Bucket, render_buckets, _grants, identifier=_name, arn=_arn)
