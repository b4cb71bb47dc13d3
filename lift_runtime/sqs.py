"""SQS batches: each record is handled on its own; failed records come back in batchItemFailures.

The user's handler receives an SQS event holding one record, so handlers written for a
whole event keep working. A record fails when the handler raises (anything, SystemExit
included) or returns a non-empty batchItemFailures. On a FIFO queue the first failure also
fails every later record, to keep the order. When the deadline passes, the record in
progress and the rest fail. The middlewares, outermost first: ObserveBatch (the ``batch``
log line and metrics), GuardBatch (the boundary: if anything escapes, every record not
known to be done fails), DeadlineBatch, then the loop over the records.
"""

from __future__ import annotations

import time

from lift_runtime import deadline
from lift_runtime.chain import Invocation, Layer
from lift_runtime.deadline import DeadlineExceeded
from lift_runtime.failures import log_exception
from lift_runtime.log import logger

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from lift_runtime.metrics import Emitter


class Batch:
    """A batch's progress: the record in hand and the indexes that failed."""

    __slots__ = ("failed", "fifo", "index", "records")

    def __init__(self, records: list[object]) -> None:
        self.records = records
        first = records[0] if records else None
        self.fifo = isinstance(first, dict) and str(first.get("eventSourceARN", "")).endswith(".fifo")
        self.index = 0
        self.failed: dict[int, None] = {}

    def fail_rest(self) -> None:
        """The record in hand and every later one failed."""
        self.failed.update(dict.fromkeys(range(self.index, len(self.records))))

    def response(self) -> dict[str, object]:
        return {"batchItemFailures": [{"itemIdentifier": message_id(self.records[i])} for i in sorted(self.failed)]}


def message_id(record: object) -> str:
    """The record's messageId; "" for a record without one (Lambda then retries the whole batch)."""
    value = record.get("messageId", "") if isinstance(record, dict) else ""
    return value if isinstance(value, str) else str(value)


def _batch(inv: Invocation) -> Batch:
    return inv.state  # type: ignore[return-value]


def _handled(result: object) -> bool:
    return not (isinstance(result, dict) and result.get("batchItemFailures"))


class ObserveBatch(Layer):
    __slots__ = ("metrics",)

    def __init__(self, metrics: Emitter) -> None:
        super().__init__()
        self.metrics = metrics

    def handle(self, inv: Invocation) -> dict[str, object]:
        records: list[object] = inv.event["Records"]  # type: ignore[index]
        batch = inv.state = Batch(records)
        resp: dict[str, object] = self.next(inv)
        latency = (time.perf_counter() - inv.started) * 1000.0
        logger.info("batch", records=len(records), failed=len(batch.failed), duration_ms=round(latency, 3))
        self.metrics.flush(
            requests=len(records), errors=len(batch.failed), latency_ms=latency, properties={"cold_start": inv.cold}
        )
        return resp


class GuardBatch(Layer):
    __slots__ = ()

    def handle(self, inv: Invocation) -> dict[str, object]:
        batch = _batch(inv)
        try:
            self.next(inv)
        except BaseException as exc:  # the boundary: nothing escapes to Lambda
            log_exception("the runtime could not finish the batch: the rest is reported failed", exc)
            batch.fail_rest()
        return batch.response()


class DeadlineBatch(Layer):
    __slots__ = ("request_timeout",)

    def __init__(self, request_timeout: float) -> None:
        super().__init__()
        self.request_timeout = request_timeout

    def handle(self, inv: Invocation) -> None:
        batch = _batch(inv)
        seconds = deadline.budget(self.request_timeout, inv.remaining_ms())
        try:
            deadline.run(seconds, self.next, inv)
        except DeadlineExceeded:
            logger.error(
                "deadline exceeded: the rest of the batch is reported failed",
                deadline_s=round(seconds, 3),
                unprocessed=len(batch.records) - batch.index,
            )
            batch.fail_rest()


def records(user: Callable[[object, object], object]) -> Callable[[Invocation], None]:
    """The loop over the records: the endpoint of the chain."""

    def process(inv: Invocation) -> None:
        batch = _batch(inv)
        while batch.index < len(batch.records):
            if deadline.remaining() == 0.0:  # the timer cannot interrupt (another thread): check between records
                raise DeadlineExceeded
            record = batch.records[batch.index]
            try:
                ok = _handled(user({"Records": [record]}, inv.context))
                if not ok:
                    logger.warn("record failed", message_id=message_id(record))
            except DeadlineExceeded:
                raise
            except BaseException as exc:  # a record's failure, whatever the handler raised
                ok = False
                log_exception("record failed", exc, message_id=message_id(record))
            if not ok:
                batch.failed[batch.index] = None
                if batch.fifo:
                    batch.fail_rest()
                    return
            batch.index += 1

    return process


def sqs_layers(request_timeout: float, metrics: Emitter) -> list[Layer]:
    return [ObserveBatch(metrics), GuardBatch(), DeadlineBatch(request_timeout)]
