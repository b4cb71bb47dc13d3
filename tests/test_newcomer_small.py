"""The small things a new user trips over: each documented behaviour is the real one."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from fixtures.policy.lintkit import GOOD, ROOT, liftspec, lint_text

from liftspec.check.codes import lookup
from liftspec.load import load_path

SEVERAL_FIXES = """\
liftspec: 1
service: payments-webhook
functions:
  receive:
    handler: webhook.receive
    http: {routes: ["POST /webhooks/payments"]}
    concurrency: {reserved: 20}
logging: {level: debug, retention_days: 30}
errors: {detailed: true}
security:
  require_https: false
  auth:
    jwt: {issuer: "https://auth.example.com/", audience: [payments]}
  headers: {x_content_type_options: false, referrer_policy: unsafe-url}
tracing: {enabled: false}
alarms:
  topic: {create: true}
  errors:    {threshold: 1, period: 1m, evaluation_periods: 1}
  latency:   {threshold: 2s, period: 1m, evaluation_periods: 3}
  throttles: {threshold: 1, period: 1m, evaluation_periods: 1}
deployment: {strategy: Canary10Percent5Minutes, rollback_on: [errors, latency]}
environments:
  staging:
    logging: {level: info}
"""


def test_metrics_without_a_namespace_lint_clean_and_compile_to_the_service_name(tmp_path: Path) -> None:
    line = "metrics: {enabled: true, namespace: ShopApi}"
    text = GOOD.replace(line, "metrics: {enabled: true}")
    assert "namespace" not in text
    assert lint_text(text).diagnostics == []
    assert [d.id for d in lint_text(GOOD.replace(line, "metrics: {enabled: false}")).diagnostics] == ["LS504"]
    (tmp_path / "lift.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def handler(event, context): ...\n", encoding="utf-8")
    (tmp_path / "src" / "jobs.py").write_text("def nightly(event, context): ...\n", encoding="utf-8")
    result = liftspec("compile", "lift.yaml", "--no-verify", "--out", "out", cwd=tmp_path)
    assert result.code == 0, result.err
    service = load_path(str(tmp_path / "lift.yaml")).data["service"]
    assert json.loads((tmp_path / "out" / "lift_config.json").read_text())["metrics_namespace"] == service
    code = lookup("LS504")
    assert code is not None and "named after the service" in code.docs.what
    assert "`metrics_namespace` (default: the service name)" in (ROOT / "docs" / "runtime.md").read_text().replace("\n", " ")


def test_the_fixable_count_is_what_fix_then_fixes(tmp_path: Path) -> None:
    (tmp_path / "lift.yaml").write_text(SEVERAL_FIXES, encoding="utf-8")
    before = liftspec("lint", "lift.yaml", cwd=tmp_path)
    assert before.out.count("[staging]") >= 3  # the same findings in both environments ...
    fixable = int(re.search(r"^(\d+) fixable with `liftspec lint --fix`\.$", before.out, re.M).group(1))  # type: ignore[union-attr]
    would = liftspec("lint", "--diff", "lift.yaml", cwd=tmp_path)
    after = liftspec("lint", "--fix", "lift.yaml", cwd=tmp_path)
    assert fixable == 6  # ... are one fix each
    assert f"Would fix {fixable} findings." in would.err
    assert f"Fixed {fixable} findings." in after.out and after.code == 0, after.out


def test_diff_without_a_compiled_folder_hints_the_exact_compile_command(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "webhook", tmp_path / "svc")
    result = liftspec("diff", "svc/lift.yaml", "--env", "staging", cwd=tmp_path)
    assert result.code == 2
    assert (
        result.err == "error: svc/build/lift/staging does not exist; run `liftspec compile svc/lift.yaml --env staging` first\n"
    )
    command = re.search(r"run `liftspec (.*)` first", result.err).group(1).split()  # type: ignore[union-attr]
    assert liftspec(*command, "--no-verify", cwd=tmp_path).code == 0
    assert liftspec("diff", "svc/lift.yaml", "--env", "staging", cwd=tmp_path).code == 0


@pytest.mark.parametrize("where", [".", "services/orders"])
def test_init_points_the_editor_at_a_schema_that_exists_once_written(tmp_path: Path, where: str) -> None:
    folder = tmp_path / where
    folder.mkdir(parents=True, exist_ok=True)
    assert liftspec("init", "--service", "orders", cwd=folder).code == 0
    text = (folder / "lift.yaml").read_text(encoding="utf-8")
    target = re.match(r"# yaml-language-server: \$schema=(\S+)\n", text).group(1)  # type: ignore[union-attr]
    assert "://" not in target  # a path next to the file, not a host that does not exist
    assert "liftspec schema > lift.schema.json" in text
    (folder / target).write_text(liftspec("schema").out, encoding="utf-8")
    validator = jsonschema.Draft202012Validator(json.loads((folder / target).read_text()))
    data = json.loads(json.dumps(load_path(str(folder / "lift.yaml")).data, default=str))
    assert [e.message for e in validator.iter_errors(data)] == []
