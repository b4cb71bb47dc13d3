"""CloudFormation limits the SAM translator and cfn-lint leave to deploy time: 60-function services either
compile under them or fail with the limit diagnostic (and which functions weigh most)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fixtures.compile.support import line_of, specgen

from liftspec.diagnostics import Severity
from liftspec.pipeline import compile_file
from liftspec.render.sam.origins import Origins
from liftspec.verify.limits import MAX_RESOURCES, check_limits


@pytest.mark.slow
def test_sixty_production_functions_fail_with_the_resource_limit(tmp_path: Path) -> None:
    path = specgen().write_service(str(tmp_path), 60, heavy=True)
    result = compile_file(path)
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    assert [d.id for d in errors] == ["LS711"]  # no cfn-lint duplicate (E3010), no other surprise
    limit = errors[0]
    # Scheduled functions get no latency alarm (issue 13); the access log group and the DLQ depth alarm are the service's.
    assert "608 resources after the SAM transform" in limit.message and "allows 500" in limit.message
    assert "60 functions with 600 resources (10 each; most: 'fn000' 10" in limit.hint
    assert (limit.line, limit.path) == (line_of(Path(path), "functions:"), ("functions",))
    assert "LS713" in {d.id for d in result.diagnostics}  # and a warning that the template needs S3
    assert not result.written and not (tmp_path / "build").exists()


@pytest.mark.slow
def test_sixty_light_functions_compile_under_the_limits(tmp_path: Path) -> None:
    path = specgen().write_service(str(tmp_path), 60)
    result = compile_file(path, cfn=True)
    assert not result.failed(), [d.message for d in result.diagnostics]
    assert result.written and result.resources_after_transform is not None
    assert 60 * 4 <= result.resources_after_transform <= MAX_RESOURCES
    assert not any(d.id.startswith("LS70") for d in result.diagnostics)


def _template(resources: int, outputs: int = 0, padding: int = 0) -> dict[str, Any]:
    body: dict[str, Any] = {f"Queue{i}": {"Type": "AWS::SQS::Queue", "Properties": {}} for i in range(resources)}
    if padding:
        body["Queue0"]["Metadata"] = {"Padding": "x" * padding}
    template: dict[str, Any] = {"Resources": body}
    if outputs:
        template["Outputs"] = {f"Out{i}": {"Value": "x"} for i in range(outputs)}
    return template


def test_limits_on_outputs_and_size() -> None:
    origins = Origins()
    _, problems = check_limits(_template(1, outputs=201), "x", _template(1, outputs=201), origins)
    assert [(p.id, p.severity) for p in problems] == [("LS714", Severity.ERROR)]
    _, problems = check_limits(_template(1), "x" * 60_000, _template(1), origins)
    assert [(p.id, p.severity) for p in problems] == [("LS713", Severity.WARNING)]
    _, problems = check_limits(_template(1), "x" * 60_000, _template(1, padding=1_100_000), origins)
    assert [(p.id, p.severity) for p in problems] == [("LS712", Severity.ERROR)]
    sizes, problems = check_limits(_template(2), "x", _template(500), origins)
    assert problems == [] and (sizes.resources, sizes.resources_after_transform) == (2, 500)


@pytest.mark.parametrize("count", [1, 10, 100])
def test_generated_services_lint_clean(count: int, tmp_path: Path) -> None:
    path = specgen().write_service(str(tmp_path), count)
    result = compile_file(path, verify=False)
    assert result.written and not result.failed()
    has_schedules = count >= 10  # every tenth function runs on a schedule, and then there is a DLQ
    # function and log group each, the API, its access log group, the layer; the DLQ and its depth alarm
    assert result.resources == 2 * count + 3 + 2 * has_schedules
