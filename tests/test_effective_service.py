"""One effective service per environment: every per-function value resolved once, with the lift.yaml path it
comes from (the function's own key, else the service default's), the derived facts (alias, DLQ, request
deadline, alarms), and the same object read by the rules, the renderers and the config module."""

from __future__ import annotations

import ast
import importlib
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from liftspec import pipeline
from liftspec.check import engine
from liftspec.check.context import Context
from liftspec.load import load_text
from liftspec.model.effective import EffectiveService
from liftspec.pipeline import EnvResult, compile_file, lint_document
from liftspec.render import config_module, runtime_files
from liftspec.render import sam as sam_module
from liftspec.render.sam import context as render_context
from liftspec.render.sam.context import RenderContext

# liftspec.model re-exports the function effective(), which hides the module of the same name
effective_module = importlib.import_module("liftspec.model.effective")
check_context = importlib.import_module("liftspec.check.context")
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "order-service"

LIFT = """\
liftspec: 1
service: shop
environment: production
runtime: {lambda: python3.12, code: src, memory: 256}
timeouts: {function: 30s, request: 29s}
security: {auth: {enabled: false}}
alarms:
  errors: {threshold: 5}
functions:
  api:
    handler: app.handler
    memory: 1024
    variables: {PAGE: "50"}
    http: {routes: ["GET /{proxy+}"]}
    alarms:
      errors: {threshold: 2}
  worker:
    handler: jobs.run
    schedule: rate(5 minutes)
    timeouts: {function: 10s}
    concurrency: {provisioned: 1}
environments:
  staging:
    functions:
      api:
        timeouts: {request: 10s}
"""


def _envs(text: str = LIFT) -> dict[str, EnvResult]:
    result = lint_document(load_text(text, "lift.yaml"), policies=False)
    return {env.env: env for env in result.envs}


def _service(env: EnvResult) -> EffectiveService:
    assert env.service is not None, env.diagnostics
    return env.service


def test_values_and_sources_follow_overrides_and_overlays() -> None:
    envs = _envs()
    production, staging = _service(envs["production"]), _service(envs["staging"])

    api = staging.function("api")
    assert api.request_timeout == timedelta(seconds=10)
    assert api.source("request_timeout") == ("functions", "api", "timeouts", "request")
    # the path is the overlay's key: a finding about it points at the line the overlay wrote
    resolved = envs["staging"].resolved
    assert resolved is not None
    assert (
        resolved.source.locate(api.source("request_timeout")).line
        == LIFT.splitlines().index("        timeouts: {request: 10s}") + 1
    )

    prod_api = production.function("api")
    assert prod_api.request_timeout == timedelta(seconds=29)
    assert prod_api.source("request_timeout") == ("timeouts", "request")
    assert prod_api.sourced("memory").value == 1024
    assert prod_api.sourced("memory").path == ("functions", "api", "memory")
    assert prod_api.source("variables") == ("functions", "api", "variables")
    assert prod_api.variables == {"PAGE": "50"}
    assert prod_api.source("timeout") == ("timeouts", "function")
    assert prod_api.alarms["errors"].alarm.threshold == 2
    assert prod_api.alarms["errors"].path("api", "errors", "threshold") == ("functions", "api", "alarms", "errors", "threshold")

    worker = production.function("worker")
    assert worker.sourced("memory").value == 256
    assert worker.source("memory") == ("runtime", "memory")
    # not written anywhere: the default's conventional path
    assert worker.sourced("architecture").path == ("runtime", "architecture")
    assert worker.source("variables") == ("runtime", "variables")
    # its own 10s timeout is shorter than the service's 29s deadline: the deadline is derived from its timeout
    assert worker.timeout == timedelta(seconds=10)
    assert worker.request_timeout == timedelta(seconds=9)
    assert worker.source("request_timeout") == ("functions", "worker", "timeouts", "function")

    # derived facts
    assert prod_api.alias is None
    assert worker.alias == "live"  # provisioned concurrency publishes an alias
    assert production.dead_letter_queue.value is True  # worker is invoked asynchronously
    assert production.dead_letter_queue.path == ("dead_letter",)
    assert production.request_timeout.value == timedelta(seconds=29)
    assert production.request_timeout.path == ("timeouts", "request")


