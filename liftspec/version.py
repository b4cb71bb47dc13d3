"""The version liftspec reports, in a module of its own: the bottom layer imports it without the package's API."""

__version__ = "0.1.0"
