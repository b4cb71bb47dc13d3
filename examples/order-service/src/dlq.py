"""Dead-letter processor (example): consumes the service's own DLQ.

The lift runtime calls this handler once per message, with an SQS event holding that one
record; a message whose handling raises is reported in batchItemFailures and comes back later.
"""

from __future__ import annotations

import json
from typing import Any

from lift_runtime.log import logger


def handler(event: dict[str, Any], context: Any) -> None:
    for record in event["Records"]:
        try:
            message = json.loads(record["body"])
        except ValueError:
            message = {"raw": record["body"]}
        if isinstance(message, dict) and message.get("poison"):
            raise ValueError(f"message {record['messageId']} cannot be recovered")
        logger.warn("dead letter", message_id=record["messageId"], source=record.get("eventSourceARN"))
