"""Interface between compile and the runtime: the files, the Handler and the LIFT_* variables.

compile writes ``runtime_outputs(...)`` under its output directory, attaches ``layer/`` as an
``AWS::Serverless::LayerVersion`` to every function, points every function's Handler at
RUNTIME_HANDLER and sets ``lift_env_vars(spec) | function_env_vars(spec, name)``.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from lift_runtime.config_types import Config
from liftspec.model.effective import EffectiveService, effective_service
from liftspec.model.spec import LiftSpec
from liftspec.render import go_config
from liftspec.render.config_module import build_config, rate_limit_burst, render_json, render_module

# The Lambda Handler every function points at; the user's handler goes in USER_HANDLER_ENV.
RUNTIME_HANDLER = "lift_runtime.entry.handler"
USER_HANDLER_ENV = "LIFT_HANDLER"
# The function's name in lift.yaml: the runtime reads that function's own request timeout.
FUNCTION_ENV = "LIFT_FUNCTION"
RUNTIME_PACKAGE = "lift_runtime"
LAYER_PYTHON = "layer/python"
GO_RUNTIME_PACKAGE = "liftruntime"

__all__ = [
    "FUNCTION_ENV",
    "RUNTIME_HANDLER",
    "USER_HANDLER_ENV",
    "function_env_vars",
    "lift_env_vars",
    "rate_limit_burst",
    "runtime_outputs",
]


def runtime_package_files() -> dict[str, bytes]:
    """The lift_runtime package as shipped: its .py files and py.typed, by name, sorted."""
    package = resources.files(RUNTIME_PACKAGE)
    names = sorted(entry.name for entry in package.iterdir() if entry.is_file() and entry.name.endswith((".py", "py.typed")))
    return {name: package.joinpath(name).read_bytes() for name in names}


def runtime_outputs(spec: LiftSpec, meta: dict[str, Any], *, service: EffectiveService | None = None) -> dict[str, bytes]:
    """Files to write under the output directory, by relative path.

    meta holds: source (the lift.yaml path as given), env, version (liftspec), digest (sha256 of the input).
    ``layer/python/`` is the layer (lift_runtime + lift_config.py); ``layer/lift_config.json`` is at
    /opt/lift_config.json for runtimes in other languages; ``lift_config.py`` and ``lift_config.json``
    at the top are for user code and its tests outside Lambda (docs/runtime.md).
    """
    service = service if service is not None else effective_service(spec)
    config = build_config(spec, meta, service=service)
    module, data = render_module(config), render_json(config)
    wrappers = {fn.wrapper for fn in service.functions}
    files: dict[str, bytes] = {}
    if wrappers != {"go"}:  # Go binaries link their runtime in: no layer when every function is one
        files = {f"{LAYER_PYTHON}/{RUNTIME_PACKAGE}/{name}": content for name, content in runtime_package_files().items()}
        files[f"{LAYER_PYTHON}/lift_config.py"] = module
        files["layer/lift_config.json"] = data
    if "go" in wrappers:
        files.update(go_outputs(config, data))
    files["lift_config.py"] = module
    files["lift_config.json"] = data
    return dict(sorted(files.items()))


def go_runtime_files() -> dict[str, bytes]:
    """The Go runtime package as shipped in the wheel (liftspec/data/go/liftruntime), tests left out."""
    package = resources.files("liftspec").joinpath("data", "go", GO_RUNTIME_PACKAGE)
    names = sorted(
        e.name for e in package.iterdir() if e.is_file() and e.name.endswith(".go") and not e.name.endswith("_test.go")
    )
    return {name: package.joinpath(name).read_bytes() for name in names}


def go_outputs(config: Config, data: bytes) -> dict[str, bytes]:
    """A Go module at the top of the output folder: liftconfig (generated) and liftruntime (copied).

    The service's go.mod requires it and points at it with a replace directive (docs/go.md).
    """
    files = {f"{GO_RUNTIME_PACKAGE}/{name}": content for name, content in go_runtime_files().items()}
    files["go.mod"] = go_config.render_go_mod()
    files[f"{go_config.PACKAGE}/config.go"] = go_config.render_config_go(config)
    files[f"{go_config.PACKAGE}/config_test.go"] = go_config.render_config_test_go(config, data)
    return files


def lift_env_vars(spec: LiftSpec) -> dict[str, str]:
    """LIFT_* environment variables set on every function for the essentials."""
    return {
        "LIFT_ENVIRONMENT": spec.environment,
        "LIFT_LOG_LEVEL": spec.logging.level,
        "LIFT_METRICS_ENABLED": "true" if spec.metrics.enabled else "false",
        "LIFT_TRACING_ENABLED": "true" if spec.tracing.enabled else "false",
    }


def function_env_vars(spec: LiftSpec, name: str, wrapper: str | None = "python") -> dict[str, str]:
    """Per-function variables: the function's lift.yaml name and the user's handler the runtime wraps.

    A Go binary is its own handler: it gets no LIFT_HANDLER (only the Python layer imports one).
    """
    if wrapper == "go":
        return {FUNCTION_ENV: name}
    return {FUNCTION_ENV: name, USER_HANDLER_ENV: spec.functions[name].handler}
