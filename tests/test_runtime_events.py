"""SQS batches (partial failures) and pass-through events (the scheduled sample)."""

from __future__ import annotations

import copy
import json
import time
from typing import Any

import pytest
from test_runtime_support import Context, emf, event, logs, wrapper

from lift_runtime.deadline import RequestTimeout


def batch(*bodies: str, fifo: bool = False) -> dict[str, Any]:
    sample = event("sqs")
    template = sample["Records"][0]
    records = []
    for i, body in enumerate(bodies):
        record = copy.deepcopy(template)
        record["messageId"] = f"m{i}"
        record["body"] = body
        if fifo:
            record["eventSourceARN"] += ".fifo"
        records.append(record)
    sample["Records"] = records
    return sample


def poison_aware(event: dict[str, Any], context: Any) -> None:
    for record in event["Records"]:
        if "poison" in record["body"]:
            raise ValueError(f"cannot handle {record['messageId']}")


def test_the_sqs_sample_succeeds_with_an_empty_failure_list(capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[dict[str, Any]] = []
    sample = event("sqs")
    result = wrapper(lambda ev, ctx: seen.append(ev), function="dlq-processor")(sample, Context())
    assert result == {"batchItemFailures": []}
    assert seen == [{"Records": sample["Records"]}]
    (metrics,) = emf(capsys.readouterr().out)
    assert (metrics["Requests"], metrics["Errors"], metrics["function"]) == (1, 0, "dlq-processor")


def test_failed_records_are_reported_and_the_others_processed(capsys: pytest.CaptureFixture[str]) -> None:
    handled: list[str] = []

    def handler(event: dict[str, Any], context: Any) -> None:
        poison_aware(event, context)
        handled.append(event["Records"][0]["messageId"])

    result = wrapper(handler, function="dlq-processor")(batch("ok", "poison", "ok", "poison"), Context())
    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m3"}]}
    assert handled == ["m0", "m2"]
    out = capsys.readouterr().out
    failures = [line for line in logs(out) if line["message"] == "record failed"]
    assert [line["message_id"] for line in failures] == ["m1", "m3"]
    assert all(line["error_type"] == "ValueError" for line in failures)
    (metrics,) = emf(out)
    assert (metrics["Requests"], metrics["Errors"]) == (4, 2)


def test_a_handler_returning_its_own_batch_item_failures_fails_that_record() -> None:
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        record = event["Records"][0]
        return {"batchItemFailures": [{"itemIdentifier": record["messageId"]}] if record["body"] == "bad" else []}

    assert wrapper(handler)(batch("ok", "bad"), Context()) == {"batchItemFailures": [{"itemIdentifier": "m1"}]}


def test_fifo_queues_stop_at_the_first_failure_to_keep_order() -> None:
    handled: list[str] = []

    def handler(event: dict[str, Any], context: Any) -> None:
        poison_aware(event, context)
        handled.append(event["Records"][0]["messageId"])

    result = wrapper(handler)(batch("ok", "poison", "ok", "ok", fifo=True), Context())
    assert [f["itemIdentifier"] for f in result["batchItemFailures"]] == ["m1", "m2", "m3"]
    assert handled == ["m0"]


def test_the_deadline_fails_the_record_in_progress_and_the_rest() -> None:
    def handler(event: dict[str, Any], context: Any) -> None:
        if event["Records"][0]["body"] == "slow":
            time.sleep(5)

    started = time.monotonic()
    result = wrapper(handler)(batch("ok", "slow", "ok"), Context(remaining_ms=400))
    assert [f["itemIdentifier"] for f in result["batchItemFailures"]] == ["m1", "m2"]
    assert time.monotonic() - started < 1.5


def test_scheduled_events_pass_through(capsys: pytest.CaptureFixture[str]) -> None:
    sample = event("scheduled")
    seen: list[Any] = []

    def reconcile(event: dict[str, Any], context: Any) -> dict[str, int]:
        seen.append(event)
        return {"reconciled": 3}

    assert wrapper(reconcile, function="reconcile")(sample, Context("req-s")) == {"reconciled": 3}
    assert seen == [sample]
    out = capsys.readouterr().out
    (line,) = [entry for entry in logs(out) if entry["message"] == "invocation"]
    assert line["request_id"] == "req-s" and line["failed"] is False and line["function"] == "reconcile"
    assert emf(out)[0]["Requests"] == 1


def test_pass_through_errors_reach_lambda_so_retries_and_the_dlq_apply(capsys: pytest.CaptureFixture[str]) -> None:
    def failing(event: dict[str, Any], context: Any) -> None:
        raise ConnectionError("ledger down")

    with pytest.raises(ConnectionError, match="ledger down"):
        wrapper(failing, function="reconcile")(event("scheduled"), Context())
    out = capsys.readouterr().out
    assert any(line["level"] == "ERROR" and line["error_type"] == "ConnectionError" for line in logs(out))
    assert emf(out)[0]["Errors"] == 1


def test_pass_through_deadline_raises_a_timeout_error() -> None:
    def slow(event: dict[str, Any], context: Any) -> None:
        time.sleep(5)

    started = time.monotonic()
    with pytest.raises(RequestTimeout):
        wrapper(slow, function="reconcile")(event("scheduled"), Context(remaining_ms=300))
    assert time.monotonic() - started < 1.0
    assert issubclass(RequestTimeout, Exception)  # the Lambda runtime reports it instead of dying


def test_any_other_payload_is_passed_as_is() -> None:
    for payload in ({"custom": [1, 2]}, [1, 2], "text", None):
        assert wrapper(lambda ev, ctx: ev)(payload, Context()) == payload
    assert json.dumps(wrapper(lambda ev, ctx: ev)({"Records": []}, Context())) == '{"Records": []}'
