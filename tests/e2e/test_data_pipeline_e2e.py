"""examples/data-pipeline compiled, its `ingest` function run by the real Lambda Runtime Interface Emulator: the
handler reads its resources' names from lift_config.CONFIG inside the emulated Lambda.

The template's resource variables are intrinsics (`!Ref JobsQueue`, `!Sub ...`); the test gives them the values
CloudFormation would, as a deployed stack does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rie import Function
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "data-pipeline" / "lift.yaml"
EVENTS = Path(__file__).resolve().parents[1] / "fixtures" / "events"
DEPLOYED = {
    "LIFT_RESOURCE_DOCUMENTS": "data-pipeline-production-documents-123456789012-us-east-1",
    "LIFT_RESOURCE_DOCUMENTS_ARN": "arn:aws:s3:::data-pipeline-production-documents-123456789012-us-east-1",
    "LIFT_RESOURCE_JOBS": "https://sqs.us-east-1.amazonaws.com/123456789012/data-pipeline-JobsQueue-1AB2CD3EF4",
    "LIFT_RESOURCE_JOBS_ARN": "arn:aws:sqs:us-east-1:123456789012:data-pipeline-JobsQueue-1AB2CD3EF4",
}


def test_the_function_reads_resource_names_from_config(emulator: Path, tmp_path: Path) -> None:
    from liftspec.api import compile

    out = tmp_path / "build"
    result = compile(EXAMPLE, out=out)
    assert not result.failed(), [f"{d.id} {d.message}" for d in result.diagnostics]
    template: Any = YAML(typ="rt").load((out / "template.yaml").read_text(encoding="utf-8"))
    props = template["Resources"]["IngestFunction"]["Properties"]
    variables = {str(k): str(v) for k, v in props["Environment"]["Variables"].items()}
    assert {k for k in variables if k.startswith("LIFT_RESOURCE_")} == set(DEPLOYED)  # documents and jobs only
    layer = template["Resources"]["RuntimeLayer"]["Properties"]["ContentUri"]
    event: dict[str, Any] = json.loads((EVENTS / "http-api-post.json").read_text(encoding="utf-8"))
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/documents"
    with Function(
        binary=emulator,
        handler=str(props["Handler"]),
        code=(out / str(props["CodeUri"])).resolve(),
        layer=(out / str(layer) / "python").resolve(),
        variables={**variables, **DEPLOYED},
        timeout=int(props["Timeout"]),
        memory=int(props["MemorySize"]),
        name="ingest",
        log=tmp_path / "ingest.log",
    ) as function:
        response = function.invoke(event)
    assert response["statusCode"] == 202, response
    assert json.loads(response["body"]) == {
        "bucket": DEPLOYED["LIFT_RESOURCE_DOCUMENTS"],
        "queue": DEPLOYED["LIFT_RESOURCE_JOBS"],
    }
