"""What a rule is: an id, a name, docs, and a function that yields findings over the resolved model.

Rules say nothing about severity or whether a finding may be waived: packs decide that
(see ``liftspec.check.packs``), so one rule serves production, staging and user packs alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from liftspec.codes import Code, Docs, register
from liftspec.diagnostics import Fix, Path

__all__ = ["RULES", "Code", "Docs", "Finding", "Fix", "Rule", "rule"]

if TYPE_CHECKING:
    from liftspec.check.context import Context


class Finding(NamedTuple):
    path: Path
    message: str
    hint: str = ""
    fix: Fix | None = None


RuleFunction = Callable[["Context"], Iterable[Finding | tuple[Any, ...]]]


@dataclass(frozen=True)
class Rule(Code):
    function: RuleFunction | None = field(default=None, compare=False, repr=False)

    def run(self, ctx: Context) -> Iterator[Finding]:
        assert self.function is not None
        for item in self.function(ctx):
            yield item if isinstance(item, Finding) else Finding(*item)


RULES: dict[str, Rule] = {}


def rule(
    id: str, name: str, summary: str, *, docs: Docs, tags: tuple[str, ...] = (), fixable: bool = False
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule function under ``id``: its code goes into the one table, liftspec.codes.TABLE."""

    def add(function: RuleFunction) -> RuleFunction:
        code = Rule(id, name, summary, docs, "rule", fixable, tags, function=function)
        register(code)
        RULES[id] = code
        return function

    return add
