"""Heuristics for values that look like credentials. A finding never echoes the value itself."""

from __future__ import annotations

import math
import re
from collections import Counter

# Known credential formats: (what it is, pattern). Matched anywhere in the value.
_KNOWN = (
    ("an AWS access key id", re.compile(r"\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b")),
    ("a private key", re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----")),
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b")),
    ("a Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}")),
    ("a Stripe secret key", re.compile(r"\b[sr]k_live_[A-Za-z0-9]{16,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("a JSON Web Token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    ("a URL with a password", re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)),
)

_SENSITIVE_NAME = re.compile(
    r"pass(word|wd|phrase)?|secret|token|api_?key|private_?key|credential|auth_?key|signing_?key|access_?key", re.IGNORECASE
)
# Values that name a secret rather than hold one: ARNs, parameter paths, CloudFormation dynamic references, URLs.
_REFERENCE = re.compile(r"^(arn:|/|\{\{resolve:|\$\{|https?://[^@]*$|ssm:|secretsmanager:)", re.IGNORECASE)


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def looks_random(value: str) -> bool:
    if len(value) < 12 or any(ch.isspace() for ch in value):
        return False
    classes = sum(1 for test in (str.islower, str.isupper, str.isdigit) if any(test(ch) for ch in value))
    return classes >= 2 and entropy(value) >= 3.0


def secret_kind(name: str, value: str) -> str | None:
    """What the value looks like ("an AWS access key id"...), or None when it looks harmless."""
    for kind, pattern in _KNOWN:
        if pattern.search(value):
            return kind
    if _SENSITIVE_NAME.search(name) and not _REFERENCE.match(value) and looks_random(value):
        return "a credential (a random-looking value under a secret-sounding name)"
    return None


def mask(value: str) -> str:
    """Enough of the value to find it, never enough to use it."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * min(len(value) - 4, 12)
