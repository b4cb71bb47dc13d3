"""The built-in rules, one module per id range. Importing this package registers them all."""

from liftspec.check.rules import delivery, http, invocation, limits, logs, observability, runtime, scaling, security

__all__ = ["delivery", "http", "invocation", "limits", "logs", "observability", "runtime", "scaling", "security"]
