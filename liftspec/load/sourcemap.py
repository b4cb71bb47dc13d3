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

    # Paths an environment's overlay reset with `null` (filled by liftspec.resolve): where the null is written.
    resets: dict[Path, Loc] = field(default_factory=dict)

    def locate(self, path: Path, *, key: bool = False) -> Loc:
        """Where to point for ``path``: the one place a path becomes a position.

        ``key``: the key of ``path``, when it has one. A written scalar (or a collection written on its key's
        line): the value itself. A block collection: its key, which is where a reader looks and where an inline
        suppression goes. A value an overlay reset with ``null``: that null. An unwritten path (a default): the
        key of the nearest written ancestor; nothing written on the way: the start of the document.
        """
        path = tuple(path)
        if key and path in self.keys:
            return self.keys[path]
        if path in self.values:
            value, at_key = self.values[path], self.keys.get(path)
            return at_key if at_key is not None and value.line != at_key.line else value
        for n in range(len(path), 0, -1):
            if path[:n] in self.resets:
                return self.resets[path[:n]]
        probe = path[:-1]
        while probe:
            if probe in self.keys:
                return self.keys[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        root = self.values.get((), Loc(1, 1, 1, 1))
        return Loc(root.line, root.col, root.line, root.col)

    def written(self, path: Path) -> bool:
        return tuple(path) in self.values
