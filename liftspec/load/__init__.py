"""load: YAML text -> plain data + source map."""

from liftspec.load import yaml_loader
from liftspec.load.sourcemap import Loc, SourceMap
from liftspec.load.unicode import checked
from liftspec.load.yaml_loader import Document, read_text

__all__ = ["Document", "Loc", "SourceMap", "load_path", "load_text", "read_text"]


def load_text(text: str, file: str = "lift.yaml") -> Document:
    """Parse YAML text into a Document; raises LiftError with diagnostics."""
    return checked(yaml_loader.load_text(text, file))


def load_path(path: str, display: str | None = None) -> Document:
    """Read and load a file; I/O problems raise OSError for the caller (exit 2)."""
    return checked(yaml_loader.load_path(path, display))
