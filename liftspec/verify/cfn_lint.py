"""cfn-lint as a library, on template text (so that its line numbers are lines of the file we write)."""

from __future__ import annotations

import contextlib
import json
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

# cfn-lint's rule set, loaded once per process on purpose: a process forked after loading it (the compile's lint
# workers, the test workers) inherits it instead of paying half a second again. It is not a cache of anything a
# run read: it depends only on the installed cfn-lint, no run changes it, and every template is linted with the
# same rules whatever was linted before. tests/test_no_global_state.py allows this one and no other.
_RULES: Any = None


@dataclass(frozen=True)
class LintFinding:
    rule: str  # E3012, W2001...
    severity: str  # error | warning | informational
    line: int
    col: int
    message: str


class Linter:
    """Loads cfn-lint and its rules once (about a second), then lints any number of templates.

    The rules do not depend on the region, so they can be loaded before the region is known.
    """

    def __init__(self) -> None:
        self._rules: Any = load_rules()

    def can_split(self) -> bool:
        """Whether `lint(..., part=)` can share the resources among processes (see `only_part`)."""
        return _resource_walk(self._rules) is not None

    def lint(self, text: str, region: str, part: tuple[int, int] | None = None) -> list[LintFinding]:
        """cfn-lint's findings on `text`. With `part=(i, n)`, the resource schema walk checks only the i-th of n
        shares of the resources (every other rule still runs on the whole template): the union of the n parts'
        findings is the whole template's."""
        from cfnlint.config import ConfigMixIn  # type: ignore[import-untyped]
        from cfnlint.decode.decode import decode_str  # type: ignore[import-untyped]
        from cfnlint.runner import run_template_by_data  # type: ignore[import-untyped]

        template, matches = untraced(decode_str, text)
        found = list(matches or [])
        if template is not None and not found:
            with only_part(self._rules, *(part or (0, 1))):
                found = untraced(lambda: list(run_template_by_data(template, ConfigMixIn(regions=[region]), self._rules)))
        return ordered(
            LintFinding(m.rule.id, str(m.rule.severity).lower(), int(m.linenumber), int(m.columnnumber), str(m.message))
            for m in found
        )


def ordered(findings: Iterable[LintFinding]) -> list[LintFinding]:
    """Each finding once, in the order of the file."""
    return sorted(set(findings), key=lambda f: (f.line, f.col, f.rule, f.message))


def _resource_walk(rules: Any) -> Any:
    """The rule whose schema walk over Resources is most of a lint (E3001: every resource's properties against
    its type's schema), if this cfn-lint has it where it is expected; else None, and nothing is split."""
    rule = getattr(rules, "data", {}).get("E3001")
    validators = getattr(rule, "validators", None)
    if isinstance(validators, dict) and callable(validators.get("patternProperties")):
        return rule
    return None


@contextlib.contextmanager
def only_part(rules: Any, index: int, count: int) -> Iterator[None]:
    """While the block runs, E3001 walks only the `index`-th of `count` shares of the resources, balanced by size.

    The walk reaches each resource through the patternProperties keyword of the Resources section; the same
    keyword deeper in a resource (tags, policies) is left alone. Shares depend only on the template, so every
    process computes the same ones."""
    rule = _resource_walk(rules)
    if rule is None or count < 2:
        yield
        return
    walk = rule.validators["patternProperties"]

    def share(validator: Any, keyword: Any, instance: Any, schema: Any) -> Any:
        if isinstance(instance, dict) and tuple(validator.context.path.path) == ("Resources",):
            mine = _shares(instance, count)[index]
            instance = _same_kind(instance, {name: value for name, value in instance.items() if name in mine})
        yield from walk(validator, keyword, instance, schema)

    rule.validators["patternProperties"] = share
    try:
        yield
    finally:
        rule.validators["patternProperties"] = walk


def _shares(resources: dict[str, Any], count: int) -> list[set[str]]:
    """The resource names in `count` shares of about equal size (largest first into the smallest share)."""
    sizes = sorted(((len(json.dumps(value, default=str)), str(name)) for name, value in resources.items()), reverse=True)
    shares: list[tuple[int, int, set[str]]] = [(0, i, set()) for i in range(count)]
    for size, name in sizes:
        total, i, names = min(shares)
        names.add(name)
        shares[i] = (total + size, i, names)
    return [names for _, _, names in shares]


def _same_kind(original: dict[str, Any], subset: dict[str, Any]) -> dict[str, Any]:
    """`subset` as the same node class as `original` (cfn-lint's dicts carry their position in the file)."""
    node_class: Any = type(original)
    try:
        same: dict[str, Any] = node_class(subset, getattr(original, "start_mark"), getattr(original, "end_mark"))  # noqa: B009
    except (AttributeError, TypeError):
        return subset
    return same


def load_rules() -> Any:
    """cfn-lint and its rules, loaded once per process (a test process loads them before it forks workers)."""
    global _RULES
    if _RULES is None:
        _RULES = untraced(_load_rules)
    return _RULES


def _load_rules() -> Any:
    from cfnlint.config import ConfigMixIn
    from cfnlint.runner.cli import Runner  # type: ignore[import-untyped]

    return Runner(ConfigMixIn()).rules


def untraced(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)` out of sight of a running tracer (coverage): cfn-lint is not our code, and tracing it makes it
    several times slower. It runs in a thread started without the tracer; the caller's frames stay measured."""
    if sys.gettrace() is None:
        return fn(*args)
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["value"] = fn(*args)
        except BaseException as exc:  # re-raised in the caller's thread
            out["error"] = exc

    hook = threading.gettrace()
    threading.settrace(None)
    try:
        worker = threading.Thread(target=run, name="liftspec-untraced")
        worker.start()
    finally:
        threading.settrace(hook)
    worker.join()
    if "error" in out:
        raise out["error"]
    value: T = out["value"]
    return value


def version() -> str:
    """The installed cfn-lint's version, without importing cfn-lint (which loads its whole API)."""
    from importlib.metadata import version as installed

    return installed("cfn-lint")
