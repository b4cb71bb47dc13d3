"""rate_limit.scope client (issue 13 item 9), compile side: validation at line:col and the counter table.

The runtime side (the counter itself, against moto's DynamoDB) is tests/test_runtime_client_limit.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixtures.compile.support import render_text
from fixtures.policy.lintkit import at, model_findings

from liftspec.api import lint_document, load
from liftspec.load import load_text
from liftspec.pipeline import compile_file
from liftspec.render.sam import Rendered

BASE = """\
liftspec: 1
service: shop
environment: dev
security:
  auth:
    jwt: {issuer: "https://auth.example.com/", audience: [shop]}
functions:
  api:
    handler: app.handler
    http: {routes: ["ANY /{proxy+}"]}
  nightly:
    handler: jobs.nightly
    schedule: rate(1 day)
"""


def limit(body: str) -> str:
    return BASE + f"rate_limit: {{{body}}}\n"


# --- validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["source_ip", "jwt_sub", "header:X-Api-Key", "header:x_client.id"])
def test_valid_keys(key: str) -> None:
    assert model_findings(limit(f"scope: client, key: {key}, max: 100")) == []


@pytest.mark.parametrize("key", ["ip", "header:", "header:X Api", "header:X-Api:Key", "sub", "header:é"])
def test_a_key_that_is_not_source_ip_jwt_sub_or_a_header_name_is_an_error_at_the_key(key: str) -> None:
    text = limit(f'scope: client, key: "{key}"')
    assert model_findings(text) == [("LS004", *at(text, f'key: |"{key}"'))]
    (diagnostic,) = lint_document(load_text(text, "lift.yaml"), None, policies=False).diagnostics
    assert "not a valid rate limit key (source_ip, jwt_sub, or header:" in diagnostic.message


def test_the_config_module_carries_the_key_as_the_runtime_reads_headers(tmp_path: Path) -> None:
    from liftspec.api import resolve_env
    from liftspec.render.config_module import build_config

    path = tmp_path / "lift.yaml"
    path.write_text(limit("scope: client, key: header:X-Api-Key, on_store_error: deny, store_timeout: 150ms"), encoding="utf-8")
    spec = resolve_env(load(path), None).spec
    assert spec is not None
    rate = build_config(spec, {}).rate_limit
    assert (rate.scope, rate.key, rate.on_store_error, rate.store_timeout) == ("client", "header:x-api-key", "deny", 0.15)


def test_scope_is_service_or_client() -> None:
    text = limit("scope: user")
    assert model_findings(text) == [("LS004", *at(text, "scope: |user"))]


def test_jwt_sub_needs_a_jwt_authorizer() -> None:
    lambda_only = 'lambda: {function_arn: "arn:aws:lambda:us-east-1:123456789012:function:authz"}'
    text = limit("scope: client, key: jwt_sub").replace(
        'jwt: {issuer: "https://auth.example.com/", audience: [shop]}', lambda_only
    )
    assert model_findings(text) == [("LS008", *at(text, "key: |jwt_sub"))]
    # an overlay that switches auth off keeps the key (requests then count by source IP): no contradiction
    assert model_findings(limit("scope: client, key: jwt_sub").replace("  auth:\n", "  auth:\n    enabled: false\n")) == []


@pytest.mark.parametrize("setting", ["key: source_ip", "on_store_error: deny", "store_timeout: 1s"])
def test_client_settings_with_scope_service_are_an_error_at_the_setting(setting: str) -> None:
    text = limit(f"max: 100, {setting}")
    name, value = setting.split(": ")
    assert model_findings(text) == [("LS008", *at(text, f"{name}: |{value}"))]


@pytest.mark.parametrize("timeout", ["5ms", "6s"])
def test_store_timeout_bounds(timeout: str) -> None:
    text = limit(f"scope: client, store_timeout: {timeout}")
    assert model_findings(text) == [("LS008", *at(text, f"store_timeout: |{timeout}"))]


def test_on_store_error_is_allow_or_deny() -> None:
    text = limit("scope: client, on_store_error: retry")
    assert model_findings(text) == [("LS004", *at(text, "on_store_error: |retry"))]


def test_a_go_http_function_counts_clients_but_an_unwrapped_one_cannot() -> None:
    go = limit("scope: client").replace(
        "    handler: app.handler\n", "    handler: bootstrap\n    build: go\n    lambda: provided.al2023\n"
    )
    assert [d for d in model_findings(go) if d[0] == "LS008"] == []  # liftruntime counts (tests/test_go_client_limit.py)
    bare = go.replace("    build: go\n", "")
    assert ("LS008", *at(bare, "scope: |client")) in model_findings(bare)


# --- the template ---------------------------------------------------------------------------------


def props(rendered: Rendered, logical_id: str) -> dict[str, Any]:
    out: dict[str, Any] = rendered.template["Resources"][logical_id]["Properties"]
    return out


def test_scope_client_compiles_the_table_its_policy_and_variable(tmp_path: Path) -> None:
    rendered = render_text(tmp_path, limit("scope: client, max: 100"))
    table = rendered.template["Resources"]["ClientRateLimitTable"]
    assert table["Type"] == "AWS::DynamoDB::Table"
    assert table["Properties"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["Properties"]["SSESpecification"] == {"SSEEnabled": True}
    assert table["Properties"]["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert table["Properties"]["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    api = props(rendered, "ApiFunction")
    assert api["Environment"]["Variables"]["LIFT_RATE_LIMIT_TABLE"] == {"Ref": "ClientRateLimitTable"}
    statements = [s for policy in api["Policies"] for s in policy["Statement"]]
    assert statements == [
        {
            "Sid": "CountLiftRateLimit",
            "Effect": "Allow",
            "Action": ["dynamodb:UpdateItem"],
            "Resource": [{"Fn::GetAtt": ["ClientRateLimitTable", "Arn"]}],
        }
    ]
    nightly = props(rendered, "NightlyFunction")  # not an HTTP function: no access, no variable
    assert "LIFT_RATE_LIMIT_TABLE" not in nightly["Environment"]["Variables"] and "Policies" not in nightly
    assert "DefaultRouteSettings" not in props(rendered, "HttpApi")  # a stage throttle would count all clients together


def test_scope_service_keeps_the_stage_throttle_and_no_table(tmp_path: Path) -> None:
    rendered = render_text(tmp_path, limit("max: 600"))
    assert "ClientRateLimitTable" not in rendered.template["Resources"]
    assert props(rendered, "HttpApi")["DefaultRouteSettings"] == {"ThrottlingBurstLimit": 600, "ThrottlingRateLimit": 10.0}


def test_the_table_passes_the_sam_translator_and_cfn_lint(tmp_path: Path) -> None:
    path = tmp_path / "lift.yaml"
    path.write_text(limit("scope: client, key: header:X-Api-Key, max: 100, on_store_error: deny"), encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def handler(event, context):\n    return {}\n", encoding="utf-8")
    (tmp_path / "src" / "jobs.py").write_text("def nightly(event, context):\n    return {}\n", encoding="utf-8")
    result = compile_file(str(path), out=str(tmp_path / "out"), env=None, cfn=True)
    assert not result.failed(), [d.message for d in result.diagnostics]
    assert result.verified and [d for d in result.diagnostics if d.id.startswith("LS70")] == []
    resources = json.loads(result.files["template.json"])["Resources"]
    assert resources["ClientRateLimitTable"]["Type"] == "AWS::DynamoDB::Table"
    role = next(r for r in resources.values() if r["Type"] == "AWS::IAM::Role" and "Api" in json.dumps(r.get("Properties", {})))
    assert "dynamodb:UpdateItem" in json.dumps(role)


def test_an_unwrapped_http_function_cannot_count_clients() -> None:
    text = limit("scope: client").replace("    handler: app.handler\n", "    handler: bootstrap\n    lambda: provided.al2023\n")
    problems = [d for d in lint_document(load_text(text, "lift.yaml"), None, policies=False).diagnostics if d.id == "LS008"]
    assert [(d.line, d.col) for d in problems] == [at(text, "scope: |client")]
    assert "runs on provided.al2023, unwrapped" in problems[0].message
