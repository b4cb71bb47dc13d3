"""The SAM renderer runs its renderers in an order that follows their declared dependencies."""

from __future__ import annotations

import pytest

from liftspec.render.sam import renderers
from liftspec.render.sam.context import RenderContext
from liftspec.render.sam.registry import Renderer, RendererOrderError, ordered


def _nothing(ctx: RenderContext) -> None:
    return None


def _names(items: list[Renderer]) -> list[str]:
    return [r.name for r in items]


def test_a_renderer_runs_after_what_it_depends_on_else_in_the_order_given() -> None:
    given = [Renderer("functions", _nothing, after=("queue", "layer")), Renderer("layer", _nothing), Renderer("queue", _nothing)]
    assert _names(ordered(given)) == ["layer", "queue", "functions"]
    assert _names(ordered([Renderer("b", _nothing), Renderer("a", _nothing)])) == ["b", "a"]


def test_a_cycle_is_an_error() -> None:
    given = [Renderer("a", _nothing, after=("c",)), Renderer("b", _nothing, after=("a",)), Renderer("c", _nothing, after=("b",))]
    with pytest.raises(RendererOrderError, match="cycle: a, b, c"):
        ordered(given)


def test_a_missing_dependency_is_an_error() -> None:
    with pytest.raises(RendererOrderError, match=r"functions depends on unknown renderer\(s\): layer"):
        ordered([Renderer("functions", _nothing, after=("layer",))])


def test_a_name_declared_twice_is_an_error() -> None:
    with pytest.raises(RendererOrderError, match="declared twice: layer"):
        ordered([Renderer("layer", _nothing), Renderer("layer", _nothing)])


def test_the_template_renderers_follow_their_dependencies() -> None:
    order = _names(ordered(renderers()))
    assert len(order) == len(set(order)) == len(renderers())
    for r in renderers():
        assert all(order.index(d) < order.index(r.name) for d in r.after), r.name
    # functions refer to the layer, the DLQ, the API and their alarms; mappings and scaling to the function's alias
    assert order.index("functions") > max(order.index(n) for n in ("layer", "dead_letter_queue", "http_api", "alarms"))
    assert order.index("event_sources") > order.index("functions")
    assert order.index("scaling") > order.index("functions")
