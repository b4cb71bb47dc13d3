"""lift_runtime.config_types (hand-written, standard library only) cannot drift from the model: the records that
mirror a lift.yaml section have its fields, in its order, with the runtime's type for each; build_config fills every
field of every record with a value of its annotated type; the service-wide request deadline is the model's."""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, Literal, get_args, get_origin

import pytest
from pydantic import BaseModel
from test_runtime_support import EXAMPLE, META, example_config

from lift_runtime import config_types
from lift_runtime.config_types import Record
from liftspec.api import load, resolve_env
from liftspec.model import spec as model
from liftspec.model.effective import EffectiveFunction, service_request_timeout
from liftspec.model.spec import LiftSpec
from liftspec.render.config_module import build_config

# Record -> the lift.yaml section it carries field by field.
MIRRORS: dict[type[Record], type[BaseModel]] = {
    config_types.Auth: model.Auth,
    config_types.Caching: model.Caching,
    config_types.CircuitBreaker: model.CircuitBreaker,
    config_types.Compression: model.Compression,
    config_types.HttpClient: model.HttpClient,
    config_types.Jwt: model.Jwt,
    config_types.RateLimit: model.RateLimit,
    config_types.Resilience: model.Resilience,
    config_types.Retry: model.Retry,
    config_types.SamplingRule: model.SamplingRule,
}
# Resolved by build_config: the model leaves them open, the config holds the value in force.
RESOLVED = {("RateLimit", "burst"): "int", ("RateLimit", "key"): "str"}
# Section fields the runtime does not read, and why: a new field of a section must be carried or listed here.
NOT_CARRIED = {
    ("Auth", "lambda_"): "API Gateway runs the Lambda authorizer; the runtime sees its context, not its config",
    ("Auth", "default"): "each route's authorizer is resolved into Function.routes",
}


def runtime_type(annotation: Any) -> str:
    """The config type of a model annotation: durations are seconds, lists tuples, sections records."""
    if annotation is timedelta:
        return "float"
    if annotation in (bool, int, float, str):
        return str(annotation.__name__)
    if get_origin(annotation) is Literal:
        return "str"
    if get_origin(annotation) in (types.UnionType, typing.Union):
        inner = [runtime_type(a) for a in get_args(annotation) if a is not type(None)]
        return " | ".join(inner) + (" | None" if type(None) in get_args(annotation) else "")
    if get_origin(annotation) in (list, tuple):
        return f"tuple[{runtime_type(get_args(annotation)[0])}, ...]"
    if get_origin(annotation) is typing.Annotated:
        return runtime_type(get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.__name__
    raise AssertionError(f"no config type for {annotation!r}")


@pytest.mark.parametrize("record", list(MIRRORS), ids=lambda record: record.__name__)
def test_a_record_has_its_sections_fields_in_order_with_the_runtimes_types(record: type[Record]) -> None:
    section = MIRRORS[record]
    carried = [name for name in section.model_fields if (record.__name__, name) not in NOT_CARRIED]
    assert record.__slots__ == tuple(carried)
    expected = {
        name: RESOLVED.get((record.__name__, name)) or runtime_type(section.model_fields[name].annotation) for name in carried
    }
    assert dict(record.__annotations__) == expected


def test_every_record_declares_its_slots_as_annotations() -> None:
    records = [value for value in vars(config_types).values() if isinstance(value, type) and issubclass(value, Record)]
    for record in records:
        if record is not Record:
            assert tuple(record.__annotations__) == record.__slots__, record.__name__


def _check(value: object, annotation: Any, where: str) -> None:
    """``value`` has the type ``annotation`` (a config_types annotation, a string there) names, records recursively."""
    if isinstance(annotation, str):
        annotation = eval(annotation, {**vars(config_types), "Mapping": Mapping})
    if get_origin(annotation) in (types.UnionType, typing.Union):
        if value is None:
            assert type(None) in get_args(annotation), where
            return
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    if get_origin(annotation) is tuple:
        assert isinstance(value, tuple), where
        for i, item in enumerate(value):
            _check(item, get_args(annotation)[0], f"{where}[{i}]")
    elif get_origin(annotation) is Mapping:
        assert isinstance(value, types.MappingProxyType), where
        for key, item in value.items():
            assert isinstance(key, str), where
            _check(item, get_args(annotation)[1], f"{where}[{key!r}]")
    else:
        assert type(value) is annotation, f"{where}: {type(value).__name__} is not {annotation.__name__}"
        if issubclass(annotation, Record):
            for name in annotation.__slots__:
                _check(getattr(value, name), annotation.__annotations__[name], f"{where}.{name}")


def example_spec() -> LiftSpec:
    spec = resolve_env(load(EXAMPLE)).spec
    assert spec is not None
    return spec


def test_build_config_fills_every_field_with_its_annotated_type() -> None:
    config = build_config(example_spec(), META)
    _check(config, config_types.Config, "CONFIG")
    assert config.sampling_rules and config.functions and config.auth.jwt is not None


def test_function_records_carry_the_effective_values_and_the_service_deadline_is_the_models() -> None:
    spec = example_spec()
    config = build_config(spec, META)
    effective = set(EffectiveFunction.__dataclass_fields__)
    assert set(config_types.Function.__slots__) - {"handler", "routes"} <= effective  # both from the function's spec
    assert config.request_timeout == service_request_timeout(spec).total_seconds()
    assert example_config() == config
