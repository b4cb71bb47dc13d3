"""The HTTP API as a whole (issue 13, template side): CORS, per-route auth, custom domain, access logs.

Model problems at their exact line:col, and what the renderer writes for each; the examples test compiles the
same settings through the real SAM translator and cfn-lint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixtures.compile.support import render_text
from fixtures.policy.lintkit import at, model_findings

from liftspec.api import lint_document
from liftspec.diagnostics import Diagnostic
from liftspec.load import load_text
from liftspec.pipeline import compile_file
from liftspec.render.sam import Rendered
from liftspec.render.sam.http_api import ACCESS_LOG_FORMAT

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
    http:
      routes: ["ANY /{proxy+}"]
"""
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0b6d2c4e-1f3a"
AUTHZ = "arn:aws:lambda:us-east-1:123456789012:function:shop-authorizer"


def diags(text: str) -> list[Diagnostic]:
    return lint_document(load_text(text, "lift.yaml"), None, policies=False).diagnostics


def api(rendered: Rendered) -> dict[str, Any]:
    props: dict[str, Any] = rendered.template["Resources"]["HttpApi"]["Properties"]
    return props


def events(rendered: Rendered) -> dict[str, Any]:
    out: dict[str, Any] = rendered.template["Resources"]["ApiFunction"]["Properties"]["Events"]
    return out


def routes(*items: str) -> str:
    return BASE.replace('routes: ["ANY /{proxy+}"]', "routes:\n" + "".join(f"        - {i}\n" for i in items))


# --- CORS ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "origin",
    ["https://shop.example.com/app", "shop.example.com", "ftp://shop.example.com", "https://shop example.com", "*.example.com"],
)
def test_an_origin_that_is_not_scheme_host_port_is_an_error_at_its_item(origin: str) -> None:
    text = BASE + f'http:\n  cors:\n    allow_origins: ["https://ok.example.com", "{origin}"]\n'
    assert model_findings(text) == [("LS004", *at(text, f'"https://ok.example.com", |"{origin}"'))]


def test_cors_method_and_header_names_are_checked() -> None:
    text = BASE + 'http:\n  cors:\n    allow_origins: ["*"]\n    allow_methods: [GET, FETCH]\n'
    assert model_findings(text) == [("LS004", *at(text, "GET, |FETCH"))]
    text = BASE + 'http:\n  cors:\n    allow_origins: ["*"]\n    allow_headers: ["x-ok", "bad header"]\n'
    assert model_findings(text) == [("LS004", *at(text, '"x-ok", |"bad header"'))]


def test_cors_without_origins_is_a_missing_key() -> None:
    text = BASE + "http:\n  cors: {allow_credentials: true}\n"
    assert [d.id for d in diags(text)] == ["LS005"]


def test_cors_configuration_follows_the_file(tmp_path: Path) -> None:
    text = BASE + (
        "http:\n  cors:\n    allow_origins: [https://shop.example.com, 'https://*.example.com:8443']\n"
        "    allow_methods: [GET, POST]\n    expose_headers: [x-request-id]\n    allow_credentials: true\n    max_age: 2h\n"
    )
    assert api(render_text(tmp_path, text))["CorsConfiguration"] == {
        "AllowOrigins": ["https://shop.example.com", "https://*.example.com:8443"],
        "AllowMethods": ["GET", "POST"],
        "AllowHeaders": ["authorization", "content-type"],
        "ExposeHeaders": ["x-request-id"],
        "AllowCredentials": True,
        "MaxAge": 7200,
    }


def test_cors_methods_default_to_the_methods_of_the_routes(tmp_path: Path) -> None:
    text = routes('"GET /products"', '"POST /orders"', '"GET /orders/{id}"') + "http: {cors: {allow_origins: ['*']}}\n"
    assert api(render_text(tmp_path, text))["CorsConfiguration"]["AllowMethods"] == ["GET", "POST"]
    catch_all = BASE + "http: {cors: {allow_origins: ['*']}}\n"
    assert api(render_text(tmp_path, catch_all))["CorsConfiguration"]["AllowMethods"] == ["*"]


