"""checkov, offline, on the compiled CloudFormation (--cfn): the resources liftspec writes for `resources` and
`access` raise nothing except the checks that need a customer-managed KMS key (opt-in: `encryption.kms_key`)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from fixtures.compile.support import EXAMPLES

from liftspec.pipeline import compile_file

ROOT = Path(__file__).resolve().parents[1]
# pip install checkov into .tools/checkov-venv; LIFTSPEC_CHECKOV names another checkov executable.
CHECKOV = Path(os.environ.get("LIFTSPEC_CHECKOV") or ROOT / ".tools" / "checkov-venv" / "bin" / "checkov")
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "resources" / "lift.yaml"
# Checks that only a customer-managed KMS key satisfies (docs/resources.md lists them).
KMS_ONLY = {"CKV_AWS_119"}  # DynamoDB table encrypted with a customer-managed key
# Resource types the resources section compiles to; roles carry the access statements.
TYPES = (
    "AWS::DynamoDB::Table",
    "AWS::S3::Bucket",
    "AWS::S3::BucketPolicy",
    "AWS::SQS::Queue",
    "AWS::SNS::Topic",
    "AWS::IAM::Role",
)
SERVICE_DLQ = "DeadLetterQueue"  # the dead_letter section's queue, not a resource of this feature

pytestmark = pytest.mark.slow


def _failed(template: Path, scratch: Path) -> set[tuple[str, str]]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(scratch),
        "TMPDIR": str(scratch),
        "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
        "BC_SKIP_MAPPING": "TRUE",
    }
    command = [str(CHECKOV), "--skip-download", "--framework", "cloudformation", "-f", str(template), "--quiet", "-o", "json"]
    proc = subprocess.run(command, env=env, cwd=scratch, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    reports = json.loads(proc.stdout)
    out = set()
    for report in reports if isinstance(reports, list) else [reports]:
        for check in report["results"]["failed_checks"]:
            kind, _, logical_id = check["resource"].rpartition(".")
            if kind in TYPES and logical_id != SERVICE_DLQ:
                out.add((check["check_id"], logical_id))
    return out


@pytest.fixture(scope="module")
def checkov() -> Path:
    try:
        found = CHECKOV.is_file()
    except OSError:  # a broken .tools link
        found = False
    if not found:
        pytest.skip(f"checkov is not installed at {CHECKOV} (pip install checkov into .tools/checkov-venv)")
    return CHECKOV


@pytest.mark.parametrize(
    ("lift", "expected"),
    [
        (EXAMPLES / "data-pipeline" / "lift.yaml", {("CKV_AWS_119", "ResultsTable")}),
        # ClientRateLimitTable: rate_limit.scope client's counters (checkov's PITR check skipped in its Metadata)
        (EXAMPLES / "order-service" / "lift.yaml", {("CKV_AWS_119", "OrdersTable"), ("CKV_AWS_119", "ClientRateLimitTable")}),
        # The fixture gives the ledger table a key (no CKV_AWS_119) and turns the exports bucket's access logs off.
        (FIXTURE, {("CKV_AWS_119", "OrdersTable"), ("CKV_AWS_18", "ExportsBucket")}),
    ],
    ids=["data-pipeline", "order-service", "all-resources"],
)
def test_checkov_reports_only_the_kms_checks(checkov: Path, tmp_path: Path, lift: Path, expected: set[tuple[str, str]]) -> None:
    result = compile_file(str(lift), out=str(tmp_path / "out"), cfn=True, verify=False)
    assert not result.failed(), [d.message for d in result.diagnostics]
    failed = _failed(tmp_path / "out" / "template.json", tmp_path)
    assert failed == expected
    assert {check for check, _ in failed} - {"CKV_AWS_18"} <= KMS_ONLY
