"""The effective service of one environment: every per-function value after applying the function's override
over the service default, each with the lift.yaml path it comes from, and the facts derived from them (alias,
dead-letter queue, request deadline). Built once per environment by the pipeline; rules, renderers, the
config module and declarative pack checks all read it instead of deciding "override, else default" again.

A value's path is the function's own key when it sets one, else the service default's key (also when the
default is not written: its conventional path); a derived value's path is the path of what it derives from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from types import MappingProxyType
from typing import Literal

from liftspec.diagnostics import Path
from liftspec.model.alarms import FunctionAlarm, function_alarms, rollback_alarms
from liftspec.model.invocation import Invocation, invocation_of
from liftspec.model.sourced import Sourced
from liftspec.model.spec import Function, LiftSpec

Wrapper = Literal["python", "go"]


@dataclass(frozen=True)
class EffectiveFunction:
    name: str
    spec: Function
    lambda_runtime: str
    architecture: str
    memory: int
    code: str
    variables: dict[str, str]
    timeout: timedelta
    request_timeout: timedelta
    invocation: Invocation
    build: str | None = None
    alias: str | None = None  # the alias the function is published under, if any
    # lift.yaml path of each effective value, by field name (lambda_runtime, memory, timeout, request_timeout...)
    sources: Mapping[str, Path] = field(default_factory=lambda: MappingProxyType({}))
    # alarm name -> the alarm as it applies to this function; the ones that roll its deployment back
    alarms: Mapping[str, FunctionAlarm] = field(default_factory=lambda: MappingProxyType({}))
    rollback_alarms: tuple[str, ...] = ()

    def sourced(self, name: str) -> Sourced:
        """An effective value with the lift.yaml path it comes from: ``fn.sourced("memory")``."""
        return Sourced(getattr(self, name), self.sources[name])

    def source(self, name: str) -> Path:
        return self.sources[name]

    def variable_source(self, variable: str) -> Path:
        """Where one variable's value is written: on the function when it sets that name, else under runtime."""
        owner = ("functions", self.name) if variable in self.spec.variables else ("runtime",)
        return (*owner, "variables", variable)

    @property
    def sends_to_dead_letter_queue(self) -> bool:
        """The function's events or results go to the service's dead-letter queue."""
        if self.spec.sqs is not None and self.spec.sqs.queue == "dead_letter":
            return True
        invocation = self.spec.async_
        return invocation is not None and any(
            d is not None and d.queue == "dead_letter" for d in (invocation.on_success, invocation.on_failure)
        )

    @property
    def is_async(self) -> bool:
        return self.invocation in ("schedule", "s3")  # EventBridge and S3 invoke asynchronously

    @property
    def wrapper(self) -> Wrapper | None:
        """The liftspec runtime that wraps the handler: Python's layer, the Go package, or none."""
        if self.lambda_runtime.startswith("python"):
            return "python"
        if self.build == "go" and self.lambda_runtime.startswith("provided"):
            return "go"
        return None


def derived_request_timeout(timeout: timedelta) -> timedelta:
    """The request deadline when none is written: a little below the function's timeout (at most 1s, 10%, below)."""
    return timeout - min(timedelta(seconds=1), timeout / 10)


def service_request_timeout(spec: LiftSpec) -> timedelta:
    """The service-wide request deadline: timeouts.request, else derived from timeouts.function."""
    return spec.timeouts.request if spec.timeouts.request is not None else derived_request_timeout(spec.timeouts.function)


def service_request_timeout_path(spec: LiftSpec) -> Path:
    return ("timeouts", "request") if spec.timeouts.request is not None else ("timeouts", "function")


def _own(name: str, key: Path, value: object, service: Path) -> Path:
    return ("functions", name, *key) if value is not None else service


