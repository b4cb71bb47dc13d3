"""Logical ids and physical names derived from the names users write, never from order or hashes of other input."""

from __future__ import annotations

import hashlib
import re

# Predefined CodeDeploy Lambda configurations, as SAM spells them (SAM expands them to CodeDeployDefault.Lambda<Name>).
PREDEFINED_STRATEGIES = (
    "AllAtOnce",
    "Canary10Percent5Minutes",
    "Canary10Percent10Minutes",
    "Canary10Percent15Minutes",
    "Canary10Percent30Minutes",
    "Linear10PercentEvery1Minute",
    "Linear10PercentEvery2Minutes",
    "Linear10PercentEvery3Minutes",
    "Linear10PercentEvery10Minutes",
)

XRAY_RULE_NAME_MAX = 32


def pascal(name: str) -> str:
    """`dlq-processor` -> `DlqProcessor`, `JWT_SECRET_ARN` -> `JwtSecretArn`: alphanumeric, as CloudFormation requires."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", name) if p]
    return "".join(p[:1].upper() + (p[1:].lower() if p.isupper() else p[1:]) for p in parts)


def function_id(name: str) -> str:
    return f"{pascal(name)}Function"


def function_prefix(name: str) -> str:
    """Prefix of every other resource that belongs to one function: `ApiLogGroup`, `ApiErrorsAlarm`."""
    return pascal(name)


def alias_id(function_logical_id: str, alias: str) -> str:
    """The logical id SAM gives the alias that AutoPublishAlias generates (hyphen -> D, underscore -> U)."""
    return f"{function_logical_id}Alias{alias.replace('-', 'D').replace('_', 'U')}"


def sampling_rule_name(service: str, env: str, rule: str) -> str:
    """X-Ray RuleName: unique per service and environment (rules are account-wide), at most 32 characters.

    `order-service-production-health` is too long, so it keeps a readable prefix and ends with a
    digest of the full name: different inputs cannot meet, the same input always gives the same name.
    """
    full = f"{service}-{env}-{rule}"
    if len(full) <= XRAY_RULE_NAME_MAX:
        return full
    digest = hashlib.sha256(full.encode()).hexdigest()[:7]
    return f"{full[: XRAY_RULE_NAME_MAX - len(digest) - 1].rstrip('-_')}-{digest}"


def layer_name(service: str, env: str) -> str:
    return f"{service}-{env}-lift-runtime"[:140]
