"""AWS Signature Version 4 for one request, with the standard library only (hmac, hashlib).

The runtime layer carries no AWS SDK; this signs the few DynamoDB calls it makes itself.
Credentials are the ones Lambda gives every function in its environment.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time

ALGORITHM = "AWS4-HMAC-SHA256"


class Credentials:
    __slots__ = ("access_key", "region", "secret_key", "token")

    def __init__(self, access_key: str, secret_key: str, token: str, region: str) -> None:
        self.access_key = access_key
        self.secret_key = secret_key
        self.token = token
        self.region = region

    @classmethod
    def from_environment(cls) -> Credentials | None:
        """Lambda's: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_REGION. None if one is missing."""
        env = os.environ
        access, secret, region = env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"), env.get("AWS_REGION")
        if not access or not secret or not region:
            return None
        return cls(access, secret, env.get("AWS_SESSION_TOKEN", ""), region)


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def sign(
    credentials: Credentials,
    service: str,
    method: str,
    host: str,
    path: str,
    headers: dict[str, str],
    body: bytes,
    now: float | None = None,
) -> dict[str, str]:
    """`headers` plus Host, X-Amz-Date, X-Amz-Security-Token (with a session token) and Authorization.

    Every header given is signed. The path must already be URI-encoded; no query string.
    """
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() if now is None else now))
    out = {**headers, "Host": host, "X-Amz-Date": stamp}
    if credentials.token:
        out["X-Amz-Security-Token"] = credentials.token
    canonical = {name.lower(): " ".join(value.strip().split()) for name, value in out.items()}
    names = sorted(canonical)
    signed = ";".join(names)
    request = "\n".join(
        [
            method,
            path or "/",
            "",
            "".join(f"{name}:{canonical[name]}\n" for name in names),
            signed,
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{stamp[:8]}/{credentials.region}/{service}/aws4_request"
    to_sign = "\n".join([ALGORITHM, stamp, scope, hashlib.sha256(request.encode("utf-8")).hexdigest()])
    key = ("AWS4" + credentials.secret_key).encode("utf-8")
    for part in (stamp[:8], credentials.region, service, "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    out["Authorization"] = (
        f"{ALGORITHM} Credential={credentials.access_key}/{scope}, SignedHeaders={signed}, Signature={signature}"
    )
    return out
