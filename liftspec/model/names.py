"""Physical names the model implies and that rules check before render writes them."""

from __future__ import annotations

from liftspec.digest import sha256

XRAY_RULE_NAME_MAX = 32


def sampling_rule_name(service: str, env: str, rule: str) -> str:
    """X-Ray RuleName: unique per service and environment (rules are account-wide), at most 32 characters.

    `order-service-production-health` is too long, so it keeps a readable prefix and ends with a
    digest of the full name: different inputs cannot meet, the same input always gives the same name.
    """
    full = f"{service}-{env}-{rule}"
    if len(full) <= XRAY_RULE_NAME_MAX:
        return full
    digest = sha256(full.encode()).hexdigest()[:7]
    return f"{full[: XRAY_RULE_NAME_MAX - len(digest) - 1].rstrip('-_')}-{digest}"