def effective(spec: LiftSpec, name: str) -> EffectiveFunction:
    """One function's values: its override, else the service default (the one place that decides)."""
    fn = spec.functions[name]
    timeout = fn.timeouts.function or spec.timeouts.function
    timeout_path = _own(name, ("timeouts", "function"), fn.timeouts.function, ("timeouts", "function"))
    request = fn.timeouts.request
    request_path: Path = ("functions", name, "timeouts", "request")
    service_request = spec.timeouts.request
    # A service-wide deadline that does not fit a function's own shorter timeout is not
    # what the user meant for that function: derive one instead.
    if request is None and service_request is not None and (fn.timeouts.function is None or service_request < timeout):
        request, request_path = service_request, ("timeouts", "request")
    if request is None:
        request, request_path = derived_request_timeout(timeout), timeout_path
    sources: dict[str, Path] = {
        "lambda_runtime": _own(name, ("lambda",), fn.lambda_, ("runtime", "lambda")),
        "architecture": _own(name, ("architecture",), fn.architecture, ("runtime", "architecture")),
        "memory": _own(name, ("memory",), fn.memory, ("runtime", "memory")),
        "code": _own(name, ("code",), fn.code, ("runtime", "code")),
        "build": _own(name, ("build",), fn.build, ("runtime", "build")),
        "variables": ("functions", name, "variables") if "variables" in fn.model_fields_set else ("runtime", "variables"),
        "timeout": timeout_path,
        "request_timeout": request_path,
        "alias": ("deployment", "alias"),
    }
    return EffectiveFunction(
        name=name,
        spec=fn,
        lambda_runtime=fn.lambda_ or spec.runtime.lambda_,
        architecture=fn.architecture or spec.runtime.architecture,
        memory=fn.memory if fn.memory is not None else spec.runtime.memory,
        code=fn.code or spec.runtime.code,
        variables={**spec.runtime.variables, **fn.variables},
        timeout=timeout,
        request_timeout=request,
        invocation=invocation_of(fn),
        build=fn.build or spec.runtime.build,
        alias=_alias(spec, fn),
        sources=MappingProxyType(sources),
        alarms=MappingProxyType(function_alarms(spec, name)),
        rollback_alarms=tuple(rollback_alarms(spec, name)),
    )


def _alias(spec: LiftSpec, fn: Function) -> str | None:
    """The alias a function is published under: with a deployment section, or when concurrency is provisioned."""
    c = fn.concurrency
    if "deployment" in spec.model_fields_set or c.provisioned > 0 or c.schedule:
        return spec.deployment.alias
    return None


__all__ = [
    "EffectiveFunction",
    "EffectiveService",
    "Invocation",
    "Wrapper",
    "all_functions",
    "effective",
    "effective_service",
    "invocation_of",
]


def all_functions(spec: LiftSpec) -> list[EffectiveFunction]:
    return [effective(spec, name) for name in spec.functions]


@dataclass(frozen=True)
class EffectiveService:
    """One environment's effective values (see the module docstring). Build it with ``effective_service``."""

    spec: LiftSpec
    functions: tuple[EffectiveFunction, ...]  # in the order of the file
    request_timeout: Sourced  # the service-wide deadline (timedelta)
    dead_letter_queue: Sourced  # bool: the service has a dead-letter queue

    def function(self, name: str) -> EffectiveFunction:
        return self._by_name[name]

    @cached_property
    def _by_name(self) -> Mapping[str, EffectiveFunction]:
        return MappingProxyType({fn.name: fn for fn in self.functions})

    @property
    def http_functions(self) -> list[EffectiveFunction]:
        return [fn for fn in self.functions if fn.invocation == "http"]


def effective_service(spec: LiftSpec) -> EffectiveService:
    functions = tuple(all_functions(spec))
    enabled = spec.dead_letter.enabled
    if enabled is not None:
        dlq = Sourced(enabled, ("dead_letter", "enabled"))
    else:
        dlq = Sourced(any(fn.is_async or fn.sends_to_dead_letter_queue for fn in functions), ("dead_letter",))
    return EffectiveService(
        spec=spec,
        functions=functions,
        request_timeout=Sourced(service_request_timeout(spec), service_request_timeout_path(spec)),
        dead_letter_queue=dlq,
    )
