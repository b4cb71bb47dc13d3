"""Alarms per function (issue 13 item 5): each function gets the service alarms that fit its invocation type,
with its own overrides and rollback alarms, and every DLQ gets a depth alarm."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fixtures.compile.support import render_text
from fixtures.policy.lintkit import at, model_findings

from liftspec.api import lint_document
from liftspec.load import load_text
from liftspec.render.sam import Rendered

BASE = """\
liftspec: 1
service: shop
environment: dev
security:
  auth: {enabled: false}
functions:
  api:
    handler: app.handler
    http: {routes: ["ANY /{proxy+}"]}
  nightly:
    handler: jobs.nightly
    schedule: rate(1 day)
  worker:
    handler: worker.handler
    sqs: {queue: "arn:aws:sqs:us-east-1:123456789012:jobs"}
alarms:
  errors: {threshold: 5, period: 1m, evaluation_periods: 3}
  latency: {threshold: 800ms, period: 1m, evaluation_periods: 3}
  message_age: {threshold: 10m, period: 5m, evaluation_periods: 1}
deployment:
  strategy: Canary10Percent5Minutes
  rollback_on: [errors, latency]
"""


def alarms(rendered: Rendered) -> dict[str, dict[str, Any]]:
    return {lid: r["Properties"] for lid, r in rendered.template["Resources"].items() if r["Type"] == "AWS::CloudWatch::Alarm"}


def rollback(rendered: Rendered, function_id: str) -> list[Any]:
    preference: dict[str, Any] = rendered.template["Resources"][function_id]["Properties"]["DeploymentPreference"]
    return list(preference.get("Alarms", []))


def test_each_function_gets_the_alarms_that_fit_its_invocation_type(tmp_path: Path) -> None:
    rendered = render_text(tmp_path, BASE)
    assert sorted(alarms(rendered)) == [
        "ApiErrorsAlarm",
        "ApiLatencyAlarm",  # latency: HTTP functions only
        "DeadLetterQueueDepthAlarm",  # the schedule makes a DLQ
        "NightlyErrorsAlarm",
        "WorkerErrorsAlarm",
        "WorkerMessageAgeAlarm",  # message age: queue consumers only
    ]
    age = alarms(rendered)["WorkerMessageAgeAlarm"]
    assert (age["Namespace"], age["MetricName"], age["Statistic"]) == ("AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum")
    assert age["Dimensions"] == [{"Name": "QueueName", "Value": "jobs"}] and age["Threshold"] == 600


def test_rollback_applies_per_function_to_the_alarms_it_has(tmp_path: Path) -> None:
    rendered = render_text(tmp_path, BASE)
    assert rollback(rendered, "ApiFunction") == [{"Ref": "ApiErrorsAlarm"}, {"Ref": "ApiLatencyAlarm"}]
    assert rollback(rendered, "NightlyFunction") == [{"Ref": "NightlyErrorsAlarm"}]  # no latency alarm to roll back on
    text = BASE.replace("    schedule: rate(1 day)\n", "    schedule: rate(1 day)\n    rollback_on: []\n")
    assert rollback(render_text(tmp_path, text), "NightlyFunction") == []


def test_a_function_overrides_fields_switches_an_alarm_off_or_opts_in(tmp_path: Path) -> None:
    text = BASE.replace(
        '    http: {routes: ["ANY /{proxy+}"]}\n',
        '    http: {routes: ["ANY /{proxy+}"]}\n    alarms: {latency: {threshold: 2s, statistic: p95}, errors: false}\n',
    ).replace(
        '    sqs: {queue: "arn:aws:sqs:us-east-1:123456789012:jobs"}\n',
        '    sqs: {queue: "arn:aws:sqs:us-east-1:123456789012:jobs"}\n    alarms: {latency: {threshold: 4m}}\n',
    )
    rendered = render_text(tmp_path, text)
    found_alarms = alarms(rendered)
    assert "ApiErrorsAlarm" not in found_alarms
    latency = found_alarms["ApiLatencyAlarm"]
    assert (latency["Threshold"], latency["ExtendedStatistic"], latency["EvaluationPeriods"]) == (2000.0, "p95", 3)
    assert found_alarms["WorkerLatencyAlarm"]["Threshold"] == 240000.0  # opted in, other fields inherited
    # The override is where verify findings about the alarm point.
    assert rendered.origins.lift_path(("ApiLatencyAlarm", "Threshold")) == ("functions", "api", "alarms", "latency", "threshold")
    assert rendered.origins.lift_path(("ApiLatencyAlarm", "Period")) == ("alarms", "latency", "period")
    # errors is off on api, so it cannot roll back on it
    assert rollback(rendered, "ApiFunction") == [{"Ref": "ApiLatencyAlarm"}]


STREAM = BASE.replace(
    "  message_age: {threshold: 10m, period: 5m, evaluation_periods: 1}\n",
    "  message_age: {threshold: 10m, period: 5m, evaluation_periods: 1}\n  iterator_age: {threshold: 2m, period: 5m}\n",
).replace(
    "functions:\n",
    "resources:\n  results: {type: table, keys: {partition: id}, stream: new_image}\n"
    "functions:\n  indexer:\n    handler: index.handler\n    dynamodb_stream: {resource: results}\n",
)


def test_stream_consumers_get_the_iterator_age_alarm(tmp_path: Path) -> None:
    found_alarms = alarms(render_text(tmp_path, STREAM))
    assert [lid for lid in sorted(found_alarms) if "IteratorAge" in lid] == ["IndexerIteratorAgeAlarm"]  # stream consumers only
    age = found_alarms["IndexerIteratorAgeAlarm"]
    assert (age["Namespace"], age["MetricName"], age["Statistic"]) == ("AWS/Lambda", "IteratorAge", "Maximum")
    assert age["Dimensions"][0] == {"Name": "FunctionName", "Value": {"Ref": "IndexerFunction"}}
    assert (age["Threshold"], age["Period"], age["ComparisonOperator"]) == (120000.0, 300, "GreaterThanOrEqualToThreshold")
    assert "age of the last record read from the stream >= 2m" in age["AlarmDescription"]
    assert "IndexerMessageAgeAlarm" not in found_alarms and "IndexerLatencyAlarm" not in found_alarms


def test_a_stream_consumer_overrides_or_switches_off_its_iterator_age_alarm(tmp_path: Path) -> None:
    consumer = "    dynamodb_stream: {resource: results}\n"
    text = STREAM.replace(consumer, consumer + "    alarms: {iterator_age: {threshold: 30s, statistic: p99}}\n")
    rendered = render_text(tmp_path, text)
    age = alarms(rendered)["IndexerIteratorAgeAlarm"]
    assert (age["Threshold"], age["ExtendedStatistic"], age["Period"]) == (30000.0, "p99", 300)
    assert rendered.origins.lift_path(("IndexerIteratorAgeAlarm", "Threshold")) == (
        "functions",
        "indexer",
        "alarms",
        "iterator_age",
        "threshold",
    )
    off = STREAM.replace(consumer, consumer + "    alarms: {iterator_age: false}\n")
    assert "IndexerIteratorAgeAlarm" not in alarms(render_text(tmp_path, off))
    rolled = STREAM.replace(consumer, consumer + "    rollback_on: [iterator_age]\n")
    assert rollback(render_text(tmp_path, rolled), "IndexerFunction") == [{"Ref": "IndexerIteratorAgeAlarm"}]


def test_iterator_age_on_a_function_without_a_stream_is_ls008_at_the_value() -> None:
    text = STREAM.replace("    schedule: rate(1 day)\n", "    schedule: rate(1 day)\n    alarms: {iterator_age: {}}\n")
    assert model_findings(text) == [("LS008", *at(text, "alarms: {iterator_age: |{}"))]
    assert "reads no stream" in lint_document(load_text(text, "lift.yaml"), None, policies=False).diagnostics[0].message


@pytest.mark.slow
def test_the_iterator_age_alarm_passes_the_sam_translator_and_cfn_lint(tmp_path: Path) -> None:
    from liftspec.pipeline import compile_file

    (tmp_path / "lift.yaml").write_text(STREAM, encoding="utf-8")
    (tmp_path / "src").mkdir()
    result = compile_file(str(tmp_path / "lift.yaml"), out=str(tmp_path / "out"), env=None, cfn=True)
    assert not result.failed(), [d.message for d in result.diagnostics]
    assert result.verified and [d for d in result.diagnostics if d.id.startswith("LS70")] == []


def test_dead_letter_queue_depth_alarm_fires_on_the_first_message(tmp_path: Path) -> None:
    rendered = render_text(tmp_path, BASE)
    depth = alarms(rendered)["DeadLetterQueueDepthAlarm"]
    assert depth["MetricName"] == "ApproximateNumberOfMessagesVisible" and depth["Namespace"] == "AWS/SQS"
    assert (depth["ComparisonOperator"], depth["Threshold"]) == ("GreaterThanThreshold", 0)
    assert depth["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": ["DeadLetterQueue", "QueueName"]}}]
    off = render_text(tmp_path, BASE + "dead_letter: {alarm: false}\n")
    assert "DeadLetterQueueDepthAlarm" not in alarms(off)


@pytest.mark.parametrize(
    ("old", "new", "mark"),
    [
        # a threshold to inherit is missing
        ("  message_age: {threshold: 10m, period: 5m, evaluation_periods: 1}\n", "", "alarms: |{message_age"),
        # message_age on a function that consumes no queue
        (
            "    schedule: rate(1 day)\n",
            "    schedule: rate(1 day)\n    alarms: {message_age: {}}\n",
            "alarms: {message_age: |{}",
        ),
        # rollback on an alarm the function does not have
        ("    schedule: rate(1 day)\n", "    schedule: rate(1 day)\n    rollback_on: [errors, latency]\n", "[errors, |latency]"),
    ],
)
def test_function_alarm_settings_that_mean_nothing_are_ls008_at_the_value(old: str, new: str, mark: str) -> None:
    text = BASE.replace(old, new)
    if not new:  # the worker asks for message_age while the service does not define it
        text = text.replace(
            '    sqs: {queue: "arn:aws:sqs:us-east-1:123456789012:jobs"}\n',
            '    sqs: {queue: "arn:aws:sqs:us-east-1:123456789012:jobs"}\n    alarms: {message_age: {period: 1m}}\n',
        )
        mark = "alarms: {message_age: |{period"
    assert model_findings(text) == [("LS008", *at(text, mark))]


def test_override_periods_are_checked_at_the_override() -> None:
    text = BASE.replace(
        "    schedule: rate(1 day)\n", "    schedule: rate(1 day)\n    alarms: {errors: {period: 45s}}\n"
    ).replace("environment: dev", "environment: dev\npolicy: {packs: [baseline]}")
    result = lint_document(load_text(text, "lift.yaml"), None)
    assert [(d.id, d.line, d.col) for d in result.diagnostics if d.id == "LS506"] == [("LS506", *at(text, "period: |45s"))]


def test_unknown_override_key_and_bad_switch_value() -> None:
    text = BASE.replace("    schedule: rate(1 day)\n", "    schedule: rate(1 day)\n    alarms: {errors: {treshold: 1}}\n")
    assert model_findings(text) == [("LS003", *at(text, "|treshold"))]
    text = BASE.replace("    schedule: rate(1 day)\n", "    schedule: rate(1 day)\n    alarms: {errors: true}\n")
    assert [d[0] for d in model_findings(text)] == ["LS004"]
