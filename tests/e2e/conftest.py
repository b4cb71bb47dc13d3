"""End-to-end set-up: compile examples/order-service, then run its functions in the Lambda emulator."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rie import Function, Unavailable, awslambdaric_path, rie_binary
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "order-service" / "lift.yaml"
# Lambda's own timeout for the api function in the emulator. The template says 30 s and the request
# deadline is 29 s; with 3 s Lambda's remaining time caps the deadline (3 s - 0.3 s margin), so the
# 504 of a slow request comes in under 3 s and before the emulator would kill the function.
API_LAMBDA_TIMEOUT = 3


@dataclass(frozen=True)
class TemplateFunction:
    name: str  # in lift.yaml (LIFT_FUNCTION)
    handler: str
    code: Path
    layer: Path
    variables: dict[str, str]
    timeout: int
    memory: int


def read_template(out: Path) -> list[TemplateFunction]:
    """The functions of the compiled template, with the paths it names resolved against the output folder."""
    template: Any = YAML(typ="rt").load((out / "template.yaml").read_text(encoding="utf-8"))
    resources = template["Resources"]
    layers = [res["Properties"]["ContentUri"] for res in resources.values() if res["Type"] == "AWS::Serverless::LayerVersion"]
    assert len(layers) == 1, layers
    functions = []
    for resource in resources.values():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        props = resource["Properties"]
        variables = {str(k): str(v) for k, v in props["Environment"]["Variables"].items()}
        functions.append(
            TemplateFunction(
                name=variables["LIFT_FUNCTION"],
                handler=str(props["Handler"]),
                code=(out / str(props["CodeUri"])).resolve(),
                layer=(out / str(layers[0]) / "python").resolve(),
                variables=variables,
                timeout=int(props["Timeout"]),
                memory=int(props["MemorySize"]),
            )
        )
    return functions


@pytest.fixture(scope="session")
def emulator() -> Path:
    try:
        awslambdaric_path()
        return rie_binary()
    except Unavailable as exc:
        pytest.skip(f"Lambda Runtime Interface Emulator unavailable: {exc}")


@pytest.fixture(scope="session")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, TemplateFunction]:
    from liftspec.api import compile

    out = tmp_path_factory.mktemp("order-service") / "build"
    result = compile(EXAMPLE, out=out)
    assert not result.failed(), [f"{d.id} {d.message}" for d in result.diagnostics]
    return {fn.name: fn for fn in read_template(out)}


@pytest.fixture(scope="session")
def functions(
    emulator: Path, compiled: dict[str, TemplateFunction], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Function]]:
    logs = tmp_path_factory.mktemp("rie-logs")
    started: dict[str, Function] = {}
    try:
        for name, fn in compiled.items():
            started[name] = Function(
                binary=emulator,
                handler=fn.handler,
                code=fn.code,
                layer=fn.layer,
                variables=fn.variables,
                timeout=API_LAMBDA_TIMEOUT if name == "api" else fn.timeout,
                memory=fn.memory,
                name=name,
                log=logs / f"{name}.log",
            )
        for function in started.values():
            function.__enter__()
        yield started
    finally:
        for function in started.values():
            function.stop()
