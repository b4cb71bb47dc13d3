"""Logical ids and physical names derived from the names users write, never from order or hashes of other input."""

from __future__ import annotations

import re

from liftspec.model.names import sampling_rule_name as sampling_rule_name  # the model's: rules check it

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


def layer_name(service: str, env: str) -> str:
    return f"{service}-{env}-lift-runtime"[:140]
