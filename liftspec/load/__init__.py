"""load: YAML text -> plain data + source map."""

from liftspec.load import yaml_loader
from liftspec.load.sourcemap import Loc, SourceMap
from liftspec.load.unicode import checked
from liftspec.load.yaml_loader import MAX_BYTES, Document, read_text

__all__ = ["Document", "Loc", "SourceMap", "load_bytes", "load_path", "load_text", "read_text"]


def load_text(text: str, file: str = "lift.yaml") -> Document:
    """Parse YAML text into a Document; raises LiftError with diagnostics."""
    return checked(yaml_loader.load_text(text, file))


def load_bytes(raw: bytes, file: str) -> Document:
    """Load a file's bytes, already read; raises LiftError with diagnostics (too large, not UTF-8, YAML...)."""
    return load_text(read_text(raw, file), file)


def load_path(path: str, display: str | None = None) -> Document:
    """Read (bounded, regular files only) and load a file; I/O problems raise OSError for the caller (exit 2)."""
    from liftspec.fileio import read_limited

    return load_bytes(read_limited(path, MAX_BYTES), display or path)
