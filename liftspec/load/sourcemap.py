"""Where every key, value and list item of a document was written."""

from __future__ import annotations

from dataclasses import dataclass, field

from liftspec.diagnostics import Path


@dataclass(frozen=True)
class Loc:
    line: int  # 1-based
    col: int  # 1-based
    end_line: int
    end_col: int


@dataclass
class SourceMap:
    file: str
    values: dict[Path, Loc] = field(default_factory=dict)
    keys: dict[Path, Loc] = field(default_factory=dict)

    def locate(self, path: Path, *, key: bool = False) -> Loc:
        """The location of ``path``; its key when ``key``; else the nearest written ancestor."""
        if key and path in self.keys:
            return self.keys[path]
        probe = tuple(path)
        while probe:
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), Loc(1, 1, 1, 1))

    def written(self, path: Path) -> bool:
        return tuple(path) in self.values