def test_no_cors_section_means_no_cors_configuration(tmp_path: Path) -> None:
    assert "CorsConfiguration" not in api(render_text(tmp_path, BASE))


# --- auth per route -------------------------------------------------------------------------------------------------


def test_route_string_and_object_forms_compile_to_their_own_auth(tmp_path: Path) -> None:
    text = routes(
        '"GET /orders"',
        '{route: "GET /products", public: true}',
        '{route: "POST /orders", scopes: ["orders:write", "orders:admin"]}',
        '{route: "DELETE /orders/{id}", authorizer: lambda}',
    ).replace(
        "  auth:\n",
        f'  auth:\n    lambda: {{function_arn: "{AUTHZ}", identity_sources: ["$request.header.X-Api-Key"], result_ttl: 5m}}\n',
    )
    rendered = render_text(tmp_path, text)
    auth = {name: event["Properties"].get("Auth") for name, event in events(rendered).items()}
    assert auth == {
        "GetOrders": None,  # the default authorizer
        "GetProducts": {"Authorizer": "NONE"},
        "PostOrders": {"Authorizer": "JwtAuthorizer", "AuthorizationScopes": ["orders:write", "orders:admin"]},
        "DeleteOrdersId": {"Authorizer": "LambdaAuthorizer"},
    }
    api_auth = api(rendered)["Auth"]
    assert api_auth["DefaultAuthorizer"] == "JwtAuthorizer"
    assert api_auth["Authorizers"]["LambdaAuthorizer"] == {
        "FunctionArn": AUTHZ,
        "AuthorizerPayloadFormatVersion": "2.0",
        "EnableSimpleResponses": True,
        "EnableFunctionDefaultPermissions": True,
        "Identity": {"Headers": ["X-Api-Key"], "ReauthorizeEvery": 300},
    }


def test_lambda_authorizer_alone_is_the_default(tmp_path: Path) -> None:
    text = BASE.replace(
        '    jwt: {issuer: "https://auth.example.com/", audience: [shop]}\n',
        f'    lambda: {{function_arn: "{AUTHZ}", identity_sources: ["$request.querystring.token", "$context.sourceIp"]}}\n',
    )
    rendered = render_text(tmp_path, text)
    assert api(rendered)["Auth"]["DefaultAuthorizer"] == "LambdaAuthorizer"
    identity = api(rendered)["Auth"]["Authorizers"]["LambdaAuthorizer"]["Identity"]
    assert identity == {"QueryStrings": ["token"], "Context": ["sourceIp"], "ReauthorizeEvery": 0}
    assert events(rendered)["Health"]["Properties"]["Auth"] == {"Authorizer": "NONE"}  # health stays public


def test_health_route_stays_public_even_when_written_with_the_object_form(tmp_path: Path) -> None:
    rendered = render_text(tmp_path, routes('{route: "GET /health"}', '"GET /orders"'))
    assert events(rendered)["GetHealth"]["Properties"]["Auth"] == {"Authorizer": "NONE"}
    assert "Auth" not in events(rendered)["GetOrders"]["Properties"]


@pytest.mark.parametrize(
    ("route", "mark"),
    [
        ('{route: "GET /a", public: true, scopes: [read]}', "scopes: |[read]"),
        ('{route: "GET /a", authorizer: lambda}', "authorizer: |lambda"),
        ('{route: "GET /health", scopes: [read]}', "scopes: |[read]"),
    ],
)
def test_contradicting_route_rules_are_ls008_at_the_key(route: str, mark: str) -> None:
    text = routes(route)
    assert model_findings(text) == [("LS008", *at(text, mark))]


