"""How the template names the resources of lift.yaml's `resources` section: logical ids, names, ARNs, variables.

Buckets are named from the service, environment and account rather than referenced with `Ref`: an S3 event puts
the function into the bucket's notification configuration, so a function (or its role) that referred back to the
bucket with `Ref` or `GetAtt` would make a dependency cycle.
"""

from __future__ import annotations

import hashlib
from typing import Any

__all__ = ["arn_variable", "bucket_arn", "bucket_name", "logical_id", "variable"]

from liftspec.model.spec import Resource
from liftspec.render.config_module import resource_arn_variable as arn_variable
from liftspec.render.config_module import resource_variable as variable
from liftspec.render.sam import ids
from liftspec.render.sam.intrinsics import sub

PRODUCTION_ENVIRONMENTS = ("production", "prod")  # as liftspec.check.packs.PRODUCTION_NAMES
BUCKET_NAME_MAX = 63
# "-" + account id (12) + "-" + the longest region name (14): what is left for the readable part.
_BUCKET_PREFIX_MAX = BUCKET_NAME_MAX - 1 - 12 - 1 - 14


def logical_id(name: str, resource: Resource) -> str:
    return f"{ids.pascal(name)}{type(resource).__name__}"


def bucket_prefix(service: str, env: str, name: str) -> str:
    """The readable part of a bucket name: `service-env-name`, shortened with a digest when too long."""
    full = f"{service}-{env}-{name}"
    if len(full) <= _BUCKET_PREFIX_MAX:
        return full
    digest = hashlib.sha256(full.encode()).hexdigest()[:7]
    return f"{full[: _BUCKET_PREFIX_MAX - len(digest) - 1].rstrip('-')}-{digest}"


def bucket_name(service: str, env: str, name: str) -> Any:
    return sub(f"{bucket_prefix(service, env, name)}-${{AWS::AccountId}}-${{AWS::Region}}")


def bucket_arn(service: str, env: str, name: str, objects: bool = False) -> Any:
    suffix = "/*" if objects else ""
    return sub(f"arn:${{AWS::Partition}}:s3:::{bucket_prefix(service, env, name)}-${{AWS::AccountId}}-${{AWS::Region}}{suffix}")
