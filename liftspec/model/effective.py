"""Per-function values after applying function overrides over the service defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from liftspec.model.spec import Function, LiftSpec

Invocation = Literal["http", "sqs", "schedule", "dynamodb_stream", "s3", "direct"]
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


def invocation_of(fn: Function) -> Invocation:
    if fn.http is not None:
        return "http"
    if fn.sqs is not None:
        return "sqs"
    if fn.schedule is not None:
        return "schedule"
    if fn.dynamodb_stream is not None:
        return "dynamodb_stream"
    if fn.s3 is not None:
        return "s3"
    return "direct"


def derived_request_timeout(timeout: timedelta) -> timedelta:
    """The request deadline when none is written: a little below the function's timeout (at most 1s, 10%, below)."""
    return timeout - min(timedelta(seconds=1), timeout / 10)


def service_request_timeout(spec: LiftSpec) -> timedelta:
    """The service-wide request deadline: timeouts.request, else derived from timeouts.function."""
    return spec.timeouts.request if spec.timeouts.request is not None else derived_request_timeout(spec.timeouts.function)


def effective(spec: LiftSpec, name: str) -> EffectiveFunction:
    """One function's values: its override, else the service default (the one place that decides)."""
    fn = spec.functions[name]
    timeout = fn.timeouts.function or spec.timeouts.function
    request = fn.timeouts.request
    service_request = spec.timeouts.request
    # A service-wide deadline that does not fit a function's own shorter timeout is not
    # what the user meant for that function: derive one instead.
    if request is None and service_request is not None and (fn.timeouts.function is None or service_request < timeout):
        request = service_request
    if request is None:
        request = derived_request_timeout(timeout)
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
    )


def all_functions(spec: LiftSpec) -> list[EffectiveFunction]:
    return [effective(spec, name) for name in spec.functions]
