"""Secrets: read access to exactly the named secrets, and rotation schedules when asked."""

from __future__ import annotations

import re
from typing import Any

from liftspec.model.spec import Secret
from liftspec.render.sam import ids
from liftspec.render.sam.context import RenderContext
from liftspec.render.sam.intrinsics import sub
from liftspec.render.sam.registry import Renderer

# Secrets Manager appends "-" and six random characters to a secret's name in its ARN.
_FULL_ARN = re.compile(r"^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:.+-[A-Za-z0-9]{6}$")


def secret_arn(secret: str) -> Any:
    """The IAM Resource for one secret: a complete ARN as given, else the ARN with the `-??????` suffix wildcard.

    `-??????` matches exactly six characters, so `prod/orders/jwt` cannot also grant `prod/orders/jwt-admin`.
    """
    if secret.startswith("arn:"):
        return secret if _FULL_ARN.match(secret) else f"{secret}-??????"
    return sub(f"arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:{secret}-??????")


def secret_policies(ctx: RenderContext) -> list[dict[str, Any]]:
    secrets = ctx.spec.security.secrets
    if not secrets:
        return []
    return [
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "ReadLiftSecrets",
                    "Effect": "Allow",
                    "Action": ["secretsmanager:GetSecretValue"],
                    "Resource": [secret_arn(s.secret) for s in secrets],
                }
            ],
        }
    ]


def rotation_id(secret: Secret) -> str:
    return f"{ids.pascal(secret.env)}Rotation"


def render_rotation(ctx: RenderContext) -> None:
    for i, secret in enumerate(ctx.spec.security.secrets):
        if secret.rotation_days is None:
            continue
        props: dict[str, Any] = {"SecretId": secret.secret, "RotationRules": {"AutomaticallyAfterDays": secret.rotation_days}}
        if secret.rotation_lambda:
            props["RotationLambdaARN"] = secret.rotation_lambda
        ctx.add(
            rotation_id(secret),
            {"Type": "AWS::SecretsManager::RotationSchedule", "Properties": props},
            ("security", "secrets", i, "rotation_days"),
        )


RENDERERS = (Renderer("rotation", render_rotation),)
