"""load: YAML text -> plain data + source map."""

from liftspec.load.sourcemap import Loc, SourceMap
from liftspec.load.yaml_loader import Document, load_path, load_text, read_text

__all__ = ["Document", "Loc", "SourceMap", "load_path", "load_text", "read_text"]
