"""The built-in rules, one module per id range. Importing this package registers them all."""

from liftspec.check.rules import data, delivery, limits, logs, observability, scaling, security

__all__ = ["data", "delivery", "limits", "logs", "observability", "scaling", "security"]
