"""Interface between compile and the runtime (issue 5 fills this in).

compile calls these; the runtime issue owns their content.
"""

from __future__ import annotations

from typing import Any

from liftspec.model.spec import LiftSpec

# The Lambda Handler every function points at; the user's handler goes in USER_HANDLER_ENV.
RUNTIME_HANDLER = "lift_runtime.entry.handler"
USER_HANDLER_ENV = "LIFT_HANDLER"


def runtime_outputs(spec: LiftSpec, meta: dict[str, Any]) -> dict[str, bytes]:
    """Files to write under the output directory, by relative path (e.g. 'layer/python/lift_config.py').

    meta holds: source (the lift.yaml path as given), env, version (liftspec), digest (sha256 of the input).
    """
    return {}


def lift_env_vars(spec: LiftSpec) -> dict[str, str]:
    """LIFT_* environment variables set on every function for the essentials."""
    return {
        "LIFT_ENVIRONMENT": spec.environment,
        "LIFT_LOG_LEVEL": spec.logging.level,
        "LIFT_METRICS_ENABLED": "true" if spec.metrics.enabled else "false",
        "LIFT_TRACING_ENABLED": "true" if spec.tracing.enabled else "false",
    }
