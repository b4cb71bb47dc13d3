"""Image worker: one SQS record per upload; failed records are retried by SQS."""

from __future__ import annotations

import json
from typing import Any


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failures = []
    for record in event.get("Records", []):
        try:
            job = json.loads(record["body"])
            if "key" not in job:
                raise ValueError("message has no image key")
        except (ValueError, KeyError):
            failures.append({"itemIdentifier": record.get("messageId", "")})
    return {"batchItemFailures": failures}
