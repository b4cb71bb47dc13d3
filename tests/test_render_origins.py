"""Renderers write values that carry their lift.yaml path (Sourced): the template holds the plain values, and the
origin of each place is derived from them, so a template finding there points at the line that chose it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from liftspec.api import load, resolve_env
from liftspec.render.sam import Rendered, data_refs, render_template
from liftspec.render.sam.context import RenderContext
from liftspec.render.sam.origins import Sourced

LIFT = Path(__file__).resolve().parent / "fixtures" / "resources" / "lift.yaml"


@pytest.fixture(scope="module")
def rendered() -> Rendered:
    result = resolve_env(load(LIFT), "production")
    assert result.resolved is not None and result.spec is not None
    return render_template(result.resolved, result.spec, ".")


def _values(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [node, *(v for value in node.values() for v in _values(value))]
    if isinstance(node, list):
        return [node, *(v for value in node for v in _values(value))]
    return [node]


def test_the_template_holds_plain_values(rendered: Rendered) -> None:
    assert not any(isinstance(value, Sourced) for value in _values(rendered.template))


@pytest.mark.parametrize(
    ("resource", "where", "lift_path"),
    [
        ("ledger", ("BillingMode",), "billing"),
        ("ledger", ("ProvisionedThroughput", "ReadCapacityUnits"), "billing"),
        ("ledger", ("SSESpecification", "KMSMasterKeyId"), "encryption"),
        ("ledger", ("DeletionProtectionEnabled",), "deletion_protection"),
        ("orders", ("KeySchema", 1, "AttributeName"), "keys"),
        ("orders", ("TimeToLiveSpecification",), "ttl"),
        ("orders", ("StreamSpecification", "StreamViewType"), "stream"),
        ("uploads", ("LifecycleConfiguration", "Rules", 1), "lifecycle"),
        ("uploads", ("ReplicationConfiguration", "Rules", 0, "Destination"), "replicate_to"),
        ("uploads", ("PublicAccessBlockConfiguration",), "public"),
        ("exports", ("BucketEncryption",), "encryption"),
        ("jobs", ("VisibilityTimeout",), "visibility_timeout"),
        ("ordered", ("RedrivePolicy", "maxReceiveCount"), "dead_letter"),
        ("sealed", ("KmsMasterKeyId",), "encryption"),
        ("done", ("Tags",), None),  # written by RenderContext.add for every tagged resource
        ("done", ("FifoTopic",), ""),  # nothing more precise: the resource itself
    ],
)
def test_a_template_place_maps_to_the_value_that_chose_it(
    rendered: Rendered, resource: str, where: tuple[str | int, ...], lift_path: str | None
) -> None:
    result = resolve_env(load(LIFT), "production")
    assert result.spec is not None
    lid = data_refs.logical_id(resource, result.spec.resources[resource])
    expected = ("tags",) if lift_path is None else ("resources", resource, *([lift_path] if lift_path else []))
    assert rendered.origins.locate((lid, *where)) == expected


def test_a_sourced_value_outside_properties_keeps_its_key_and_lists_are_changed_in_place() -> None:
    result = resolve_env(load(LIFT), "production")
    assert result.resolved is not None and result.spec is not None
    ctx = RenderContext(result.resolved, result.spec, ".")
    statements = [Sourced({"Effect": "Allow"}, ("functions", "api", "access"))]
    resource = {
        "Type": "AWS::IAM::ManagedPolicy",
        "DeletionPolicy": Sourced("Retain", ("resources", "orders")),
        "Properties": {"PolicyDocument": {"Statement": statements}},
    }
    assert ctx.add("Extra", resource, ("functions",))
    assert ctx.resources["Extra"]["DeletionPolicy"] == "Retain"
    assert statements == [{"Effect": "Allow"}]  # the renderer's own list, still the one in the template
    assert ctx.resources["Extra"]["Properties"]["PolicyDocument"]["Statement"] is statements
    assert ctx.origins.locate(("Extra", "DeletionPolicy")) == ("resources", "orders")
    assert ctx.origins.locate(("Extra", "PolicyDocument", "Statement", 0, "Effect")) == ("functions", "api", "access")
    assert ctx.origins.locate(("Extra", "Description")) == ("functions",)
