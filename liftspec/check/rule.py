"""What a rule is: an id, a name, docs, and a function that yields findings over the resolved model.

Rules say nothing about severity or whether a finding may be waived: packs decide that
(see ``liftspec.check.packs``), so one rule serves production, staging and user packs alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from liftspec.diagnostics import Path

if TYPE_CHECKING:
    from liftspec.check.context import Context


class Fix(NamedTuple):
    """A safe automatic fix: write ``value`` where the finding's path was written."""

    value: bool | int | str


class Finding(NamedTuple):
    path: Path
    message: str
    hint: str = ""
    fix: Fix | None = None


@dataclass(frozen=True)
class Docs:
    what: str
    why: str
    example: str
    fix: str


@dataclass(frozen=True)
class Code:
    """Any diagnostic id with its documentation (rules, schema codes, policy codes, user checks)."""

    id: str
    name: str
    summary: str
    docs: Docs
    kind: str = "rule"  # rule | schema | policy | check (a user pack's declarative check)
    fixable: bool = False
    tags: tuple[str, ...] = ()
    origin: str = "liftspec"  # the pack file that defines a user check


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
    """Register a rule function under ``id``."""

    def register(function: RuleFunction) -> RuleFunction:
        if id in RULES:
            raise ValueError(f"rule id {id} registered twice")
        RULES[id] = Rule(id, name, summary, docs, "rule", fixable, tags, "liftspec", function)
        return function

    return register
