"""Verify findings point at the lift.yaml line behind the offending resource, through the real SAM translator
and cfn-lint: a value rejected by either tool is reported where the user wrote it."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from fixtures.compile.support import ORDER_SERVICE, copy_example, edit, line_of

from liftspec.api import load, resolve_env
from liftspec.diagnostics import Diagnostic, Severity
from liftspec.pipeline import compile_file
from liftspec.render.sam import Rendered, header, render_template, to_yaml
from liftspec.verify.pool import LintPool
from liftspec.verify.verifier import verify


def rendered_order_service() -> tuple[Rendered, object]:
    result = resolve_env(load(ORDER_SERVICE), None)
    assert result.spec is not None and result.resolved is not None
    return render_template(result.resolved, result.spec, "../../.."), result.resolved


def run(rendered: Rendered, resolved: object, lint: bool = True) -> list[Diagnostic]:
    text = to_yaml(rendered.template, header("lift.yaml", "production"))
    pool = LintPool() if lint else None
    try:
        return verify(rendered, text, resolved, "us-east-1", pool=pool).diagnostics  # type: ignore[arg-type]
    finally:
        if pool is not None:
            pool.close()


def test_cfn_lint_error_points_at_the_value_on_the_function_or_the_service_default() -> None:
    rendered, resolved = rendered_order_service()
    template = copy.deepcopy(rendered.template)
    template["Resources"]["ApiFunction"]["Properties"]["MemorySize"] = 64
    template["Resources"]["ReconcileFunction"]["Properties"]["MemorySize"] = 64
    diagnostics = run(Rendered(template, rendered.origins, []), resolved)
    found = {(d.id, d.line, d.col) for d in diagnostics}
    assert ("LS702", line_of(ORDER_SERVICE, "memory: 1024"), 13) in found  # functions.api.memory
    assert ("LS702", line_of(ORDER_SERVICE, "memory: 512"), 11) in found  # runtime.memory, reconcile sets none
    assert all(d.severity is Severity.ERROR and "E3034" in d.message for d in diagnostics)
    # found in the form CloudFormation deploys; one diagnostic says where, in that template
    places = sorted(re.sub(r"line \d+", "line N", d.message.split(" in ", 1)[1]) for d in diagnostics)
    assert places == [
        "template.json: ApiFunction.MemorySize (line N)",
        "template.json: ReconcileFunction.MemorySize (line N)",
    ]


def test_the_sam_form_is_linted_only_when_the_translator_rejects_it() -> None:
    """What the SAM-form pass uniquely catches: with no transformed template, cfn-lint's SAM schemas still name the
    offending property. A template the translator accepts is linted once, in the form CloudFormation deploys."""
    rendered, resolved = rendered_order_service()
    template = copy.deepcopy(rendered.template)
    template["Resources"]["ApiFunction"]["Properties"]["Bogus"] = 1
    diagnostics = run(Rendered(template, rendered.origins, []), resolved)
    assert {d.id for d in diagnostics} == {"LS701", "LS702"}
    (lint,) = [d for d in diagnostics if d.id == "LS702"]
    assert "E3002" in lint.message and "'Bogus' was unexpected" in lint.message and "template.yaml: ApiFunction" in lint.message
    template = copy.deepcopy(rendered.template)
    template["Resources"]["ApiFunction"]["Properties"]["Tracing"] = "Sometimes"  # accepted by the translator
    diagnostics = run(Rendered(template, rendered.origins, []), resolved)
    assert diagnostics and all("template.json: ApiFunction" in d.message for d in diagnostics)


def test_translator_error_points_at_the_function() -> None:
    rendered, resolved = rendered_order_service()
    template = copy.deepcopy(rendered.template)
    template["Resources"]["ReconcileFunction"]["Properties"]["AutoPublishAlias"] = "12"
    diagnostics = run(Rendered(template, rendered.origins, []), resolved, lint=False)
    assert [(d.id, d.line, d.col) for d in diagnostics] == [("LS701", line_of(ORDER_SERVICE, "  reconcile:"), 3)]
    assert "ReconcileFunction" in diagnostics[0].message and "SAM translator" in diagnostics[0].message


def test_finding_without_an_origin_points_at_the_top_and_says_so() -> None:
    rendered, resolved = rendered_order_service()
    template = copy.deepcopy(rendered.template)
    template["Resources"]["StrayQueue"] = {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 9000}}
    diagnostics = run(Rendered(template, rendered.origins, []), resolved)
    top = resolved.source.locate(()).line  # type: ignore[attr-defined]
    assert {(d.id, d.line) for d in diagnostics} == {("LS702", top)}
    assert all("liftspec bug" in d.hint for d in diagnostics)


def test_one_bad_tag_is_one_diagnostic_at_the_tags_line(tmp_path: Path) -> None:
    path = copy_example("webhook", tmp_path)
    edit(path, "tags: {team: payments}", "tags: {team: payments, 'aws:team': x}")
    result = compile_file(str(path))
    assert [(d.id, d.line) for d in result.diagnostics] == [("LS702", line_of(path, "tags:"))] * 2
    assert "more places" in result.diagnostics[0].message  # every tagged resource, in one diagnostic per message
    assert not result.written


def test_cfn_lint_failing_is_a_diagnostic_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from liftspec.verify import cfn_lint

    def broken(self: object, text: str, region: str, part: object = None) -> list[object]:
        raise RuntimeError("rules failed to load")

    monkeypatch.setattr(cfn_lint.Linter, "lint", broken)
    rendered, resolved = rendered_order_service()
    diagnostics = run(rendered, resolved)
    assert [(d.id, d.severity) for d in diagnostics] == [("LS704", Severity.ERROR)]
    assert "rules failed to load" in diagnostics[0].message


def test_without_fork_templates_are_linted_in_process_alike(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import multiprocessing

    rendered, resolved = rendered_order_service()
    template = copy.deepcopy(rendered.template)
    template["Resources"]["ApiFunction"]["Properties"]["MemorySize"] = 64
    forked = run(Rendered(template, rendered.origins, []), resolved)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setenv("LIFTSPEC_CACHE_DIR", str(tmp_path / "empty-cache"))  # cfn-lint must run again
    assert LintPool()._process is None
    assert run(Rendered(template, rendered.origins, []), resolved) == forked != []


def test_a_pool_lints_several_templates_at_once_in_forked_children() -> None:
    rendered, _ = rendered_order_service()
    template = copy.deepcopy(rendered.template)
    template["Resources"]["ApiFunction"]["Properties"]["MemorySize"] = 64
    bad = to_yaml(template, header("lift.yaml", "production")).text
    good = to_yaml(rendered.template, header("lift.yaml", "production")).text
    with LintPool() as pool:
        first, second, third = (pool.submit(text, "us-east-1") for text in (bad, good, bad))
        assert {f.rule for f in first.result()} == {"E3034"} == {f.rule for f in third.result()}
        assert second.result() == []
