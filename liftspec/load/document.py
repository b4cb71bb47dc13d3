"""A loaded lift.yaml: its text, its plain data and where in the text each value came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liftspec.load.sourcemap import SourceMap


@dataclass
class Document:
    file: str
    text: str
    data: dict[str, Any]
    source: SourceMap
