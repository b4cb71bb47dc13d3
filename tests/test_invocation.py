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


# --- asynchronous invocation ------------------------------------------------------------------------------------------

ASYNC = """\
liftspec: 1
service: shop
environment: dev
functions:
  nightly:
    handler: jobs.nightly
    schedule: rate(1 day)
    async:
      retries: 0
      max_event_age: 1h
      on_success: {function: audit}
      on_failure: {queue: dead_letter}
  audit:
    handler: jobs.audit
"""


def test_async_settings_compile_to_event_invoke_config(tmp_path: Path) -> None:
    rendered = render_text(tmp_path, ASYNC)
    config = rendered.template["Resources"]["NightlyFunction"]["Properties"]["EventInvokeConfig"]
    assert config == {
        "MaximumRetryAttempts": 0,
        "MaximumEventAgeInSeconds": 3600,
        "DestinationConfig": {
            "OnSuccess": {"Type": "Lambda", "Destination": {"Fn::GetAtt": ["AuditFunction", "Arn"]}},
            "OnFailure": {"Type": "SQS", "Destination": {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]}},
        },
    }
    assert "EventInvokeConfig" not in rendered.template["Resources"]["AuditFunction"]["Properties"]


def test_a_topic_destination_and_the_dlq_created_for_a_destination_alone(tmp_path: Path) -> None:
    text = ASYNC.replace("    schedule: rate(1 day)\n", "").replace(
        "on_success: {function: audit}", 'on_success: {topic: "arn:aws:sns:us-east-1:123456789012:done"}'
    )
    resources = render_text(tmp_path, text).template["Resources"]
    config = resources["NightlyFunction"]["Properties"]["EventInvokeConfig"]["DestinationConfig"]
    assert config["OnSuccess"] == {"Type": "SNS", "Destination": "arn:aws:sns:us-east-1:123456789012:done"}
    assert resources["DeadLetterQueue"]["Type"] == "AWS::SQS::Queue"  # exists because on_failure sends to it


@pytest.mark.parametrize(
    ("old", "new", "mark"),
    [
        ("{function: audit}", "{function: audits}", "function: |audits"),
        ("{function: audit}", "{function: nightly}", "function: |nightly"),
        ("{function: audit}", '{function: audit, topic: "arn:aws:sns:us-east-1:123456789012:t"}', "on_success: |{"),
        ("{function: audit}", "{}", "on_success: |{}"),
    ],
)
def test_destinations_that_mean_nothing_are_ls008(old: str, new: str, mark: str) -> None:
    text = ASYNC.replace(old, new)
    result = lint_document(load_text(text, "lift.yaml"), None, policies=False)
    assert [(d.id, d.line, d.col) for d in result.diagnostics] == [("LS008", *at(text, mark))]


@pytest.mark.parametrize(
    ("old", "new", "mark"),
    [
        ("retries: 0", "retries: 3", "retries: |3"),
        ("{queue: dead_letter}", '{queue: "arn:aws:sns:us-east-1:123456789012:t"}', 'queue: |"arn'),
        ("{function: audit}", "{function: Audit}", "function: |Audit"),
    ],
)
def test_async_values_are_validated_at_their_position(old: str, new: str, mark: str) -> None:
    text = ASYNC.replace(old, new)
    result = lint_document(load_text(text, "lift.yaml"), None, policies=False)
    assert [(d.id, d.line, d.col) for d in result.diagnostics] == [("LS004", *at(text, mark))]


@pytest.mark.slow
def test_queue_async_and_schedule_settings_pass_the_sam_translator_and_cfn_lint(tmp_path: Path) -> None:
    from liftspec.pipeline import compile_file

    text = ASYNC.replace(
        "    schedule: rate(1 day)\n",
        "    schedule: {expression: cron(0 2 * * ? *), timezone: Europe/Paris, input: {a: 1}, flexible_window: 10m}\n",
    ) + (
        "  worker:\n    handler: jobs.worker\n"
        '    sqs: {queue: "arn:aws:sqs:us-east-1:123456789012:jobs", maximum_concurrency: 5}\n'
        "    concurrency: {reserved: 5}\n"
    )
    (tmp_path / "lift.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "jobs.py").write_text("def nightly(e, c): ...\ndef audit(e, c): ...\ndef worker(e, c): ...\n")
    result = compile_file(str(tmp_path / "lift.yaml"), out=str(tmp_path / "out"), env=None, cfn=True)
    assert not result.failed(), [d.message for d in result.diagnostics]
    assert result.verified and [d for d in result.diagnostics if d.id.startswith("LS70")] == []


# --- schedules --------------------------------------------------------------------------------------------------------

SCHEDULED = """\
liftspec: 1
service: shop
environment: dev
policy: {packs: [baseline]}
functions:
  nightly:
    handler: jobs.nightly
    schedule: rate(1 day)
"""


def schedule_event(tmp_path: Path, text: str) -> dict[str, Any]:
    events: dict[str, Any] = render_text(tmp_path, text).template["Resources"]["NightlyFunction"]["Properties"]["Events"]
    assert events["Schedule"]["Type"] == "ScheduleV2"
    props: dict[str, Any] = events["Schedule"]["Properties"]
    return props


def test_the_string_form_stays_valid_and_compiles_to_eventbridge_scheduler(tmp_path: Path) -> None:
    assert schedule_event(tmp_path, SCHEDULED) == {"ScheduleExpression": "rate(1 day)", "State": "ENABLED", "OmitName": True}


def test_the_object_form_sets_time_zone_input_state_and_flexible_window(tmp_path: Path) -> None:
    text = SCHEDULED.replace(
        "    schedule: rate(1 day)\n",
        "    schedule:\n      expression: cron(0 2 ? * MON-FRI *)\n      timezone: Europe/Paris\n"
        '      input: {job: "reconcile", "quote\\"": "é\\n"}\n      enabled: false\n      flexible_window: 15m\n',
    )
    assert schedule_event(tmp_path, text) == {
        "ScheduleExpression": "cron(0 2 ? * MON-FRI *)",
        "ScheduleExpressionTimezone": "Europe/Paris",
        "Input": '{"job":"reconcile","quote\\"":"é\\n"}',
        "State": "DISABLED",
        "FlexibleTimeWindow": {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15},
        "OmitName": True,
    }


@pytest.mark.parametrize(
    ("schedule", "mark"),
    [
        ("rate(1 days)", "schedule: |rate"),
        ("{expression: cron(0 2 * * * *)}", "expression: |cron"),
        ("{expression: at(2027-02-30T10:00:00)}", "expression: |at("),
        ("{expression: rate(1 day), timezone: Mars/Olympus}", "timezone: |Mars"),
    ],
)
def test_schedule_validation_at_the_value(schedule: str, mark: str) -> None:
    text = SCHEDULED.replace("rate(1 day)", schedule)
    assert findings(text, "LS403") == [("LS403", *at(text, mark))]


def test_at_expressions_are_accepted_and_unknown_schedule_keys_are_ls003() -> None:
    assert findings(SCHEDULED.replace("rate(1 day)", "{expression: at(2027-03-01T10:00:00)}"), "LS403") == []
    text = SCHEDULED.replace("rate(1 day)", "{expression: rate(1 day), timezon: UTC}")
    result = lint_document(load_text(text, "lift.yaml"), None, policies=False)
    assert [(d.id, d.line, d.col) for d in result.diagnostics] == [("LS003", *at(text, "|timezon"))]
