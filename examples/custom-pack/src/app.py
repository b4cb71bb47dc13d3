"""Inventory API handler (example)."""

from __future__ import annotations

import json
from typing import Any


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    path = event.get("rawPath", "/")
    if path == "/health":
        return {"statusCode": 200, "body": json.dumps({"status": "ok"})}
    sku = (event.get("pathParameters") or {}).get("sku", "")
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps({"sku": sku, "stock": 0})}
