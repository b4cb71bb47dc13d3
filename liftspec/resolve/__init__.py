"""resolve: overlays and the environment a run is about."""

from liftspec.resolve.overlay import DEFAULT_ENV, Resolved, default_env, environments, resolve

__all__ = ["DEFAULT_ENV", "Resolved", "default_env", "environments", "resolve"]
