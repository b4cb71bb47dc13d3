"""load: YAML text -> plain data + source map.

The composer (yaml_loader: PyYAML and the composer's regular expressions) is imported by the first load, not
with this package: a lint's main process only receives Documents, composed by its prefetch child.
"""

from liftspec.load.document import Document
from liftspec.load.sourcemap import Loc, SourceMap

__all__ = ["Document", "Loc", "SourceMap", "load_bytes", "load_path", "load_text", "read_text"]


def read_text(raw: bytes, file: str) -> str:
    """A file's bytes as text; raises LiftError with diagnostics (too large, not UTF-8...)."""
    from liftspec.load import yaml_loader

    return yaml_loader.read_text(raw, file)


def load_text(text: str, file: str = "lift.yaml") -> Document:
    """Parse YAML text into a Document; raises LiftError with diagnostics."""
    from liftspec.load import yaml_loader
    from liftspec.load.unicode import checked

    return checked(yaml_loader.load_text(text, file))


def load_bytes(raw: bytes, file: str) -> Document:
    """Load a file's bytes, already read; raises LiftError with diagnostics (too large, not UTF-8, YAML...)."""
    return load_text(read_text(raw, file), file)


def load_path(path: str, display: str | None = None) -> Document:
    """Read (bounded, regular files only) and load a file; I/O problems raise OSError for the caller (exit 2)."""
    from liftspec.fileio import read_limited
    from liftspec.load.yaml_loader import MAX_BYTES

    return load_bytes(read_limited(path, MAX_BYTES), display or path)
