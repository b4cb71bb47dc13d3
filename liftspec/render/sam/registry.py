"""Renderers declare what they render after; the SAM renderer runs them in an order that follows from that.

A renderer depends on another when its resources refer to resources the other one creates (a function's
layer, queue, API and alarms) and the reference is one-way. Between renderers that do not depend on each
other, the order of the list given decides; it also decides which of two resources with the same logical id
is reported as the second one (RenderContext.add).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from liftspec.render.sam.context import RenderContext


@dataclass(frozen=True)
class Renderer:
    name: str
    run: Callable[[RenderContext], object]
    after: tuple[str, ...] = ()  # the renderers whose resources this one refers to


class RendererOrderError(ValueError):
    """The declared dependencies cannot be followed: an unknown name, a name twice, or a cycle."""


def ordered(renderers: Sequence[Renderer]) -> list[Renderer]:
    """The renderers with each one after those it depends on; otherwise in the order given."""
    names = [r.name for r in renderers]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise RendererOrderError(f"renderers declared twice: {', '.join(twice)}")
    for r in renderers:
        unknown = [d for d in r.after if d not in names]
        if unknown:
            raise RendererOrderError(f"renderer {r.name} depends on unknown renderer(s): {', '.join(unknown)}")
    done: set[str] = set()
    out: list[Renderer] = []
    remaining = list(renderers)
    while remaining:
        ready = next((r for r in remaining if all(d in done for d in r.after)), None)
        if ready is None:
            raise RendererOrderError(f"renderers depend on each other in a cycle: {', '.join(r.name for r in remaining)}")
        out.append(ready)
        done.add(ready.name)
        remaining.remove(ready)
    return out