def test_scopes_need_a_jwt_authorizer_and_auth_enabled() -> None:
    text = routes('{route: "GET /a", scopes: [read]}').replace(
        '    jwt: {issuer: "https://auth.example.com/", audience: [shop]}\n', f'    lambda: {{function_arn: "{AUTHZ}"}}\n'
    )
    assert model_findings(text) == [("LS008", *at(text, "scopes: |[read]"))]
    # With auth switched off (a dev overlay, say) the routes stay as written and nothing is checked: LS202 reports it.
    text = routes('{route: "GET /a", scopes: [read]}', '{route: "GET /b", authorizer: lambda}')
    assert model_findings(text.replace("  auth:\n", "  auth:\n    enabled: false\n")) == []
    text = BASE.replace("  auth:\n", "  auth:\n    default: lambda\n")
    assert model_findings(text) == [("LS008", *at(text, "default: |lambda"))]


def test_route_object_keys_and_authorizer_arn_are_validated() -> None:
    text = routes('{route: "GET /a", pubic: true}')
    assert model_findings(text) == [("LS003", *at(text, "|pubic"))]
    text = routes('{route: "FETCH /a"}')
    assert model_findings(text) == [("LS004", *at(text, 'route: |"FETCH'))]
    text = BASE.replace("  auth:\n", '  auth:\n    lambda: {function_arn: "arn:aws:s3:::bucket"}\n')
    assert model_findings(text) == [("LS004", *at(text, 'function_arn: |"arn'))]


@pytest.mark.parametrize("path", ['/pro\\"ducts', "/a b", "/a//b", "/files/{key+}/meta", "/{}", "/x{id}"])
def test_route_paths_are_url_paths_with_a_greedy_variable_only_last(path: str) -> None:
    text = routes(f'{{route: "GET {path}", public: true}}')
    assert model_findings(text) == [("LS004", *at(text, 'route: |"GET'))]
    assert model_findings(routes('{route: "GET /files/{key+}", public: true}')) == []


# --- custom domain ---------------------------------------------------------------------------------------------------


def test_domain_compiles_to_a_regional_tls12_domain_with_mapping_and_record(tmp_path: Path) -> None:
    domain = f'{{name: api.shop.example.com, certificate_arn: "{CERT}", base_path: v1, hosted_zone_id: Z1D633PJN98FT9}}'
    text = BASE + f"http:\n  domain: {domain}\n"
    rendered = render_text(tmp_path, text)
    assert api(rendered)["Domain"] == {
        "DomainName": "api.shop.example.com",
        "CertificateArn": CERT,
        "EndpointConfiguration": "REGIONAL",
        "SecurityPolicy": "TLS_1_2",
        "BasePath": ["v1"],
        "Route53": {"HostedZoneId": "Z1D633PJN98FT9"},
    }
    assert rendered.template["Outputs"]["CustomDomainUrl"]["Value"] == "https://api.shop.example.com/v1"
    # what SAM generates for the domain (named with a hash) is traced back to http.domain
    assert rendered.origins.locate(("ApiGatewayDomainNameV21bc412bb08", "DomainName")) == ("http", "domain")
    assert rendered.origins.locate(("RecordSetGroup20e669facd",)) == ("http", "domain", "hosted_zone_id")
    assert rendered.origins.locate(("HttpApiv1ApiMapping",)) == ("functions", "api", "http")


@pytest.mark.parametrize(
    ("line", "mark"),
    [
        (f'{{name: "API.example.com", certificate_arn: "{CERT}"}}', 'name: |"API'),
        (f'{{name: "example", certificate_arn: "{CERT}"}}', 'name: |"example'),
        ('{name: api.example.com, certificate_arn: "arn:aws:iam::123456789012:server-certificate/x"}', 'certificate_arn: |"arn'),
        (f'{{name: api.example.com, certificate_arn: "{CERT}", minimum_tls: "1.1"}}', 'minimum_tls: |"1.1"'),
        (f'{{name: api.example.com, certificate_arn: "{CERT}", base_path: /v1}}', "base_path: |/v1"),
        (f'{{name: api.example.com, certificate_arn: "{CERT}", hosted_zone_id: zone}}', "hosted_zone_id: |zone"),
    ],
)
def test_domain_values_are_validated_at_their_position(line: str, mark: str) -> None:
    text = BASE + f"http:\n  domain: {line}\n"
    assert model_findings(text) == [("LS004", *at(text, mark))]


