"""The examples lint clean in every environment; flipping one production-critical value gives exactly its finding."""

from __future__ import annotations

import pytest
from fixtures.policy.lintkit import ORDER_SERVICE, ROOT, at, liftspec, lint_text

from liftspec.api import lint
from liftspec.check.options import LintOptions
from liftspec.starter import starter

EXAMPLES = sorted((ROOT / "examples").glob("*/lift.yaml"))


def test_the_order_service_example_is_among_the_examples() -> None:
    assert ORDER_SERVICE in EXAMPLES


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_example_lints_clean_with_no_output(path: object) -> None:
    result = liftspec("lint", str(path))
    assert (result.code, result.out, result.err) == (0, "", "")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_example_is_clean_in_each_environment_even_with_info(path: object) -> None:
    result = lint(str(path), options=LintOptions())
    assert len(result.envs) >= 1
    for env in result.envs:
        assert env.diagnostics == [], env.env


def test_order_service_waives_ls507_with_its_reason() -> None:
    result = lint(ORDER_SERVICE)
    assert [(s.diagnostic.id, s.by.origin) for s in result.suppressed] == [("LS507", "policy.ignore")]
    assert "SDK-instrumented" in result.suppressed[0].by.reason


def test_liftspec_init_writes_a_file_that_lints_clean() -> None:
    assert lint_text(starter("my-service")).diagnostics == []


ORDER = ORDER_SERVICE.read_text(encoding="utf-8")

FLIPS = [
    # (rule, old, new, where the finding points)
    ("LS101", "  level: info  ", "  level: debug ", "level: |debug"),
    ("LS102", "detailed: false", "detailed: true", "detailed: |true"),
    ("LS201", "require_https: true", "require_https: false", "require_https: |false"),
    ("LS202", "  auth:\n    enabled: true", "  auth:\n    enabled: false", "enabled: |false"),
    ("LS204", "script-src: [\"'self'\"]", "script-src: [\"'self'\", \"'unsafe-inline'\"]", "|\"'unsafe-inline'\""),
    (
        "LS302",
        "    memory: 1024                  # overrides runtime.memory\n",
        "    memory: 1024                  # overrides runtime.memory\n    timeouts: {function: 60s}\n",
        "function: |60s",
    ),
]


@pytest.mark.parametrize(("rule", "old", "new", "mark"), FLIPS, ids=[f[0] for f in FLIPS])
def test_flipping_one_production_value_gives_exactly_its_finding(rule: str, old: str, new: str, mark: str) -> None:
    assert ORDER.count(old) == 1
    text = ORDER.replace(old, new)
    production = lint_text(text, "production", file=str(ORDER_SERVICE))
    assert [(d.id, d.severity.value, d.line, d.col) for d in production.diagnostics] == [(rule, "error", *at(text, mark))]
    every_env = lint_text(text, file=str(ORDER_SERVICE))
    assert {d.id for d in every_env.diagnostics} == {rule}


def test_the_staging_overlay_of_the_order_service_uses_the_staging_pack() -> None:
    result = lint(ORDER_SERVICE, "staging")
    assert result.envs[0].packs == ["baseline", "staging"]
    assert result.diagnostics == []
