"""How functions are invoked (issue 13 items 6-8): queue event sources, asynchronous invocation, schedules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fixtures.compile.support import render_text
from fixtures.policy.lintkit import at

from liftspec.api import lint_document
from liftspec.load import load_text

BASE = """\
liftspec: 1
service: shop
environment: dev
policy: {packs: [baseline]}
functions:
  worker:
    handler: worker.handler
    sqs: {queue: "arn:aws:sqs:us-east-1:123456789012:jobs"}
"""


def findings(text: str, code: str) -> list[tuple[str, int, int]]:
    result = lint_document(load_text(text, "lift.yaml"), None)
    return [(d.id, d.line, d.col) for d in result.diagnostics if d.id == code]


def queue_event(tmp_path: Path, text: str) -> dict[str, Any]:
    props: dict[str, Any] = render_text(tmp_path, text).template["Resources"]["WorkerFunction"]["Properties"]
    event: dict[str, Any] = props["Events"]["Queue"]["Properties"]
    return event


# --- queues ---------------------------------------------------------------------------------------------------------


def test_maximum_concurrency_and_batch_failures(tmp_path: Path) -> None:
    event = queue_event(tmp_path, BASE)
    assert event["FunctionResponseTypes"] == ["ReportBatchItemFailures"]  # on by default
    assert "ScalingConfig" not in event
    text = BASE.replace('jobs"}', 'jobs", maximum_concurrency: 20, report_batch_failures: false}')
    event = queue_event(tmp_path, text)
    assert event["ScalingConfig"] == {"MaximumConcurrency": 20} and "FunctionResponseTypes" not in event


@pytest.mark.parametrize(
    ("sqs", "mark"),
    [
        ('"arn:aws:sqs:us-east-1:123456789012:jobs.fifo", batch_size: 11', "batch_size: |11"),
        ('"arn:aws:sqs:us-east-1:123456789012:jobs.fifo", batching_window: 1s', "batching_window: |1s"),
        ('"arn:aws:sqs:us-east-1:123456789012:jobs", batch_size: 100, batching_window: 6m', "batching_window: |6m"),
        ('"arn:aws:sqs:us-east-1:123456789012:jobs", maximum_concurrency: 1', "maximum_concurrency: |1"),
        ('"arn:aws:sqs:us-east-1:123456789012:jobs", maximum_concurrency: 1001', "maximum_concurrency: |1001"),
    ],
)
def test_event_source_limits_are_errors_at_the_value(sqs: str, mark: str) -> None:
    text = BASE.replace('"arn:aws:sqs:us-east-1:123456789012:jobs"', sqs)
    assert findings(text, "LS323") == [("LS323", *at(text, mark))]


def test_a_fifo_batch_over_ten_is_not_also_reported_as_a_missing_window() -> None:
    text = BASE.replace('jobs"}', 'jobs.fifo", batch_size: 100}')
    assert findings(text, "LS305") == [] and len(findings(text, "LS323")) == 1


def test_limits_inside_the_range_are_clean() -> None:
    text = BASE.replace('jobs"}', 'jobs.fifo", batch_size: 10, maximum_concurrency: 2}')
    assert findings(text, "LS323") == []
    text = BASE.replace('jobs"}', 'jobs", batch_size: 10000, batching_window: 5m, maximum_concurrency: 1000}')
    assert findings(text, "LS323") == []
