"""check: production policies over the resolved model.

Rules (``liftspec.check.rules``) yield (path, message, hint) over the resolved model; packs
(``policies/*.yaml`` and user pack files) enable them with a severity; suppressions waive
findings with a reason; ``liftspec.resolve.locate`` turns paths into line:col.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liftspec.check.options import LintOptions
from liftspec.diagnostics import Diagnostic

if TYPE_CHECKING:  # the package stays light: `liftspec lint` reads its options before deciding to load the model
    from liftspec.model.spec import LiftSpec
    from liftspec.resolve import Resolved

__all__ = ["LintOptions", "check"]


def check(resolved: Resolved, spec: LiftSpec, options: Any = None) -> list[Diagnostic]:
    """Policy findings for one environment (unused suppressions judged on this environment alone)."""
    from liftspec.check.engine import run, unused

    result = run(resolved, spec, options if isinstance(options, LintOptions) else None)
    return result.diagnostics + unused([result])
