"""Data pipeline (example): each function reads its resources' names from lift_config.CONFIG.

The names exist only once the stack is deployed; the template passes them to each function that has
access to a resource (LIFT_RESOURCE_<NAME>), and CONFIG.resources[name].name reads them.
"""

from __future__ import annotations

import json
from typing import Any

from lift_config import CONFIG


def ingest(event: dict[str, Any], context: Any) -> dict[str, Any]:
    bucket = CONFIG.resources["documents"].name
    queue_url = CONFIG.resources["jobs"].name
    body = {"bucket": bucket, "queue": queue_url}
    return {"statusCode": 202, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def work(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failures = []
    for record in event.get("Records", []):
        try:
            job = json.loads(record["body"])
            if "key" not in job:
                raise ValueError("job has no document key")
        except (ValueError, KeyError):
            failures.append({"itemIdentifier": record.get("messageId", "")})
    return {"batchItemFailures": failures}


def index(event: dict[str, Any], context: Any) -> dict[str, Any]:
    topic_arn = CONFIG.resources["announcements"].name
    changed = [r["dynamodb"]["Keys"] for r in event.get("Records", []) if r.get("eventName") in ("INSERT", "MODIFY")]
    return {"topic": topic_arn, "changed": len(changed), "batchItemFailures": []}


def scan(event: dict[str, Any], context: Any) -> None:
    for record in event.get("Records", []):
        key = record["s3"]["object"]["key"]
        if not key.startswith("incoming/"):
            raise ValueError(f"unexpected key {key}")