def test_service_deadline_derived_from_the_timeout_points_at_the_timeout() -> None:
    text = LIFT.replace("timeouts: {function: 30s, request: 29s}", "timeouts: {function: 20s}")
    service = _service(_envs(text)["production"])
    assert service.request_timeout.value == timedelta(seconds=19)
    assert service.request_timeout.path == ("timeouts", "function")
    assert service.function("api").source("request_timeout") == ("timeouts", "function")


def test_rules_renderers_and_config_read_the_one_service(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """compile builds the effective service once; the rules' context, the render context and the config module
    get that object, and none of them builds another."""
    built: list[EffectiveService] = []
    real = effective_module.effective_service

    def counting(spec: Any) -> EffectiveService:
        built.append(real(spec))
        return built[-1]

    def refuse(spec: Any) -> EffectiveService:
        raise AssertionError("a second effective service was built")

    monkeypatch.setattr(effective_module, "effective_service", counting)
    for module in (render_context, runtime_files, config_module, check_context):
        monkeypatch.setattr(module, "effective_service", refuse)
    seen: dict[str, Any] = {}

    class SpyContext(Context):
        def __post_init__(self) -> None:
            seen["check"] = self.service
            super().__post_init__()

    class SpyRenderContext(RenderContext):
        def __post_init__(self) -> None:
            seen["render"] = self.service
            super().__post_init__()

    real_build_config = config_module.build_config

    def spy_build_config(spec: Any, meta: Any, *, service: EffectiveService | None = None) -> Any:
        seen["config"] = service
        return real_build_config(spec, meta, service=service)

    monkeypatch.setattr(engine, "Context", SpyContext)
    monkeypatch.setattr(sam_module, "RenderContext", SpyRenderContext)
    monkeypatch.setattr(runtime_files, "build_config", spy_build_config)

    work = tmp_path / "svc"
    shutil.copytree(EXAMPLE, work, ignore=shutil.ignore_patterns("build"))
    result = compile_file(str(work / "lift.yaml"), str(tmp_path / "out"), "production", verify=False)
    assert not result.failed(), result.diagnostics
    assert len(built) == 1
    assert seen["check"] is built[0]
    assert seen["render"] is built[0]
    assert seen["config"] is built[0]


# Reads of a service default that a function may override: only effective.py decides "override, else default".
_DEFAULTS = {
    "runtime": {"lambda_", "architecture", "memory", "code", "build", "variables"},
    "timeouts": {"function", "request"},
}
_ALLOWED = {
    # scans the values written under runtime.variables for credentials: the written value, not a function's
    ("liftspec/check/rules/security.py", "ctx.spec.runtime.variables"),
}


def test_no_override_fallbacks_outside_the_effective_model() -> None:
    found = []
    for path in sorted((ROOT / "liftspec").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative == "liftspec/model/effective.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Attribute)
                and node.attr in _DEFAULTS.get(node.value.attr, ())
                and (relative, ast.unparse(node)) not in _ALLOWED
            ):
                found.append(f"{relative}:{node.lineno}: {ast.unparse(node)}")
    assert not found, "read the effective service (liftspec.model.effective) instead:\n" + "\n".join(found)


def test_an_alarm_override_of_a_field_the_alarm_lacks_is_a_finding() -> None:
    text = LIFT.replace("alarms:\n  errors: {threshold: 5}", "alarms:\n  errors: {threshold: 5}\n  error_rate: {threshold: 5}")
    text = text.replace("      errors: {threshold: 2}", "      errors: {threshold: 2}\n      error_rate: {statistic: Average}")
    result = lint_document(load_text(text, "lift.yaml"), "production", policies=False)
    [d] = [d for d in result.diagnostics if "statistic" in d.message]
    assert d.code.id == "LS008"
    line = text.splitlines().index("      error_rate: {statistic: Average}") + 1
    assert (d.span.line, d.span.col) == (line, 31)
    assert pipeline.resolve_env(load_text(text, "lift.yaml"), "production").service is not None
