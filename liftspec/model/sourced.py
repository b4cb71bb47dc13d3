"""A value with the lift.yaml path it comes from: shared by the effective model and the renderers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liftspec.diagnostics import Path


@dataclass(frozen=True)
class Sourced:
    """A value with the lift.yaml path it comes from. ``RenderContext.add`` writes the plain value and
    derives the origin of its place in the template from it: a finding there points at that line."""

    value: Any
    path: Path
