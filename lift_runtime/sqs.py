"""SQS batches: each record is handled on its own; failed records come back in batchItemFailures.

The user's handler receives an SQS event holding one record, so handlers written for a
whole event keep working. A record fails when the handler raises or returns a non-empty
batchItemFailures. On a FIFO queue the first failure also fails every later record, to
keep the order. When the deadline passes, the record in progress and the rest fail.
"""

from __future__ import annotations

from lift_runtime import deadline
from lift_runtime.deadline import DeadlineExceeded
from lift_runtime.failures import log_exception
from lift_runtime.log import logger

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable


def _handled(result: object) -> bool:
    return not (isinstance(result, dict) and result.get("batchItemFailures"))


def process(records: list[dict[str, object]], call: Callable[[dict[str, object]], object], seconds: float) -> list[int]:
    """Indexes of the records that failed."""
    failed: dict[int, None] = {}
    fifo = str(records[0].get("eventSourceARN", "")).endswith(".fifo")
    index = 0
    if seconds <= 0:
        return list(range(len(records)))
    armed = deadline.start(seconds)
    try:
        while index < len(records):
            if not armed and deadline.remaining() == 0.0:
                raise DeadlineExceeded
            record = records[index]
            try:
                ok = _handled(call({"Records": [record]}))
                if not ok:
                    logger.warn("record failed", message_id=record.get("messageId"))
            except Exception as exc:
                ok = False
                log_exception("record failed", exc, message_id=record.get("messageId"))
            if not ok:
                failed[index] = None
                if fifo:
                    failed.update(dict.fromkeys(range(index + 1, len(records))))
                    break
            index += 1
    except DeadlineExceeded:
        logger.error(
            "deadline exceeded: the rest of the batch is reported failed",
            deadline_s=round(seconds, 3),
            unprocessed=len(records) - index,
        )
        failed.update(dict.fromkeys(range(index, len(records))))
    finally:
        deadline.stop()
    return sorted(failed)


def response(records: list[dict[str, object]], failed: list[int]) -> dict[str, object]:
    return {"batchItemFailures": [{"itemIdentifier": str(records[i].get("messageId", ""))} for i in failed]}