# --- access logs ------------------------------------------------------------------------------------------------------


def test_access_logs_are_on_by_default_as_json_with_the_fields_asked_for(tmp_path: Path) -> None:
    rendered = render_text(tmp_path, BASE + "logging: {retention_days: 30}\n")
    settings = api(rendered)["AccessLogSettings"]
    assert settings["DestinationArn"] == {"Fn::GetAtt": ["HttpApiAccessLogs", "Arn"]}
    fields = json.loads(settings["Format"])
    assert {"requestId", "routeKey", "status", "responseLatency", "ip"} <= set(fields)
    assert fields["ip"] == "$context.identity.sourceIp" and fields["routeKey"] == "$context.routeKey"
    assert settings["Format"] == ACCESS_LOG_FORMAT
    group = rendered.template["Resources"]["HttpApiAccessLogs"]
    assert group["Type"] == "AWS::Logs::LogGroup" and group["Properties"]["RetentionInDays"] == 30


def test_access_log_retention_overrides_and_disabling_removes_them(tmp_path: Path) -> None:
    rendered = render_text(tmp_path, BASE + "http: {access_logs: {retention_days: 90}}\n")
    assert rendered.template["Resources"]["HttpApiAccessLogs"]["Properties"]["RetentionInDays"] == 90
    rendered = render_text(tmp_path, BASE + "http: {access_logs: {enabled: false}}\n")
    assert "AccessLogSettings" not in api(rendered) and "HttpApiAccessLogs" not in rendered.template["Resources"]


def test_no_http_routes_means_no_access_log_group(tmp_path: Path) -> None:
    text = BASE.replace('    http:\n      routes: ["ANY /{proxy+}"]\n', "    schedule: rate(1 hour)\n")
    assert "HttpApiAccessLogs" not in render_text(tmp_path, text).template["Resources"]


# --- all of it through the real SAM translator and cfn-lint -----------------------------------------------------------


@pytest.mark.slow
def test_everything_together_passes_the_sam_translator_and_cfn_lint(tmp_path: Path) -> None:
    text = routes(
        '"GET /orders"',
        '{route: "GET /products", public: true}',
        '{route: "POST /orders", scopes: ["orders:write"]}',
        '{route: "DELETE /orders/{id}", authorizer: lambda}',
    ).replace("  auth:\n", f'  auth:\n    lambda: {{function_arn: "{AUTHZ}", result_ttl: 5m}}\n') + (
        f"http:\n  cors: {{allow_origins: [https://shop.example.com], allow_credentials: true, max_age: 1h}}\n"
        f'  domain: {{name: api.shop.example.com, certificate_arn: "{CERT}", base_path: v1, hosted_zone_id: Z1D633PJN98FT9}}\n'
        "  access_logs: {retention_days: 90}\n"
    )
    path = tmp_path / "lift.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def handler(event, context):\n    return {}\n", encoding="utf-8")
    result = compile_file(str(path), out=str(tmp_path / "out"), env=None, cfn=True)
    assert not result.failed(), [d.message for d in result.diagnostics]
    assert result.verified and [d for d in result.diagnostics if d.id.startswith("LS70")] == []
    kinds = {r["Type"] for r in json.loads(result.files["template.json"])["Resources"].values()}
    assert {"AWS::ApiGatewayV2::DomainName", "AWS::ApiGatewayV2::ApiMapping", "AWS::Route53::RecordSetGroup"} <= kinds
