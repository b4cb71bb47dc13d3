"""The SAM renderer on its own (no translator, no cfn-lint): ids, names and the rules behind each resource."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from fixtures.compile.support import render_text

from liftspec.api import load, resolve_env
from liftspec.diagnostics import Diagnostic, Severity
from liftspec.model.spec import RateLimit
from liftspec.pipeline import compile_file
from liftspec.render.sam import Rendered
from liftspec.render.sam.functions import route_event_name
from liftspec.render.sam.http_api import per_second
from liftspec.render.sam.ids import PREDEFINED_STRATEGIES, alias_id, pascal, sampling_rule_name
from liftspec.render.sam.secrets import secret_arn

BASE = """\
liftspec: 1
service: svc
environment: dev
functions:
  api:
    handler: app.handler
    http: {routes: ["ANY /{proxy+}"]}
"""


def render(tmp_path: Path, text: str, env: str | None = None) -> Rendered:
    rendered: Rendered = render_text(tmp_path, text, env)
    return rendered


def props(rendered: Rendered, logical_id: str) -> dict[str, Any]:
    properties: dict[str, Any] = rendered.template["Resources"][logical_id]["Properties"]
    return properties


def test_pascal_case_ids() -> None:
    assert [pascal(n) for n in ("api", "dlq-processor", "JWT_SECRET_ARN", "a1-b2", "myRule")] == [
        "Api",
        "DlqProcessor",
        "JwtSecretArn",
        "A1B2",
        "MyRule",
    ]
    assert alias_id("ApiFunction", "live") == "ApiFunctionAliaslive"
    assert alias_id("ApiFunction", "blue-green_2") == "ApiFunctionAliasblueDgreenU2"


def test_alias_ids_match_what_the_sam_translator_generates() -> None:
    from samtranslator.model.lambda_ import LambdaFunction, LambdaVersion  # type: ignore[import-untyped]
    from samtranslator.model.sam_resources import SamFunction  # type: ignore[import-untyped]

    function = LambdaFunction("ApiFunction")
    sam = SamFunction("ApiFunction")
    for alias in ("live", "blue-green_2"):
        generated = sam._construct_alias(alias, function, LambdaVersion("ApiFunctionVersion"))
        assert generated.logical_id == alias_id("ApiFunction", alias)


def test_predefined_strategies_are_the_ones_sam_knows() -> None:
    from samtranslator.model.preferences.deployment_preference_collection import CODEDEPLOY_PREDEFINED_CONFIGURATIONS_LIST  # type: ignore[import-untyped]

    assert set(PREDEFINED_STRATEGIES) == set(CODEDEPLOY_PREDEFINED_CONFIGURATIONS_LIST)
    assert "Linear10PercentEvery5Minutes" not in PREDEFINED_STRATEGIES


def test_sampling_rule_names_fit_in_32_characters_and_stay_distinct() -> None:
    assert sampling_rule_name("order-service", "production", "health") == "order-service-production-health"
    long_service = "a-very-long-service-name-of-forty-chars"
    names = {sampling_rule_name(long_service, env, rule) for env in ("production", "staging") for rule in ("health", "default")}
    assert len(names) == 4
    assert all(len(name) <= 32 for name in names)
    assert sampling_rule_name(long_service, "production", "health") == sampling_rule_name(long_service, "production", "health")


@pytest.mark.parametrize(("window", "maximum", "expected"), [(60, 1000, 16.67), (1, 50, 50.0), (3600, 100, 0.03), (60, 60, 1.0)])
def test_rate_limit_per_second(window: int, maximum: int, expected: float) -> None:
    assert per_second(RateLimit.model_validate({"window": window, "max": maximum})) == expected


def test_secret_arns() -> None:
    assert secret_arn("prod/orders/jwt") == {
        "Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:prod/orders/jwt-??????"
    }
    full = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"
    assert secret_arn(full) == full
    partial = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db"
    assert secret_arn(partial) == partial + "-??????"


def test_route_event_names() -> None:
    assert route_event_name("ANY /{proxy+}") == "AnyProxy"
    assert route_event_name("GET /orders/{id}") == "GetOrdersId"
    assert route_event_name("GET /") == "GetRoot"
    assert route_event_name("$default") == "Default"


def test_canary_strategy_gets_time_based_canary(tmp_path: Path) -> None:
    rendered = render(tmp_path, BASE + "deployment: {strategy: Canary25Percent15Minutes}\n")
    assert props(rendered, "DeploymentConfig")["TrafficRoutingConfig"] == {
        "Type": "TimeBasedCanary",
        "TimeBasedCanary": {"CanaryInterval": 15, "CanaryPercentage": 25},
    }
    assert props(rendered, "ApiFunction")["DeploymentPreference"] == {"Type": {"Ref": "DeploymentConfig"}}


def test_no_deployment_section_means_no_alias_and_function_scoped_alarms(tmp_path: Path) -> None:
    rendered = render(tmp_path, BASE + "alarms: {errors: {threshold: 1}}\n")
    fn = props(rendered, "ApiFunction")
    assert "AutoPublishAlias" not in fn and "DeploymentPreference" not in fn
    assert props(rendered, "ApiErrorsAlarm")["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": "ApiFunction"}}]
    assert "AlarmActions" not in props(rendered, "ApiErrorsAlarm")  # no topic: alarms without actions


def test_provisioned_concurrency_publishes_an_alias(tmp_path: Path) -> None:
    text = BASE.replace(
        '    http: {routes: ["ANY /{proxy+}"]}\n',
        '    http: {routes: ["ANY /{proxy+}"]}\n    concurrency: {reserved: 10, provisioned: 2}\n',
    )
    fn = props(render(tmp_path, text), "ApiFunction")
    assert fn["AutoPublishAlias"] == "live" and fn["AutoPublishAliasAllProperties"] is True
    assert fn["ProvisionedConcurrencyConfig"] == {"ProvisionedConcurrentExecutions": 2}


def test_dead_letter_queue_follows_asynchronous_functions(tmp_path: Path) -> None:
    assert "DeadLetterQueue" not in render(tmp_path, BASE).template["Resources"]
    with_job = BASE + "  job:\n    handler: app.job\n    schedule: rate(1 hour)\n"
    rendered = render(tmp_path, with_job)
    assert "DeadLetterQueue" in props(rendered, "JobFunction")
    assert "VisibilityTimeout" not in props(rendered, "DeadLetterQueue")  # nobody consumes it
    off = render(tmp_path, with_job + "dead_letter: {enabled: false}\n")
    assert "DeadLetterQueue" not in off.template["Resources"] and "DeadLetterQueue" not in props(off, "JobFunction")


def test_text_logs_carry_no_log_level(tmp_path: Path) -> None:
    fn = props(render(tmp_path, BASE + "logging: {format: text, level: debug}\n"), "ApiFunction")
    assert fn["LoggingConfig"] == {"LogFormat": "Text", "LogGroup": {"Ref": "ApiLogGroup"}}


def test_health_route_added_only_with_an_authorizer(tmp_path: Path) -> None:
    assert "Health" not in props(render(tmp_path, BASE + "security: {auth: {enabled: false}}\n"), "ApiFunction")["Events"]
    jwt = 'security: {auth: {jwt: {issuer: "https://id.example.com/", audience: [a]}}}\n'
    events = props(render(tmp_path, BASE + jwt), "ApiFunction")["Events"]
    assert events["Health"]["Properties"]["Auth"] == {"Authorizer": "NONE"}
    exact = BASE.replace('["ANY /{proxy+}"]', '["GET /health", "POST /orders"]')
    events = props(render(tmp_path, exact + jwt), "ApiFunction")["Events"]
    assert set(events) == {"GetHealth", "PostOrders"}
    assert events["GetHealth"]["Properties"]["Auth"] == {"Authorizer": "NONE"}
    assert "Auth" not in events["PostOrders"]["Properties"]


def test_render_is_independent_of_function_order(tmp_path: Path) -> None:
    two = BASE + "  beta:\n    handler: app.beta\n"
    swapped = BASE.replace("functions:\n", "functions:\n  beta:\n    handler: app.beta\n")
    first = render(tmp_path, two).template
    second = render(tmp_path, swapped).template
    assert first == second and list(first["Resources"]) == sorted(first["Resources"])


def _errors(diagnostics: list[Diagnostic]) -> list[tuple[str, int]]:
    return [(d.id, d.line) for d in diagnostics if d.severity is Severity.ERROR]


def test_names_that_compile_to_one_logical_id_are_an_error(tmp_path: Path) -> None:
    rendered = render(tmp_path, BASE + "  a-1:\n    handler: app.a\n  a1:\n    handler: app.b\n")
    assert [(d.id, d.line) for d in rendered.diagnostics] == [("LS720", 10)]
    assert "A1Function" in rendered.diagnostics[0].message
    assert "A1Function" in rendered.template["Resources"]


def test_environment_variables_over_4kb_are_an_error(tmp_path: Path) -> None:
    rendered = render(tmp_path, BASE + f'runtime: {{variables: {{BIG: "{"x" * 4100}"}}}}\n')
    assert [(d.id, d.line) for d in rendered.diagnostics] == [("LS715", 8)]
    assert "4 KB" in rendered.diagnostics[0].message or "4,096" in rendered.diagnostics[0].message


def test_reserved_variable_names_are_an_error(tmp_path: Path) -> None:
    text = BASE.replace("    handler: app.handler\n", "    handler: app.handler\n    variables: {LIFT_LOG_LEVEL: x}\n")
    (tmp_path / "lift.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    result = resolve_env(load(tmp_path / "lift.yaml"), None)
    assert result.spec is None  # refused by the model (LS011) before compile's own check (LS716) is reached
    assert [(d.id, d.line) for d in result.diagnostics] == [("LS011", 7)]


NO_AUTH = "security: {auth: {enabled: false}}\n"


def test_missing_code_folder_is_an_error_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "lift.yaml").write_text(BASE + NO_AUTH + "runtime: {code: lambda/}\n", encoding="utf-8")
    result = compile_file(str(tmp_path / "lift.yaml"), verify=False)
    assert _errors(result.diagnostics) == [("LS718", 9)]
    assert not (tmp_path / "build").exists()


def test_a_missing_handler_module_is_reported_by_lint_in_compile(tmp_path: Path) -> None:
    (tmp_path / "lift.yaml").write_text(BASE + NO_AUTH, encoding="utf-8")
    (tmp_path / "src").mkdir()
    result = compile_file(str(tmp_path / "lift.yaml"), verify=False)  # dev: the staging pack makes it a warning
    assert [(d.id, d.severity, d.line) for d in result.diagnostics if d.id == "LS311"] == [("LS311", Severity.WARNING, 6)]
    assert result.written
    (tmp_path / "src" / "app.py").write_text("def handler(e, c):\n    return e\n", encoding="utf-8")
    assert [d for d in compile_file(str(tmp_path / "lift.yaml"), verify=False).diagnostics if d.id == "LS311"] == []


def test_zero_rate_limit_window_is_a_diagnostic_not_a_crash(tmp_path: Path) -> None:
    rendered = render(tmp_path, BASE + "rate_limit: {window: 0s, max: 10}\n")
    assert [(d.id, d.line) for d in rendered.diagnostics] == [("LS723", 8)]
    assert "DefaultRouteSettings" not in props(rendered, "HttpApi")
