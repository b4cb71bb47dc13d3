"""lift_runtime: the Lambda layer that enforces lift.yaml on every invocation (standard library only).

Every function's Handler is ``lift_runtime.entry.handler``; the user's handler is named by
the ``LIFT_HANDLER`` environment variable and the config comes from the generated
``lift_config`` module. Modules for user code:

- ``lift_runtime.log.logger``: JSON logs carrying the request id and cold-start flag;
- ``lift_runtime.metrics.add``: custom CloudWatch EMF metrics, flushed with each invocation's own;
- ``lift_runtime.deadline.remaining``: seconds left before the request deadline;
- ``lift_runtime.resilience``: ``retry`` and ``CircuitBreaker`` with the configured values;
- ``lift_runtime.cache``: a per-container TTL cache with the configured ttl.

Nothing is imported here, so that importing a submodule stays cheap.
"""

__version__ = "0.1.0"
