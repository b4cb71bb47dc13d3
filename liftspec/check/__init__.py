"""check: production policies over the resolved model (see issue 3)."""

from __future__ import annotations

from typing import Any

from liftspec.diagnostics import Diagnostic
from liftspec.model.spec import LiftSpec
from liftspec.resolve import Resolved


def check(resolved: Resolved, spec: LiftSpec, options: Any = None) -> list[Diagnostic]:
    """Policy findings for one environment. Placeholder until the rule engine lands."""
    return []
