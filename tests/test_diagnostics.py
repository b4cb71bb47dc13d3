"""A Diagnostic is a value: its code (with the default severity), span, model path, environments and fix, and one
key() that says which diagnostics are the same finding."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from liftspec import codes
from liftspec.api import lint
from liftspec.cli.lintrun import CachedResult, cached_result, distinct, to_entry
from liftspec.diagnostics import Diagnostic, Fix, Severity, Span

TRACING_OFF = (
    "liftspec: 1\nservice: svc\nenvironment: production\ntracing: {enabled: false}\nfunctions:\n  api: {handler: app.handler}\n"
)


def test_the_severity_defaults_to_the_codes_and_a_pack_may_set_another() -> None:
    assert Diagnostic(codes.CFN_LINT_WARNING, "m").severity is Severity.WARNING
    assert Diagnostic(codes.CFN_LINT_ERROR, "m").severity is Severity.ERROR
    assert Diagnostic(codes.SUPPRESSION_UNUSED, "m", severity=Severity.INFO).severity is Severity.INFO


def test_key_is_the_finding_whatever_its_environments_and_fix() -> None:
    one = Diagnostic(codes.INVALID_VALUE, "bad", "h", Span("f.yaml", 3, 5, 3, 9), ("a",), envs=("staging",))
    other = one.in_envs(("production",))
    assert one.key() == other.key() == ("f.yaml", 3, 5, "LS004", "bad", "error")
    assert replace(one, fix=Fix(1)).key() == one.key()
    assert replace(one, message="worse").key() != one.key()
    assert replace(one, severity=Severity.WARNING).key() != one.key()
    assert replace(one, severity=Severity.WARNING).at() == one.at()


def test_env_is_how_reports_show_the_environments() -> None:
    d = Diagnostic(codes.INVALID_VALUE, "bad")
    assert d.env is None  # every environment
    assert d.in_envs(("staging", "prod")).env == "staging,prod"
    assert d.with_env("prod").envs == ("prod",) and d.with_env(None).envs == ()
    assert (d.file, d.line, d.col, d.end_line, d.end_col, d.id) == ("", 1, 1, None, None, "LS004")


def test_environments_are_merged_once_and_a_fix_counts_once(tmp_path: Path) -> None:
    path = tmp_path / "lift.yaml"
    path.write_text(TRACING_OFF + "environments:\n  staging: {}\n", encoding="utf-8")
    result = lint(path)
    retention = [d for d in result.diagnostics if d.id == "LS103"]
    assert [d.envs for d in retention] == [()]  # the same finding in every environment: shown once, without one
    tracing = [d for d in result.diagnostics if d.id == "LS501"]
    assert [(d.envs, d.severity, d.fix) for d in tracing] == [
        (("production",), Severity.ERROR, Fix(True)),
        (("staging",), Severity.WARNING, Fix(True)),
    ]
    assert len({d.key() for d in tracing}) == 2 and len(distinct(tracing)) == 1  # two findings, one value to fix
    assert len(result.fixes()) == 2


def test_a_cached_result_reads_back_the_same_diagnostics(tmp_path: Path) -> None:
    path = tmp_path / "lift.yaml"
    path.write_text(TRACING_OFF, encoding="utf-8")
    result = lint(path)
    back = cached_result(str(path), to_entry(result))
    assert isinstance(back, CachedResult)
    assert [(d.key(), d.envs, d.span, d.path, d.code) for d in back.diagnostics] == [
        (d.key(), d.envs, d.span, d.path, d.code) for d in result.diagnostics
    ]
    assert back.fix_keys == {d.key() for d, _ in result.fixes()} != set()
    assert cached_result(str(path), {"diagnostics": [], "fixable": [[1, 1, "LS101"]]}) is None  # an older entry: a miss
