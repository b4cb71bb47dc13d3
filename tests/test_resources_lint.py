"""resources, access and policies in lift.yaml: model errors and policy findings at the exact line:col, and fixes."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.policy.lintkit import GOOD, at, lint_text, where

from liftspec.check.fix import fix_document

RESOURCES = """resources:
  orders: {type: table, keys: {partition: id}}
  plain: {type: table, keys: {partition: id}}
  uploads: {type: bucket}
  jobs: {type: queue}
  done: {type: topic}
"""


def _with(functions: str, resources: str = RESOURCES) -> str:
    """The good file with extra resources, and functions added at the top of its functions section."""
    text = GOOD.replace("functions:\n", resources + "functions:\n" + functions, 1)
    return text.replace(
        "  orders: {type: table, keys: {partition: id}}", "  orders: {type: table, keys: {partition: id}, stream: keys_only}"
    )


def _found(text: str, code: str) -> list[tuple[str, int, int]]:
    return [where(d) for d in lint_text(text).diagnostics if d.id == code]


@pytest.mark.parametrize(
    ("function", "mark", "message"),
    [
        ("access: {orders: publish}", "orders: |publish", "'publish' is not an access level of a table ('orders')"),
        ("access: {jobs: read}", "jobs: |read", "'read' is not an access level of a queue ('jobs')"),
        ("access: {done: send}", "done: |send", "'send' is not an access level of a topic ('done')"),
        ("access: {uploads: consume}", "uploads: |consume", "'consume' is not an access level of a bucket ('uploads')"),
        ("access: {nothing: read}", "nothing: |read", "access names resource 'nothing', which the resources section does not"),
        ("sqs: {resource: orders}", "resource: |orders", "sqs needs a queue, but 'orders' is a table"),
        ("s3: {resource: jobs}", "resource: |jobs", "s3 needs a bucket, but 'jobs' is a queue"),
        (
            "dynamodb_stream: {resource: uploads}",
            "resource: |uploads",
            "dynamodb_stream needs a table, but 'uploads' is a bucket",
        ),
        ("dynamodb_stream: {resource: plain}", "resource: |plain", "table 'plain' has no stream for dynamodb_stream to read"),
        ("s3: {resource: gone}", "resource: |gone", "s3 names resource 'gone', which the resources section does not declare"),
        ("sqs: {resource: jobs, queue: dead_letter}", "|{resource: jobs, queue", "sqs needs exactly one of queue"),
        ("sqs: {batch_size: 5}", "|{batch_size: 5}", "sqs needs exactly one of queue"),
    ],
)
def test_references_to_resources_are_checked_against_their_type(function: str, mark: str, message: str) -> None:
    text = _with(f"  probe:\n    handler: app.probe\n    {function}\n    concurrency: {{reserved: 1}}\n")
    diagnostics = [d for d in lint_text(text).diagnostics if d.id == "LS008"]
    assert [where(d) for d in diagnostics] == [("LS008", *at(text, mark))]
    assert message in f"{diagnostics[0].message} {diagnostics[0].hint}"


@pytest.mark.parametrize(
    ("resource", "mark", "code", "message"),
    [
        ("  bad: {type: tabel}\n", "type: |tabel", "LS004", "resources.bad.type must be one of table, bucket, queue, topic"),
        ("  bad: {keys: {partition: id}}\n", "|bad:", "LS005", "missing required key 'type' in resources.bad"),
        ("  bad: {type: bucket, versionin: true}\n", "|versionin", "LS003", "did you mean 'versioning'?"),
        ("  bad: {type: table}\n", "|bad:", "LS005", "missing required key 'keys'"),
        ("  bad: {type: queue, kms: x}\n", "|kms", "LS003", "allowed keys: type, fifo, visibility_timeout"),
        ("  bad: {type: topic, encryption: {kms_key: alias/mine}}\n", "kms_key: |alias/mine", "LS004", "not a valid KMS key ARN"),
        ("  Bad: {type: topic}\n", "|Bad:", "LS004", "not a valid"),
        ("  bad: {type: queue, visibility_timeout: 2 minutes}\n", "|2 minutes", "LS004", "visibility_timeout"),
    ],
)
def test_a_malformed_resource_is_reported_where_it_is_written(resource: str, mark: str, code: str, message: str) -> None:
    text = _with("", RESOURCES + resource)
    diagnostics = lint_text(text).diagnostics
    assert [where(d) for d in diagnostics] == [(code, *at(text, mark))]
    assert message in f"{diagnostics[0].message} {diagnostics[0].hint}"


def test_replicating_a_kms_encrypted_bucket_needs_a_key_for_the_replicas() -> None:
    bucket = (
        '  vault: {type: bucket, encryption: {kms_key: "arn:aws:kms:us-east-1:123456789012:key/k"}, '
        'replicate_to: {region: us-west-2, bucket_arn: "arn:aws:s3:::vault-copy"}}\n'
    )
    text = _with("", RESOURCES + bucket)
    diagnostics = lint_text(text).diagnostics
    assert [where(d) for d in diagnostics] == [("LS008", *at(text, "replicate_to: |{region"))]
    assert "no kms_key for the replicas" in diagnostics[0].message


@pytest.mark.parametrize(
    ("queue", "sqs", "mark", "message", "fixed"),
    [
        ("visibility_timeout: 5s", "", "visibility_timeout: |5s", "below the 10s timeout of function 'probe'", ("5s", "10s")),
        ("fifo: true", ", batch_size: 20", "batch_size: |20", "at most 10 messages", ("20", "10")),
        ("fifo: true", ", batching_window: 2s", "batching_window: |2s", "no batching window", (", batching_window: 2s", "")),
    ],
)
def test_what_lambda_refuses_for_a_queue_of_resources_is_reported(
    queue: str, sqs: str, mark: str, message: str, fixed: tuple[str, str]
) -> None:
    resources = RESOURCES.replace("  jobs: {type: queue}", f"  jobs: {{type: queue, {queue}}}")
    text = _with(
        f"  probe:\n    handler: app.probe\n    sqs: {{resource: jobs{sqs}}}\n    concurrency: {{reserved: 1}}\n", resources
    )
    diagnostics = [d for d in lint_text(text).diagnostics if d.id == "LS008"]
    assert [where(d) for d in diagnostics] == [("LS008", *at(text, mark))]
    assert message in diagnostics[0].message
    assert [d for d in lint_text(text.replace(*fixed)).diagnostics if d.id == "LS008"] == []


@pytest.mark.parametrize(
    ("second", "overlaps"),
    [
        ("{resource: uploads, prefix: images/thumbs/}", True),
        ("{resource: uploads}", True),
        ("{resource: uploads, prefix: docs/}", False),
        ("{resource: uploads, prefix: images/, suffix: .png}", False),
        ("{resource: uploads, events: [removed]}", False),
    ],
)
def test_overlapping_s3_notifications_on_one_bucket_are_reported(second: str, overlaps: bool) -> None:
    functions = (
        "  first:\n    handler: app.first\n    s3: {resource: uploads, prefix: images/, suffix: .jpg}\n"
        f"  second:\n    handler: app.second\n    s3: {second}\n"
    )
    text = _with(functions)
    found = [where(d) for d in lint_text(text).diagnostics if d.id == "LS008"]
    assert found == ([("LS008", *at(text, f"s3: |{second}"))] if overlaps else [])


def test_a_variable_clash_between_resource_names_is_reported() -> None:
    text = _with("", RESOURCES + "  done-arn: {type: topic}\n  access-logs: {type: bucket}\n")
    found = {(d.line, d.message.split(":")[0]) for d in lint_text(text).diagnostics if d.id == "LS008"}
    assert len(found) == 2
    assert at(text, "|done-arn:")[0] in {line for line, _ in found}
    assert at(text, "|access-logs:")[0] in {line for line, _ in found}


def test_unused_access_flags_a_consume_grant_that_the_sqs_event_already_gives() -> None:
    text = _with(
        "  worker:\n    handler: app.work\n    sqs: {resource: jobs}\n    access: {jobs: consume, orders: read}\n"
        "    concurrency: {reserved: 1}\n"
    )
    assert _found(text, "LS236") == [("LS236", *at(text, "access: {jobs: |consume"))]
    fine = text.replace("access: {jobs: consume, orders: read}", "access: {orders: read}")
    assert _found(fine, "LS236") == []


def test_wildcards_in_raw_policies_are_found_element_by_element() -> None:
    policies = (
        "    policies:\n"
        '      - {Effect: Allow, Action: ["ssm:GetParameter", "ssm:*"], Resource: ["arn:aws:ssm:us-east-1:1:parameter/a", "*"]}\n'
        '      - {effect: Deny, action: "*", resource: "*"}\n'
        '      - {action: "kms:Decrypt", resource: "arn:aws:kms:*:1:key/x"}\n'
    )
    text = _with("", "").replace("    concurrency: {reserved: 50}\n", "    concurrency: {reserved: 50}\n" + policies, 1)
    assert _found(text, "LS237") == [
        ("LS237", *at(text, '|"ssm:*"')),
        ("LS237", *at(text, '"ssm:*"], Resource: ["arn:aws:ssm:us-east-1:1:parameter/a", |"*"')),
        ("LS237", *at(text, 'resource: |"arn:aws:kms:*')),
    ]


def test_exact_raw_policies_and_safe_resources_are_clean_in_production() -> None:
    text = _with(
        "",
        "resources:\n  orders: {type: table, keys: {partition: id}}\n  uploads: {type: bucket}\n  jobs: {type: queue}\n",
    ).replace(
        "    concurrency: {reserved: 50}\n",
        "    concurrency: {reserved: 50}\n    access: {orders: read_write, uploads: read, jobs: send}\n"
        '    policies: [{Action: ssm:GetParameter, Resource: "arn:aws:ssm:us-east-1:123456789012:parameter/app"}]\n',
        1,
    )
    assert lint_text(text).diagnostics == []


def test_fix_turns_the_safety_settings_back_on() -> None:
    resources = (
        "resources:\n"
        "  orders: {type: table, keys: {partition: id}, point_in_time_recovery: false, deletion_protection: no}\n"
        "  uploads: {type: bucket, versioning: false, require_tls: false, public: true}\n"
        "  jobs: {type: queue, dead_letter: false}\n"
    )
    text = GOOD.replace("functions:\n", resources + "functions:\n", 1)
    result = lint_text(text)
    assert sorted(d.id for d in result.diagnostics) == ["LS230", "LS231", "LS232", "LS233", "LS234", "LS235"]
    outcome = fix_document(result.document, result.fixes())  # type: ignore[arg-type]
    assert outcome.new == text.replace("point_in_time_recovery: false", "point_in_time_recovery: true").replace(
        "deletion_protection: no", "deletion_protection: true"
    ).replace("versioning: false", "versioning: true").replace("require_tls: false", "require_tls: true").replace(
        "dead_letter: false", "dead_letter: true"
    )
    # public: true is not fixed automatically: a public bucket may be intended, turning it private could break a site.
    assert [d.id for d in lint_text(outcome.new).diagnostics] == ["LS233"]


def test_deletion_protection_off_is_normal_outside_production() -> None:
    text = GOOD.replace(
        "functions:\n", "resources:\n  orders: {type: table, keys: {partition: id}, deletion_protection: false}\nfunctions:\n", 1
    )
    text = text.rstrip("\n") + "\n\nenvironments:\n  staging:\n    tags: {a: b}\n"
    assert [d.id for d in lint_text(text, "staging").diagnostics] == []
    assert [d.id for d in lint_text(text, "production").diagnostics] == ["LS231"]


def test_the_documented_example_is_a_valid_file() -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "resources.md").read_text(encoding="utf-8")
    example = docs.split("```yaml\n", 1)[1].split("```", 1)[0]
    result = lint_text(example, file="docs/resources.md")
    assert [d for d in result.diagnostics if d.id[:4] in ("LS00", "LS23")] == []
    assert result.envs[0].spec is not None and set(result.envs[0].spec.resources) == {
        "results",
        "documents",
        "jobs",
        "announcements",
    }
