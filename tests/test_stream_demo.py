"""Throwaway: a new resource type is its model class, its renderer module and this test."""

from __future__ import annotations

import json
from pathlib import Path

from liftspec.pipeline import compile_file

LIFT = """liftspec: 1
service: demo
environment: dev
runtime: {code: src}
resources:
  clicks: {type: stream, shards: 2}
functions:
  api:
    handler: app.handler
    access: {clicks: write}
"""


def test_a_stream_compiles_with_its_grants_and_variables(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def handler(event, context):\n    return {}\n")
    lift = tmp_path / "lift.yaml"
    lift.write_text(LIFT)
    result = compile_file(str(lift), str(tmp_path / "out"), cfn=True)
    assert not result.failed(), [f"{d.id} {d.message}" for d in result.diagnostics]
    cfn = json.loads(result.files["template.json"])
    assert cfn["Resources"]["ClicksStream"]["Properties"]["ShardCount"] == 2
    role = cfn["Resources"]["ApiFunctionRole"]["Properties"]
    statements = {s["Sid"]: s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]}
    assert statements["ClicksWrite"]["Action"] == ["kinesis:PutRecord", "kinesis:PutRecords"]
    assert statements["ClicksWrite"]["Resource"] == [{"Fn::GetAtt": ["ClicksStream", "Arn"]}]
    variables = cfn["Resources"]["ApiFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["LIFT_RESOURCE_CLICKS"] == {"Ref": "ClicksStream"}
