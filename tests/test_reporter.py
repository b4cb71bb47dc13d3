"""The reporter: one sink for every stage, environments merged once."""

from __future__ import annotations

from liftspec import codes
from liftspec.diagnostics import Diagnostic, LiftError, Severity, Span
from liftspec.load import load_text
from liftspec.pipeline import lint_document
from liftspec.reporter import Reporter


def _d(line: int, message: str = "m", severity: Severity | None = None) -> Diagnostic:
    return Diagnostic(codes.INCONSISTENT, message, "h", Span("lift.yaml", line, 1), severity=severity)


def test_a_view_reports_to_the_sink_in_its_environment() -> None:
    sink = Reporter()
    dev, prod = sink.in_env("dev"), sink.in_env("prod")
    dev.report(_d(3))
    prod.report(_d(3))
    prod.report(_d(1, "only prod"))
    assert [d.line for d in dev] == [3]
    assert [d.line for d in prod] == [3, 1]
    assert len(sink) == 3
    merged = sink.merged(["dev", "prod"])
    assert [(d.line, d.envs) for d in merged] == [(1, ("prod",)), (3, ())]  # found everywhere: no environment
    assert [(d.line, d.envs) for d in sink.merged(["prod"])] == [(1, ("prod",)), (3, ("prod",))]


def test_fatal_errors_and_failure() -> None:
    sink = Reporter()
    sink.report(_d(5, severity=Severity.WARNING))
    assert not sink.failed()
    assert sink.failed(Severity.WARNING)
    sink.absorb(LiftError([_d(2)]))
    assert sink.failed()
    assert [d.line for d in sink] == [5, 2]  # as reported
    assert [d.line for d in sink.sorted()] == [2, 5]
    assert [d.line for d in sink.merged([])] == [2, 5]  # no environment to merge: as they are, sorted


def test_lint_reports_its_merged_findings_to_the_callers_sink() -> None:
    text = "liftspec: 1\nservice: s\nfunctions:\n  a:\n    handler: app.handler\n    timeout: 0\n"
    sink = Reporter()
    result = lint_document(load_text(text, "lift.yaml"), reporter=sink)
    assert result.diagnostics
    assert list(sink) == result.diagnostics
    assert result.envs[0].diagnostics  # each environment keeps what it found
