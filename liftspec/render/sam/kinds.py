"""Resource kinds: what the template makes of each type of lift.yaml's `resources` section.

A type's renderer module (tables.py, buckets.py, messaging.py...) defines a module-level ResourceKind: the
CloudFormation resources it renders, the IAM actions of its access levels (the levels themselves belong to the
model class, which validation checks them against) and the values its LIFT_RESOURCE_<NAME> variables hold.
`kinds()` finds them by reading the modules of this package, so a new type is its model class, its renderer
module and its test: no list to extend here, in the renderer's driver or in access.py.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args

from liftspec.model.spec import RESOURCE_TYPES, Resource, Section
from liftspec.render.sam.data_refs import logical_id
from liftspec.render.sam.intrinsics import get_att, ref

__all__ = ["Grant", "Granted", "Kinds", "ResourceKind", "kinds", "resource_ref"]


@dataclass(frozen=True)
class Grant:
    """One `access` entry of a function: `level` on resource `name`."""

    service: str
    env: str
    name: str
    level: str
    resource: Any  # the model class of the kind
    arn: Any  # the resource's ARN (ResourceKind.arn)


# (Sid suffix, actions, resource ARNs): one IAM statement
Granted = tuple[str, tuple[str, ...], list[Any]]


def resource_ref(service: str, env: str, name: str, resource: Any) -> Any:
    return ref(logical_id(name, resource))


def _arn_attribute(service: str, env: str, name: str, resource: Any) -> Any:
    return get_att(logical_id(name, resource), "Arn")


@dataclass(frozen=True)
class ResourceKind:
    model: type[Section]
    # (RenderContext) -> None: every resource of this type in ctx.spec.resources (Any: context imports this module)
    render: Callable[[Any], None]
    grants: Callable[[Grant], list[Granted]]  # the statements of one access level (none for a level it lacks)
    identifier: Callable[[str, str, str, Any], Any] = resource_ref  # (service, env, name, resource): LIFT_RESOURCE_<NAME>
    arn: Callable[[str, str, str, Any], Any] = _arn_attribute  # LIFT_RESOURCE_<NAME>_ARN, and what IAM grants name


class Kinds:
    """The kinds of one render, found once: by model class, in the order of the model's resource types."""

    def __init__(self, found: list[ResourceKind]) -> None:
        order = {type_: i for i, type_ in enumerate(RESOURCE_TYPES)}
        self.all = tuple(sorted(found, key=lambda kind: order[_type_of(kind.model)]))
        self._by_model = {kind.model: kind for kind in self.all}

    def of(self, resource: Resource) -> ResourceKind:
        kind = self._by_model.get(type(resource))
        if kind is None:
            raise LookupError(f"no renderer module defines resource type {resource.type}")
        return kind


def kinds() -> Kinds:
    """Every kind the modules of this package define."""
    import liftspec.render.sam as package

    found: dict[type[Section], ResourceKind] = {}
    for module in pkgutil.iter_modules(package.__path__):
        loaded = importlib.import_module(f"{package.__name__}.{module.name}")
        for value in vars(loaded).values():
            if isinstance(value, ResourceKind):
                found[value.model] = value
    return Kinds(list(found.values()))


def _type_of(model: type[Section]) -> str:
    return str(get_args(model.model_fields["type"].annotation)[0])
